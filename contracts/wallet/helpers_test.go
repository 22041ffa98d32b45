package wallet_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger/memledger"
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/contracts/wallet"
)

// epoch is the time of the first test transaction; each next one is a
// second later.
var epoch = time.Date(2025, 3, 1, 12, 0, 0, 123456789, time.UTC)

// acct returns the i-th test account ID.
func acct(i int) string { return fmt.Sprintf("%040x", 0xa11ce000+i) }

func amt(n uint64) money.Amount { return money.NewAmount(n) }

// env is a memledger with a transaction counter, so every transaction gets
// a fresh ID and a later timestamp, the same on every run.
type env struct {
	t testing.TB
	l *memledger.Ledger
	n int
}

func newEnv(t testing.TB) *env { return &env{t: t, l: memledger.New()} }

// begin opens the next transaction and its Keeper.
func (e *env) begin() (*memledger.Tx, *wallet.Keeper) {
	e.t.Helper()
	e.n++
	tx := e.l.Begin(memledger.TxOptions{
		TxID:      fmt.Sprintf("tx%06d", e.n),
		Timestamp: epoch.Add(time.Duration(e.n) * time.Second),
	})
	return tx, wallet.NewKeeper(tx)
}

// submit runs fn in a transaction and commits it when fn succeeds.
func (e *env) submit(fn func(k *wallet.Keeper) error) error {
	e.t.Helper()
	tx, k := e.begin()
	if err := fn(k); err != nil {
		tx.Discard()
		return err
	}
	if err := tx.Commit(); err != nil {
		e.t.Fatalf("commit: %v", err)
	}
	return nil
}

// must is submit that fails the test on an error.
func (e *env) must(fn func(k *wallet.Keeper) error) {
	e.t.Helper()
	if err := e.submit(fn); err != nil {
		e.t.Fatalf("unexpected error: %v", err)
	}
}

// eval runs fn in a transaction that is never committed, like an evaluate.
func (e *env) eval(fn func(k *wallet.Keeper) error) {
	e.t.Helper()
	tx, k := e.begin()
	defer tx.Discard()
	if err := fn(k); err != nil {
		e.t.Fatalf("evaluate: %v", err)
	}
}

func (e *env) mint(to string, n uint64) {
	e.t.Helper()
	e.must(func(k *wallet.Keeper) error { return k.Mint(to, amt(n), money.MaxAmount()) })
}

// coins returns all coins of holder, in ledger order.
func (e *env) coins(holder string) []wallet.Coin {
	e.t.Helper()
	var all []wallet.Coin
	e.eval(func(k *wallet.Keeper) error {
		bookmark := ""
		for {
			page, err := k.Coins(holder, 7, bookmark)
			if err != nil {
				return err
			}
			all = append(all, page.Coins...)
			if page.Bookmark == "" {
				return nil
			}
			bookmark = page.Bookmark
		}
	})
	return all
}

// coinIDs returns the IDs of all coins of holder.
func (e *env) coinIDs(holder string) []string {
	e.t.Helper()
	var ids []string
	for _, c := range e.coins(holder) {
		ids = append(ids, c.ID)
	}
	return ids
}

func (e *env) balance(holder string) uint64 {
	e.t.Helper()
	var b money.Amount
	e.eval(func(k *wallet.Keeper) (err error) { b, err = k.Balance(holder); return err })
	return b.Uint64()
}

func (e *env) audit() wallet.AuditReport {
	e.t.Helper()
	var r wallet.AuditReport
	e.eval(func(k *wallet.Keeper) (err error) { r, err = k.Audit(); return err })
	return r
}

func (e *env) history(holder string) []wallet.HistoryEntry {
	e.t.Helper()
	var all []wallet.HistoryEntry
	e.eval(func(k *wallet.Keeper) error {
		bookmark := ""
		for {
			page, err := k.History(holder, 5, bookmark)
			if err != nil {
				return err
			}
			all = append(all, page.Entries...)
			if page.Bookmark == "" {
				return nil
			}
			bookmark = page.Bookmark
		}
	})
	return all
}

// snapshot renders the committed state for byte-for-byte comparisons.
func (e *env) snapshot() string {
	return fmt.Sprintf("%q", e.l.Snapshot())
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

// wantRefused checks that fn fails with code inside a transaction that is
// then committed anyway, as a domain package that skips a refused payment
// would: the transaction must have written nothing and recorded no event.
func (e *env) wantRefused(code errs.Code, fn func(k *wallet.Keeper) error) {
	e.t.Helper()
	before := e.snapshot()
	tx, k := e.begin()
	wantCode(e.t, fn(k), code)
	if w := tx.Writes(); len(w) != 0 {
		e.t.Fatalf("refused call wrote %d keys: %+v", len(w), w)
	}
	if ev := k.Events(); len(ev) != 0 {
		e.t.Fatalf("refused call recorded events: %+v", ev)
	}
	if err := tx.Commit(); err != nil {
		e.t.Fatalf("commit after refused call: %v", err)
	}
	if after := e.snapshot(); after != before {
		e.t.Fatalf("refused call changed the ledger")
	}
}
