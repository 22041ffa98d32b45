package reward_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/ledger/ledgertest"
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/contracts/reward"
	"github.com/likrcommerce/likr/contracts/wallet"
)

// epoch is the ledger clock at the start of every test: every transaction
// is a second after the one begun before it.
var epoch = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// acct returns the i-th test account ID.
func acct(i int) string { return ledgertest.Account(0x7e3a0000, i) }

var amt = ledgertest.Amount

// Accounts of the tests.
var (
	admin    = acct(0)
	buyer    = acct(1)
	reviewer = acct(2)
	reseller = acct(3)
)

// supplyCap is large enough for every test's mints.
var supplyCap = money.MaxAmount()

// env is the shared harness, with the transaction's Keeper in every body.
type env struct {
	*ledgertest.Env[ledgertest.KeeperBody, ledgertest.KeeperView]
}

func newEnv(t testing.TB) *env {
	return &env{ledgertest.New[ledgertest.KeeperBody, ledgertest.KeeperView](t, epoch)}
}

// mint creates a coin of n for holder and returns its ID.
func (e *env) mint(holder string, n uint64) string {
	e.T.Helper()
	var coin string
	e.Must(func(_ ledger.State, k *wallet.Keeper, _ ledger.Emitter) error {
		if err := k.Mint(holder, amt(n), supplyCap); err != nil {
			return err
		}
		coin = k.Events()[0].Coin
		return nil
	})
	return coin
}

func (e *env) setRule(r reward.Rule) {
	e.T.Helper()
	e.Must(func(tx ledger.State, _ *wallet.Keeper, ev ledger.Emitter) error {
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
	e.T.Helper()
	h := escrow(e.T, n)
	return funded{h, e.mint(h, amount)}
}

// settle pays g in a transaction of its own as the commerce packages do:
// Check, then Skip, or debit the source and Pay. It returns the skip
// reason and the events.
func (e *env) settle(g reward.Grant, src funded) (string, ledger.Events, error) {
	e.T.Helper()
	var skip string
	ev, err := e.Submit(func(tx ledger.State, k *wallet.Keeper, ev ledger.Emitter) error {
		return settleIn(tx, k, ev, txDay(e.T, tx), g, src, &skip)
	})
	return skip, ev, err
}

// txDay is the UTC day of the transaction tx.
func txDay(t testing.TB, tx ledger.State) string {
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
