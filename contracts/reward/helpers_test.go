package reward_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/ledger/memledger"
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/contracts/reward"
	"github.com/likrcommerce/likr/contracts/wallet"
)

// epoch is the ledger clock at the start of every test: every transaction
// is a second after the one begun before it.
var epoch = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// acct returns the i-th test account ID.
func acct(i int) string { return fmt.Sprintf("%040x", 0x7e3a0000+i) }

func amt(n uint64) money.Amount { return money.NewAmount(n) }

// Accounts of the tests.
var (
	admin    = acct(0)
	buyer    = acct(1)
	reviewer = acct(2)
	reseller = acct(3)
)

// supplyCap is large enough for every test's mints.
var supplyCap = money.MaxAmount()

type env struct {
	t testing.TB
	l *memledger.Ledger
}

func newEnv(t testing.TB) *env {
	l := memledger.New()
	l.SetTime(epoch)
	return &env{t: t, l: l}
}

// run runs fn in a transaction of its own with the transaction's one
// Keeper, reporting to the returned events, and commits it when fn
// succeeds. A failed fn must have written nothing and emitted nothing.
func (e *env) run(fn func(tx *memledger.Tx, k *wallet.Keeper, ev *ledger.Events) error) (ledger.Events, error) {
	e.t.Helper()
	tx := e.l.Begin(memledger.TxOptions{})
	var ev ledger.Events
	k := wallet.NewKeeper(tx).ReportTo(&ev)
	if err := fn(tx, k, &ev); err != nil {
		require.Empty(e.t, tx.Writes(), "a refused call writes nothing")
		require.Empty(e.t, ev, "a refused call emits nothing")
		tx.Discard()
		return nil, err
	}
	require.NoError(e.t, tx.Commit())
	return ev, nil
}

func (e *env) mustRun(fn func(tx *memledger.Tx, k *wallet.Keeper, ev *ledger.Events) error) ledger.Events {
	e.t.Helper()
	ev, err := e.run(fn)
	require.NoError(e.t, err)
	return ev
}

// mint creates a coin of n for holder and returns its ID.
func (e *env) mint(holder string, n uint64) string {
	e.t.Helper()
	var coin string
	e.mustRun(func(_ *memledger.Tx, k *wallet.Keeper, _ *ledger.Events) error {
		if err := k.Mint(holder, amt(n), supplyCap); err != nil {
			return err
		}
		coin = k.Events()[0].Coin
		return nil
	})
	return coin
}

func (e *env) setRule(r reward.Rule) {
	e.t.Helper()
	e.mustRun(func(tx *memledger.Tx, _ *wallet.Keeper, ev *ledger.Events) error {
		return reward.SetRule(tx, ev, r)
	})
}

// escrow names the test escrow that funds the reward of subject.
func escrow(t testing.TB, n int) string {
	t.Helper()
	h, err := wallet.SystemHolder("escrow", buyer, fmt.Sprintf("o%d", n))
	require.NoError(t, err)
	return h
}

// funded is a reward source with one coin.
type funded struct {
	holder, coin string
}

// fund mints amount into a fresh escrow.
func (e *env) fund(n int, amount uint64) funded {
	e.t.Helper()
	h := escrow(e.t, n)
	return funded{h, e.mint(h, amount)}
}

// settle pays g in a transaction of its own as the commerce packages do:
// Check, then Skip, or debit the source and Pay. It returns the skip
// reason and the events.
func (e *env) settle(g reward.Grant, src funded) (string, ledger.Events, error) {
	e.t.Helper()
	var skip string
	ev, err := e.run(func(tx *memledger.Tx, k *wallet.Keeper, ev *ledger.Events) error {
		return settleIn(tx, k, ev, txDay(e.t, tx), g, src, &skip)
	})
	return skip, ev, err
}

// txDay is the UTC day of the transaction tx.
func txDay(t testing.TB, tx *memledger.Tx) string {
	t.Helper()
	now, err := ledger.TxTime(tx)
	require.NoError(t, err)
	return reward.Day(now)
}

// settleIn is settle inside a transaction the caller runs.
func settleIn(st ledger.State, k *wallet.Keeper, ev ledger.Emitter, day string, g reward.Grant, src funded, skip *string) error {
	var err error
	if *skip, err = reward.Check(st, g, day); err != nil {
		return err
	}
	if *skip != "" {
		reward.Skip(ev, g, *skip)
		return nil
	}
	if _, err := k.Debit(src.holder, []string{src.coin}, g.Amount, "order.reward", g.To); err != nil {
		return err
	}
	return reward.Pay(st, k, ev, g, src.holder, day)
}

// eval returns a transaction that is never committed, like an evaluate.
func (e *env) eval() *memledger.Tx {
	tx := e.l.Begin(memledger.TxOptions{})
	e.t.Cleanup(tx.Discard)
	return tx
}

func (e *env) balance(holder string) money.Amount {
	e.t.Helper()
	sum, err := wallet.NewKeeper(e.eval()).Balance(holder)
	require.NoError(e.t, err)
	return sum
}

func (e *env) audit() wallet.AuditReport {
	e.t.Helper()
	r, err := wallet.NewKeeper(e.eval()).Audit()
	require.NoError(e.t, err)
	return r
}

func key(t testing.TB, objectType string, attrs ...string) string {
	t.Helper()
	k, err := shim.CreateCompositeKey(objectType, attrs)
	require.NoError(t, err)
	return k
}

// types lists the "type" of each event, wallet events included.
func types(t testing.TB, events ledger.Events) []string {
	t.Helper()
	out := []string{}
	for _, e := range events {
		switch v := e.(type) {
		case wallet.Event:
			out = append(out, string(v.Type))
		case reward.PaidEvent:
			out = append(out, v.Type)
		case reward.SkippedEvent:
			out = append(out, v.Type)
		case reward.RuleSetEvent:
			out = append(out, v.Type)
		case reward.BatchEvent:
			out = append(out, v.Type)
		default:
			t.Fatalf("unexpected event %T", e)
		}
	}
	return out
}

// purchaseRule pays 1% of the base plus 10.
var purchaseRule = reward.Rule{Activity: reward.Purchase, Fixed: amt(10), RateBps: 100, Enabled: true}
