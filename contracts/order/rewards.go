package order

import (
	"errors"
	"time"

	"github.com/likrcommerce/likr/contracts/config"
	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/contracts/reward"
	"github.com/likrcommerce/likr/contracts/wallet"
)

// Rewards records what an order's settlement paid out of its platform fee
// (the purchase and referred-sale rewards) and reserved for the buyer's
// review and conversion rewards, which the review pays, or which return to
// the platform after the review window.
type Rewards struct {
	Purchase      money.Amount `json:"purchase"`
	ReferredSale  money.Amount `json:"referredSale"`
	Review        money.Amount `json:"review"`     // reserved
	Conversion    money.Amount `json:"conversion"` // reserved
	Reserve       string       `json:"reserve,omitempty"`
	ReserveCoin   string       `json:"reserveCoin,omitempty"`
	ReserveUntil  string       `json:"reserveUntil,omitempty"`
	ReserveClosed string       `json:"reserveClosed,omitempty"` // "review" or "expired"
}

// Reasons a commerce reward is skipped, besides the reward package's.
const (
	skipFeeShort = "platform_fee_short"
	reserveName  = "reserve"
	kindReserve  = "order.reserve"
	kindReturn   = "order.reserve_return"
)

// rewardPlan is what payRewards did: the order's record and the part of
// the platform fee left for the platform.
type rewardPlan struct {
	*Rewards
	platformRest money.Amount
}

// eligible reports whether o's buyer may earn rewards: not when it is the
// seller, the supplier or the referrer of its own order (Place already
// refuses the seller and the referrer; a supplier may buy).
func (o *Order) eligible() bool {
	return o.Buyer != o.Listing.Owner && o.Buyer != o.Product.Supplier &&
		(o.Referrer == nil || o.Referrer.Owner != o.Buyer)
}

// subject names o in reward grants: each (activity, order) is paid once.
func (o *Order) subject() string { return "order:" + o.Buyer + ":" + o.ID }

// payRewards carves the commerce rewards out of fee, the order's platform
// fee, at settlement: the purchase reward (to the buyer), the referred-sale
// reward (to the referrer), then the reserve for the review and conversion
// rewards, each only while the fee still covers it; a reward that cannot
// be paid is skipped and recorded in the events. The escrow has already
// been debited; this credits blind new coins only and reads just the rule
// rows and each grant's own dedupe row, so no reward path reads a shared
// pool key.
func payRewards(st ledger.State, k *wallet.Keeper, ev ledger.Emitter, cfg *config.Config, o *Order, fee money.Amount, now time.Time) (rewardPlan, error) {
	plan := rewardPlan{Rewards: &Rewards{}, platformRest: fee}
	if !o.eligible() {
		return rewardPlan{platformRest: fee}, nil
	}
	rs := reward.NewSession(st, k, ev)
	pay := func(a reward.Activity, to string) (money.Amount, error) {
		var none money.Amount
		g, err := o.grant(rs, a, to)
		if err != nil || g.Amount.IsZero() {
			return none, err
		}
		if plan.platformRest.LT(g.Amount) || g.Amount == money.MaxAmount() {
			reward.Skip(ev, g, skipFeeShort)
			return none, nil
		}
		if paid, err := rs.PayOrSkip(g, o.Escrow); err != nil || !paid {
			return none, err
		}
		plan.platformRest, _ = plan.platformRest.Sub(g.Amount) // checked by the LT above
		return g.Amount, nil
	}
	var err error
	if plan.Purchase, err = pay(reward.Purchase, o.Buyer); err != nil {
		return plan, err
	}
	if o.Referrer != nil {
		if plan.ReferredSale, err = pay(reward.ReferredSale, o.Referrer.Owner); err != nil {
			return plan, err
		}
	}
	return plan, reserve(rs, k, ev, cfg, o, &plan, now)
}

// reserve sets aside, out of what is left of the platform fee, the review
// and conversion rewards the buyer may earn by reviewing: in one coin of
// the order's own reserve holder, so nothing is shared with other orders.
func reserve(rs *reward.Session, k *wallet.Keeper, ev ledger.Emitter, cfg *config.Config, o *Order, plan *rewardPlan, now time.Time) error {
	review, err := o.grant(rs, reward.Review, o.Buyer)
	if err != nil {
		return err
	}
	conversion, err := o.grant(rs, reward.Conversion, o.Buyer)
	if err != nil {
		return err
	}
	// A sum above the largest amount is above any fee too.
	total, overflow := review.Amount.Add(conversion.Amount)
	if overflow == nil && total.IsZero() {
		return nil
	}
	if overflow != nil || plan.platformRest.LT(total) || total == money.MaxAmount() {
		for _, g := range []reward.Grant{review, conversion} {
			if !g.Amount.IsZero() {
				reward.Skip(ev, g, skipFeeShort)
			}
		}
		return nil
	}
	holder, err := wallet.SystemHolder(reserveName, o.Buyer, o.ID)
	if err != nil {
		return err
	}
	coin, err := k.Credit(holder, total, kindReserve, o.Escrow)
	if err != nil {
		return err
	}
	plan.platformRest, _ = plan.platformRest.Sub(total) // checked by the LT above
	plan.Review, plan.Conversion = review.Amount, conversion.Amount
	plan.Reserve, plan.ReserveCoin = holder, coin
	plan.ReserveUntil = ledger.Stamp(now.Add(cfg.ReviewWindow()))
	return nil
}

// grant prices activity a's reward for o under the current rule (zero
// when the rule is off). A rule may price a reward above the largest
// amount (a large fixed part plus a rate): such a grant carries the
// largest amount, which the callers skip as more than the platform fee
// (the fee is at most the total, itself at most the largest amount), so
// an admin's rule never makes a settlement fail.
func (o *Order) grant(rs *reward.Session, a reward.Activity, to string) (reward.Grant, error) {
	rule, err := rs.Rule(a)
	if err != nil {
		return reward.Grant{}, err
	}
	amount, err := rule.AmountFor(o.Total)
	if errors.Is(err, errs.ErrOverflow) {
		amount, err = money.MaxAmount(), nil
	}
	if err != nil {
		return reward.Grant{}, err
	}
	return reward.Grant{Activity: a, Subject: o.subject(), To: to, Amount: amount}, nil
}

// PayReviewRewards pays, when the buyer reviews a completed order, the
// review reward reserved at settlement and, when the review opened the
// buyer's personal shop (converted), the conversion reward; each is
// subject to the reward package's rules (once per order, the daily review
// cap) and skipped otherwise. What is not paid returns to the platform, and the
// reserve is closed. Without an open reserve it does nothing.
func PayReviewRewards(st ledger.State, k *wallet.Keeper, ev ledger.Emitter, o *Order, converted bool) (*Order, error) {
	r := o.Rewards
	if r == nil || r.ReserveCoin == "" || r.ReserveClosed != "" {
		return o, nil
	}
	total, _ := r.Review.Add(r.Conversion) // summed when reserved
	if _, err := k.Debit(r.Reserve, []string{r.ReserveCoin}, total, kindReserve, ""); err != nil {
		return nil, err
	}
	rest, rs := total, reward.NewSession(st, k, ev)
	for _, g := range []reward.Grant{
		{Activity: reward.Review, Subject: o.subject(), To: o.Buyer, Amount: r.Review},
		{Activity: reward.Conversion, Subject: o.subject(), To: o.Buyer, Amount: r.Conversion},
	} {
		if g.Amount.IsZero() || g.Activity == reward.Conversion && !converted {
			continue
		}
		paid, err := rs.PayOrSkip(g, r.Reserve)
		if err != nil {
			return nil, err
		}
		if paid {
			rest, _ = rest.Sub(g.Amount) // the grants sum to total
		}
	}
	if err := closeReserve(k, ev, o, rest, "review"); err != nil {
		return nil, err
	}
	key, err := orderKey(st, o.Ref())
	if err != nil {
		return nil, err
	}
	return o, ledger.PutJSON(st, key, o)
}

// ExpireReserve returns an order's unclaimed reward reserve to the
// platform once the review window has passed, by the transaction's
// timestamp. Caller: anyone.
func ExpireReserve(st ledger.State, k *wallet.Keeper, ev ledger.Emitter, _ *config.Config, caller string, ref Ref) (*Order, error) {
	return transition(st, ref, func(o *Order, now time.Time) error {
		r := o.Rewards
		if r == nil || r.ReserveCoin == "" || r.ReserveClosed != "" {
			return errs.New(errs.InvalidState, "order %s has no open reward reserve", o.ID)
		}
		if ledger.Stamp(now) < r.ReserveUntil {
			return errs.New(errs.InvalidState, "the reward reserve of order %s waits for a review until %s", o.ID, r.ReserveUntil)
		}
		total, _ := r.Review.Add(r.Conversion)
		if _, err := k.Debit(r.Reserve, []string{r.ReserveCoin}, total, kindReserve, ""); err != nil {
			return err
		}
		return closeReserve(k, ev, o, total, "expired")
	})
}

// closeReserve credits rest of the reserve back to the platform and marks
// the reserve closed; the caller stores o.
func closeReserve(k *wallet.Keeper, ev ledger.Emitter, o *Order, rest money.Amount, how string) error {
	if !rest.IsZero() {
		if _, err := k.Credit(wallet.PlatformFees, rest, kindReturn, o.Rewards.Reserve); err != nil {
			return err
		}
	}
	o.Rewards.ReserveClosed = how
	e := event(EventReserve, "", o)
	e.Rewards = o.Rewards
	ev.Emit(e)
	return nil
}
