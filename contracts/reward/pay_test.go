package reward_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/ledger/memledger"
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/contracts/reward"
	"github.com/likrcommerce/likr/contracts/wallet"
)

func purchaseOf(n int, amount uint64) reward.Grant {
	return reward.Grant{Activity: reward.Purchase, Subject: fmt.Sprintf("order:%s:o%d", buyer, n), To: buyer, Amount: amt(amount)}
}

func reviewOf(n int, amount uint64) reward.Grant {
	return reward.Grant{Activity: reward.Review, Subject: fmt.Sprintf("review:%s:o%d", buyer, n), To: reviewer, Amount: amt(amount)}
}

func TestCheckSubject(t *testing.T) {
	for _, s := range []string{"x", "order:" + buyer + ":o-1.2_3", strings.Repeat("a", reward.MaxSubjectLen), "!~"} {
		require.NoError(t, reward.CheckSubject(s), "%q", s)
	}
	for _, s := range []string{"", strings.Repeat("a", reward.MaxSubjectLen+1), "a b", "a\x00b", "a\nb", "a\x7fb", "주문", "a\u00a0b"} {
		require.ErrorIs(t, reward.CheckSubject(s), errs.ErrInvalidArgument, "%q", s)
	}
}

func TestPayCreditsAndRecords(t *testing.T) {
	e := newEnv(t)
	e.setRule(purchaseRule)
	src := e.fund(1, 210)
	g := purchaseOf(1, 210)
	skip, ev, err := e.settle(g, src)
	require.NoError(t, err)
	require.Empty(t, skip)
	require.Equal(t, []string{"wallet.debit", "wallet.credit", "reward.paid"}, types(t, ev))
	credit := ev[1].(wallet.Event)
	require.Equal(t, wallet.Event{Type: wallet.EventCredit, Holder: buyer, Amount: amt(210), Kind: "reward.purchase", Counterparty: src.holder, Coin: credit.Coin}, credit)
	require.Equal(t, reward.PaidEvent{Type: "reward.paid", Activity: reward.Purchase, Subject: g.Subject, To: buyer, Amount: amt(210), Source: src.holder, Coin: credit.Coin}, ev[2])

	require.Equal(t, amt(210), e.Balance(buyer))
	require.True(t, e.Balance(src.holder).IsZero())
	stamp := ledger.Stamp(epoch.Add(2 * time.Second)) // after the mint and the rule
	txID := "tx000003"
	require.JSONEq(t, fmt.Sprintf(`{"to":%q,"amount":"210","source":%q,"time":%q,"txId":%q}`, buyer, src.holder, stamp, txID),
		string(e.L.GetCommitted(e.Key("reward.paid", "purchase", g.Subject))))
	require.JSONEq(t, fmt.Sprintf(`{"activity":"purchase","subject":%q,"amount":"210","source":%q,"time":%q,"txId":%q}`, g.Subject, src.holder, stamp, txID),
		string(e.L.GetCommitted(e.Key("reward.hist", buyer, stamp, txID, "purchase", g.Subject))))
	require.Nil(t, e.L.GetCommitted(e.Key("reward.day", buyer, "2026-03-01")), "only capped reviews keep a day row")

	receipt, err := reward.Lookup(e.Eval(), reward.Purchase, g.Subject)
	require.NoError(t, err)
	require.Equal(t, reward.Receipt{To: buyer, Amount: amt(210), Source: src.holder, Time: stamp, TxID: txID}, *receipt)
	_, err = reward.Lookup(e.Eval(), reward.Purchase, purchaseOf(2, 1).Subject)
	require.ErrorIs(t, err, errs.ErrNotFound)
	require.True(t, e.Audit().OK)
}

// The second Pay of one (activity, subject), in a later transaction, is
// skipped as already paid; forcing it is INVALID_STATE and writes nothing.
func TestPayAtMostOncePerActivityAndSubject(t *testing.T) {
	e := newEnv(t)
	e.setRule(purchaseRule)
	e.setRule(reward.Rule{Activity: reward.ReferredSale, Fixed: amt(7), Enabled: true})
	g := purchaseOf(1, 10)
	_, _, err := e.settle(g, e.fund(1, 10))
	require.NoError(t, err)

	again := e.fund(2, 10)
	skip, ev, err := e.settle(g, again)
	require.NoError(t, err)
	require.Equal(t, reward.SkipAlreadyPaid, skip)
	require.Equal(t, ledger.Events{reward.SkippedEvent{Type: "reward.skipped", Activity: reward.Purchase, Subject: g.Subject, To: buyer, Amount: amt(10), Reason: "already_paid"}}, ev)

	// Another recipient or amount does not make it a new reward.
	other := g
	other.To, other.Amount = reseller, amt(3)
	skip, err = reward.Check(e.Eval(), other, "")
	require.NoError(t, err)
	require.Equal(t, reward.SkipAlreadyPaid, skip)

	before := e.L.Snapshot()
	_, err = e.Submit(func(tx ledger.State, k *wallet.Keeper, ev ledger.Emitter) error {
		return reward.Pay(tx, k, ev, g, again.holder, "")
	})
	require.ErrorIs(t, err, errs.ErrInvalidState)
	require.Contains(t, err.Error(), "already_paid")
	require.Equal(t, before, e.L.Snapshot())

	// The same subject under another activity is another reward.
	sale := g
	sale.Activity, sale.To, sale.Amount = reward.ReferredSale, reseller, amt(7)
	skip, _, err = e.settle(sale, e.fund(3, 7))
	require.NoError(t, err)
	require.Empty(t, skip)
	require.Equal(t, amt(10), e.Balance(buyer))
	require.Equal(t, amt(7), e.Balance(reseller))
}

func TestCheckReasons(t *testing.T) {
	e := newEnv(t)
	e.setRule(purchaseRule)
	e.setRule(reward.Rule{Activity: reward.Conversion, Fixed: amt(5)}) // disabled
	for _, tc := range []struct {
		name  string
		grant reward.Grant
		want  string
	}{
		{"payable", purchaseOf(1, 10), ""},
		{"zero amount", purchaseOf(1, 0), reward.SkipZeroAmount},
		{"disabled", reward.Grant{Activity: reward.Conversion, Subject: "c:1", To: reseller, Amount: amt(5)}, reward.SkipDisabled},
		{"never set", reward.Grant{Activity: reward.ReferredSale, Subject: "s:1", To: reseller, Amount: amt(5)}, reward.SkipDisabled},
	} {
		skip, err := reward.Check(e.Eval(), tc.grant, "")
		require.NoError(t, err, tc.name)
		require.Equal(t, tc.want, skip, tc.name)
	}
}

func TestCheckRefusesBadInput(t *testing.T) {
	e := newEnv(t)
	e.setRule(purchaseRule)
	good := purchaseOf(1, 10)
	for _, tc := range []struct {
		name  string
		grant func(g reward.Grant) reward.Grant
		day   string
	}{
		{"unknown activity", func(g reward.Grant) reward.Grant { g.Activity = "refund"; return g }, ""},
		{"campaign is BatchReward's", func(g reward.Grant) reward.Grant { g.Activity = reward.Campaign; return g }, ""},
		{"empty subject", func(g reward.Grant) reward.Grant { g.Subject = ""; return g }, ""},
		{"NUL in subject", func(g reward.Grant) reward.Grant { g.Subject = "order:\x00"; return g }, ""},
		{"system holder recipient", func(g reward.Grant) reward.Grant { g.To = wallet.CampaignPool; return g }, ""},
		{"uppercase account", func(g reward.Grant) reward.Grant { g.To = strings.ToUpper(g.To); return g }, ""},
		{"another day", func(g reward.Grant) reward.Grant { return g }, "2026-03-02"},
		{"not a day", func(g reward.Grant) reward.Grant { return g }, "yesterday"},
	} {
		tx := e.Eval()
		skip, err := reward.Check(tx, tc.grant(good), tc.day)
		require.ErrorIs(t, err, errs.ErrInvalidArgument, tc.name)
		require.Empty(t, skip, tc.name)
		require.Empty(t, tx.Writes(), tc.name)

		var ev ledger.Events
		err = reward.Pay(tx, wallet.NewKeeper(tx).ReportTo(&ev), &ev, tc.grant(good), escrow(t, 1), tc.day)
		require.ErrorIs(t, err, errs.ErrInvalidArgument, tc.name)
		require.Empty(t, tx.Writes(), tc.name)
		require.Empty(t, ev, tc.name)
	}
	skip, err := reward.Check(e.Eval(), good, "2026-03-01")
	require.NoError(t, err, "the transaction's own day")
	require.Empty(t, skip)
}

func TestPayRefusesABadSourceAndWritesNothing(t *testing.T) {
	e := newEnv(t)
	e.setRule(purchaseRule)
	g := purchaseOf(1, 10)
	for _, source := range []string{"", "~", "not a holder", buyer} {
		_, err := e.Submit(func(tx ledger.State, k *wallet.Keeper, ev ledger.Emitter) error {
			return reward.Pay(tx, k, ev, g, source, "")
		})
		require.ErrorIs(t, err, errs.ErrInvalidArgument, "source %q", source)
	}
}

func TestSkipWritesNothing(t *testing.T) {
	e := newEnv(t)
	tx := e.Begin()
	var ev ledger.Events
	g := purchaseOf(1, 10)
	reward.Skip(&ev, g, "self_dealing")
	require.Empty(t, tx.Writes())
	require.Equal(t, ledger.Events{reward.SkippedEvent{Type: "reward.skipped", Activity: reward.Purchase, Subject: g.Subject, To: buyer, Amount: amt(10), Reason: "self_dealing"}}, ev)
	require.NoError(t, tx.Commit())
	require.Empty(t, e.L.Snapshot())
}

// A review that would take its account past the daily cap is skipped
// whole, not paid in part; the cap starts again the next UTC day, and
// applies to nobody else.
func TestDailyCapOnReviews(t *testing.T) {
	e := newEnv(t)
	e.setRule(reward.Rule{Activity: reward.Review, Fixed: amt(4), Enabled: true, DailyCap: amt(10)})
	n := 0
	review := func(to string, amount uint64) string {
		t.Helper()
		n++
		g := reviewOf(n, amount)
		g.To = to
		skip, _, err := e.settle(g, e.fund(n, amount))
		require.NoError(t, err)
		return skip
	}
	require.Empty(t, review(reviewer, 4))
	require.Empty(t, review(reviewer, 4))
	require.Equal(t, reward.SkipDailyCap, review(reviewer, 4), "8 + 4 > 10: skipped, not paid 2")
	require.Empty(t, review(reviewer, 2), "8 + 2 = 10 is within the cap")
	require.Equal(t, reward.SkipDailyCap, review(reviewer, 1))
	require.Empty(t, review(reseller, 4), "the cap is per account")
	require.Equal(t, amt(10), e.Balance(reviewer))
	require.JSONEq(t, `{"amount":"10"}`, string(e.L.GetCommitted(e.Key("reward.day", reviewer, "2026-03-01"))))

	e.L.SetTime(time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC))
	require.Empty(t, review(reviewer, 4), "a new UTC day, a new cap")
	require.Equal(t, amt(14), e.Balance(reviewer))
	require.JSONEq(t, `{"amount":"4"}`, string(e.L.GetCommitted(e.Key("reward.day", reviewer, "2026-03-02"))))

	// Without a cap no day row is read or written.
	e.setRule(reward.Rule{Activity: reward.Review, Fixed: amt(4), Enabled: true})
	for range 3 {
		require.Empty(t, review(reviewer, 4))
	}
	require.JSONEq(t, `{"amount":"4"}`, string(e.L.GetCommitted(e.Key("reward.day", reviewer, "2026-03-02"))))
	require.Equal(t, amt(26), e.Balance(reviewer))
	require.True(t, e.Audit().OK)
}

// An amount that would overflow the day's total is past any cap.
func TestDailyCapOverflowIsASkip(t *testing.T) {
	e := newEnv(t)
	e.setRule(reward.Rule{Activity: reward.Review, Fixed: amt(1), Enabled: true, DailyCap: money.MaxAmount()})
	_, _, err := e.settle(reviewOf(1, 5), e.fund(1, 5))
	require.NoError(t, err)
	skip, err := reward.Check(e.Eval(), reviewOf(2, ^uint64(0)), "")
	require.NoError(t, err)
	require.Equal(t, reward.SkipDailyCap, skip)
}

// Fabric has no read-your-writes: a Session remembers what it paid in the
// transaction, so a second Pay of one (activity, subject) and a second
// capped review see the first. The package functions keep no memory, which
// is why a transaction paying several rewards uses a Session.
func TestSessionRemembersItsTransaction(t *testing.T) {
	e := newEnv(t)
	e.setRule(purchaseRule)
	e.setRule(reward.Rule{Activity: reward.Review, Fixed: amt(4), Enabled: true, DailyCap: amt(10)})
	srcs := []funded{e.fund(1, 10), e.fund(2, 8), e.fund(3, 4)}
	e.Must(func(tx ledger.State, k *wallet.Keeper, ev ledger.Emitter) error {
		s := reward.NewSession(tx, k, ev)
		pay := func(g reward.Grant, src funded) string {
			skip, err := s.Check(g)
			require.NoError(t, err)
			if skip != "" {
				reward.Skip(ev, g, skip)
				return skip
			}
			_, err = k.Debit(src.holder, []string{src.coin}, g.Amount, "order.reward", g.To)
			require.NoError(t, err)
			require.NoError(t, s.Pay(g, src.holder))
			return ""
		}
		require.Empty(t, pay(purchaseOf(1, 10), srcs[0]))
		skip, err := s.Check(purchaseOf(1, 10))
		require.NoError(t, err)
		require.Equal(t, reward.SkipAlreadyPaid, skip, "the marker written in this transaction counts")
		require.ErrorIs(t, s.Pay(purchaseOf(1, 10), srcs[1].holder), errs.ErrInvalidState)
		skip, err = reward.Check(tx, purchaseOf(1, 10), "")
		require.NoError(t, err)
		require.Empty(t, skip, "without a Session the transaction's own marker is invisible")

		require.Empty(t, pay(reviewOf(1, 8), srcs[1]))
		require.Equal(t, reward.SkipDailyCap, pay(reviewOf(2, 4), srcs[2]), "8 paid in this transaction + 4 > 10")
		skip, err = s.Check(reviewOf(3, 2))
		require.NoError(t, err)
		require.Empty(t, skip, "8 + 2 is within the cap")
		return nil
	})
	require.Equal(t, amt(10), e.Balance(buyer))
	require.Equal(t, amt(8), e.Balance(reviewer))
	require.Equal(t, amt(4), e.Balance(srcs[2].holder), "the skipped review's source was not debited")
	require.JSONEq(t, `{"amount":"8"}`, string(e.L.GetCommitted(e.Key("reward.day", reviewer, "2026-03-01"))))
	require.True(t, e.Audit().OK)
}

// Rewards to one account for different subjects, in transactions that run
// concurrently, all commit: every credit is a blind new coin, and each
// reads only its own marker and the admin's rule. Two transactions paying
// the same (activity, subject) conflict, which keeps it at most once.
func TestConcurrentRewardsToOneAccountCommit(t *testing.T) {
	e := newEnv(t)
	e.setRule(purchaseRule)
	e.setRule(reward.Rule{Activity: reward.ReferredSale, RateBps: 200, Enabled: true})
	e.setRule(reward.Rule{Activity: reward.Conversion, Fixed: amt(3), Enabled: true})
	grants := []reward.Grant{
		{Activity: reward.ReferredSale, Subject: "order:" + buyer + ":o1", To: reseller, Amount: amt(20)},
		{Activity: reward.ReferredSale, Subject: "order:" + buyer + ":o2", To: reseller, Amount: amt(20)},
		{Activity: reward.Conversion, Subject: "conversion:" + buyer + ":o3", To: reseller, Amount: amt(3)},
		{Activity: reward.Purchase, Subject: "order:" + buyer + ":o4", To: reseller, Amount: amt(10)},
		{Activity: reward.ReferredSale, Subject: "order:" + buyer + ":o1", To: reseller, Amount: amt(20)}, // a duplicate of the first
	}
	var txs []*memledger.Tx
	for i, g := range grants {
		src := e.fund(i+1, g.Amount.Uint64())
		tx := e.Begin()
		var ev ledger.Events
		var skip string
		require.NoError(t, settleIn(tx, wallet.NewKeeper(tx).ReportTo(&ev), &ev, txDay(t, tx), g, src, &skip))
		require.Empty(t, skip)
		txs = append(txs, tx)
	}
	for _, tx := range txs[:4] {
		require.NoError(t, tx.Commit())
	}
	require.ErrorIs(t, txs[4].Commit(), memledger.ErrMVCCConflict, "the same (activity, subject) twice at once")
	require.Equal(t, amt(53), e.Balance(reseller))
	require.True(t, e.Audit().OK)
}
