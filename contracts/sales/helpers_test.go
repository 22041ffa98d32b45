package sales_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/ledger/ledgertest"
	"github.com/likrcommerce/likr/contracts/sales"
)

// epoch is the ledger clock at the start of every test: every transaction
// is a second after the one begun before it.
var epoch = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// acct returns the i-th test account ID.
func acct(i int) string { return ledgertest.Account(0x5a1e0000, i) }

var amt = ledgertest.Amount

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

// env is the shared harness with bodies that need no wallet.
type env struct {
	*ledgertest.Env[ledgertest.StateBody, ledgertest.StateView]
}

func newEnv(t testing.TB) *env {
	return &env{ledgertest.New[ledgertest.StateBody, ledgertest.StateView](t, epoch)}
}

// record runs Record in a transaction of its own, committed when Record
// succeeds (the harness checks that a refused Record wrote and emitted
// nothing); it returns what Record returned and the events emitted.
func (e *env) record(s sales.Sale) (*sales.Sale, ledger.Events, error) {
	e.T.Helper()
	var got *sales.Sale
	ev, err := e.Submit(func(st ledger.State, ev ledger.Emitter) (err error) {
		got, err = sales.Record(st, ev, s)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return got, ev, nil
}

func (e *env) mustRecord(s sales.Sale) *sales.Sale {
	e.T.Helper()
	got, _, err := e.record(s)
	require.NoError(e.T, err)
	return got
}

// put commits one raw write, for tampering.
func (e *env) put(key string, value []byte) {
	e.T.Helper()
	e.Must(func(st ledger.State, _ ledger.Emitter) error { return st.PutState(key, value) })
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
		page, err := sales.Query(e.Eval(), f, size, bookmark)
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
