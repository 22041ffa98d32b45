package client

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"

	"github.com/likrcommerce/likr/contracts/errs"
)

func TestClassify(t *testing.T) {
	endorse := func(err error) error { return &EndorseError{newTxError(PhaseEndorse, "f", "tx", 1, err)} }
	commit := func(code peer.TxValidationCode) error { return newCommitError("f", "tx", 1, code) }
	for name, tc := range map[string]struct {
		err  error
		want conflict
	}{
		"MVCC read conflict":             {commit(peer.TxValidationCode_MVCC_READ_CONFLICT), mvccConflict},
		"phantom read conflict":          {commit(peer.TxValidationCode_PHANTOM_READ_CONFLICT), phantomConflict},
		"endorsement policy failure":     {commit(peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE), noConflict},
		"duplicate transaction ID":       {commit(peer.TxValidationCode_DUPLICATE_TXID), noConflict},
		"payloads differ, in the detail": {endorse(mismatchError()), endorsementMismatch},
		"payloads differ, in the message": {endorse(gatewayError(codes.Aborted,
			"failed to assemble transaction: ProposalResponsePayloads do not match (base64): 'CAE=' vs 'CAI='")), endorsementMismatch},
		"one peer endorsed, a lagging one refused": {endorse(gatewayError(codes.Aborted,
			"failed to collect enough transaction endorsements, see attached details for more info",
			"chaincode response 500, NOT_FOUND: coin c1 of bob not found")), endorsementMismatch},
		"payloads differ and a peer refused": {endorse(gatewayError(codes.Aborted, "failed to collect enough transaction endorsements",
			"ProposalResponsePayloads do not match", "chaincode response 500, NOT_FOUND: coin c1 not found")), endorsementMismatch},
		"business error, the first peer refused": {endorse(chaincodeError("INSUFFICIENT_FUNDS: inputs hold 5, need 10")), noConflict},
		"endorsing peer is down":                 {endorse(gatewayError(codes.Unavailable, "no peers available")), noConflict},
		"second org's peer is down": {endorse(gatewayError(codes.Aborted,
			"failed to collect enough transaction endorsements, see attached details for more info",
			"rpc error: code = Unavailable desc = connection refused")), noConflict},
		"submit failure mentioning a mismatch": {&SubmitError{newTxError(PhaseSubmit, "f", "tx", 1,
			gatewayError(codes.Aborted, "ProposalResponsePayloads do not match"))}, noConflict},
		"not ours": {errors.New("boom"), noConflict},
	} {
		t.Run(name, func(t *testing.T) {
			require.Equal(t, tc.want, classify(tc.err))
		})
	}
}

func TestConflictsAreRetriedAsNewTransactions(t *testing.T) {
	f := &fakeBackend{outcomes: []outcome{
		invalid(peer.TxValidationCode_MVCC_READ_CONFLICT),
		{endorseErr: mismatchError()},
		invalid(peer.TxValidationCode_PHANTOM_READ_CONFLICT),
		{endorseErr: gatewayError(codes.Aborted, "failed to collect enough transaction endorsements, see attached details for more info",
			"chaincode response 500, NOT_FOUND: coin c1 of bob not found")},
	}}
	c := fakeClient(t, f)

	r, err := c.Submit(context.Background(), "wallet:Transfer", "bob", "10", `["c1"]`)

	require.NoError(t, err)
	require.Equal(t, Receipt{TxID: "tx5", Block: 7, Attempts: 5, Result: []byte("result of tx5")}, r)
	require.Len(t, f.proposed(), 5, "each attempt is a new proposal")
	for _, p := range f.proposed() {
		require.Equal(t, []string{"wallet:Transfer", "bob", "10", `["c1"]`}, p)
	}
	s := c.Stats()
	require.Equal(t, Stats{Submits: 1, Committed: 1, Attempts: 5, Retries: 4, MVCCConflicts: 1, PhantomConflicts: 1, EndorsementMismatches: 2}, s)
	require.Equal(t, uint64(4), s.Conflicts())
	require.InDelta(t, 0.8, s.ConflictRate(), 1e-9)
}

func TestRetriesStopAtMaxAttempts(t *testing.T) {
	mvcc := invalid(peer.TxValidationCode_MVCC_READ_CONFLICT)
	f := &fakeBackend{outcomes: []outcome{mvcc, mvcc, mvcc, mvcc}}
	c := fakeClient(t, f, WithRetry(3, 0))

	_, err := c.Submit(context.Background(), "wallet:Mint", "bob", "10")

	var commitErr *CommitError
	require.ErrorAs(t, err, &commitErr)
	require.Equal(t, peer.TxValidationCode_MVCC_READ_CONFLICT, commitErr.Code)
	require.Equal(t, 3, commitErr.Attempt)
	require.Equal(t, "tx3", commitErr.TxID)
	require.Len(t, f.proposed(), 3)
	require.Equal(t, Stats{Submits: 1, Failed: 1, Attempts: 3, Retries: 2, MVCCConflicts: 3}, c.Stats())
}

func TestABusinessErrorAfterAConflictEndsTheRetries(t *testing.T) {
	f := &fakeBackend{outcomes: []outcome{
		invalid(peer.TxValidationCode_MVCC_READ_CONFLICT),
		{endorseErr: chaincodeError("NOT_FOUND: coin c1 of bob not found")},
	}}
	c := fakeClient(t, f)
	_, err := c.Submit(context.Background(), "wallet:Transfer", "bob", "10", `["c1"]`)
	require.ErrorIs(t, err, errs.ErrNotFound)
	require.Len(t, f.proposed(), 2)
	require.Equal(t, Stats{Submits: 1, Failed: 1, Attempts: 2, Retries: 1, MVCCConflicts: 1}, c.Stats())
}

func TestWithRetryOneTurnsRetryingOff(t *testing.T) {
	f := &fakeBackend{outcomes: []outcome{{endorseErr: mismatchError()}}}
	c := fakeClient(t, f, WithRetry(1, 0))
	_, err := c.Submit(context.Background(), "wallet:Mint", "bob", "10")
	require.Error(t, err)
	require.Len(t, f.proposed(), 1)
	require.Equal(t, uint64(1), c.Stats().EndorsementMismatches)
}

func TestCancellingDuringTheBackoffEndsTheRetries(t *testing.T) {
	f := &fakeBackend{outcomes: []outcome{invalid(peer.TxValidationCode_MVCC_READ_CONFLICT)}}
	c := fakeClient(t, f, WithRetry(5, time.Hour))
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()

	_, err := c.Submit(ctx, "wallet:Mint", "bob", "10")

	require.ErrorIs(t, err, context.DeadlineExceeded)
	var commitErr *CommitError
	require.ErrorAs(t, err, &commitErr, "the last attempt's error stays in the chain")
	require.Less(t, time.Since(start), 10*time.Second)
	require.Len(t, f.proposed(), 1)
}

func TestBackoffGrowsIsCappedAndJittered(t *testing.T) {
	base := 10 * time.Millisecond
	for n, ceiling := range map[int]time.Duration{
		1: 10 * time.Millisecond, 2: 20 * time.Millisecond, 3: 40 * time.Millisecond,
		6: 320 * time.Millisecond, 7: 320 * time.Millisecond, 50: 320 * time.Millisecond,
	} {
		seen := map[time.Duration]bool{}
		for range 50 {
			got := backoff(base, n)
			require.GreaterOrEqual(t, got, ceiling/2, "attempt %d", n)
			require.Less(t, got, ceiling, "attempt %d", n)
			seen[got] = true
		}
		require.Greater(t, len(seen), 1, "attempt %d: no jitter", n)
	}
	require.Zero(t, backoff(0, 3))
	require.Equal(t, time.Duration(1), backoff(1, 1))
}
