// Package ledgertest is the harness the domain packages' tests share: a
// fresh memledger with a deterministic clock and transaction IDs, helpers
// that run a transaction body and commit or discard it, proof that a
// refused call wrote nothing, and the small makers and assertions every
// test table uses. Only _test.go files import it; it is never linked into
// the chaincode.
//
// Transactions: the n-th transaction an Env begins has ID tx000001,
// tx000002, ... and the ledger clock's time, which starts at the Env's
// start and advances a second with every transaction begun on the ledger
// (memledger's default); L.Advance moves it further. Stamp(n) is the stored
// form of the n-th one's time.
//
// Bodies: each package's tests keep the shape of transaction body that
// suits them, fixed once by Env's type arguments: StateBody (state and
// events), KeeperBody (also the transaction's wallet.Keeper, which reports
// into the same events) or WalletBody (the wallet's own tests); and for
// reads StateView, KeeperView or WalletView.
package ledgertest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/ledger/memledger"
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/contracts/wallet"
)

// The shapes of a transaction body.
type (
	StateBody  = func(st ledger.State, ev ledger.Emitter) error
	KeeperBody = func(st ledger.State, k *wallet.Keeper, ev ledger.Emitter) error
	WalletBody = func(k *wallet.Keeper) error
)

// The shapes of a read, which never commits.
type (
	StateView  = func(st ledger.State) error
	KeeperView = func(st ledger.State, k *wallet.Keeper) error
	WalletView = func(k *wallet.Keeper) error
)

// Body is any shape of transaction body.
type Body interface {
	StateBody | KeeperBody | WalletBody
}

// View is any shape of read.
type View interface {
	StateView | KeeperView | WalletView
}

// Env is a memledger whose transactions are numbered, so that every run
// gives the same IDs, times and bytes.
type Env[B Body, V View] struct {
	T testing.TB
	L *memledger.Ledger

	times []time.Time // of each transaction begun, in order
}

// New returns an Env on an empty ledger whose first transaction is at
// start.
func New[B Body, V View](t testing.TB, start time.Time) *Env[B, V] {
	l := memledger.New()
	l.SetTime(start)
	return &Env[B, V]{T: t, L: l}
}

// N is the number of transactions e has begun.
func (e *Env[B, V]) N() int { return len(e.times) }

// Stamp is the stored form (ledger.Stamp) of the time of the n-th
// transaction e began, counting from 1.
func (e *Env[B, V]) Stamp(n int) string {
	e.T.Helper()
	if n < 1 || n > len(e.times) {
		e.T.Fatalf("no transaction %d: %d begun", n, len(e.times))
	}
	return ledger.Stamp(e.times[n-1])
}

// Begin begins the next transaction: it gets the next ID and the ledger
// clock's time, which Stamp reports.
func (e *Env[B, V]) Begin() *memledger.Tx {
	e.times = append(e.times, e.L.Now())
	return e.L.Begin(memledger.TxOptions{TxID: fmt.Sprintf("tx%06d", len(e.times))})
}

// Submit runs body in a fresh transaction and commits it when body
// succeeds. When body fails, it checks that the transaction wrote nothing
// and emitted nothing, as every domain call must, and discards it. It
// returns body's error and the events body emitted.
func (e *Env[B, V]) Submit(body B) (ledger.Events, error) {
	e.T.Helper()
	tx := e.Begin()
	var ev ledger.Events
	if err := run(body, tx, &ev); err != nil {
		e.wroteNothing(tx, ev, "a failed call")
		tx.Discard()
		return ev, err
	}
	if err := tx.Commit(); err != nil {
		e.T.Fatalf("commit: %v", err)
	}
	return ev, nil
}

// Must is Submit that fails the test on an error.
func (e *Env[B, V]) Must(body B) ledger.Events {
	e.T.Helper()
	ev, err := e.Submit(body)
	if err != nil {
		e.T.Fatalf("unexpected error: %v", err)
	}
	return ev
}

// Refused checks that body fails with code, that its transaction wrote
// nothing and emitted nothing, and that committing it anyway, as a caller
// that ignores the error would, leaves the ledger byte for byte as it was.
// It returns body's error.
func (e *Env[B, V]) Refused(code errs.Code, body B) error {
	e.T.Helper()
	before := e.Snapshot()
	tx := e.Begin()
	var ev ledger.Events
	err := run(body, tx, &ev)
	if err == nil {
		e.T.Fatalf("got no error, want %s", code)
	}
	WantCode(e.T, err, code)
	e.wroteNothing(tx, ev, "a refused call")
	if err := tx.Commit(); err != nil {
		e.T.Fatalf("commit after a refused call: %v", err)
	}
	if after := e.Snapshot(); after != before {
		e.T.Fatalf("a refused call changed the ledger")
	}
	return err
}

// wroteNothing fails the test when tx buffered a write or ev holds an
// event.
func (e *Env[B, V]) wroteNothing(tx *memledger.Tx, ev ledger.Events, what string) {
	e.T.Helper()
	if w := tx.Writes(); len(w) != 0 {
		e.T.Fatalf("%s wrote %d keys: %+v", what, len(w), w)
	}
	if len(ev) != 0 {
		e.T.Fatalf("%s emitted events: %+v", what, ev)
	}
}

// run calls body with the transaction, its Keeper reporting into ev, and
// ev, as body's shape asks.
func run[B Body](body B, tx *memledger.Tx, ev *ledger.Events) error {
	k := wallet.NewKeeper(tx).ReportTo(ev)
	switch f := any(body).(type) {
	case StateBody:
		return f(tx, ev)
	case KeeperBody:
		return f(tx, k, ev)
	default:
		return any(body).(WalletBody)(k)
	}
}

// Read runs view in a fresh transaction that is never committed, like an
// evaluate, and returns its error.
func (e *Env[B, V]) Read(view V) error { return e.read(asKeeperView(view)) }

// MustRead is Read that fails the test on an error.
func (e *Env[B, V]) MustRead(view V) {
	e.T.Helper()
	e.mustRead(asKeeperView(view))
}

// asKeeperView widens view to the shape that gets both the state and a
// Keeper.
func asKeeperView[V View](view V) KeeperView {
	switch f := any(view).(type) {
	case StateView:
		return func(st ledger.State, _ *wallet.Keeper) error { return f(st) }
	case KeeperView:
		return f
	default:
		return func(_ ledger.State, k *wallet.Keeper) error { return any(view).(WalletView)(k) }
	}
}

// read runs fn in a fresh transaction that is never committed.
func (e *Env[B, V]) read(fn KeeperView) error {
	tx := e.Begin()
	defer tx.Discard()
	return fn(tx, wallet.NewKeeper(tx))
}

// mustRead is read that fails the test on an error.
func (e *Env[B, V]) mustRead(fn KeeperView) {
	e.T.Helper()
	if err := e.read(fn); err != nil {
		e.T.Fatalf("read: %v", err)
	}
}

// Balance reads holder's balance in a read of its own.
//
// likr:evaluate
func (e *Env[B, V]) Balance(holder string) money.Amount {
	e.T.Helper()
	var sum money.Amount
	e.mustRead(func(_ ledger.State, k *wallet.Keeper) (err error) {
		sum, err = k.Balance(holder)
		return err
	})
	return sum
}

// CoinIDs lists the IDs of all of holder's coins, in ledger order, in a
// read of its own.
//
// likr:evaluate
func (e *Env[B, V]) CoinIDs(holder string) []string {
	e.T.Helper()
	var ids []string
	e.mustRead(func(_ ledger.State, k *wallet.Keeper) error {
		bookmark := ""
		for {
			page, err := k.Coins(holder, ledger.MaxPageSize, bookmark)
			if err != nil {
				return err
			}
			for _, c := range page.Coins {
				ids = append(ids, c.ID)
			}
			if page.Bookmark == "" {
				return nil
			}
			bookmark = page.Bookmark
		}
	})
	return ids
}

// Audit checks the supply invariant over every coin row in a read of its
// own and returns the report, OK or not.
//
// likr:evaluate
func (e *Env[B, V]) Audit() wallet.AuditReport {
	e.T.Helper()
	var r wallet.AuditReport
	e.mustRead(func(_ ledger.State, k *wallet.Keeper) (err error) {
		r, err = k.Audit()
		return err
	})
	return r
}

// Eval begins a transaction that is never committed, like an evaluate,
// and discards it when the test ends.
func (e *Env[B, V]) Eval() *memledger.Tx {
	tx := e.Begin()
	e.T.Cleanup(tx.Discard)
	return tx
}

// Snapshot renders the committed state for byte-for-byte comparisons.
func (e *Env[B, V]) Snapshot() string { return fmt.Sprintf("%q", e.L.Snapshot()) }

// Key returns the composite key of objectType and attrs, as the shim
// builds it.
func (e *Env[B, V]) Key(objectType string, attrs ...string) string {
	e.T.Helper()
	k, err := shim.CreateCompositeKey(objectType, attrs)
	if err != nil {
		e.T.Fatalf("key %s %q: %v", objectType, attrs, err)
	}
	return k
}

// Account returns the i-th test account ID of a package: base keeps each
// package's accounts, and so its stored bytes, its own.
func Account(base, i int) string { return fmt.Sprintf("%040x", base+i) }

// Amount is money.NewAmount, short for test tables.
func Amount(n uint64) money.Amount { return money.NewAmount(n) }

// WantCode fails t unless err carries code: errors.Is matches it and it is
// the code a caller sees, the outermost (errs.CodeOf). An empty code wants
// no error.
func WantCode(t testing.TB, err error, code errs.Code) {
	t.Helper()
	switch {
	case code == "":
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
	case err == nil:
		t.Fatalf("got no error, want %s", code)
	case !errors.Is(err, &errs.Error{Code: code}) || errs.CodeOf(err) != code:
		t.Fatalf("got %v, want %s", err, code)
	}
}
