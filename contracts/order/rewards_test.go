package order_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/contracts/order"
	"github.com/likrcommerce/likr/contracts/reward"
	"github.com/likrcommerce/likr/contracts/wallet"
)

// The reward rules of these tests. An order of 2 x 1000 has a platform
// fee of 100: purchase 20 + referred sale 1% (20) + review 30 and
// conversion 10 reserved leave 20 for the platform.
var testRules = []reward.Rule{
	{Activity: reward.Purchase, Fixed: amt(20), Enabled: true},
	{Activity: reward.ReferredSale, RateBps: 100, Enabled: true},
	{Activity: reward.Review, Fixed: amt(30), Enabled: true, DailyCap: amt(50)},
	{Activity: reward.Conversion, Fixed: amt(10), Enabled: true},
}

func (e *env) setRules(rules ...reward.Rule) {
	e.T.Helper()
	for _, r := range rules {
		e.Must(func(st ledger.State, _ *wallet.Keeper, ev ledger.Emitter) error { return reward.SetRule(st, ev, r) })
	}
}

// settled places o1 (2 units, through the referrer shop), ships and
// confirms it, and returns the settlement's events.
func (e *env) settled(id, who string) ledger.Events {
	e.T.Helper()
	if _, err := e.place(who, id, 2, 0, &referrerRef); err != nil {
		e.T.Fatal(err)
	}
	wantCode(e.T, e.ship(seller, id, who), "")
	return e.Must(func(st ledger.State, k *wallet.Keeper, ev ledger.Emitter) error {
		_, err := order.ConfirmDelivery(st, k, ev, e.cfg, who, order.Ref{Buyer: who, ID: id})
		return err
	})
}

func (e *env) review(id string, converted bool) ledger.Events {
	e.T.Helper()
	return e.Must(func(st ledger.State, k *wallet.Keeper, ev ledger.Emitter) error {
		o, err := order.Get(st, order.Ref{Buyer: buyer, ID: id})
		if err != nil {
			return err
		}
		_, err = order.PayReviewRewards(st, k, ev, o, converted)
		return err
	})
}

// skipped returns the reasons of the reward.skipped events in evs.
func skipped(t testing.TB, evs ledger.Events) []string {
	var reasons []string
	for _, x := range evs {
		b, err := json.Marshal(x)
		if err != nil {
			t.Fatal(err)
		}
		var v struct{ Type, Reason string }
		_ = json.Unmarshal(b, &v)
		if v.Type == "reward.skipped" {
			reasons = append(reasons, v.Reason)
		}
	}
	return reasons
}

func TestSettlementCarvesRewardsOutOfThePlatformFee(t *testing.T) {
	e := newEnv(t)
	e.setRules(testRules...)
	e.settled("o1", buyer)
	o := e.get("o1", buyer)
	r := o.Rewards
	if r == nil || r.Purchase != amt(20) || r.ReferredSale != amt(20) || r.Review != amt(30) || r.Conversion != amt(10) || r.ReserveCoin == "" {
		t.Fatalf("rewards %+v", r)
	}
	want := map[string]uint64{
		buyer:                      initialFund - 2000 + 20,
		friend:                     200 + 20, // commission + referred-sale reward
		wallet.PlatformFees:        20,
		supplier:                   1200,
		seller:                     500,
		r.Reserve:                  40,
		"~escrow:" + buyer + ":o1": 0,
	}
	for who, n := range want {
		if got := e.balance(who); got != n {
			t.Errorf("%s holds %d, want %d", who, got, n)
		}
	}
	e.audit()
}

func TestRewardsThatTheFeeCannotCoverAreSkipped(t *testing.T) {
	e := newEnv(t)
	e.setRules(reward.Rule{Activity: reward.Purchase, Fixed: amt(90), Enabled: true},
		reward.Rule{Activity: reward.ReferredSale, Fixed: amt(20), Enabled: true},
		reward.Rule{Activity: reward.Review, Fixed: amt(15), Enabled: true})
	evs := e.settled("o1", buyer)
	if got := skipped(t, evs); len(got) != 2 || got[0] != "platform_fee_short" || got[1] != "platform_fee_short" {
		t.Fatalf("skipped %v: the referred-sale reward and the review reserve exceed what the purchase reward left", got)
	}
	if got := e.balance(wallet.PlatformFees); got != 10 {
		t.Fatalf("platform keeps %d", got)
	}
	if o := e.get("o1", buyer); o.Status != order.Completed || o.Rewards.Purchase != amt(90) {
		t.Fatalf("order %+v", o)
	}
	e.audit()
}

func TestNoRewardsWhenTheSupplierBuysItsOwnProduct(t *testing.T) {
	e := newEnv(t)
	e.setRules(testRules...)
	e.Must(func(_ ledger.State, k *wallet.Keeper, _ ledger.Emitter) error {
		return k.Mint(supplier, amt(5000), e.cfg.SupplyCap)
	})
	if _, err := e.place(supplier, "own", 1, 0, nil); err != nil {
		t.Fatal(err)
	}
	wantCode(t, e.ship(seller, "own", supplier), "")
	wantCode(t, e.step(order.ConfirmDelivery, supplier, "own", supplier), "")
	if o := e.get("own", supplier); o.Rewards != nil {
		t.Fatalf("a supplier buying its own product earned %+v", o.Rewards)
	}
	if got := e.balance(wallet.PlatformFees); got != 50 {
		t.Fatalf("platform keeps %d of the 50 fee", got)
	}
}

func TestReviewPaysTheReserveOnce(t *testing.T) {
	for _, converted := range []bool{true, false} {
		e := newEnv(t)
		e.setRules(testRules...)
		e.settled("o1", buyer)
		before := e.balance(buyer)
		e.review("o1", converted)
		paid, platform := uint64(30), uint64(20+10)
		if converted {
			paid, platform = 40, 20
		}
		if got := e.balance(buyer) - before; got != paid {
			t.Fatalf("converted=%v: the review paid %d, want %d", converted, got, paid)
		}
		if got := e.balance(wallet.PlatformFees); got != platform {
			t.Fatalf("converted=%v: platform holds %d, want %d", converted, got, platform)
		}
		if o := e.get("o1", buyer); o.Rewards.ReserveClosed != "review" {
			t.Fatalf("reserve %+v", o.Rewards)
		}
		e.review("o1", converted)
		if got := e.balance(buyer) - before; got != paid {
			t.Fatal("a second review hook paid again")
		}
		e.audit()
	}
}

func TestReserveReturnsToThePlatformAfterTheWindow(t *testing.T) {
	e := newEnv(t)
	e.setRules(testRules...)
	e.settled("o1", buyer)
	wantCode(t, e.step(order.ExpireReserve, stranger, "o1", buyer), errs.InvalidState)
	e.L.Advance(e.cfg.ReviewWindow())
	wantCode(t, e.step(order.ExpireReserve, stranger, "o1", buyer), "")
	if got := e.balance(wallet.PlatformFees); got != 60 {
		t.Fatalf("platform holds %d after the reserve returned", got)
	}
	wantCode(t, e.step(order.ExpireReserve, stranger, "o1", buyer), errs.InvalidState)
	before := e.balance(buyer)
	e.review("o1", true)
	if e.balance(buyer) != before {
		t.Fatal("a review after expiry was paid from a closed reserve")
	}
	e.audit()
}

func TestReviewRewardsRespectTheDailyCap(t *testing.T) {
	e := newEnv(t)
	e.setRules(testRules...)
	e.settled("o1", buyer)
	e.settled("o2", buyer)
	e.review("o1", false)
	evs := e.review("o2", false)
	if got := skipped(t, evs); len(got) != 1 || got[0] != "daily_cap" {
		t.Fatalf("skipped %v: 30 + 30 passes the cap of 50", got)
	}
	e.settled("o3", buyer)
	e.L.Advance(24 * time.Hour)
	before := e.balance(buyer)
	e.review("o3", false)
	if got := e.balance(buyer) - before; got != 30 {
		t.Fatalf("the next day's review paid %d", got)
	}
	e.audit()
}

func TestDisabledRulesPayNothing(t *testing.T) {
	e := newEnv(t)
	rules := append([]reward.Rule(nil), testRules...)
	for i := range rules {
		rules[i].Enabled = false
	}
	e.setRules(rules...)
	evs := e.settled("o1", buyer)
	if o := e.get("o1", buyer); o.Rewards.Purchase != (money.Amount{}) || o.Rewards.ReserveCoin != "" {
		t.Fatalf("disabled rules paid %+v", o.Rewards)
	}
	if got := skipped(t, evs); len(got) != 0 {
		t.Fatalf("disabled rules are not skips: %v", got)
	}
	if got := e.balance(wallet.PlatformFees); got != 100 {
		t.Fatalf("platform holds %d", got)
	}
}
