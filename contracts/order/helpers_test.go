package order_test

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
	"github.com/likrcommerce/likr/contracts/store"
	"github.com/likrcommerce/likr/contracts/wallet"
)

// epoch is the time of the first test transaction; each next one is a
// second later unless a test moves the clock.
var epoch = time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)

func acct(i int) string { return fmt.Sprintf("%040x", 0x0dde0000+i) }

var (
	supplier = acct(1)
	seller   = acct(2)
	buyer    = acct(3)
	friend   = acct(4) // owns the referrer shop
	stranger = acct(5)
)

func amt(n uint64) money.Amount { return money.NewAmount(n) }

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

// env is a memledger with the catalogue above and funded buyers.
type env struct {
	t   testing.TB
	l   *memledger.Ledger
	cfg *config.Config
	n   int
}

func newEnv(t testing.TB) *env {
	e := &env{t: t, l: memledger.New(), cfg: testConfig()}
	e.l.SetTime(epoch)
	e.must(func(st ledger.State, _ *wallet.Keeper, ev ledger.Emitter) error {
		_, err := product.Register(st, ev, supplier, product.RegisterRequest{
			ID: productRef.ID, Attributes: json.RawMessage(`{"name":"제주 녹차","origin":"Jeju"}`),
			Terms: product.Terms{WholesalePrice: amt(600), MinRetailPrice: amt(900), Status: product.Active},
			Stock: startStock,
		}, e.cfg.StockShards)
		return err
	})
	for _, s := range []store.OpenRequest{{ID: listingRef.Store, Name: "Jeju Shop"}} {
		e.must(func(st ledger.State, _ *wallet.Keeper, ev ledger.Emitter) error {
			_, err := store.Open(st, ev, seller, s)
			return err
		})
	}
	e.must(func(st ledger.State, _ *wallet.Keeper, ev ledger.Emitter) error {
		_, err := store.Open(st, ev, friend, store.OpenRequest{ID: referrerRef.ID, Name: "Friend's picks"})
		return err
	})
	e.must(func(st ledger.State, _ *wallet.Keeper, ev ledger.Emitter) error {
		_, err := store.AddListing(st, ev, seller, store.ListingRequest{
			Store: listingRef.Store, ID: listingRef.ID, Product: productRef, Price: amt(1000), ReferralBps: 1000,
		}, e.cfg.PlatformFeeBps)
		return err
	})
	for _, a := range []string{buyer, stranger} {
		e.must(func(_ ledger.State, k *wallet.Keeper, _ ledger.Emitter) error {
			return k.Mint(a, amt(initialFund), e.cfg.SupplyCap)
		})
	}
	return e
}

// submit runs fn in a fresh transaction with its Keeper and commits it
// when fn succeeds; it returns fn's error and the transaction's events.
func (e *env) submit(fn func(st ledger.State, k *wallet.Keeper, ev ledger.Emitter) error) (ledger.Events, error) {
	e.t.Helper()
	e.n++
	tx := e.l.Begin(memledger.TxOptions{TxID: fmt.Sprintf("tx%06d", e.n)})
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

// read runs fn in a read-only transaction.
func (e *env) read(fn func(st ledger.State, k *wallet.Keeper) error) {
	e.t.Helper()
	tx := e.l.Begin(memledger.TxOptions{})
	defer tx.Discard()
	if err := fn(tx, wallet.NewKeeper(tx)); err != nil {
		e.t.Fatalf("read: %v", err)
	}
}

func (e *env) coins(holder string) []string {
	e.t.Helper()
	var ids []string
	e.read(func(_ ledger.State, k *wallet.Keeper) error {
		page, err := k.Coins(holder, ledger.MaxPageSize, "")
		for _, c := range page.Coins {
			ids = append(ids, c.ID)
		}
		return err
	})
	return ids
}

func (e *env) balance(holder string) uint64 {
	e.t.Helper()
	var b money.Amount
	e.read(func(_ ledger.State, k *wallet.Keeper) (err error) {
		b, err = k.Balance(holder)
		return err
	})
	return b.Uint64()
}

func (e *env) stock() uint64 {
	e.t.Helper()
	var n uint64
	e.read(func(st ledger.State, _ *wallet.Keeper) error {
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
	e.t.Helper()
	var o *order.Order
	e.read(func(st ledger.State, _ *wallet.Keeper) (err error) {
		o, err = order.Get(st, order.Ref{Buyer: of, ID: id})
		return err
	})
	return o
}

// place orders qty units as who, paying with all of who's coins.
func (e *env) place(who, id string, qty uint64, shard int, referrer *store.Ref) (*order.Order, error) {
	e.t.Helper()
	inputs := e.coins(who)
	var o *order.Order
	_, err := e.submit(func(st ledger.State, k *wallet.Keeper, ev ledger.Emitter) (err error) {
		o, err = order.Place(st, k, ev, e.cfg, who, order.PlaceRequest{
			ID: id, Listing: listingRef, Quantity: qty, Shard: shard, Inputs: inputs, Referrer: referrer,
		})
		return err
	})
	return o, err
}

func (e *env) ship(who, id, of string) error {
	_, err := e.submit(func(st ledger.State, _ *wallet.Keeper, ev ledger.Emitter) error {
		_, err := order.Ship(st, ev, e.cfg, who, order.Ref{Buyer: of, ID: id}, order.ShipRequest{Carrier: "CJ대한통운", Tracking: "6012-3456-7890"})
		return err
	})
	return err
}

// step runs one transition that needs no request (confirm, release,
// cancel, expire).
func (e *env) step(fn func(ledger.State, *wallet.Keeper, ledger.Emitter, *config.Config, string, order.Ref) (*order.Order, error), who, id, of string) error {
	_, err := e.submit(func(st ledger.State, k *wallet.Keeper, ev ledger.Emitter) error {
		_, err := fn(st, k, ev, e.cfg, who, order.Ref{Buyer: of, ID: id})
		return err
	})
	return err
}

func (e *env) reject(who, id, of string) error {
	_, err := e.submit(func(st ledger.State, k *wallet.Keeper, ev ledger.Emitter) error {
		_, err := order.Reject(st, k, ev, who, order.Ref{Buyer: of, ID: id}, "out of stock at the warehouse")
		return err
	})
	return err
}

// audit checks the supply invariant over every coin row.
func (e *env) audit() wallet.AuditReport {
	e.t.Helper()
	var r wallet.AuditReport
	e.read(func(_ ledger.State, k *wallet.Keeper) (err error) {
		r, err = k.Audit()
		return err
	})
	if !r.OK {
		e.t.Fatalf("supply audit failed: %+v", r)
	}
	return r
}

func wantCode(t testing.TB, err error, code errs.Code) {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	if err == nil || !errors.Is(err, &errs.Error{Code: code}) {
		t.Fatalf("got %v, want %s", err, code)
	}
}
