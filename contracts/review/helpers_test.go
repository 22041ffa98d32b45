package review_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/likrcommerce/likr/contracts/config"
	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/ledger/memledger"
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/contracts/order"
	"github.com/likrcommerce/likr/contracts/product"
	"github.com/likrcommerce/likr/contracts/review"
	"github.com/likrcommerce/likr/contracts/store"
	"github.com/likrcommerce/likr/contracts/wallet"
)

var epoch = time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)

func acct(i int) string { return fmt.Sprintf("%040x", 0x7e710000+i) }

var (
	supplier = acct(1)
	seller   = acct(2)
	buyer    = acct(3)
	friend   = acct(4)
	other    = acct(5) // a second buyer
	third    = acct(6) // owns an ordinary referrer shop
)

func amt(n uint64) money.Amount { return money.NewAmount(n) }

// The catalogue: product "tea" (wholesale 600) listed twice by seller's
// store "jeju" at 1000 with a 10% referral rate, product "cup" listed
// once; third's seller store "picks" can refer buyers.
var (
	tea      = product.Ref{Supplier: supplier, ID: "tea"}
	cup      = product.Ref{Supplier: supplier, ID: "cup"}
	jeju     = store.Ref{Owner: seller, ID: "jeju"}
	picks    = store.Ref{Owner: third, ID: "picks"}
	teaOne   = store.ListingRef{Owner: seller, Store: "jeju", ID: "tea-1"}
	teaTwo   = store.ListingRef{Owner: seller, Store: "jeju", ID: "tea-2"}
	cupOne   = store.ListingRef{Owner: seller, Store: "jeju", ID: "cup-1"}
	price    = uint64(1000)
	referral = money.Rate(1000)
)

const initialFund = 1_000_000

func testConfig() *config.Config {
	return &config.Config{
		OperatorMSP: "Org1MSP", Trusted: config.Trusted{Admin: []string{"Org1MSP"}},
		PlatformFeeBps: 500, SupplyCap: money.MaxAmount(),
		AutoReleaseSeconds: 3600, DisputeTimeoutSeconds: 3600, StockShards: 4,
	}
}

type env struct {
	t   testing.TB
	l   *memledger.Ledger
	cfg *config.Config
	n   int
}

func newEnv(t testing.TB) *env {
	e := &env{t: t, l: memledger.New(), cfg: testConfig()}
	e.l.SetTime(epoch)
	for _, p := range []product.Ref{tea, cup} {
		e.must(func(st ledger.State, _ *wallet.Keeper, ev ledger.Emitter) error {
			_, err := product.Register(st, ev, supplier, product.RegisterRequest{
				ID: p.ID, Attributes: json.RawMessage(`{"name":"` + p.ID + `"}`),
				Terms: product.Terms{WholesalePrice: amt(600), MinRetailPrice: amt(900), Status: product.Active},
				Stock: 100,
			}, e.cfg.StockShards)
			return err
		})
	}
	for _, s := range []store.Ref{jeju, picks} {
		e.must(func(st ledger.State, _ *wallet.Keeper, ev ledger.Emitter) error {
			_, err := store.Open(st, ev, s.Owner, store.OpenRequest{ID: s.ID, Name: "Store " + s.ID})
			return err
		})
	}
	for _, l := range []struct {
		ref store.ListingRef
		p   product.Ref
	}{{teaOne, tea}, {teaTwo, tea}, {cupOne, cup}} {
		e.must(func(st ledger.State, _ *wallet.Keeper, ev ledger.Emitter) error {
			_, err := store.AddListing(st, ev, seller, store.ListingRequest{
				Store: l.ref.Store, ID: l.ref.ID, Product: l.p, Price: amt(price), ReferralBps: referral,
			}, e.cfg.PlatformFeeBps)
			return err
		})
	}
	for _, a := range []string{buyer, friend, other, supplier} {
		e.must(func(_ ledger.State, k *wallet.Keeper, _ ledger.Emitter) error {
			return k.Mint(a, amt(initialFund), e.cfg.SupplyCap)
		})
	}
	return e
}

func (e *env) begin() *memledger.Tx {
	e.n++
	return e.l.Begin(memledger.TxOptions{TxID: fmt.Sprintf("tx%06d", e.n)})
}

// submit runs fn in a fresh transaction and commits it when fn succeeds.
func (e *env) submit(fn func(st ledger.State, k *wallet.Keeper, ev ledger.Emitter) error) (ledger.Events, error) {
	e.t.Helper()
	tx := e.begin()
	var ev ledger.Events
	k := wallet.NewKeeper(tx).ReportTo(&ev)
	if err := fn(tx, k, &ev); err != nil {
		tx.Discard()
		return ev, err
	}
	if err := tx.Commit(); err != nil {
		e.t.Fatalf("commit: %v", err)
	}
	return ev, nil
}

func (e *env) must(fn func(st ledger.State, k *wallet.Keeper, ev ledger.Emitter) error) ledger.Events {
	e.t.Helper()
	ev, err := e.submit(fn)
	if err != nil {
		e.t.Fatalf("unexpected error: %v", err)
	}
	return ev
}

// read runs fn in a transaction that is never committed, like an evaluate.
func (e *env) read(fn func(st ledger.State, k *wallet.Keeper) error) error {
	e.t.Helper()
	tx := e.begin()
	defer tx.Discard()
	return fn(tx, wallet.NewKeeper(tx))
}

func (e *env) snapshot() string { return fmt.Sprintf("%q", e.l.Snapshot()) }

// keyOf returns the composite key of objectType and attrs.
func (e *env) keyOf(objectType string, attrs ...string) string {
	e.t.Helper()
	tx := e.l.Begin(memledger.TxOptions{TxID: "keys"})
	defer tx.Discard()
	k, err := tx.CreateCompositeKey(objectType, attrs)
	if err != nil {
		e.t.Fatal(err)
	}
	return k
}

func (e *env) balance(holder string) uint64 {
	e.t.Helper()
	var b money.Amount
	if err := e.read(func(_ ledger.State, k *wallet.Keeper) (err error) {
		b, err = k.Balance(holder)
		return err
	}); err != nil {
		e.t.Fatal(err)
	}
	return b.Uint64()
}

func (e *env) coins(holder string) []string {
	e.t.Helper()
	var ids []string
	if err := e.read(func(_ ledger.State, k *wallet.Keeper) error {
		page, err := k.Coins(holder, ledger.MaxPageSize, "")
		for _, c := range page.Coins {
			ids = append(ids, c.ID)
		}
		return err
	}); err != nil {
		e.t.Fatal(err)
	}
	return ids
}

// place orders one unit of l as who, paying with all of who's coins.
func (e *env) place(who, id string, l store.ListingRef, referrer *store.Ref) *order.Order {
	e.t.Helper()
	inputs := e.coins(who)
	var o *order.Order
	e.must(func(st ledger.State, k *wallet.Keeper, ev ledger.Emitter) (err error) {
		o, err = order.Place(st, k, ev, e.cfg, who, order.PlaceRequest{
			ID: id, Listing: l, Quantity: 1, Shard: e.n % int(e.cfg.StockShards), Inputs: inputs, Referrer: referrer,
		})
		return err
	})
	return o
}

func (e *env) ship(who, id string) {
	e.t.Helper()
	e.must(func(st ledger.State, _ *wallet.Keeper, ev ledger.Emitter) error {
		_, err := order.Ship(st, ev, e.cfg, seller, order.Ref{Buyer: who, ID: id}, order.ShipRequest{Carrier: "CJ", Tracking: "1"})
		return err
	})
}

func (e *env) confirm(who, id string) *order.Order {
	e.t.Helper()
	var o *order.Order
	e.must(func(st ledger.State, k *wallet.Keeper, ev ledger.Emitter) (err error) {
		o, err = order.ConfirmDelivery(st, k, ev, e.cfg, who, order.Ref{Buyer: who, ID: id})
		return err
	})
	return o
}

// completed places, ships and confirms an order of one unit of l.
func (e *env) completed(who, id string, l store.ListingRef, referrer *store.Ref) *order.Order {
	e.t.Helper()
	e.place(who, id, l, referrer)
	e.ship(who, id)
	return e.confirm(who, id)
}

// getOrder loads an order as the contract layer does before Post.
func (e *env) getOrder(who, id string) *order.Order {
	e.t.Helper()
	var o *order.Order
	if err := e.read(func(st ledger.State, _ *wallet.Keeper) (err error) {
		o, err = order.Get(st, order.Ref{Buyer: who, ID: id})
		return err
	}); err != nil {
		e.t.Fatal(err)
	}
	return o
}

// post reviews order id of who (loading it first) and commits.
func (e *env) post(who, id string, rating int, text string) (*review.Outcome, ledger.Events, error) {
	e.t.Helper()
	o := e.getOrder(who, id)
	var out *review.Outcome
	ev, err := e.submit(func(st ledger.State, _ *wallet.Keeper, ev ledger.Emitter) (err error) {
		out, err = review.Post(st, ev, who, review.PostRequest{Order: id, Rating: rating, Text: text}, o)
		return err
	})
	return out, ev, err
}

func (e *env) mustPost(who, id string, rating int) (*review.Outcome, ledger.Events) {
	e.t.Helper()
	out, ev, err := e.post(who, id, rating, "")
	if err != nil {
		e.t.Fatalf("post %s of %s: %v", id, who, err)
	}
	return out, ev
}

// wantRefused checks that fn fails with code, and that the transaction,
// committed anyway, wrote nothing and emitted nothing.
func (e *env) wantRefused(code errs.Code, fn func(st ledger.State, ev ledger.Emitter) error) error {
	e.t.Helper()
	before := e.snapshot()
	tx := e.begin()
	var ev ledger.Events
	err := fn(tx, &ev)
	wantCode(e.t, err, code)
	if w := tx.Writes(); len(w) != 0 {
		e.t.Fatalf("refused call wrote %d keys: %+v", len(w), w)
	}
	if len(ev) != 0 {
		e.t.Fatalf("refused call emitted events: %+v", ev)
	}
	if err := tx.Commit(); err != nil {
		e.t.Fatalf("commit after refused call: %v", err)
	}
	if after := e.snapshot(); after != before {
		e.t.Fatalf("refused call changed the ledger")
	}
	return err
}

func wantCode(t testing.TB, err error, code errs.Code) {
	t.Helper()
	if err == nil || !errors.Is(err, &errs.Error{Code: code}) {
		t.Fatalf("got %v, want %s", err, code)
	}
}
