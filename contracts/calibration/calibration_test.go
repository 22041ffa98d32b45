package calibration_test

import (
	"errors"
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/calibration"
	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger/memledger"
)

// invoke dispatches fn through contract-api on a new transaction of l,
// committing it when the call succeeds (as a peer would, validation
// included) and discarding it otherwise.
func invoke(t *testing.T, cc shim.Chaincode, l *memledger.Ledger, fn string, args ...string) (payload string, commitErr error, callErr error) {
	t.Helper()
	raw := make([][]byte, len(args))
	for i, a := range args {
		raw[i] = []byte(a)
	}
	tx := l.Begin(memledger.TxOptions{Function: fn, Args: raw})
	resp := cc.Invoke(tx)
	if resp.Status != shim.OK {
		require.Empty(t, tx.Writes(), "%s failed after writing", fn)
		tx.Discard()
		return "", nil, errors.New(resp.Message)
	}
	return string(resp.Payload), tx.Commit(), nil
}

func TestTransactions(t *testing.T) {
	cc, err := calibration.New()
	require.NoError(t, err)
	l := memledger.New()

	out, commitErr, err := invoke(t, cc, l, "calibration:NoOp")
	require.NoError(t, err)
	require.NoError(t, commitErr)
	require.Empty(t, out)
	require.Empty(t, l.Snapshot(), "NoOp writes nothing")

	out, commitErr, err = invoke(t, cc, l, "calibration:CreateAsset", "a1")
	require.NoError(t, err)
	require.NoError(t, commitErr)
	require.JSONEq(t, `{"id":"a1","owner":"calibration","value":1}`, out)

	before := l.Snapshot()
	tests := []struct {
		name string
		fn   string
		args []string
		code errs.Code
	}{
		{"the same asset twice", "calibration:CreateAsset", []string{"a1"}, errs.AlreadyExists},
		{"an empty ID", "calibration:CreateAsset", []string{""}, errs.InvalidArgument},
		{"a key separator in an ID", "calibration:CreateAsset", []string{"a\x00b"}, errs.InvalidArgument},
		{"a missing asset", "calibration:ReadAsset", []string{"nope"}, errs.NotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := invoke(t, cc, l, tc.fn, tc.args...)
			require.Error(t, err)
			coded, ok := errs.Parse(err.Error())
			require.True(t, ok, "%q carries no code", err)
			require.Equal(t, tc.code, coded.Code, err.Error())
			require.Equal(t, before, l.Snapshot(), "a refused call writes nothing")
		})
	}

	out, _, err = invoke(t, cc, l, "calibration:ReadAsset", "a1")
	require.NoError(t, err)
	require.JSONEq(t, `{"id":"a1","owner":"calibration","value":1}`, out)

	for _, want := range []string{"1", "2", "3"} {
		out, commitErr, err = invoke(t, cc, l, "calibration:IncrementCounter")
		require.NoError(t, err)
		require.NoError(t, commitErr)
		require.Equal(t, want, out)
	}
}

// TestConflicts holds the two baselines to their purpose: concurrent
// creations of distinct assets all commit, concurrent increments of the
// counter all but one fail validation.
func TestConflicts(t *testing.T) {
	l := memledger.New()
	const n = 8
	var creates, increments []*memledger.Tx
	for i := range n {
		tx := l.Begin(memledger.TxOptions{})
		_, err := calibration.CreateAsset(tx, "asset-"+string(rune('a'+i)))
		require.NoError(t, err)
		creates = append(creates, tx)
		tx = l.Begin(memledger.TxOptions{})
		_, err = calibration.IncrementCounter(tx)
		require.NoError(t, err)
		increments = append(increments, tx)
	}
	for _, tx := range creates {
		require.NoError(t, tx.Commit(), "distinct assets never conflict")
	}
	committed := 0
	for _, tx := range increments {
		err := tx.Commit()
		if err == nil {
			committed++
			continue
		}
		require.ErrorIs(t, err, memledger.ErrMVCCConflict)
	}
	require.Equal(t, 1, committed, "one increment per round commits: the counter is a hot key")

	// Two creations of the same new asset: the second to commit loses.
	a, b := l.Begin(memledger.TxOptions{}), l.Begin(memledger.TxOptions{})
	_, err := calibration.CreateAsset(a, "same")
	require.NoError(t, err)
	_, err = calibration.CreateAsset(b, "same")
	require.NoError(t, err)
	require.NoError(t, a.Commit())
	require.ErrorIs(t, b.Commit(), memledger.ErrMVCCConflict)
}
