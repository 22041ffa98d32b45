package ledger_test

import (
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/ledger/memledger"
)

func TestQueryPage(t *testing.T) {
	l := memledger.New()
	require.NoError(t, l.Run(memledger.TxOptions{}, func(stub shim.ChaincodeStubInterface) error {
		for _, kv := range [][3]string{{"coin", "alice", "1"}, {"coin", "alice", "2"}, {"coin", "alice", "3"}, {"coin", "bob", "9"}, {"secret", "x", "s"}} {
			k, err := stub.CreateCompositeKey(kv[0], []string{kv[1], kv[2]})
			if err != nil {
				return err
			}
			if err := stub.PutState(k, []byte(kv[2])); err != nil {
				return err
			}
		}
		return nil
	}))
	page := func(size int32, bookmark string) ([]ledger.KV, string, error) {
		return ledger.QueryPage(l.Begin(memledger.TxOptions{}), "coin", []string{"alice"}, size, bookmark)
	}
	rows, next, err := page(2, "")
	require.NoError(t, err)
	require.Len(t, rows, 2)
	require.NotEmpty(t, next)
	rows, next, err = page(2, next)
	require.NoError(t, err)
	require.Len(t, rows, 1)
	require.Equal(t, "3", string(rows[0].Value))
	require.Empty(t, next)

	for _, size := range []int32{0, -1, ledger.MaxPageSize + 1, 1 << 30} {
		_, _, err := page(size, "")
		require.ErrorIs(t, err, errs.ErrInvalidArgument, "page size %d", size)
	}
	// A forged bookmark would start the scan among another type's keys.
	for _, forged := range []string{"\x00", "\x00coin\x00", "\x00coin\x00bob\x00", "\x00secret\x00", "zzz"} {
		_, _, err := page(2, forged)
		require.ErrorIs(t, err, errs.ErrInvalidArgument, "bookmark %q", forged)
	}
}
