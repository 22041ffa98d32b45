package order

import (
	"time"

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
	supplier, err := o.WholesalePrice.MulUint(o.Quantity)
	if err != nil {
		return nil, errs.New(errs.Overflow, "wholesale %s x %d exceeds the largest amount", o.WholesalePrice, o.Quantity)
	}
	shares, err := money.Split(o.Total, []money.Part{
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
	}, nil
}

// settle pays out o's escrow as Split says, in one transaction: the
// credits (blind new coins, so a busy supplier or the platform never
// conflicts), then the sales record, then the event.
func settle(st ledger.State, k *wallet.Keeper, ev ledger.Emitter, by string, o *Order, trigger string, now time.Time) error {
	s, err := Split(o)
	if err != nil {
		return err
	}
	s.Trigger = trigger
	if _, err := k.Debit(o.Escrow, []string{o.EscrowCoin}, o.Total, kindSettle, ""); err != nil {
		return err
	}
	referrer := ""
	if o.Referrer != nil {
		referrer = o.Referrer.Owner
	}
	for _, pay := range []struct {
		to     string
		amount money.Amount
	}{
		{o.Product.Supplier, s.SupplierAmount},
		{referrer, s.Commission},
		{wallet.PlatformFees, s.PlatformFee},
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
		SupplierAmount: s.SupplierAmount, Commission: s.Commission,
		PlatformFee: s.PlatformFee, SellerAmount: s.SellerAmount,
		PlacedAt: o.PlacedAt,
	}
	if o.Referrer != nil {
		rec.Referrer, rec.ReferrerStore = o.Referrer.Owner, o.Referrer.ID
	}
	if _, err := sales.Record(st, ev, rec); err != nil {
		return err
	}
	o.Status, o.Settlement, o.ClosedAt = Completed, s, ledger.Stamp(now)
	e := event(EventSettled, by, o)
	e.Split = s
	ev.Emit(e)
	return nil
}
