package reward_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/contracts/reward"
	"github.com/likrcommerce/likr/contracts/wallet"
)

// poolCoins returns the IDs of the campaign pool's coins.
func (e *env) poolCoins() []string {
	e.T.Helper()
	page, err := wallet.NewKeeper(e.Eval()).Coins(wallet.CampaignPool, ledger.MaxPageSize, "")
	require.NoError(e.T, err)
	var ids []string
	for _, c := range page.Coins {
		ids = append(ids, c.ID)
	}
	return ids
}

// fundPool mints n to the admin and moves it into the pool.
func (e *env) fundPool(n uint64) {
	e.T.Helper()
	coin := e.mint(admin, n)
	e.Must(func(_ ledger.State, k *wallet.Keeper, _ ledger.Emitter) error {
		return reward.FundPool(k, admin, []string{coin}, amt(n))
	})
}

func (e *env) batch(recipients []string, each money.Amount, campaign string, inputs []string) (ledger.Events, error) {
	e.T.Helper()
	return e.Submit(func(tx ledger.State, k *wallet.Keeper, ev ledger.Emitter) error {
		return reward.BatchReward(tx, k, ev, inputs, recipients, each, campaign)
	})
}

func TestFundPool(t *testing.T) {
	e := newEnv(t)
	coin := e.mint(admin, 1000)
	ev := e.Must(func(_ ledger.State, k *wallet.Keeper, _ ledger.Emitter) error {
		return reward.FundPool(k, admin, []string{coin}, amt(600))
	})
	require.Equal(t, []string{"wallet.debit", "wallet.credit"}, types(t, ev))
	require.Equal(t, "reward.fund", ev[1].(wallet.Event).Kind)
	require.Equal(t, amt(600), e.Balance(wallet.CampaignPool))
	require.Equal(t, amt(400), e.Balance(admin))
	require.True(t, e.Audit().OK)

	before := e.L.Snapshot()
	change := e.poolCoins() // any coin the admin does not hold
	for _, tc := range []struct {
		funder string
		inputs []string
		amount money.Amount
		want   error
	}{
		{admin, change, amt(1), errs.ErrNotFound},
		{admin, []string{ev[0].(wallet.Event).Coin}, amt(401), errs.ErrInsufficientFunds},
		{admin, []string{ev[0].(wallet.Event).Coin}, amt(0), errs.ErrInvalidArgument},
		{wallet.CampaignPool, change, amt(1), errs.ErrInvalidArgument},
	} {
		_, err := e.Submit(func(_ ledger.State, k *wallet.Keeper, _ ledger.Emitter) error {
			return reward.FundPool(k, tc.funder, tc.inputs, tc.amount)
		})
		require.ErrorIs(t, err, tc.want, "%+v", tc)
	}
	require.Equal(t, before, e.L.Snapshot())
}

func TestBatchReward(t *testing.T) {
	e := newEnv(t)
	e.fundPool(1000)
	recipients := []string{acct(10), acct(11), acct(12)}
	ev, err := e.batch(recipients, amt(100), "spring-2026", e.poolCoins())
	require.NoError(t, err)
	require.Equal(t, []string{"wallet.debit", "wallet.credit", "reward.paid", "wallet.credit", "reward.paid", "wallet.credit", "reward.paid", "reward.batch"}, types(t, ev))
	require.Equal(t, reward.BatchEvent{Type: "reward.batch", Campaign: "spring-2026", Recipients: 3, AmountEach: amt(100), Total: amt(300)}, ev[7])
	debit := ev[0].(wallet.Event)
	require.Equal(t, wallet.CampaignPool, debit.Holder)
	require.Equal(t, amt(300), debit.Amount)
	for i, r := range recipients {
		require.Equal(t, amt(100), e.Balance(r))
		paid := ev[2+2*i].(reward.PaidEvent)
		require.Equal(t, reward.PaidEvent{Type: "reward.paid", Activity: reward.Campaign, Subject: "spring-2026:" + r, To: r, Amount: amt(100), Source: wallet.CampaignPool, Coin: paid.Coin}, paid)
		receipt, err := reward.Lookup(e.Eval(), reward.Campaign, reward.BatchSubject("spring-2026", r))
		require.NoError(t, err)
		require.Equal(t, amt(100), receipt.Amount)
	}
	require.Equal(t, amt(700), e.Balance(wallet.CampaignPool))
	page, err := reward.History(e.Eval(), acct(11), 10, "")
	require.NoError(t, err)
	require.Len(t, page.Entries, 1)
	require.Equal(t, reward.Campaign, page.Entries[0].Activity)
	require.Equal(t, "spring-2026:"+acct(11), page.Entries[0].Subject)

	// Another campaign pays the same people again.
	_, err = e.batch(recipients[:1], amt(50), "summer-2026", e.poolCoins())
	require.NoError(t, err)
	require.Equal(t, amt(150), e.Balance(acct(10)))
	require.Equal(t, amt(650), e.Balance(wallet.CampaignPool))
	require.True(t, e.Audit().OK)
}

// Every refused batch writes nothing and emits nothing (run checks it);
// the ledger is byte for byte what it was.
func TestBatchRewardRefusals(t *testing.T) {
	e := newEnv(t)
	e.fundPool(1000)
	_, err := e.batch([]string{acct(10)}, amt(100), "spring", e.poolCoins())
	require.NoError(t, err)
	before := e.L.Snapshot()
	pool := e.poolCoins()
	many := make([]string, reward.MaxRecipients+1)
	for i := range many {
		many[i] = acct(100 + i)
	}
	twoToThe63, err := money.ParseAmount("9223372036854775808")
	require.NoError(t, err)
	for _, tc := range []struct {
		name       string
		recipients []string
		each       money.Amount
		campaign   string
		inputs     []string
		want       error
	}{
		{"2 x 2^63 overflows (batchOverflow)", []string{acct(20), acct(21)}, twoToThe63, "spring", pool, errs.ErrOverflow},
		{"already paid: the whole batch", []string{acct(20), acct(10)}, amt(1), "spring", pool, errs.ErrAlreadyExists},
		{"pool coins short", []string{acct(20), acct(21)}, amt(451), "spring", pool, errs.ErrInsufficientFunds},
		{"not the pool's coins", []string{acct(20)}, amt(1), "spring", []string{"tx000001.000000"}, errs.ErrNotFound},
		{"no pool coins", []string{acct(20)}, amt(1), "spring", nil, errs.ErrInvalidArgument},
		{"named twice", []string{acct(20), acct(20)}, amt(1), "spring", pool, errs.ErrInvalidArgument},
		{"system holder", []string{wallet.CampaignPool}, amt(1), "spring", pool, errs.ErrInvalidArgument},
		{"no recipients", nil, amt(1), "spring", pool, errs.ErrInvalidArgument},
		{"too many", many, amt(1), "spring", pool, errs.ErrLimitExceeded},
		{"zero each", []string{acct(20)}, amt(0), "spring", pool, errs.ErrInvalidArgument},
		{"campaign with ':'", []string{acct(20)}, amt(1), "spring:x", pool, errs.ErrInvalidArgument},
		{"empty campaign", []string{acct(20)}, amt(1), "", pool, errs.ErrInvalidArgument},
	} {
		_, err := e.batch(tc.recipients, tc.each, tc.campaign, tc.inputs)
		require.ErrorIs(t, err, tc.want, tc.name)
	}
	require.Equal(t, before, e.L.Snapshot())
}

func TestHistoryPages(t *testing.T) {
	e := newEnv(t)
	e.setRule(purchaseRule)
	e.setRule(reward.Rule{Activity: reward.Review, Fixed: amt(4), Enabled: true})
	var want []reward.HistoryEntry
	for i := 1; i <= 5; i++ {
		g := purchaseOf(i, uint64(10+i))
		if i%2 == 0 {
			g = reviewOf(i, 4)
			g.To = buyer
		}
		src := e.fund(i, g.Amount.Uint64())
		_, ev, err := e.settle(g, src)
		require.NoError(t, err)
		paid := ev[len(ev)-1].(reward.PaidEvent)
		require.Equal(t, g.Subject, paid.Subject)
		want = append(want, reward.HistoryEntry{Activity: g.Activity, Subject: g.Subject, Amount: g.Amount, Source: src.holder})
	}
	// Another account's rewards are not in buyer's history.
	_, _, err := e.settle(reward.Grant{Activity: reward.Purchase, Subject: "order:x:1", To: reseller, Amount: amt(10)}, e.fund(9, 10))
	require.NoError(t, err)

	var got []reward.HistoryEntry
	bookmark, pages := "", 0
	for {
		page, err := reward.History(e.Eval(), buyer, 2, bookmark)
		require.NoError(t, err)
		require.LessOrEqual(t, len(page.Entries), 2)
		got = append(got, page.Entries...)
		pages++
		if page.Bookmark == "" {
			break
		}
		bookmark = page.Bookmark
	}
	require.Equal(t, 3, pages)
	require.Len(t, got, len(want))
	for i := range want {
		require.NotEmpty(t, got[i].TxID)
		require.NotEmpty(t, got[i].Time)
		if i > 0 {
			require.Greater(t, got[i].Time, got[i-1].Time, "oldest first")
		}
		got[i].TxID, got[i].Time = "", ""
	}
	require.Equal(t, want, got)

	empty, err := reward.History(e.Eval(), acct(99), 10, "")
	require.NoError(t, err)
	require.Equal(t, &reward.HistoryPage{Entries: []reward.HistoryEntry{}}, empty, "an empty page is an empty list")

	for _, tc := range []struct {
		account  string
		size     int32
		bookmark string
	}{
		{"bob", 10, ""},
		{wallet.CampaignPool, 10, ""},
		{buyer, 0, ""},
		{buyer, ledger.MaxPageSize + 1, ""},
		{buyer, 10, e.Key("reward.hist", reseller)},
	} {
		_, err := reward.History(e.Eval(), tc.account, tc.size, tc.bookmark)
		require.ErrorIs(t, err, errs.ErrInvalidArgument, "%+v", tc)
	}
}
