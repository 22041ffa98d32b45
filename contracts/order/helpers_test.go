package order_test

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
	"github.com/likrcommerce/likr/contracts/store"
	"github.com/likrcommerce/likr/contracts/wallet"
)

// epoch is the time of the first test transaction; each next one is a
// second later unless a test moves the clock.
var epoch = time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)

func acct(i int) string { return ledgertest.Account(0x0dde0000, i) }

var (
	supplier = acct(1)
	seller   = acct(2)
	buyer    = acct(3)
	friend   = acct(4) // owns the referrer shop
	stranger = acct(5)
)

var (
	amt      = ledgertest.Amount
	wantCode = ledgertest.WantCode
)

// The catalogue every test starts from: one product at wholesale 600, a
// listing at 1000 with a 10% referral rate, a 5% platform fee.
var (
	productRef  = product.Ref{Supplier: supplier, ID: "green-tea"}
	listingRef  = store.ListingRef{Owner: seller, Store: "jeju-shop", ID: "tea-1"}
	referrerRef = store.Ref{Owner: friend, ID: "friends-picks"}
)

const (
	autoRelease = 7 * 24 * time.Hour
	initialFund = 1_000_000
	startStock  = 20
)

func testConfig() *config.Config {
	return &config.Config{
		OperatorMSP: "Org1MSP", Trusted: config.Trusted{Admin: []string{"Org1MSP"}},
		PlatformFeeBps: 500, SupplyCap: money.MaxAmount(),
		AutoReleaseSeconds: int64(autoRelease / time.Second), DisputeTimeoutSeconds: 3600, StockShards: 4,
	}
}

// env is the shared harness, with the transaction's Keeper in every body,
// on a ledger with the catalogue above and funded buyers.
type env struct {
	*ledgertest.Env[ledgertest.KeeperBody, ledgertest.KeeperView]
	cfg *config.Config
}

func newEnv(t testing.TB) *env {
	e := &env{ledgertest.New[ledgertest.KeeperBody, ledgertest.KeeperView](t, epoch), testConfig()}
	e.Must(func(st ledger.State, _ *wallet.Keeper, ev ledger.Emitter) error {
		_, err := product.Register(st, ev, supplier, product.RegisterRequest{
			ID: productRef.ID, Attributes: json.RawMessage(`{"name":"제주 녹차","origin":"Jeju"}`),
			Terms: product.Terms{WholesalePrice: amt(600), MinRetailPrice: amt(900), Status: product.Active},
			Stock: startStock,
		}, e.cfg.StockShards)
		return err
	})
	for _, s := range []store.OpenRequest{{ID: listingRef.Store, Name: "Jeju Shop"}} {
		e.Must(func(st ledger.State, _ *wallet.Keeper, ev ledger.Emitter) error {
			_, err := store.Open(st, ev, seller, s)
			return err
		})
	}
	e.Must(func(st ledger.State, _ *wallet.Keeper, ev ledger.Emitter) error {
		_, err := store.Open(st, ev, friend, store.OpenRequest{ID: referrerRef.ID, Name: "Friend's picks"})
		return err
	})
	e.Must(func(st ledger.State, _ *wallet.Keeper, ev ledger.Emitter) error {
		_, err := store.AddListing(st, ev, seller, store.ListingRequest{
			Store: listingRef.Store, ID: listingRef.ID, Product: productRef, Price: amt(1000), ReferralBps: 1000,
		}, e.cfg.PlatformFeeBps)
		return err
	})
	for _, a := range []string{buyer, stranger} {
		e.Must(func(_ ledger.State, k *wallet.Keeper, _ ledger.Emitter) error {
			return k.Mint(a, amt(initialFund), e.cfg.SupplyCap)
		})
	}
	return e
}

// balance reads holder's balance as a plain number.
func (e *env) balance(holder string) uint64 { return e.Balance(holder).Uint64() }

func (e *env) stock() uint64 {
	e.T.Helper()
	var n uint64
	e.MustRead(func(st ledger.State, _ *wallet.Keeper) error {
		p, err := product.Get(st, productRef)
		if err != nil {
			return err
		}
		n, err = product.Available(st, p)
		return err
	})
	return n
}

func (e *env) get(id, of string) *order.Order {
	e.T.Helper()
	var o *order.Order
	e.MustRead(func(st ledger.State, _ *wallet.Keeper) (err error) {
		o, err = order.Get(st, order.Ref{Buyer: of, ID: id})
		return err
	})
	return o
}

// place orders qty units as who, paying with all of who's coins.
func (e *env) place(who, id string, qty uint64, shard int, referrer *store.Ref) (*order.Order, error) {
	e.T.Helper()
	inputs := e.CoinIDs(who)
	var o *order.Order
	_, err := e.Submit(func(st ledger.State, k *wallet.Keeper, ev ledger.Emitter) (err error) {
		o, err = order.Place(st, k, ev, e.cfg, who, order.PlaceRequest{
			ID: id, Listing: listingRef, Quantity: qty, Shard: shard, Inputs: inputs, Referrer: referrer,
		})
		return err
	})
	return o, err
}

func (e *env) ship(who, id, of string) error {
	_, err := e.Submit(func(st ledger.State, _ *wallet.Keeper, ev ledger.Emitter) error {
		_, err := order.Ship(st, ev, e.cfg, who, order.Ref{Buyer: of, ID: id}, order.ShipRequest{Carrier: "CJ대한통운", Tracking: "6012-3456-7890"})
		return err
	})
	return err
}

// step runs one transition that needs no request (confirm, release,
// cancel, expire).
func (e *env) step(fn func(ledger.State, *wallet.Keeper, ledger.Emitter, *config.Config, string, order.Ref) (*order.Order, error), who, id, of string) error {
	_, err := e.Submit(func(st ledger.State, k *wallet.Keeper, ev ledger.Emitter) error {
		_, err := fn(st, k, ev, e.cfg, who, order.Ref{Buyer: of, ID: id})
		return err
	})
	return err
}

func (e *env) reject(who, id, of string) error {
	_, err := e.Submit(func(st ledger.State, k *wallet.Keeper, ev ledger.Emitter) error {
		_, err := order.Reject(st, k, ev, who, order.Ref{Buyer: of, ID: id}, "out of stock at the warehouse")
		return err
	})
	return err
}

// audit checks the supply invariant over every coin row.
func (e *env) audit() wallet.AuditReport {
	e.T.Helper()
	r := e.Audit()
	if !r.OK {
		e.T.Fatalf("supply audit failed: %+v", r)
	}
	return r
}
