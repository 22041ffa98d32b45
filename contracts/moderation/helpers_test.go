package moderation_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/ledger/memledger"
	"github.com/likrcommerce/likr/contracts/moderation"
	"github.com/likrcommerce/likr/contracts/money"
)

// epoch is the time of the first test transaction; each next one is a
// second later.
var epoch = time.Date(2026, 3, 1, 9, 0, 0, 5, time.UTC)

// stampOf returns the stored form of the n-th transaction's time.
func stampOf(n int) string { return ledger.Stamp(epoch.Add(time.Duration(n) * time.Second)) }

// acct returns the i-th test account ID.
func acct(i int) string { return fmt.Sprintf("%040x", 0x30de0000+i) }

var (
	mod   = acct(1)
	other = acct(2)
)

func amt(n uint64) money.Amount { return money.NewAmount(n) }

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

// must runs fn in a transaction, fails the test on an error and commits;
// it returns the events fn emitted.
func (e *env) must(fn func(st ledger.State, ev ledger.Emitter) error) ledger.Events {
	e.t.Helper()
	tx := e.begin()
	var ev ledger.Events
	if err := fn(tx, &ev); err != nil {
		e.t.Fatalf("unexpected error: %v", err)
	}
	if err := tx.Commit(); err != nil {
		e.t.Fatalf("commit: %v", err)
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

// register registers account with fee and description and fails the test
// on an error.
func (e *env) register(account string, fee moderation.Fee, description string) *moderation.Moderator {
	e.t.Helper()
	var m *moderation.Moderator
	e.must(func(st ledger.State, ev ledger.Emitter) (err error) {
		m, err = moderation.Register(st, ev, account, moderation.RegisterRequest{Fee: fee, Description: description})
		return err
	})
	return m
}

// resolve records, in one transaction, one resolution of moderator per
// subject.
func (e *env) resolve(moderator string, subjects ...string) {
	e.t.Helper()
	e.must(func(st ledger.State, _ ledger.Emitter) error {
		for _, s := range subjects {
			if err := moderation.RecordResolution(st, moderator, s); err != nil {
				return err
			}
		}
		return nil
	})
}

// profile reads account's profile in an evaluate.
func (e *env) profile(account string) (*moderation.ModeratorProfile, error) {
	e.t.Helper()
	var p *moderation.ModeratorProfile
	err := e.eval(func(st ledger.State) (err error) {
		p, err = moderation.Profile(st, account)
		return err
	})
	return p, err
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
