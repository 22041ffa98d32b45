package sales_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/ledger/memledger"
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/contracts/sales"
)

// epoch is the ledger clock at the start of every test: every transaction
// is a second after the one begun before it.
var epoch = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// acct returns the i-th test account ID.
func acct(i int) string { return fmt.Sprintf("%040x", 0x5a1e0000+i) }

func amt(n uint64) money.Amount { return money.NewAmount(n) }

var attrHash = strings.Repeat("0123456789abcdef", 4)

// Accounts of the standard test sale.
var (
	buyer    = acct(1)
	supplier = acct(2)
	seller   = acct(3)
	referrer = acct(4)
)

// goodSale is a valid sale of 3 units at 1000 with a referrer: supplier
// 1800, commission 300, platform fee 150, seller 750.
func goodSale(order string) sales.Sale {
	return sales.Sale{
		Buyer: buyer, Order: order, Supplier: supplier, Product: "tea", ProductVersion: 2,
		AttributesHash: attrHash, StoreOwner: seller, Store: "shop", Listing: "tea-1",
		Referrer: referrer, ReferrerStore: "my-picks",
		Quantity: 3, UnitPrice: amt(1000), Total: amt(3000),
		SupplierAmount: amt(1800), Commission: amt(300), PlatformFee: amt(150), SellerAmount: amt(750),
		PlacedAt: "2026-02-27T09:30:00.000000000Z",
	}
}

// noReferrer is goodSale without a referrer, the commission going to the
// seller.
func noReferrer(order string) sales.Sale {
	s := goodSale(order)
	s.Referrer, s.ReferrerStore, s.Commission, s.SellerAmount = "", "", amt(0), amt(1050)
	return s
}

// shimStub is what memledger.Ledger.Run hands its function.
type shimStub = shim.ChaincodeStubInterface

type env struct {
	t testing.TB
	l *memledger.Ledger
}

func newEnv(t testing.TB) *env {
	l := memledger.New()
	l.SetTime(epoch)
	return &env{t: t, l: l}
}

// record runs Record in a transaction of its own, committed when Record
// succeeds; it returns what Record returned and the events emitted.
func (e *env) record(s sales.Sale) (*sales.Sale, ledger.Events, error) {
	e.t.Helper()
	tx := e.l.Begin(memledger.TxOptions{})
	var ev ledger.Events
	got, err := sales.Record(tx, &ev, s)
	if err != nil {
		require.Empty(e.t, tx.Writes(), "a refused Record writes nothing")
		require.Empty(e.t, ev, "a refused Record emits nothing")
		tx.Discard()
		return nil, nil, err
	}
	require.NoError(e.t, tx.Commit())
	return got, ev, nil
}

func (e *env) mustRecord(s sales.Sale) *sales.Sale {
	e.t.Helper()
	got, _, err := e.record(s)
	require.NoError(e.t, err)
	return got
}

// eval returns a transaction that is never committed, like an evaluate.
func (e *env) eval() *memledger.Tx {
	tx := e.l.Begin(memledger.TxOptions{})
	e.t.Cleanup(tx.Discard)
	return tx
}

// put commits one raw write, for tampering.
func (e *env) put(key string, value []byte) {
	e.t.Helper()
	require.NoError(e.t, e.l.Run(memledger.TxOptions{}, func(stub shim.ChaincodeStubInterface) error {
		return stub.PutState(key, value)
	}))
}

func key(t testing.TB, objectType string, attrs ...string) string {
	t.Helper()
	k, err := shim.CreateCompositeKey(objectType, attrs)
	require.NoError(t, err)
	return k
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

// queryAll walks every page of a query and returns the sales and the
// number of pages.
func queryAll(t testing.TB, e *env, f sales.Filter, size int32) ([]sales.Sale, int) {
	t.Helper()
	got, bookmark, pages := []sales.Sale{}, "", 0
	for {
		page, err := sales.Query(e.eval(), f, size, bookmark)
		require.NoError(t, err, "%+v page %d", f, pages)
		require.NotNil(t, page.Records)
		require.LessOrEqual(t, len(page.Records), int(size))
		got = append(got, page.Records...)
		pages++
		if page.Bookmark == "" {
			return got, pages
		}
		require.Len(t, page.Records, int(size), "only a full page has a next page")
		bookmark = page.Bookmark
	}
}

// orderIDs lists the order IDs of sales.
func orderIDs(ss []sales.Sale) []string {
	out := []string{}
	for _, s := range ss {
		out = append(out, s.Order)
	}
	return out
}

// inSettlementOrder sorts sales as the indexes list them.
func inSettlementOrder(ss []sales.Sale) []sales.Sale {
	out := slices.Clone(ss)
	slices.SortFunc(out, func(a, b sales.Sale) int {
		return strings.Compare(a.SettledAt+"\x00"+a.Buyer+"\x00"+a.Order, b.SettledAt+"\x00"+b.Buyer+"\x00"+b.Order)
	})
	return out
}

// totalsOf adds up sales independently of the package: plain uint64
// arithmetic, with the test's sales small enough never to overflow.
func totalsOf(ss []sales.Sale) sales.Totals {
	var orders, qty, gross, refund, sup, com, fee, mod, sel uint64
	for _, s := range ss {
		orders++
		qty += s.Quantity
		gross += s.Total.Uint64()
		refund += s.Refund.Uint64()
		sup += s.SupplierAmount.Uint64()
		com += s.Commission.Uint64()
		fee += s.PlatformFee.Uint64()
		mod += s.ModeratorFee.Uint64()
		sel += s.SellerAmount.Uint64()
	}
	return sales.Totals{
		Orders: orders, Quantity: qty, Gross: amt(gross), Refund: amt(refund), SupplierAmount: amt(sup),
		Commission: amt(com), PlatformFee: amt(fee), ModeratorFee: amt(mod), SellerAmount: amt(sel),
	}
}
