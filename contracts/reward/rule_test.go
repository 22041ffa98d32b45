package reward_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/contracts/reward"
	"github.com/likrcommerce/likr/contracts/wallet"
)

func TestActivities(t *testing.T) {
	require.Equal(t, []reward.Activity{"purchase", "review", "conversion", "referred_sale"}, reward.Activities())
	for _, a := range reward.Activities() {
		require.NoError(t, a.Validate())
	}
	for _, a := range []reward.Activity{"", "campaign", "Purchase", "purchase ", "refund"} {
		require.ErrorIs(t, a.Validate(), errs.ErrInvalidArgument, "%q", a)
	}
	require.Equal(t, "reward.referred_sale", reward.ReferredSale.Kind())
}

func TestRuleValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		rule reward.Rule
		ok   bool
	}{
		{"fixed", reward.Rule{Activity: reward.Review, Fixed: amt(5), Enabled: true}, true},
		{"rate", reward.Rule{Activity: reward.Purchase, RateBps: 50, Enabled: true}, true},
		{"both", purchaseRule, true},
		{"full rate", reward.Rule{Activity: reward.ReferredSale, RateBps: money.MaxRate, Enabled: true}, true},
		{"disabled keeps terms", reward.Rule{Activity: reward.Conversion, Fixed: amt(3)}, true},
		{"disabled zero", reward.Rule{Activity: reward.Conversion}, true},
		{"review cap", reward.Rule{Activity: reward.Review, Fixed: amt(5), Enabled: true, DailyCap: amt(5)}, true},
		{"unknown activity", reward.Rule{Activity: "refund", Fixed: amt(1), Enabled: true}, false},
		{"campaign has no rule", reward.Rule{Activity: reward.Campaign, Fixed: amt(1), Enabled: true}, false},
		{"rate above 100%", reward.Rule{Activity: reward.Purchase, RateBps: money.MaxRate + 1, Enabled: true}, false},
		{"enabled pays nothing", reward.Rule{Activity: reward.Purchase, Enabled: true}, false},
		{"cap on referred sales", reward.Rule{Activity: reward.ReferredSale, Fixed: amt(1), Enabled: true, DailyCap: amt(10)}, false},
		{"cap on purchases", reward.Rule{Activity: reward.Purchase, Fixed: amt(1), DailyCap: amt(10)}, false},
		{"cap below fixed", reward.Rule{Activity: reward.Review, Fixed: amt(6), Enabled: true, DailyCap: amt(5)}, false},
	} {
		err := tc.rule.Validate()
		if tc.ok {
			require.NoError(t, err, tc.name)
		} else {
			require.ErrorIs(t, err, errs.ErrInvalidArgument, tc.name)
		}
	}
}

func TestAmountFor(t *testing.T) {
	max := money.MaxAmount()
	for _, tc := range []struct {
		name string
		rule reward.Rule
		base money.Amount
		want money.Amount
		err  error
	}{
		{"fixed plus rate", purchaseRule, amt(20000), amt(210), nil},
		{"rate rounds down", reward.Rule{Activity: reward.Purchase, RateBps: 100, Enabled: true}, amt(199), amt(1), nil},
		{"zero base", purchaseRule, amt(0), amt(10), nil},
		{"disabled pays nothing", reward.Rule{Activity: reward.Purchase, Fixed: amt(10), RateBps: 100}, amt(20000), amt(0), nil},
		{"full rate of the largest base", reward.Rule{Activity: reward.Purchase, RateBps: money.MaxRate, Enabled: true}, max, max, nil},
		{"fixed plus rate overflows", reward.Rule{Activity: reward.Purchase, Fixed: amt(1), RateBps: money.MaxRate, Enabled: true}, max, amt(0), errs.ErrOverflow},
		{"largest fixed plus a rate overflows", reward.Rule{Activity: reward.Purchase, Fixed: max, RateBps: 1, Enabled: true}, amt(10000), amt(0), errs.ErrOverflow},
		{"invalid rate is refused, not a panic", reward.Rule{Activity: reward.Purchase, RateBps: 20000, Enabled: true}, amt(1), amt(0), errs.ErrInvalidArgument},
	} {
		got, err := tc.rule.AmountFor(tc.base)
		if tc.err != nil {
			require.ErrorIs(t, err, tc.err, tc.name)
			continue
		}
		require.NoError(t, err, tc.name)
		require.Equal(t, tc.want, got, tc.name)
	}
}

func TestRulesAreStoredAndListed(t *testing.T) {
	e := newEnv(t)
	rules, err := reward.ListRules(e.Eval())
	require.NoError(t, err)
	require.Len(t, rules, 4)
	for i, a := range reward.Activities() {
		require.Equal(t, reward.Rule{Activity: a}, rules[i], "no row is a disabled zero rule")
	}

	review := reward.Rule{Activity: reward.Review, Fixed: amt(5), Enabled: true, DailyCap: amt(12)}
	ev := e.Must(func(tx ledger.State, _ *wallet.Keeper, ev ledger.Emitter) error {
		return reward.SetRule(tx, ev, review)
	})
	require.Equal(t, ledger.Events{reward.RuleSetEvent{Type: "reward.rule_set", Rule: review}}, ev)
	require.JSONEq(t, `{"activity":"review","fixed":"5","rateBps":0,"enabled":true,"dailyCap":"12"}`,
		string(e.L.GetCommitted(e.Key("reward.rule", "review"))))
	e.setRule(purchaseRule)

	got, err := reward.GetRule(e.Eval(), reward.Review)
	require.NoError(t, err)
	require.Equal(t, review, *got)
	rules, err = reward.ListRules(e.Eval())
	require.NoError(t, err)
	require.Equal(t, []reward.Rule{purchaseRule, review, {Activity: reward.Conversion}, {Activity: reward.ReferredSale}}, rules)

	// Replacing a rule overwrites it; disabling keeps its terms.
	off := review
	off.Enabled = false
	e.setRule(off)
	got, err = reward.GetRule(e.Eval(), reward.Review)
	require.NoError(t, err)
	require.Equal(t, off, *got)

	_, err = reward.GetRule(e.Eval(), "refund")
	require.ErrorIs(t, err, errs.ErrInvalidArgument)
}

func TestInvalidRuleWritesNothing(t *testing.T) {
	e := newEnv(t)
	e.setRule(purchaseRule)
	before := e.L.Snapshot()
	_, err := e.Submit(func(tx ledger.State, _ *wallet.Keeper, ev ledger.Emitter) error {
		return reward.SetRule(tx, ev, reward.Rule{Activity: reward.Purchase, Enabled: true})
	})
	require.ErrorIs(t, err, errs.ErrInvalidArgument)
	require.Equal(t, before, e.L.Snapshot())
}

func TestCorruptRuleIsInternal(t *testing.T) {
	e := newEnv(t)
	data, err := json.Marshal(reward.Rule{Activity: reward.Review, Fixed: amt(1), Enabled: true})
	require.NoError(t, err)
	e.Must(func(tx ledger.State, _ *wallet.Keeper, _ ledger.Emitter) error {
		return tx.PutState(e.Key("reward.rule", "purchase"), data) // the review rule under purchase
	})
	_, err = reward.GetRule(e.Eval(), reward.Purchase)
	require.ErrorIs(t, err, errs.ErrInternal)
}
