package client

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/money"
)

func TestSalesRangeIsRFC3339WithNanosecondsInUTC(t *testing.T) {
	seoul := time.FixedZone("KST", 9*3600)
	from := time.Date(2025, 5, 1, 9, 30, 0, 1500, seoul)
	to := time.Date(2025, 5, 2, 0, 0, 0, 0, time.UTC)
	for name, tc := range map[string]struct {
		r    SalesRange
		want []string
	}{
		"both ends":  {SalesRange{From: from, To: to}, []string{"2025-05-01T00:30:00.000001500Z", "2025-05-02T00:00:00.000000000Z"}},
		"open start": {SalesRange{To: to}, []string{"", "2025-05-02T00:00:00.000000000Z"}},
		"open end":   {SalesRange{From: from}, []string{"2025-05-01T00:30:00.000001500Z", ""}},
		"open":       {SalesRange{}, []string{"", ""}},
	} {
		t.Run(name, func(t *testing.T) {
			got := tc.r.args()
			require.Equal(t, tc.want, got)
			for i, end := range []time.Time{tc.r.From, tc.r.To} {
				if end.IsZero() {
					continue
				}
				parsed, err := ledger.ParseStamp("from", got[i])
				require.NoError(t, err, "the contract takes it")
				require.True(t, parsed.Equal(end), "the same instant, to the nanosecond")
				require.Equal(t, ledger.Stamp(end), got[i], "the form the contract stores")
			}
		})
	}
}

func TestScopesNameTheirParties(t *testing.T) {
	require.Equal(t, Scope{Kind: "supplier", Party: []string{supplierAccount}}, SupplierScope(supplierAccount))
	require.Equal(t, Scope{Kind: "store", Party: []string{sellerAccount, "main"}}, StoreScope(sampleStoreRef))
	require.Equal(t, Scope{Kind: "product", Party: []string{supplierAccount, "tea-1"}}, ProductScope(sampleProductRef))
}

func TestSalesReadsNameTheirTransactions(t *testing.T) {
	sale := Sale{
		Buyer: buyerAccount, Order: "o1", Supplier: supplierAccount, Product: "tea-1", ProductVersion: 2,
		AttributesHash: strings.Repeat("e", 64), StoreOwner: sellerAccount, Store: "main", Listing: "l1",
		Quantity: 1, UnitPrice: money.NewAmount(100), Total: money.NewAmount(100),
		SupplierAmount: money.NewAmount(60), PlatformFee: money.NewAmount(5), SellerAmount: money.NewAmount(35),
		PlacedAt: "2025-05-01T12:00:00.000000000Z", SettledAt: "2025-05-03T12:00:00.000000000Z", TxID: "tx7",
	}
	page := SalePage{Records: []Sale{sale}, Bookmark: "next"}
	r := SalesRange{From: time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)}
	from := "2025-05-01T00:00:00.000000000Z"
	p := PageRequest{Size: 10}
	// 1 May, 08:00 in Seoul, is still 30 April in UTC.
	day := time.Date(2025, 5, 1, 8, 0, 0, 0, time.FixedZone("KST", 9*3600))
	totals := Totals{Orders: 1, Quantity: 1, Gross: money.NewAmount(100), SupplierAmount: money.NewAmount(60)}
	runReads(t, map[string]wireCase{
		"Sale": {
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Sale(ctx, OrderRef{Buyer: buyerAccount, ID: "o1"})
			},
			fn: "sales:Get", args: []string{buyerAccount, "o1"}, out: sale,
		},
		"SalesBySupplier": {
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.SalesBySupplier(ctx, supplierAccount, r, p)
			},
			fn: "sales:BySupplier", args: []string{supplierAccount, from, "", "10", ""}, out: page,
		},
		"SalesByStore": {
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.SalesByStore(ctx, sampleStoreRef, r, p)
			},
			fn: "sales:ByStore", args: []string{sellerAccount, "main", from, "", "10", ""}, out: page,
		},
		"SalesByProduct": {
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.SalesByProduct(ctx, sampleProductRef, r, p)
			},
			fn: "sales:ByProduct", args: []string{supplierAccount, "tea-1", from, "", "10", ""}, out: page,
		},
		"SalesByReferrer": {
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.SalesByReferrer(ctx, buyerAccount, r, p)
			},
			fn: "sales:ByReferrer", args: []string{buyerAccount, from, "", "10", ""}, out: page,
		},
		"SalesByTime": {
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.SalesByTime(ctx, SalesRange{}, PageRequest{Bookmark: "b"})
			},
			fn: "sales:ByTime", args: []string{"", "", "100", "b"}, out: page,
		},
		"DailyTotals": {
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.DailyTotals(ctx, day, StoreScope(sampleStoreRef))
			},
			fn: "sales:DailyTotals", args: []string{"2025-04-30", `{"kind":"store","party":["` + sellerAccount + `","main"]}`},
			out: totals,
		},
		"Reconcile": {
			call: func(ctx context.Context, c *Client) (any, error) { return c.Reconcile(ctx, day) },
			fn:   "sales:Reconcile", args: []string{"2025-04-30"},
			out: ReconcileReport{Day: "2025-04-30", Records: 3, Scopes: 4, Mismatches: []Mismatch{
				{Scope: SupplierScope(supplierAccount), FromRecords: totals, FromTotals: Totals{}},
			}, MismatchCount: 1, Issues: []string{"x"}},
		},
	})
}
