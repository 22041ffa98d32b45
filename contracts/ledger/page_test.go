package ledger_test

import (
	"fmt"
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/ledger/memledger"
)

// seed commits coin rows for alice (1..5), aaron and bob, and a secret row
// of another type.
func seed(t *testing.T) *memledger.Ledger {
	t.Helper()
	l := memledger.New()
	rows := [][3]string{{"coin", "aaron", "9"}, {"coin", "bob", "9"}, {"secret", "x", "s"}}
	for i := 1; i <= 5; i++ {
		rows = append(rows, [3]string{"coin", "alice", fmt.Sprint(i)})
	}
	require.NoError(t, l.Run(memledger.TxOptions{}, func(stub shim.ChaincodeStubInterface) error {
		for _, r := range rows {
			k, err := stub.CreateCompositeKey(r[0], []string{r[1], r[2]})
			if err != nil {
				return err
			}
			if err := stub.PutState(k, []byte(r[1]+r[2])); err != nil {
				return err
			}
		}
		return nil
	}))
	return l
}

func values(rows []ledger.KV) []string {
	out := []string{}
	for _, r := range rows {
		out = append(out, string(r.Value))
	}
	return out
}

func TestCheckPageSizeAcceptsOneToMax(t *testing.T) {
	require.NoError(t, ledger.CheckPageSize(1))
	require.NoError(t, ledger.CheckPageSize(ledger.MaxPageSize))
	for _, n := range []int32{0, -1, ledger.MaxPageSize + 1, 1<<31 - 1, -1 << 31} {
		require.ErrorIs(t, ledger.CheckPageSize(n), errs.ErrInvalidArgument, "page size %d", n)
	}
}

func TestQueryPageWalksThePrefixInPages(t *testing.T) {
	l := seed(t)
	var got []string
	bookmark, pages := "", 0
	for {
		rows, next, err := ledger.QueryPage(l.Begin(memledger.TxOptions{}), "coin", []string{"alice"}, 2, bookmark)
		require.NoError(t, err)
		require.LessOrEqual(t, len(rows), 2)
		got = append(got, values(rows)...)
		pages++
		if next == "" {
			break
		}
		bookmark = next
	}
	require.Equal(t, []string{"alice1", "alice2", "alice3", "alice4", "alice5"}, got)
	require.Equal(t, 3, pages)

	rows, next, err := ledger.QueryPage(l.Begin(memledger.TxOptions{}), "nothing", nil, 10, "")
	require.NoError(t, err)
	require.NotNil(t, rows, "an empty page is an empty list")
	require.Empty(t, rows)
	require.Empty(t, next)
}

func TestQueryPageRefusesBadPageSizes(t *testing.T) {
	l := seed(t)
	for _, size := range []int32{0, -1, ledger.MaxPageSize + 1, 1 << 30} {
		_, _, err := ledger.QueryPage(l.Begin(memledger.TxOptions{}), "coin", []string{"alice"}, size, "")
		require.ErrorIs(t, err, errs.ErrInvalidArgument, "page size %d", size)
	}
}

// The peer starts the scan at the bookmark, whatever it is: a bookmark
// outside the prefix would read aaron's, bob's or the secret rows.
func TestQueryPageRefusesForgedBookmarks(t *testing.T) {
	l := seed(t)
	for _, forged := range []string{"\x00", "\x00coin\x00", "\x00coin\x00aaron\x009\x00", "\x00coin\x00bob\x00", "\x00coin\x00alicf",
		"\x00secret\x00", "zzz", "\x00coin\x00alice\x00\xff"} {
		rows, next, err := ledger.QueryPage(l.Begin(memledger.TxOptions{}), "coin", []string{"alice"}, 2, forged)
		require.ErrorIs(t, err, errs.ErrInvalidArgument, "bookmark %q", forged)
		require.Nil(t, rows)
		require.Empty(t, next)
	}
	rows, _, err := ledger.QueryPage(l.Begin(memledger.TxOptions{}), "coin", []string{"alice"}, 10, "\x00coin\x00alice\x004\x00")
	require.NoError(t, err)
	require.Equal(t, []string{"alice4", "alice5"}, values(rows), "a bookmark inside the prefix is fine")
}

func TestQueryPageRefusesInvalidKeyParts(t *testing.T) {
	l := seed(t)
	for _, bad := range []string{"a\x00", "\U0010FFFF", "\xff"} {
		_, _, err := ledger.QueryPage(l.Begin(memledger.TxOptions{}), "coin", []string{bad}, 10, "")
		require.ErrorIs(t, err, errs.ErrInvalidArgument, "attribute %q", bad)
	}
}

// Fabric refuses a paginated query in a transaction that has written; that
// is a programming error, not the caller's.
func TestQueryPageInAWritingTransactionIsInternal(t *testing.T) {
	tx := seed(t).Begin(memledger.TxOptions{})
	require.NoError(t, tx.PutState("k", []byte("v")))
	_, _, err := ledger.QueryPage(tx, "coin", []string{"alice"}, 10, "")
	require.ErrorIs(t, err, errs.ErrInternal)
}
