package store_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/ledger/memledger"
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/contracts/product"
)

// epoch is the time of the first test transaction; each next one is a
// second later.
var epoch = time.Date(2026, 3, 1, 9, 0, 0, 5, time.UTC)

// stampOf returns the stored form of the n-th transaction's time.
func stampOf(n int) string { return ledger.Stamp(epoch.Add(time.Duration(n) * time.Second)) }

// acct returns the i-th test account ID.
func acct(i int) string { return fmt.Sprintf("%040x", 0x5e11e000+i) }

var (
	seller   = acct(1)
	other    = acct(2)
	supplier = acct(9)
)

func amt(n uint64) money.Amount { return money.NewAmount(n) }

// fee is the platform fee the tests pass, as the contract layer passes the
// configured one.
const fee money.Rate = 500

// env is a memledger with a transaction counter, so every transaction gets
// a fresh ID and a later timestamp, the same on every run.
type env struct {
	t testing.TB
	l *memledger.Ledger
	n int
}

func newEnv(t testing.TB) *env { return &env{t: t, l: memledger.New()} }

func (e *env) begin() *memledger.Tx {
	e.n++
	return e.l.Begin(memledger.TxOptions{
		TxID:      fmt.Sprintf("tx%06d", e.n),
		Timestamp: epoch.Add(time.Duration(e.n) * time.Second),
	})
}

// submit runs fn in a transaction and commits it when fn succeeds; it
// returns fn's error and the events fn emitted.
func (e *env) submit(fn func(st ledger.State, ev ledger.Emitter) error) (ledger.Events, error) {
	e.t.Helper()
	tx := e.begin()
	var ev ledger.Events
	if err := fn(tx, &ev); err != nil {
		tx.Discard()
		return ev, err
	}
	if err := tx.Commit(); err != nil {
		e.t.Fatalf("commit: %v", err)
	}
	return ev, nil
}

// must is submit that fails the test on an error.
func (e *env) must(fn func(st ledger.State, ev ledger.Emitter) error) ledger.Events {
	e.t.Helper()
	ev, err := e.submit(fn)
	if err != nil {
		e.t.Fatalf("unexpected error: %v", err)
	}
	return ev
}

// eval runs fn in a transaction that is never committed, like an evaluate.
func (e *env) eval(fn func(st ledger.State) error) error {
	e.t.Helper()
	tx := e.begin()
	defer tx.Discard()
	return fn(tx)
}

// snapshot renders the committed state for byte-for-byte comparisons.
func (e *env) snapshot() string { return fmt.Sprintf("%q", e.l.Snapshot()) }

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

// wantCode fails unless err carries code.
func wantCode(t testing.TB, err error, code errs.Code) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s", code)
	}
	if !errors.Is(err, &errs.Error{Code: code}) {
		t.Fatalf("got %v, want %s", err, code)
	}
}

// terms returns active terms.
func terms(wholesale, minRetail uint64) product.Terms {
	return product.Terms{WholesalePrice: amt(wholesale), MinRetailPrice: amt(minRetail), Status: product.Active}
}

// addProduct registers product id of supplier with terms t.
func (e *env) addProduct(id string, t product.Terms) product.Ref {
	e.t.Helper()
	e.must(func(st ledger.State, ev ledger.Emitter) error {
		_, err := product.Register(st, ev, supplier, product.RegisterRequest{
			ID:         id,
			Attributes: json.RawMessage(`{"name":"` + id + `"}`),
			Terms:      t,
			Stock:      10,
		}, 1)
		return err
	})
	return product.Ref{Supplier: supplier, ID: id}
}

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
