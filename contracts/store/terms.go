package store

import (
	"math/bits"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/contracts/product"
)

// CheckTerms is the margin rule of the package doc: whether p may be sold at
// price per unit with a referral commission of referral and a platform fee
// of fee. AddListing and UpdateListing call it, and so does order placement
// with the fee of the moment, so a listing that no longer qualifies (the
// supplier raised the wholesale price, an admin raised the fee) cannot be
// ordered.
//
//   - INVALID_STATE when the product is not active (hidden or discontinued);
//   - INVALID_ARGUMENT when price is zero or below the product's minimum
//     retail price, a rate exceeds 100 %, or the seller's margin
//     (price - wholesale) does not cover referral plus fee exactly:
//     wholesale x 10000 + price x (referral + fee) > price x 10000.
//
// The comparison is exact in 128-bit arithmetic, so no amount overflows it;
// the OVERFLOW branch below is a guard, unreachable for valid inputs.
func CheckTerms(p *product.Product, price money.Amount, referral, fee money.Rate) error {
	if p == nil {
		return errs.New(errs.Internal, "CheckTerms without a product")
	}
	if p.Terms.Status != product.Active {
		return errs.New(errs.InvalidState, "product %s is %s; only %s products can be sold", p.Ref(), p.Terms.Status, product.Active)
	}
	if price.IsZero() {
		// A free unit cannot be paid into escrow (the wallet refuses zero
		// amounts), and would give the supplier nothing.
		return errs.New(errs.InvalidArgument, "price must be greater than zero")
	}
	if price.LT(p.Terms.MinRetailPrice) {
		return errs.New(errs.InvalidArgument, "price %s is below the supplier's minimum retail price %s", price, p.Terms.MinRetailPrice)
	}
	if !referral.Valid() {
		return errs.New(errs.InvalidArgument, "referralBps %d exceeds %d (100%%)", referral, money.MaxRate)
	}
	if !fee.Valid() {
		return errs.New(errs.InvalidArgument, "platform fee %d bp exceeds %d bp (100%%)", fee, money.MaxRate)
	}
	covered, err := marginCovers(p.Terms.WholesalePrice, price, referral, fee)
	if err != nil {
		return err
	}
	if !covered {
		return errs.New(errs.InvalidArgument,
			"referral rate plus platform fee exceed the seller's margin: %d bp + %d bp of price %s is more than price - wholesale (%s - %s)",
			referral, fee, price, price, p.Terms.WholesalePrice)
	}
	return nil
}

// marginCovers reports whether
//
//	wholesale x 10000 + price x (referral + fee) <= price x 10000
//
// computed exactly: every product is formed in 128 bits (bits.Mul64), and
// the 128-bit sum is checked for a carry. With amounts below 2^64 and rates
// of at most 10000 (below 2^14) the left side is below 2^79, so the carry
// can never occur; it is checked anyway rather than assumed.
func marginCovers(wholesale, price money.Amount, referral, fee money.Rate) (bool, error) {
	rates := uint64(referral) + uint64(fee) // at most 20000: no wrap
	wHi, wLo := bits.Mul64(wholesale.Uint64(), uint64(money.MaxRate))
	cHi, cLo := bits.Mul64(price.Uint64(), rates)
	lo, carry := bits.Add64(wLo, cLo, 0)
	hi, carry := bits.Add64(wHi, cHi, carry)
	if carry != 0 {
		return false, errs.New(errs.Overflow, "margin check of price %s and wholesale %s overflows 128 bits", price, wholesale)
	}
	pHi, pLo := bits.Mul64(price.Uint64(), uint64(money.MaxRate))
	return hi < pHi || hi == pHi && lo <= pLo, nil
}
