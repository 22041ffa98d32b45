package client

import (
	"context"
	"slices"
	"time"

	"github.com/likrcommerce/likr/contracts/money"
)

// The result types below mirror the JSON of package contracts/sales
// (wire_test.go holds them to it); see wallet.go for why they are not
// imported.

// Sale is the record of a settled order: its parties, what was sold under
// which terms, and how the escrow was split.
type Sale struct {
	Buyer          string       `json:"buyer"`
	Order          string       `json:"order"` // the order's ID, scoped to the buyer
	Supplier       string       `json:"supplier"`
	Product        string       `json:"product"`
	ProductVersion uint64       `json:"productVersion"`
	AttributesHash string       `json:"attributesHash"`
	StoreOwner     string       `json:"storeOwner"` // the seller
	Store          string       `json:"store"`
	Listing        string       `json:"listing"`
	Referrer       string       `json:"referrer,omitempty"`      // the referrer shop's owner
	ReferrerStore  string       `json:"referrerStore,omitempty"` // that shop's ID
	Quantity       uint64       `json:"quantity"`
	UnitPrice      money.Amount `json:"unitPrice"`
	Total          money.Amount `json:"total"`
	Refund         money.Amount `json:"refund"`
	SupplierAmount money.Amount `json:"supplierAmount"`
	Commission     money.Amount `json:"commission"`
	PlatformFee    money.Amount `json:"platformFee"`
	ModeratorFee   money.Amount `json:"moderatorFee"`
	SellerAmount   money.Amount `json:"sellerAmount"`
	PlacedAt       string       `json:"placedAt"`
	SettledAt      string       `json:"settledAt"` // the settling transaction's timestamp
	TxID           string       `json:"txId"`      // the settling transaction
}

// SalePage is one page of sales, in settlement order.
type SalePage struct {
	Records  []Sale `json:"records"`
	Bookmark string `json:"bookmark"` // empty on the last page
}

// Totals add up sales.
type Totals struct {
	Orders         uint64       `json:"orders"`
	Quantity       uint64       `json:"quantity"`
	Gross          money.Amount `json:"gross"` // the sum of the sales' totals
	Refund         money.Amount `json:"refund"`
	SupplierAmount money.Amount `json:"supplierAmount"`
	Commission     money.Amount `json:"commission"`
	PlatformFee    money.Amount `json:"platformFee"`
	ModeratorFee   money.Amount `json:"moderatorFee"`
	SellerAmount   money.Amount `json:"sellerAmount"`
}

// Scope is what daily totals are kept for: one supplier, store or product.
// SupplierScope, StoreScope and ProductScope make one.
type Scope struct {
	Kind  string   `json:"kind"`  // "supplier", "store" or "product"
	Party []string `json:"party"` // [supplier], [owner, store] or [supplier, product]
}

// SupplierScope is the scope of a supplier's sales.
func SupplierScope(supplier string) Scope {
	return Scope{Kind: "supplier", Party: []string{supplier}}
}

// StoreScope is the scope of a store's sales.
func StoreScope(store StoreRef) Scope {
	return Scope{Kind: "store", Party: []string{store.Owner, store.ID}}
}

// ProductScope is the scope of a product's sales.
func ProductScope(product ProductRef) Scope {
	return Scope{Kind: "product", Party: []string{product.Supplier, product.ID}}
}

// ReconcileReport is the check of a day's sales records against its daily
// totals.
type ReconcileReport struct {
	Day     string `json:"day"`
	Records uint64 `json:"records"` // sales settled on the day
	Scopes  uint64 `json:"scopes"`  // scopes with a sale or a total on the day
	OK      bool   `json:"ok"`      // no mismatch and no issue
	// Mismatches lists the first scopes whose totals differ from their
	// sales; MismatchCount counts them all.
	Mismatches    []Mismatch `json:"mismatches"`
	MismatchCount uint64     `json:"mismatchCount"`
	Issues        []string   `json:"issues,omitempty"` // the first problems that are not a scope's sums
}

// Mismatch is a scope whose totals computed from its sales differ from its
// daily totals.
type Mismatch struct {
	Scope       Scope  `json:"scope"`
	FromRecords Totals `json:"fromRecords"`
	FromTotals  Totals `json:"fromTotals"`
}

// SalesRange bounds the settlement time of the sales a query returns:
// From included, To excluded. A zero time leaves that end open.
type SalesRange struct {
	From, To time.Time
}

// args formats the range as the contracts take it: RFC 3339 in UTC with
// nanoseconds, "" for an open end.
func (r SalesRange) args() []string {
	return []string{stamp(r.From), stamp(r.To)}
}

// timeLayout is how the contracts write instants: RFC 3339 in UTC with
// nanoseconds, fixed width, so that the strings sort like the times.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

// dayLayout names a UTC day, the unit of daily totals.
const dayLayout = "2006-01-02"

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeLayout)
}

// Sale returns the sales record of a settled order (sales:Get); NOT_FOUND
// until the order settles. Caller: a party of the sale, an auditor or an
// admin.
func (c *Client) Sale(ctx context.Context, order OrderRef) (Sale, error) {
	return evaluateJSON[Sale](ctx, c, "sales:Get", order.Buyer, order.ID)
}

// SalesBySupplier returns one page of a supplier's sales in r
// (sales:BySupplier). Caller: the supplier, an auditor or an admin.
func (c *Client) SalesBySupplier(ctx context.Context, supplier string, r SalesRange, page PageRequest) (SalePage, error) {
	return c.sales(ctx, "sales:BySupplier", []string{supplier}, r, page)
}

// SalesByStore returns one page of a store's sales in r (sales:ByStore).
// Caller: the store's owner, an auditor or an admin.
func (c *Client) SalesByStore(ctx context.Context, store StoreRef, r SalesRange, page PageRequest) (SalePage, error) {
	return c.sales(ctx, "sales:ByStore", []string{store.Owner, store.ID}, r, page)
}

// SalesByProduct returns one page of a product's sales in r
// (sales:ByProduct). Caller: its supplier, an auditor or an admin.
func (c *Client) SalesByProduct(ctx context.Context, product ProductRef, r SalesRange, page PageRequest) (SalePage, error) {
	return c.sales(ctx, "sales:ByProduct", []string{product.Supplier, product.ID}, r, page)
}

// SalesByReferrer returns one page of the sales in r that a referrer
// earned commission on (sales:ByReferrer). Caller: the referrer, an
// auditor or an admin.
func (c *Client) SalesByReferrer(ctx context.Context, referrer string, r SalesRange, page PageRequest) (SalePage, error) {
	return c.sales(ctx, "sales:ByReferrer", []string{referrer}, r, page)
}

// SalesByTime returns one page of every sale in r (sales:ByTime). Caller:
// auditor or admin.
func (c *Client) SalesByTime(ctx context.Context, r SalesRange, page PageRequest) (SalePage, error) {
	return c.sales(ctx, "sales:ByTime", nil, r, page)
}

// sales runs a sales query: its party arguments, the range, the page.
func (c *Client) sales(ctx context.Context, fn string, party []string, r SalesRange, page PageRequest) (SalePage, error) {
	return evaluateJSON[SalePage](ctx, c, fn, slices.Concat(party, r.args(), page.args())...)
}

// DailyTotals returns the totals of a scope's sales on the UTC date of day
// (sales:DailyTotals); sales are totalled per UTC day, so
// time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC) names 1 May. Caller: the
// supplier or store owner the scope names, an auditor or an admin.
func (c *Client) DailyTotals(ctx context.Context, day time.Time, scope Scope) (Totals, error) {
	const fn = "sales:DailyTotals"
	arg, err := jsonArg(fn, scope)
	if err != nil {
		return Totals{}, err
	}
	return evaluateJSON[Totals](ctx, c, fn, day.UTC().Format(dayLayout), arg)
}

// Reconcile checks the sales records of the UTC date of day against its
// daily totals (sales:Reconcile). Caller: auditor or admin.
func (c *Client) Reconcile(ctx context.Context, day time.Time) (ReconcileReport, error) {
	return evaluateJSON[ReconcileReport](ctx, c, "sales:Reconcile", day.UTC().Format(dayLayout))
}
