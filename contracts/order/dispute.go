package order

import (
	"slices"
	"time"

	"github.com/likrcommerce/likr/contracts/codec"
	"github.com/likrcommerce/likr/contracts/config"
	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/moderation"
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/contracts/wallet"
)

// Dispute is a buyer's complaint about a shipped order, for a moderator
// the buyer chose. The moderator's fee is fixed when it opens.
type Dispute struct {
	Moderator     string       `json:"moderator"`
	MaxFee        money.Amount `json:"maxFee"` // the moderator's advertised fee for this order, at opening
	Reason        string       `json:"reason"`
	OpenedAt      string       `json:"openedAt"`
	FallbackAfter string       `json:"fallbackAfter"` // an admin may resolve from then on
	Resolution    *Resolution  `json:"resolution,omitempty"`
}

// Resolution is how a dispute ended.
type Resolution struct {
	By            string       `json:"by"`
	Fallback      bool         `json:"fallback"` // resolved by an admin after the timeout
	BuyerShareBps money.Rate   `json:"buyerShareBps"`
	Fee           money.Amount `json:"fee"`
	Refund        money.Amount `json:"refund"`
	ResolvedAt    string       `json:"resolvedAt"`
}

// DisputeRequest opens a dispute.
type DisputeRequest struct {
	Moderator string `json:"moderator"`
	Reason    string `json:"reason"`
}

// ResolveRequest resolves a dispute: the buyer's share of the total after
// the fee, in basis points, and the fee charged (at most the dispute's
// MaxFee; zero for an admin's fallback resolution).
type ResolveRequest struct {
	BuyerShareBps money.Rate   `json:"buyerShareBps"`
	Fee           money.Amount `json:"fee"`
}

// OpenDispute moves a shipped order into dispute with a registered,
// active moderator who is no party of the order, fixing the moderator's
// fee; auto-release is suspended until the dispute is resolved. Caller:
// the buyer, before release.
func OpenDispute(st ledger.State, ev ledger.Emitter, cfg *config.Config, caller string, ref Ref, req DisputeRequest) (*Order, error) {
	if err := wallet.CheckAccount("moderator", req.Moderator); err != nil {
		return nil, err
	}
	if req.Reason == "" {
		return nil, errs.New(errs.InvalidArgument, "reason is required")
	}
	if err := codec.Text("reason", req.Reason, maxReasonRunes); err != nil {
		return nil, err
	}
	return transition(st, ref, func(o *Order, now time.Time) error {
		if caller != o.Buyer {
			return errs.New(errs.Forbidden, "only the buyer disputes order %s", o.ID)
		}
		if err := o.expect(Shipped, "dispute"); err != nil {
			return err
		}
		if slices.Contains(o.Parties(), req.Moderator) {
			return errs.New(errs.InvalidArgument, "moderator %s is a party of order %s", req.Moderator, o.ID)
		}
		m, err := moderation.Get(st, req.Moderator)
		if err != nil {
			return err
		}
		if !m.Active {
			return errs.New(errs.InvalidState, "moderator %s does not take disputes now", req.Moderator)
		}
		o.Status = Disputed
		o.Dispute = &Dispute{
			Moderator: req.Moderator, MaxFee: m.Fee.For(o.Total), Reason: req.Reason, OpenedAt: ledger.Stamp(now),
			FallbackAfter: ledger.Stamp(now.Add(time.Duration(cfg.DisputeTimeoutSeconds) * time.Second)),
		}
		e := event(EventDisputed, caller, o)
		e.Dispute = o.Dispute
		ev.Emit(e)
		return nil
	})
}

// ResolveDispute settles a disputed order: the fee to the moderator, the
// buyer's share of the rest back to the buyer, and what remains to the
// seller side, split like a settlement in proportion (so a partial refund
// reduces the supplier's amount, the commission and the platform fee
// alike). Caller: the dispute's moderator, with a fee of at most MaxFee;
// or, once FallbackAfter has passed without a resolution, an admin
// (isAdmin, which the contract layer decides) with no fee.
func ResolveDispute(st ledger.State, k *wallet.Keeper, ev ledger.Emitter, cfg *config.Config, caller string, isAdmin bool, ref Ref, req ResolveRequest) (*Order, error) {
	if !req.BuyerShareBps.Valid() {
		return nil, errs.New(errs.InvalidArgument, "buyerShareBps %d must be at most %d", req.BuyerShareBps, money.MaxRate)
	}
	return transition(st, ref, func(o *Order, now time.Time) error {
		d := o.Dispute
		fallback := false
		switch {
		case o.Status == Disputed && caller == d.Moderator:
			if d.MaxFee.LT(req.Fee) {
				return errs.New(errs.InvalidArgument, "fee %s is above the %s fixed when the dispute opened", req.Fee, d.MaxFee)
			}
		case o.Status == Disputed && isAdmin:
			if ledger.Stamp(now) < d.FallbackAfter {
				return errs.New(errs.InvalidState, "the moderator of order %s may resolve until %s; an admin only after", o.ID, d.FallbackAfter)
			}
			if !req.Fee.IsZero() {
				return errs.New(errs.InvalidArgument, "a fallback resolution charges no moderator fee")
			}
			fallback = true
		case o.Status == Disputed:
			return errs.New(errs.Forbidden, "only moderator %s resolves the dispute of order %s", d.Moderator, o.ID)
		default:
			return o.expect(Disputed, "resolve")
		}
		pool, err := o.Total.Sub(req.Fee)
		if err != nil {
			return errs.Wrap(errs.Internal, err, "fee above the total")
		}
		refund := pool.MulRate(req.BuyerShareBps)
		share, _ := pool.Sub(refund) // refund is a share of pool
		s, err := splitShare(o, share, refund, req.Fee)
		if err != nil {
			return err
		}
		s.Trigger = "dispute"
		if fallback {
			s.Trigger = "dispute_fallback"
		}
		d.Resolution = &Resolution{By: caller, Fallback: fallback, BuyerShareBps: req.BuyerShareBps, Fee: req.Fee, Refund: refund, ResolvedAt: ledger.Stamp(now)}
		record := moderation.RecordResolution
		if fallback {
			record = moderation.RecordFallback // the moderator let it time out
		}
		if err := record(st, d.Moderator, o.subject()); err != nil {
			return err
		}
		return settle(st, k, ev, cfg, caller, o, s, now)
	})
}
