package chaincode

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/wallet"
)

const reviewRuleJSON = `{"activity":"review","fixed":"5","rateBps":0,"enabled":true,"dailyCap":"20"}`

// holderCoins returns the IDs of a holder's unspent coins as a JSON array,
// listed by the admin (system holders have no identity of their own).
func (f *fixture) holderCoins(holder string) string {
	f.t.Helper()
	ids := []string{}
	for _, c := range f.mustCall("admin", "wallet:Coins", holder, "100", "")["coins"].([]any) {
		ids = append(ids, c.(map[string]any)["id"].(string))
	}
	data, err := json.Marshal(ids)
	require.NoError(f.t, err)
	return string(data)
}

// rewardFixture is an initialised chaincode whose admin holds 1000 and
// has funded the campaign pool with 600 of it.
func rewardFixture(t *testing.T) *fixture {
	f := newFixture(t)
	f.mustCall("admin", "config:Init", initJSON)
	f.mustCall("admin", "wallet:Mint", f.account("admin"), "1000")
	f.mustCall("admin", "reward:FundPool", "600", f.coins("admin"))
	return f
}

func TestRewardRulesThroughTheContract(t *testing.T) {
	f := newFixture(t)
	f.mustCall("admin", "config:Init", initJSON)
	rules := f.mustCall("consumer", "reward:Rules")["rules"].([]any)
	require.Len(t, rules, 4)
	require.Equal(t, map[string]any{"activity": "purchase", "fixed": "0", "rateBps": float64(0), "enabled": false, "dailyCap": "0"}, rules[0],
		"a rule never set is a disabled zero rule")

	set := f.invoke("admin", "reward:SetRule", reviewRuleJSON)
	require.NoError(t, set.err)
	require.JSONEq(t, reviewRuleJSON, set.payload)
	events := businessEvents(t, set)
	require.Equal(t, []string{"reward.rule_set"}, eventTypes(events))
	f.mustCall("admin", "reward:SetRule", `{"activity":"referred_sale","fixed":"0","rateBps":150,"enabled":true,"dailyCap":"0"}`)

	var got struct {
		Rules []json.RawMessage `json:"rules"`
	}
	require.NoError(t, json.Unmarshal([]byte(must(f.call("seller", "reward:Rules"))), &got))
	require.Len(t, got.Rules, 4)
	require.JSONEq(t, reviewRuleJSON, string(got.Rules[1]))
	require.JSONEq(t, `{"activity":"referred_sale","fixed":"0","rateBps":150,"enabled":true,"dailyCap":"0"}`, string(got.Rules[3]))
}

func TestRewardPoolAndBatchThroughTheContract(t *testing.T) {
	f := rewardFixture(t)
	seller, supplier := f.account("seller"), f.account("supplier")
	require.Equal(t, "600", f.mustCall("admin", "wallet:Balance", wallet.CampaignPool)["balance"])
	require.Equal(t, "400", f.mustCall("admin", "wallet:Balance", f.account("admin"))["balance"])

	recipients := fmt.Sprintf(`[%q,%q]`, seller, supplier)
	batch := f.invoke("admin", "reward:BatchReward", recipients, "100", "launch", f.holderCoins(wallet.CampaignPool))
	require.NoError(t, batch.err)
	events := businessEvents(t, batch)
	require.Equal(t, []string{"wallet.debit", "wallet.credit", "reward.paid", "wallet.credit", "reward.paid", "reward.batch"}, eventTypes(events))
	require.Equal(t, "200", events[0]["amount"])
	require.Equal(t, wallet.CampaignPool, events[0]["holder"])
	require.Equal(t, "launch:"+seller, events[2]["subject"])
	for _, who := range []string{seller, supplier} {
		require.Equal(t, "100", f.mustCall("admin", "wallet:Balance", who)["balance"], who)
	}
	require.Equal(t, "400", f.mustCall("auditor", "wallet:Balance", wallet.CampaignPool)["balance"])

	history := f.mustCall("seller", "reward:History", seller, "10", "")
	entries := history["entries"].([]any)
	require.Len(t, entries, 1)
	entry := entries[0].(map[string]any)
	require.Equal(t, "campaign", entry["activity"])
	require.Equal(t, "launch:"+seller, entry["subject"])
	require.Equal(t, "100", entry["amount"])
	require.Equal(t, wallet.CampaignPool, entry["source"])
	require.Equal(t, "", history["bookmark"])

	// A campaign pays each recipient once: the whole batch is refused.
	third := f.account("moderator")
	_, err := f.call("admin", "reward:BatchReward", fmt.Sprintf(`[%q,%q]`, third, seller), "100", "launch", f.holderCoins(wallet.CampaignPool))
	require.ErrorIs(t, err, errs.ErrAlreadyExists)
	require.Equal(t, "0", f.mustCall("admin", "wallet:Balance", third)["balance"])

	// 2 x 2^63 wraps to 0 in uint64: BeautyChain's batchOverflow.
	before := f.l.Snapshot()
	_, err = f.call("admin", "reward:BatchReward", fmt.Sprintf(`[%q,%q]`, third, f.account("consumer")), "9223372036854775808", "overflow", f.holderCoins(wallet.CampaignPool))
	require.ErrorIs(t, err, errs.ErrOverflow)
	_, err = f.call("admin", "reward:BatchReward", fmt.Sprintf(`[%q]`, third), "401", "big", f.holderCoins(wallet.CampaignPool))
	require.ErrorIs(t, err, errs.ErrInsufficientFunds)
	require.Equal(t, before, f.l.Snapshot(), "refused batches write nothing")

	require.Equal(t, map[string]any{"minted": "1000", "burned": "0", "circulating": "1000"}, f.mustCall("consumer", "wallet:Supply"))
	audit := f.mustCall("auditor", "wallet:Audit")
	require.Equal(t, true, audit["ok"], "%v", audit)
	require.Equal(t, "1000", audit["held"])
	require.Equal(t, "400", audit["heldBySystem"], "the pool")
}

func TestRewardRoleMatrix(t *testing.T) {
	f := rewardFixture(t)
	consumer := f.account("consumer")
	f.mustCall("admin", "reward:BatchReward", fmt.Sprintf(`[%q]`, consumer), "10", "first", f.holderCoins(wallet.CampaignPool))
	for _, r := range []rule{
		{"reward:SetRule", []string{reviewRuleJSON}, []string{"admin"}},
		{"reward:Rules", nil, []string{"*"}},
		{"reward:FundPool", []string{"10", f.coins("admin")}, []string{"admin"}},
		{"reward:History", []string{consumer, "10", ""}, []string{"consumer", "auditor", "admin"}},
	} {
		check(t, f, r)
	}
	// A batch pays each recipient once per campaign, so every identity
	// gets a campaign of its own.
	pool := f.holderCoins(wallet.CampaignPool)
	for i, id := range identities {
		_, err := f.call(id.name, "reward:BatchReward", fmt.Sprintf(`[%q]`, consumer), "10", fmt.Sprintf("c%d", i), pool)
		if id.name == "admin" {
			require.NoError(t, err)
			pool = f.holderCoins(wallet.CampaignPool)
		} else {
			require.ErrorIs(t, err, errs.ErrForbidden, id.name)
			require.Contains(t, err.Error(), "requires", id.name)
		}
	}
	require.Equal(t, "20", f.mustCall("consumer", "wallet:Balance", consumer)["balance"])
	require.Equal(t, true, f.mustCall("auditor", "wallet:Audit")["ok"])
}

// Before config:Init no one holds a role: the admin transactions are
// INVALID_STATE, not FORBIDDEN.
func TestRewardBeforeInit(t *testing.T) {
	f := newFixture(t)
	for _, call := range [][]string{
		{"reward:SetRule", reviewRuleJSON},
		{"reward:FundPool", "1", `["a"]`},
		{"reward:BatchReward", `["` + f.account("consumer") + `"]`, "1", "c", `["a"]`},
	} {
		_, err := f.call("admin", call[0], call[1:]...)
		require.ErrorIs(t, err, errs.ErrInvalidState, call[0])
	}
	require.Empty(t, f.l.Snapshot())
}

func TestRewardErrorsAreCoded(t *testing.T) {
	f := rewardFixture(t)
	consumer := f.account("consumer")
	pool := f.holderCoins(wallet.CampaignPool)
	for _, c := range []struct {
		fn   string
		args []string
		want error
		text string
	}{
		{"reward:SetRule", []string{`{"activity":"review","fixed":5}`}, errs.ErrInvalidArgument, "request"},
		{"reward:SetRule", []string{`{"activity":"review","fixed":"5","enabled":true,"bonus":"1"}`}, errs.ErrInvalidArgument, "unknown field"},
		{"reward:SetRule", []string{`{"activity":"review","activity":"purchase","fixed":"5","enabled":true}`}, errs.ErrInvalidArgument, "duplicate key"},
		{"reward:SetRule", []string{`{"activity":"refund","fixed":"5","enabled":true}`}, errs.ErrInvalidArgument, "activity"},
		{"reward:SetRule", []string{`{"activity":"campaign","fixed":"5","enabled":true}`}, errs.ErrInvalidArgument, "activity"},
		{"reward:SetRule", []string{`{"activity":"purchase","rateBps":10001,"enabled":true}`}, errs.ErrInvalidArgument, "rateBps"},
		{"reward:SetRule", []string{`{"activity":"purchase","fixed":"5","enabled":true,"dailyCap":"9"}`}, errs.ErrInvalidArgument, "dailyCap"},
		{"reward:SetRule", []string{`{"activity":"purchase","enabled":true}`}, errs.ErrInvalidArgument, "must pay"},
		{"reward:FundPool", []string{"0", f.coins("admin")}, errs.ErrInvalidArgument, "amount"},
		{"reward:FundPool", []string{"-1", f.coins("admin")}, errs.ErrInvalidArgument, ""},
		{"reward:FundPool", []string{"401", f.coins("admin")}, errs.ErrInsufficientFunds, ""},
		{"reward:FundPool", []string{"1", pool}, errs.ErrNotFound, ""}, // the pool's coins are not the admin's
		{"reward:BatchReward", []string{`["bob"]`, "1", "c", pool}, errs.ErrInvalidArgument, "recipient"},
		{"reward:BatchReward", []string{`["` + wallet.CampaignPool + `"]`, "1", "c", pool}, errs.ErrInvalidArgument, "recipient"},
		{"reward:BatchReward", []string{`["` + consumer + `","` + consumer + `"]`, "1", "c", pool}, errs.ErrInvalidArgument, "twice"},
		{"reward:BatchReward", []string{`[]`, "1", "c", pool}, errs.ErrInvalidArgument, "recipients"},
		{"reward:BatchReward", []string{`["` + consumer + `"]`, "1.5", "c", pool}, errs.ErrInvalidArgument, ""},
		{"reward:BatchReward", []string{`["` + consumer + `"]`, "1", "bad campaign", pool}, errs.ErrInvalidArgument, "campaign"},
		{"reward:BatchReward", []string{`["` + consumer + `"]`, "1", "c", `"x"`}, errs.ErrInvalidArgument, "poolInputs"},
		{"reward:BatchReward", []string{`["` + consumer + `"]`, "1", "c", f.coins("admin")}, errs.ErrNotFound, ""}, // the admin's coins are not the pool's
		{"reward:History", []string{"not-an-account", "10", ""}, errs.ErrInvalidArgument, "account"},
		{"reward:History", []string{wallet.CampaignPool, "10", ""}, errs.ErrInvalidArgument, "account"},
		{"reward:History", []string{consumer, "0", ""}, errs.ErrInvalidArgument, "page size"},
		{"reward:History", []string{consumer, "10", "forged"}, errs.ErrInvalidArgument, "bookmark"},
		{"reward:Rules", []string{"extra"}, errs.ErrInvalidArgument, "takes 0 arguments"},
	} {
		_, err := f.call("admin", c.fn, c.args...)
		require.ErrorIs(t, err, c.want, "%s %q", c.fn, c.args)
		require.Contains(t, err.Error(), c.text, "%s %q", c.fn, c.args)
	}
	require.Equal(t, true, f.mustCall("auditor", "wallet:Audit")["ok"])
}
