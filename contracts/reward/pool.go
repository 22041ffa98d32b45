package reward

import (
	"github.com/likrcommerce/likr/contracts/codec"
	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/contracts/wallet"
)

// KindFund is the wallet movement kind of FundPool. Campaign rewards move
// with Campaign.Kind() ("reward.campaign").
const KindFund = "reward.fund"

// MaxRecipients bounds one BatchReward, as wallet bounds a batch transfer.
const MaxRecipients = wallet.MaxRecipients

// EventBatch is the type of BatchEvent, stable: clients match on it.
const EventBatch = "reward.batch"

// BatchEvent closes the events of a BatchReward (one "reward.paid" per
// recipient precedes it).
type BatchEvent struct {
	Type       string       `json:"type"`
	Campaign   string       `json:"campaign"`
	Recipients int          `json:"recipients"`
	AmountEach money.Amount `json:"amountEach"`
	Total      money.Amount `json:"total"`
}

// FundPool moves amount from admin's named coins into the campaign pool
// (wallet.CampaignPool). The contract layer lets only admins call it, from
// their own coins, so the pool only ever holds minted coin that an admin
// owned: the supply invariant is untouched.
func FundPool(k *wallet.Keeper, admin string, inputs []string, amount money.Amount) error {
	if err := wallet.CheckAccount("pool funder", admin); err != nil {
		return err
	}
	// Debit validates and reads before it writes; the credit after it can
	// then only fail on storage.
	if _, err := k.Debit(admin, inputs, amount, KindFund, wallet.CampaignPool); err != nil {
		return err
	}
	_, err := k.Credit(wallet.CampaignPool, amount, KindFund, admin)
	return err
}

// BatchSubject is the subject of campaign's reward to recipient. A
// campaign ID cannot contain ':', so the pair is unambiguous.
func BatchSubject(campaign, recipient string) string { return campaign + ":" + recipient }

// BatchReward pays amountEach to every recipient (distinct account IDs, at
// most MaxRecipients) from the campaign pool's named coins, for campaign (a
// business ID). The total is len(recipients) x amountEach by checked
// multiplication, so an overflowing batch (BeautyChain's batchOverflow) is
// OVERFLOW before anything is read. Each (campaign, recipient) is paid at
// most once: a batch naming one already paid is refused whole with
// ALREADY_EXISTS, since a batch is an admin's input to correct, not a
// business transaction to save. A refused batch writes nothing.
func BatchReward(st ledger.State, k *wallet.Keeper, ev ledger.Emitter, poolInputs []string, recipients []string, amountEach money.Amount, campaign string) error {
	if err := codec.ID("campaign", campaign); err != nil {
		return err
	}
	n := len(recipients)
	if n == 0 {
		return errs.New(errs.InvalidArgument, "recipients: name at least one")
	}
	if n > MaxRecipients {
		return errs.New(errs.LimitExceeded, "recipients: %d, at most %d per batch", n, MaxRecipients)
	}
	if amountEach.IsZero() {
		return errs.New(errs.InvalidArgument, "amountEach must be greater than zero")
	}
	total, err := amountEach.MulUint(uint64(n))
	if err != nil {
		return errs.New(errs.Overflow, "%d recipients x %s exceeds the largest amount", n, amountEach)
	}
	s := NewSession(st, k, ev)
	payments := make([]payment, n)
	seen := make(map[string]bool, n)
	for i, r := range recipients {
		g := Grant{Activity: Campaign, Subject: BatchSubject(campaign, r), To: r, Amount: amountEach}
		if err := g.validateParties(); err != nil {
			return err
		}
		if seen[r] {
			return errs.New(errs.InvalidArgument, "recipients: %s named twice", r)
		}
		seen[r] = true
		marker, err := s.markerKey(g)
		if err != nil {
			return err
		}
		payments[i] = payment{g: g, marker: marker}
	}
	for _, p := range payments {
		paid, err := s.isPaid(p.marker)
		if err != nil {
			return err
		}
		if paid {
			return errs.New(errs.AlreadyExists, "campaign %s already rewarded %s; remove it from the batch", campaign, p.g.To)
		}
	}
	if _, err := s.txn(); err != nil {
		return err
	}
	if _, err := k.Debit(wallet.CampaignPool, poolInputs, total, Campaign.Kind(), ""); err != nil {
		return err
	}
	for _, p := range payments {
		if err := s.pay(p, wallet.CampaignPool); err != nil {
			return err
		}
	}
	ev.Emit(BatchEvent{Type: EventBatch, Campaign: campaign, Recipients: n, AmountEach: amountEach, Total: total})
	return nil
}
