package order_test

import (
	"testing"
	"time"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/moderation"
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/contracts/order"
	"github.com/likrcommerce/likr/contracts/wallet"
)

var (
	moderator = acct(40)
	admin     = acct(41)
)

// disputed registers the moderator (a flat fee of 100 plus 1%) and
// returns an env whose order o1 (2 x 1000 through the referrer shop) is
// disputed before it.
func disputed(t *testing.T) *env {
	e := orderIn(t, order.Shipped)
	e.Must(func(st ledger.State, _ *wallet.Keeper, ev ledger.Emitter) error {
		_, err := moderation.Register(st, ev, moderator, moderation.RegisterRequest{
			Fee: moderation.Fee{Bps: 100, Flat: amt(100)}, Description: "분쟁 조정 10년 경력",
		})
		return err
	})
	wantCode(t, e.dispute(buyer, moderator), "")
	return e
}

func (e *env) dispute(who, mod string) error {
	_, err := e.Submit(func(st ledger.State, _ *wallet.Keeper, ev ledger.Emitter) error {
		_, err := order.OpenDispute(st, ev, e.cfg, who, order.Ref{Buyer: buyer, ID: "o1"}, order.DisputeRequest{Moderator: mod, Reason: "box arrived crushed"})
		return err
	})
	return err
}

func (e *env) resolve(who string, isAdmin bool, shareBps money.Rate, fee uint64) error {
	_, err := e.Submit(func(st ledger.State, k *wallet.Keeper, ev ledger.Emitter) error {
		_, err := order.ResolveDispute(st, k, ev, e.cfg, who, isAdmin, order.Ref{Buyer: buyer, ID: "o1"}, order.ResolveRequest{BuyerShareBps: shareBps, Fee: amt(fee)})
		return err
	})
	return err
}

func TestOpenDisputeRefusals(t *testing.T) {
	e := orderIn(t, order.Shipped)
	wantCode(t, e.dispute(buyer, moderator), errs.NotFound)
	e.Must(func(st ledger.State, _ *wallet.Keeper, ev ledger.Emitter) error {
		_, err := moderation.Register(st, ev, friend, moderation.RegisterRequest{Fee: moderation.Fee{Flat: amt(1)}, Description: "friend"})
		return err
	})
	wantCode(t, e.dispute(buyer, friend), errs.InvalidArgument) // the referrer is a party
	wantCode(t, e.dispute(seller, friend), errs.Forbidden)
	wantCode(t, e.dispute(buyer, "nobody"), errs.InvalidArgument)

	placed := orderIn(t, order.Placed)
	placed.Must(func(st ledger.State, _ *wallet.Keeper, ev ledger.Emitter) error {
		_, err := moderation.Register(st, ev, moderator, moderation.RegisterRequest{Fee: moderation.Fee{Flat: amt(1)}, Description: "m"})
		return err
	})
	wantCode(t, placed.dispute(buyer, moderator), errs.InvalidState)
}

func TestDisputeSuspendsAutoRelease(t *testing.T) {
	e := disputed(t)
	if o := e.get("o1", buyer); o.Status != order.Disputed || o.Dispute.MaxFee != amt(120) {
		t.Fatalf("order %+v: the fee fixed at opening is 100 + 1%% of 2000", o.Dispute)
	}
	e.L.Advance(2 * autoRelease)
	wantCode(t, e.step(order.Release, stranger, "o1", buyer), errs.InvalidState)
	wantCode(t, e.step(order.ConfirmDelivery, buyer, "o1", buyer), errs.InvalidState)
	wantCode(t, e.dispute(buyer, moderator), errs.InvalidState)
}

func TestModeratorResolvesWithAProportionalSplit(t *testing.T) {
	e := disputed(t)
	// The moderator raises its fee afterwards: the order keeps the old one.
	e.Must(func(st ledger.State, _ *wallet.Keeper, ev ledger.Emitter) error {
		_, err := moderation.Update(st, ev, moderator, moderation.UpdateRequest{Fee: moderation.Fee{Flat: amt(900)}, Description: "pricier now", Active: true})
		return err
	})
	wantCode(t, e.resolve(stranger, false, 5000, 0), errs.Forbidden)
	wantCode(t, e.resolve(moderator, false, 5000, 121), errs.InvalidArgument)
	wantCode(t, e.resolve(moderator, false, 10001, 0), errs.InvalidArgument)
	wantCode(t, e.resolve(moderator, false, 5000, 100), "")
	// 2000 - fee 100 = 1900; half refunded (950); the other 950 split like a
	// settlement in proportion: supplier 1200 x 950/2000 = 570, commission
	// 10% = 95, platform 5% = 47, seller 238.
	want := map[string]uint64{
		buyer: initialFund - 2000 + 950, moderator: 100, supplier: 570, friend: 95,
		wallet.PlatformFees: 47, seller: 238,
	}
	for who, n := range want {
		if got := e.balance(who); got != n {
			t.Errorf("%s holds %d, want %d", who, got, n)
		}
	}
	o := e.get("o1", buyer)
	if o.Status != order.Completed || o.Settlement.Trigger != "dispute" || o.Dispute.Resolution.Refund != amt(950) {
		t.Fatalf("order %+v", o)
	}
	wantCode(t, e.resolve(moderator, false, 5000, 100), errs.InvalidState)
	e.MustRead(func(st ledger.State, _ *wallet.Keeper) error {
		p, err := moderation.Profile(st, moderator)
		if err == nil && p.Reputation.Resolved != 1 {
			t.Fatalf("reputation %+v after one resolution", p.Reputation)
		}
		return err
	})
	e.audit()
}

func TestAdminFallbackAfterTheDisputeTimeout(t *testing.T) {
	e := disputed(t)
	wantCode(t, e.resolve(admin, true, 10000, 0), errs.InvalidState)
	e.L.Advance(time.Duration(e.cfg.DisputeTimeoutSeconds) * time.Second)
	wantCode(t, e.resolve(admin, false, 10000, 0), errs.Forbidden)
	wantCode(t, e.resolve(admin, true, 10000, 1), errs.InvalidArgument)
	wantCode(t, e.resolve(admin, true, 10000, 0), "")
	if got := e.balance(buyer); got != initialFund {
		t.Fatalf("a full refund left the buyer with %d", got)
	}
	if o := e.get("o1", buyer); o.Settlement.Trigger != "dispute_fallback" || !o.Dispute.Resolution.Fallback {
		t.Fatalf("order %+v", o.Dispute)
	}
	e.MustRead(func(st ledger.State, _ *wallet.Keeper) error {
		p, err := moderation.Profile(st, moderator)
		if err == nil && (p.Reputation.Resolved != 0 || p.Reputation.ByFallback != 1) {
			t.Fatalf("a fallback counted for the moderator: %+v", p.Reputation)
		}
		return err
	})
	e.audit()
}
