package review_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/likrcommerce/likr/contracts/config"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/ledger/ledgertest"
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/contracts/order"
	"github.com/likrcommerce/likr/contracts/product"
	"github.com/likrcommerce/likr/contracts/review"
	"github.com/likrcommerce/likr/contracts/store"
	"github.com/likrcommerce/likr/contracts/wallet"
)

var epoch = time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)

func acct(i int) string { return ledgertest.Account(0x7e710000, i) }

var (
	supplier = acct(1)
	seller   = acct(2)
	buyer    = acct(3)
	friend   = acct(4)
	other    = acct(5) // a second buyer
	third    = acct(6) // owns an ordinary referrer shop
)

var (
	amt      = ledgertest.Amount
	wantCode = ledgertest.WantCode
)

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

// env is the shared harness, with the transaction's Keeper in every body,
// on a ledger with the catalogue above and funded accounts.
type env struct {
	*ledgertest.Env[ledgertest.KeeperBody, ledgertest.KeeperView]
	cfg *config.Config
}

func newEnv(t testing.TB) *env {
	e := &env{ledgertest.New[ledgertest.KeeperBody, ledgertest.KeeperView](t, epoch), testConfig()}
	for _, p := range []product.Ref{tea, cup} {
		e.Must(func(st ledger.State, _ *wallet.Keeper, ev ledger.Emitter) error {
			_, err := product.Register(st, ev, supplier, product.RegisterRequest{
				ID: p.ID, Attributes: json.RawMessage(`{"name":"` + p.ID + `"}`),
				Terms: product.Terms{WholesalePrice: amt(600), MinRetailPrice: amt(900), Status: product.Active},
				Stock: 100,
			}, e.cfg.StockShards)
			return err
		})
	}
	for _, s := range []store.Ref{jeju, picks} {
		e.Must(func(st ledger.State, _ *wallet.Keeper, ev ledger.Emitter) error {
			_, err := store.Open(st, ev, s.Owner, store.OpenRequest{ID: s.ID, Name: "Store " + s.ID})
			return err
		})
	}
	for _, l := range []struct {
		ref store.ListingRef
		p   product.Ref
	}{{teaOne, tea}, {teaTwo, tea}, {cupOne, cup}} {
		e.Must(func(st ledger.State, _ *wallet.Keeper, ev ledger.Emitter) error {
			_, err := store.AddListing(st, ev, seller, store.ListingRequest{
				Store: l.ref.Store, ID: l.ref.ID, Product: l.p, Price: amt(price), ReferralBps: referral,
			}, e.cfg.PlatformFeeBps)
			return err
		})
	}
	for _, a := range []string{buyer, friend, other, supplier} {
		e.Must(func(_ ledger.State, k *wallet.Keeper, _ ledger.Emitter) error {
			return k.Mint(a, amt(initialFund), e.cfg.SupplyCap)
		})
	}
	return e
}

// balance reads holder's balance as a plain number.
func (e *env) balance(holder string) uint64 { return e.Balance(holder).Uint64() }

// place orders one unit of l as who, paying with all of who's coins.
func (e *env) place(who, id string, l store.ListingRef, referrer *store.Ref) *order.Order {
	e.T.Helper()
	inputs := e.CoinIDs(who)
	var o *order.Order
	e.Must(func(st ledger.State, k *wallet.Keeper, ev ledger.Emitter) (err error) {
		o, err = order.Place(st, k, ev, e.cfg, who, order.PlaceRequest{
			ID: id, Listing: l, Quantity: 1, Shard: e.N() % int(e.cfg.StockShards), Inputs: inputs, Referrer: referrer,
		})
		return err
	})
	return o
}

func (e *env) ship(who, id string) {
	e.T.Helper()
	e.Must(func(st ledger.State, _ *wallet.Keeper, ev ledger.Emitter) error {
		_, err := order.Ship(st, ev, e.cfg, seller, order.Ref{Buyer: who, ID: id}, order.ShipRequest{Carrier: "CJ", Tracking: "1"})
		return err
	})
}

func (e *env) confirm(who, id string) *order.Order {
	e.T.Helper()
	var o *order.Order
	e.Must(func(st ledger.State, k *wallet.Keeper, ev ledger.Emitter) (err error) {
		o, err = order.ConfirmDelivery(st, k, ev, e.cfg, who, order.Ref{Buyer: who, ID: id})
		return err
	})
	return o
}

// completed places, ships and confirms an order of one unit of l.
func (e *env) completed(who, id string, l store.ListingRef, referrer *store.Ref) *order.Order {
	e.T.Helper()
	e.place(who, id, l, referrer)
	e.ship(who, id)
	return e.confirm(who, id)
}

// getOrder loads an order as the contract layer does before Post.
func (e *env) getOrder(who, id string) *order.Order {
	e.T.Helper()
	var o *order.Order
	e.MustRead(func(st ledger.State, _ *wallet.Keeper) (err error) {
		o, err = order.Get(st, order.Ref{Buyer: who, ID: id})
		return err
	})
	return o
}

// post reviews order id of who (loading it first) and commits.
func (e *env) post(who, id string, rating int, text string) (*review.Outcome, ledger.Events, error) {
	e.T.Helper()
	o := e.getOrder(who, id)
	var out *review.Outcome
	ev, err := e.Submit(func(st ledger.State, _ *wallet.Keeper, ev ledger.Emitter) (err error) {
		out, err = review.Post(st, ev, who, review.PostRequest{Order: id, Rating: rating, Text: text}, o)
		return err
	})
	return out, ev, err
}

func (e *env) mustPost(who, id string, rating int) (*review.Outcome, ledger.Events) {
	e.T.Helper()
	out, ev, err := e.post(who, id, rating, "")
	if err != nil {
		e.T.Fatalf("post %s of %s: %v", id, who, err)
	}
	return out, ev
}
