package order

import (
	"time"

	"github.com/likrcommerce/likr/contracts/config"
	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/contracts/sales"
	"github.com/likrcommerce/likr/contracts/wallet"
)

// The parties of a split, as money.Split names them.
const (
	partySupplier = "supplier"
	partyReferrer = "referrer"
	partyPlatform = "platform"
	partySeller   = "seller"
)

// Split divides an order's total exactly: the supplier's wholesale price x
// quantity, the referrer's commission and the platform fee (basis points
// of the total, rounded down), and the rest to the seller. The amounts
// always sum to the total; store.CheckTerms, run when the order was
// placed, guarantees the seller's rest is never negative.
func Split(o *Order) (*Settlement, error) {
	return splitShare(o, o.Total, money.Amount{}, money.Amount{})
}

// splitShare splits share, the part of o's total that goes to the seller
// side (all of it, or what a dispute resolution left after the buyer's
// refund and the moderator's fee), in proportion: the supplier receives
// share/total of its wholesale amount, the commission and the platform fee
// are basis points of share, the seller the rest. With refund and fee the
// amounts sum to the total exactly.
func splitShare(o *Order, share, refund, fee money.Amount) (*Settlement, error) {
	supplier, err := o.WholesalePrice.MulUint(o.Quantity)
	if err != nil {
		return nil, errs.New(errs.Overflow, "wholesale %s x %d exceeds the largest amount", o.WholesalePrice, o.Quantity)
	}
	if share != o.Total {
		if supplier, err = supplier.MulDiv(share, o.Total); err != nil {
			return nil, err
		}
	}
	shares, err := money.Split(share, []money.Part{
		{Party: partySupplier, Fixed: supplier},
		{Party: partyReferrer, Rate: o.ReferralBps},
		{Party: partyPlatform, Rate: o.PlatformFeeBps},
	}, partySeller)
	if err != nil {
		return nil, errs.Wrap(errs.Internal, err, "split order %s", o.ID)
	}
	return &Settlement{
		SupplierAmount: shares[0].Amount,
		Commission:     shares[1].Amount,
		PlatformFee:    shares[2].Amount,
		SellerAmount:   shares[3].Amount,
		Refund:         refund,
		ModeratorFee:   fee,
	}, nil
}

// settle pays out o's escrow as s says, in one transaction: the escrow
// coin is spent once; the refund, the moderator's fee, the supplier,
// referrer and seller shares, the rewards carved out of the platform fee
// and the rest of the fee are credited as blind new coins (so a busy
// supplier, reseller or the platform never conflicts); then the sales
// record is written, then the order's event.
func settle(st ledger.State, k *wallet.Keeper, ev ledger.Emitter, cfg *config.Config, by string, o *Order, s *Settlement, now time.Time) error {
	if _, err := k.Debit(o.Escrow, []string{o.EscrowCoin}, o.Total, kindSettle, ""); err != nil {
		return err
	}
	rewards, err := payRewards(st, k, ev, cfg, o, s.PlatformFee, now)
	if err != nil {
		return err
	}
	referrer, moderator := "", ""
	if o.Referrer != nil {
		referrer = o.Referrer.Owner
	}
	if o.Dispute != nil {
		moderator = o.Dispute.Moderator
	}
	for _, pay := range []struct {
		to     string
		amount money.Amount
	}{
		{o.Buyer, s.Refund},
		{moderator, s.ModeratorFee},
		{o.Product.Supplier, s.SupplierAmount},
		{referrer, s.Commission},
		{wallet.PlatformFees, rewards.platformRest},
		{o.Listing.Owner, s.SellerAmount},
	} {
		if pay.amount.IsZero() {
			continue
		}
		if _, err := k.Credit(pay.to, pay.amount, kindSettle, o.Escrow); err != nil {
			return err
		}
	}
	rec := sales.Sale{
		Buyer: o.Buyer, Order: o.ID,
		Supplier: o.Product.Supplier, Product: o.Product.ID,
		ProductVersion: o.ProductVersion, AttributesHash: o.AttributesHash,
		StoreOwner: o.Listing.Owner, Store: o.Listing.Store, Listing: o.Listing.ID,
		Quantity: o.Quantity, UnitPrice: o.UnitPrice, Total: o.Total,
		Refund: s.Refund, SupplierAmount: s.SupplierAmount, Commission: s.Commission,
		PlatformFee: s.PlatformFee, ModeratorFee: s.ModeratorFee, SellerAmount: s.SellerAmount,
		PlacedAt: o.PlacedAt,
	}
	if o.Referrer != nil {
		rec.Referrer, rec.ReferrerStore = o.Referrer.Owner, o.Referrer.ID
	}
	if _, err := sales.Record(st, ev, rec); err != nil {
		return err
	}
	o.Status, o.Settlement, o.Rewards, o.ClosedAt = Completed, s, rewards.Rewards, ledger.Stamp(now)
	e := event(EventSettled, by, o)
	e.Split, e.Dispute, e.Rewards = s, o.Dispute, o.Rewards
	ev.Emit(e)
	return nil
}
