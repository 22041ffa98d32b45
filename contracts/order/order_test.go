package order_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/ledger/memledger"
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/contracts/order"
	"github.com/likrcommerce/likr/contracts/product"
	"github.com/likrcommerce/likr/contracts/sales"
	"github.com/likrcommerce/likr/contracts/store"
	"github.com/likrcommerce/likr/contracts/wallet"
)

func TestPlacePricesOnChainAndEscrows(t *testing.T) {
	e := newEnv(t)
	o, err := e.place(buyer, "o1", 3, 2, nil)
	wantCode(t, err, "")
	if o.Total != amt(3000) || o.UnitPrice != amt(1000) || o.Status != order.Placed || o.WholesalePrice != amt(600) {
		t.Fatalf("order = %+v", o)
	}
	if o.ProductVersion != 1 || o.AttributesHash == "" || o.PlatformFeeBps != 500 || o.ReferralBps != 0 {
		t.Fatalf("order did not record the terms it was placed under: %+v", o)
	}
	if got := e.balance(buyer); got != initialFund-3000 {
		t.Fatalf("buyer balance %d", got)
	}
	if got := e.balance(o.Escrow); got != 3000 || o.Escrow != "~escrow:"+buyer+":o1" {
		t.Fatalf("escrow %s holds %d", o.Escrow, got)
	}
	if got := e.stock(); got != startStock-3 {
		t.Fatalf("stock %d", got)
	}
	if len(o.Takes) != 1 || o.Takes[0] != (product.Take{Shard: 2, Units: 3}) {
		t.Fatalf("takes %+v: the hinted shard holds 5 units and should serve alone", o.Takes)
	}
	e.audit()
}

func TestPlaceRefusals(t *testing.T) {
	e := newEnv(t)
	if _, err := e.place(buyer, "dup", 1, 0, nil); err != nil {
		t.Fatal(err)
	}
	otherListing := listingRef
	otherListing.ID = "nope"
	for _, tc := range []struct {
		name string
		who  string
		req  func(r *order.PlaceRequest)
		code errs.Code
	}{
		{"repeated ID", buyer, func(r *order.PlaceRequest) { r.ID = "dup" }, errs.AlreadyExists},
		{"empty ID", buyer, func(r *order.PlaceRequest) { r.ID = "" }, errs.InvalidArgument},
		{"NUL in ID", buyer, func(r *order.PlaceRequest) { r.ID = "a\x00b" }, errs.InvalidArgument},
		{"zero quantity", buyer, func(r *order.PlaceRequest) { r.Quantity = 0 }, errs.InvalidArgument},
		{"huge quantity", buyer, func(r *order.PlaceRequest) { r.Quantity = 1 << 62 }, errs.InvalidArgument},
		{"shard out of range", buyer, func(r *order.PlaceRequest) { r.Shard = 4 }, errs.InvalidArgument},
		{"negative shard", buyer, func(r *order.PlaceRequest) { r.Shard = -1 }, errs.InvalidArgument},
		{"unknown listing", buyer, func(r *order.PlaceRequest) { r.Listing = otherListing }, errs.NotFound},
		{"more than the stock", buyer, func(r *order.PlaceRequest) { r.Quantity = startStock }, errs.InsufficientStock},
		{"more than the money", buyer, func(r *order.PlaceRequest) { r.Quantity = 19; r.Inputs = r.Inputs[:0:0] }, errs.InvalidArgument},
		{"seller buys from itself", seller, func(r *order.PlaceRequest) {}, errs.InvalidArgument},
		{"self referral", friend, func(r *order.PlaceRequest) { r.Referrer = &referrerRef }, errs.InvalidArgument},
		{"referrer is the seller", buyer, func(r *order.PlaceRequest) { r.Referrer = &store.Ref{Owner: seller, ID: listingRef.Store} }, errs.InvalidArgument},
		{"unknown referrer store", buyer, func(r *order.PlaceRequest) { r.Referrer = &store.Ref{Owner: stranger, ID: "none"} }, errs.NotFound},
		{"someone else's coins", stranger, func(r *order.PlaceRequest) { r.Inputs = e.CoinIDs(buyer) }, errs.NotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := e.L.Snapshot()
			req := order.PlaceRequest{ID: "fresh", Listing: listingRef, Quantity: 1, Shard: 1, Inputs: e.CoinIDs(tc.who)}
			tc.req(&req)
			_, err := e.Submit(func(st ledger.State, k *wallet.Keeper, ev ledger.Emitter) error {
				_, err := order.Place(st, k, ev, e.cfg, tc.who, req)
				return err
			})
			wantCode(t, err, tc.code)
			if after := e.L.Snapshot(); len(after) != len(before) {
				t.Fatalf("a refused order wrote %d rows", len(after)-len(before))
			}
		})
	}
}

func TestPlaceWithInsufficientFunds(t *testing.T) {
	e := newEnv(t)
	// The buyer's one coin holds initialFund; an order of more is refused.
	e.cfg.StockShards = 1
	e.Must(func(st ledger.State, _ *wallet.Keeper, ev ledger.Emitter) error {
		_, err := product.Restock(st, ev, supplier, productRef.ID, 2000)
		return err
	})
	_, err := e.place(buyer, "big", initialFund/1000+1, 0, nil)
	wantCode(t, err, errs.InsufficientFunds)
}

func TestPlaceRefusesWhenTermsChanged(t *testing.T) {
	e := newEnv(t)
	e.Must(func(st ledger.State, _ *wallet.Keeper, ev ledger.Emitter) error {
		_, err := product.UpdateTerms(st, ev, supplier, productRef.ID, product.UpdateRequest{
			Terms: product.Terms{WholesalePrice: amt(950), MinRetailPrice: amt(1000), Status: product.Active},
		})
		return err
	})
	// Wholesale 950 + 5% fee of 1000 = 1000: exactly covered without a
	// referrer, not with one.
	_, err := e.place(buyer, "ok", 1, 0, nil)
	wantCode(t, err, "")
	_, err = e.place(buyer, "ref", 1, 0, &referrerRef)
	wantCode(t, err, errs.InvalidState)
	e.Must(func(st ledger.State, _ *wallet.Keeper, ev ledger.Emitter) error {
		_, err := product.UpdateTerms(st, ev, supplier, productRef.ID, product.UpdateRequest{
			Terms: product.Terms{WholesalePrice: amt(950), MinRetailPrice: amt(1000), Status: product.Hidden},
		})
		return err
	})
	_, err = e.place(buyer, "hidden", 1, 0, nil)
	wantCode(t, err, errs.InvalidState)
}

// state drives a fresh order into status s and returns the env.
func orderIn(t *testing.T, s order.Status) *env {
	e := newEnv(t)
	if _, err := e.place(buyer, "o1", 2, 0, &referrerRef); err != nil {
		t.Fatal(err)
	}
	switch s {
	case order.Shipped:
		wantCode(t, e.ship(seller, "o1", buyer), "")
	case order.Completed:
		wantCode(t, e.ship(supplier, "o1", buyer), "")
		wantCode(t, e.step(order.ConfirmDelivery, buyer, "o1", buyer), "")
	case order.Cancelled:
		wantCode(t, e.step(order.Cancel, buyer, "o1", buyer), "")
	case order.Rejected:
		wantCode(t, e.reject(seller, "o1", buyer), "")
	}
	if got := e.get("o1", buyer).Status; got != s {
		t.Fatalf("setup reached %s, want %s", got, s)
	}
	return e
}

// TestTransitions runs every action, by its rightful caller and by
// others, from every status.
func TestTransitions(t *testing.T) {
	type action struct {
		name    string
		allowed []string // callers that may
		from    order.Status
		to      order.Status
		run     func(e *env, who string) error
	}
	actions := []action{
		{"ship", []string{seller, supplier}, order.Placed, order.Shipped, func(e *env, who string) error { return e.ship(who, "o1", buyer) }},
		{"confirm", []string{buyer}, order.Shipped, order.Completed, func(e *env, who string) error { return e.step(order.ConfirmDelivery, who, "o1", buyer) }},
		{"cancel", []string{buyer}, order.Placed, order.Cancelled, func(e *env, who string) error { return e.step(order.Cancel, who, "o1", buyer) }},
		{"reject", []string{seller}, order.Placed, order.Rejected, func(e *env, who string) error { return e.reject(who, "o1", buyer) }},
	}
	statuses := []order.Status{order.Placed, order.Shipped, order.Completed, order.Cancelled, order.Rejected}
	callers := map[string]string{"buyer": buyer, "seller": seller, "supplier": supplier, "referrer": friend, "stranger": stranger}
	for _, a := range actions {
		for _, s := range statuses {
			for name, who := range callers {
				t.Run(a.name+"/"+string(s)+"/"+name, func(t *testing.T) {
					e := orderIn(t, s)
					before := e.L.Snapshot()
					err := a.run(e, who)
					rightful := false
					for _, c := range a.allowed {
						rightful = rightful || c == who
					}
					switch {
					case !rightful:
						wantCode(t, err, errs.Forbidden)
					case s != a.from:
						wantCode(t, err, errs.InvalidState)
					default:
						wantCode(t, err, "")
						if got := e.get("o1", buyer).Status; got != a.to {
							t.Fatalf("status %s, want %s", got, a.to)
						}
						e.audit()
						return
					}
					if len(e.L.Snapshot()) != len(before) || e.get("o1", buyer).Status != s {
						t.Fatal("a refused transition changed the ledger")
					}
				})
			}
		}
	}
}

func TestReleaseAfterTheAutoReleaseTime(t *testing.T) {
	e := orderIn(t, order.Shipped)
	shippedAt := e.get("o1", buyer).Shipment.ShippedAt
	e.L.Advance(autoRelease - 10*time.Second)
	wantCode(t, e.step(order.Release, stranger, "o1", buyer), errs.InvalidState)
	e.L.Advance(10 * time.Second)
	wantCode(t, e.step(order.Release, stranger, "o1", buyer), "")
	o := e.get("o1", buyer)
	if o.Status != order.Completed || o.Settlement.Trigger != "auto_release" {
		t.Fatalf("order %+v", o)
	}
	if released, _ := time.Parse(time.RFC3339Nano, o.ClosedAt); released.Sub(mustTime(t, shippedAt)) < autoRelease {
		t.Fatalf("released at %s, shipped at %s", o.ClosedAt, shippedAt)
	}
	wantCode(t, e.step(order.Release, stranger, "o1", buyer), errs.InvalidState)
	wantCode(t, e.step(order.ConfirmDelivery, buyer, "o1", buyer), errs.InvalidState)
}

func TestReleaseOfAPlacedOrderIsRefused(t *testing.T) {
	e := orderIn(t, order.Placed)
	e.L.Advance(10 * autoRelease)
	wantCode(t, e.step(order.Release, stranger, "o1", buyer), errs.InvalidState)
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestSettlementSplitsExactly(t *testing.T) {
	e := orderIn(t, order.Shipped)
	ev := e.Must(func(st ledger.State, k *wallet.Keeper, ev ledger.Emitter) error {
		_, err := order.ConfirmDelivery(st, k, ev, e.cfg, buyer, order.Ref{Buyer: buyer, ID: "o1"})
		return err
	})
	// Total 2000: supplier 2 x 600, referrer 10% = 200, platform 5% = 100,
	// seller the rest, 500.
	want := map[string]uint64{supplier: 1200, friend: 200, wallet.PlatformFees: 100, seller: 500}
	for who, n := range want {
		if got := e.balance(who); got != n {
			t.Errorf("%s received %d, want %d", who, got, n)
		}
	}
	if got := e.balance("~escrow:" + buyer + ":o1"); got != 0 {
		t.Errorf("escrow keeps %d", got)
	}
	// The events: the escrow debit, four credits, the sales record, then
	// the order's settlement, in that order.
	var types []string
	for _, x := range ev {
		b, _ := json.Marshal(x)
		var head struct{ Type string }
		_ = json.Unmarshal(b, &head)
		types = append(types, head.Type)
	}
	wantTypes := []string{"wallet.debit", "wallet.credit", "wallet.credit", "wallet.credit", "wallet.credit", sales.EventRecorded, order.EventSettled}
	if len(types) != len(wantTypes) {
		t.Fatalf("events %v, want %v", types, wantTypes)
	}
	for i := range types {
		if types[i] != wantTypes[i] {
			t.Fatalf("events %v, want %v", types, wantTypes)
		}
	}
	var rec *sales.Sale
	e.MustRead(func(st ledger.State, _ *wallet.Keeper) (err error) {
		rec, err = sales.Get(st, buyer, "o1")
		return err
	})
	if rec.Total != amt(2000) || rec.SupplierAmount != amt(1200) || rec.Commission != amt(200) ||
		rec.PlatformFee != amt(100) || rec.SellerAmount != amt(500) || rec.Referrer != friend ||
		rec.ReferrerStore != referrerRef.ID || rec.Quantity != 2 || rec.ProductVersion != 1 {
		t.Fatalf("sales record %+v", rec)
	}
	e.audit()
}

func TestRefundReturnsMoneyAndStock(t *testing.T) {
	for _, final := range []order.Status{order.Cancelled, order.Rejected} {
		t.Run(string(final), func(t *testing.T) {
			e := orderIn(t, final)
			if got := e.balance(buyer); got != initialFund {
				t.Fatalf("buyer holds %d after the refund", got)
			}
			if got := e.stock(); got != startStock {
				t.Fatalf("stock %d after the refund", got)
			}
			o := e.get("o1", buyer)
			if o.Refund == nil || o.Refund.Amount != amt(2000) || o.ClosedAt == "" {
				t.Fatalf("order %+v", o)
			}
			e.audit()
		})
	}
}

func TestSplitAlwaysSumsToTheTotal(t *testing.T) {
	for _, o := range []order.Order{
		{Total: amt(1), Quantity: 1, WholesalePrice: amt(0), ReferralBps: 9999, PlatformFeeBps: 1},
		{Total: amt(999), Quantity: 3, WholesalePrice: amt(1), ReferralBps: 3333, PlatformFeeBps: 3333},
		{Total: money.MaxAmount(), Quantity: 1, WholesalePrice: amt(7), ReferralBps: 1, PlatformFeeBps: 10000 - 2},
	} {
		s, err := order.Split(&o)
		if err != nil {
			t.Fatal(err)
		}
		sum, err := money.Sum(s.SupplierAmount, s.Commission, s.PlatformFee, s.SellerAmount)
		if err != nil || sum != o.Total {
			t.Fatalf("split %+v of %s sums to %s (%v)", s, o.Total, sum, err)
		}
	}
}

func TestListsAreIndexedByPartyAndPaginated(t *testing.T) {
	e := newEnv(t)
	for i := range 3 {
		if _, err := e.place(buyer, "b"+string(rune('0'+i)), 1, i, nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.place(stranger, "s0", 1, 3, nil); err != nil {
		t.Fatal(err)
	}
	count := func(list func(st ledger.State, bookmark string) (*order.Page, error)) int {
		n, bookmark := 0, ""
		for {
			var page *order.Page
			e.MustRead(func(st ledger.State, _ *wallet.Keeper) (err error) {
				page, err = list(st, bookmark)
				return err
			})
			n += len(page.Orders)
			if bookmark = page.Bookmark; bookmark == "" {
				return n
			}
		}
	}
	if n := count(func(st ledger.State, b string) (*order.Page, error) { return order.ListByBuyer(st, buyer, 2, b) }); n != 3 {
		t.Errorf("buyer lists %d orders", n)
	}
	if n := count(func(st ledger.State, b string) (*order.Page, error) {
		return order.ListByStore(st, listingRef.StoreRef(), 1, b)
	}); n != 4 {
		t.Errorf("store lists %d orders", n)
	}
	if n := count(func(st ledger.State, b string) (*order.Page, error) { return order.ListBySupplier(st, supplier, 3, b) }); n != 4 {
		t.Errorf("supplier lists %d orders", n)
	}
}

// TestConcurrentOrdersOnDistinctShardsDoNotConflict begins one order per
// shard before any commits, as a client with that many in flight does:
// every one commits.
func TestConcurrentOrdersOnDistinctShardsDoNotConflict(t *testing.T) {
	e := newEnv(t)
	buyers := []string{acct(20), acct(21), acct(22), acct(23)}
	for _, b := range buyers {
		e.Must(func(_ ledger.State, k *wallet.Keeper, _ ledger.Emitter) error {
			return k.Mint(b, amt(5000), e.cfg.SupplyCap)
		})
	}
	type inflight struct {
		commit func() error
	}
	var txs []inflight
	for i, b := range buyers {
		inputs := e.CoinIDs(b)
		tx := e.L.Begin(memledger.TxOptions{TxID: fmt.Sprintf("conc%d", i)})
		var ev ledger.Events
		if _, err := order.Place(tx, wallet.NewKeeper(tx), &ev, e.cfg, b, order.PlaceRequest{
			ID: "x", Listing: listingRef, Quantity: 2, Shard: i, Inputs: inputs,
		}); err != nil {
			t.Fatal(err)
		}
		txs = append(txs, inflight{tx.Commit})
	}
	for i, tx := range txs {
		if err := tx.commit(); err != nil {
			t.Fatalf("order %d: %v", i, err)
		}
	}
	if got := e.stock(); got != startStock-8 {
		t.Fatalf("stock %d", got)
	}
}

// TestConcurrentSettlementsToOneSupplierDoNotConflict confirms several
// orders of one product, one store, one referrer and one supplier in
// transactions that all begin before any commits: the credits to the
// supplier, seller, referrer and platform and the sales rows are blind
// writes, so every one commits.
func TestConcurrentSettlementsToOneSupplierDoNotConflict(t *testing.T) {
	e := newEnv(t)
	ids := []string{"c0", "c1", "c2", "c3"}
	for i, id := range ids {
		if _, err := e.place(buyer, id, 1, i, &referrerRef); err != nil {
			t.Fatal(err)
		}
		wantCode(t, e.ship(seller, id, buyer), "")
	}
	var commits []func() error
	for i, id := range ids {
		tx := e.L.Begin(memledger.TxOptions{TxID: fmt.Sprintf("settle%d", i)})
		var ev ledger.Events
		if _, err := order.ConfirmDelivery(tx, wallet.NewKeeper(tx), &ev, e.cfg, buyer, order.Ref{Buyer: buyer, ID: id}); err != nil {
			t.Fatal(err)
		}
		commits = append(commits, tx.Commit)
	}
	for i, commit := range commits {
		if err := commit(); err != nil {
			t.Fatalf("settlement %d: %v", i, err)
		}
	}
	if got := e.balance(supplier); got != 4*600 {
		t.Fatalf("supplier received %d", got)
	}
	if got := e.balance(friend); got != 4*100 {
		t.Fatalf("referrer received %d", got)
	}
	e.audit()
}

func TestPlaceRefusesATotalAboveTheBuyersMaximum(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		max  uint64
		code errs.Code
	}{{1999, errs.InvalidState}, {2000, ""}} {
		max := amt(tc.max)
		inputs := e.CoinIDs(buyer)
		_, err := e.Submit(func(st ledger.State, k *wallet.Keeper, ev ledger.Emitter) error {
			_, err := order.Place(st, k, ev, e.cfg, buyer, order.PlaceRequest{
				ID: fmt.Sprint("max", tc.max), Listing: listingRef, Quantity: 2, Inputs: inputs, MaxTotal: &max,
			})
			return err
		})
		wantCode(t, err, tc.code)
	}
}
