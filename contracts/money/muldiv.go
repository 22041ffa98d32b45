package money

import (
	"math/bits"

	"github.com/likrcommerce/likr/contracts/errs"
)

// MulDiv returns floor(a x num / den), the share num/den of a rounded down,
// as a proportional split needs it (a dispute's buyer share of an escrow
// when the proportion is itself an amount, not a rate).
//
// The product a x num is formed in 128 bits and divided once, so the result
// is exact for every input: no intermediate wraps, and dividing before
// multiplying would lose precision. den zero is errs.InvalidArgument. The
// quotient exceeds 2^64-1 exactly when the high 64 bits of the product are
// at least den, which is errs.Overflow; with num <= den the result is at
// most a and never overflows.
func (a Amount) MulDiv(num, den Amount) (Amount, error) {
	if den.v == 0 {
		return Amount{}, errs.New(errs.InvalidArgument, "%d x %d / 0: the divisor is zero", a.v, num.v)
	}
	hi, lo := bits.Mul64(a.v, num.v)
	if hi >= den.v {
		// a x num >= den x 2^64, so the quotient needs more than 64 bits
		// (and Div64 would panic).
		return Amount{}, errs.New(errs.Overflow, "%d x %d / %d exceeds the maximum amount", a.v, num.v, den.v)
	}
	q, _ := bits.Div64(hi, lo, den.v)
	return Amount{q}, nil
}
