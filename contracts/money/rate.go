package money

import (
	"strconv"

	"github.com/likrcommerce/likr/contracts/errs"
)

// Rate is a proportion in basis points: 1 bp = 0.01 %, MaxRate = 100 %.
type Rate uint16

// MaxRate is 100 %, the largest valid rate.
const MaxRate Rate = 10000

// NewRate returns bps as a Rate, or errs.InvalidArgument when bps > MaxRate.
func NewRate(bps uint64) (Rate, error) {
	if bps > uint64(MaxRate) {
		return 0, errs.New(errs.InvalidArgument, "rate %d bp exceeds %d bp (100%%)", bps, MaxRate)
	}
	return Rate(bps), nil
}

// Valid reports whether r <= MaxRate. Only a conversion such as Rate(20000)
// can make an invalid rate.
func (r Rate) Valid() bool { return r <= MaxRate }

// Add returns r + o, or errs.InvalidArgument when either is invalid or the sum
// exceeds MaxRate: rates that are added share one amount (commission plus
// platform fee, say), so together they cannot claim more than all of it.
func (r Rate) Add(o Rate) (Rate, error) {
	if !r.Valid() || !o.Valid() || r+o > MaxRate { // r+o <= 20000 cannot wrap a uint16
		return 0, errs.New(errs.InvalidArgument, "rates %d bp + %d bp exceed %d bp (100%%)", r, o, MaxRate)
	}
	return r + o, nil
}

// MarshalJSON encodes r as a JSON integer. An invalid rate is errs.Internal,
// since only a bug can produce one, and writing it would store a value that
// UnmarshalJSON then refuses.
func (r Rate) MarshalJSON() ([]byte, error) {
	if !r.Valid() {
		return nil, errs.New(errs.Internal, "rate %d bp exceeds %d bp", r, MaxRate)
	}
	return strconv.AppendUint(nil, uint64(r), 10), nil
}

// UnmarshalJSON accepts only a JSON integer from 0 to 10000 written plainly
// (no sign, fraction or exponent). Anything else, strings and null included,
// is errs.InvalidArgument.
func (r *Rate) UnmarshalJSON(data []byte) error {
	// At most 5 digits ("10000"), no leading zero: JSON forbids it and a
	// direct call must not get around that.
	ok := len(data) >= 1 && len(data) <= 5 && (data[0] != '0' || len(data) == 1)
	var v uint64
	for i := 0; ok && i < len(data); i++ {
		if c := data[i]; '0' <= c && c <= '9' {
			v = v*10 + uint64(c-'0')
		} else {
			ok = false
		}
	}
	if !ok || v > uint64(MaxRate) {
		return errs.New(errs.InvalidArgument,
			"rate must be a JSON integer of basis points from 0 to %d, got %s", MaxRate, errs.Quote(string(data)))
	}
	*r = Rate(v)
	return nil
}
