package money

import (
	"encoding/json"
	"math"
	"math/bits"
	"strconv"

	"github.com/likrcommerce/likr/contracts/errs"
)

// Amount is a non-negative number of the coin's smallest unit. It is a struct
// rather than a bare uint64 so that other packages cannot apply + or * to
// it and silently wrap.
type Amount struct {
	v uint64
}

// NewAmount returns the amount v.
func NewAmount(v uint64) Amount { return Amount{v} }

// MaxAmount returns the largest amount, 2^64-1.
func MaxAmount() Amount { return Amount{math.MaxUint64} }

// ParseAmount parses a canonical decimal string: one or more digits 0-9, no
// leading zero unless the string is "0", at most 2^64-1. Anything else,
// including a value that is too large, is errs.InvalidArgument.
func ParseAmount(s string) (Amount, error) {
	if s == "" {
		return Amount{}, errs.New(errs.InvalidArgument, "amount is empty")
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return Amount{}, errs.New(errs.InvalidArgument,
				"amount %s must be decimal digits only, found %q at byte %d", errs.Quote(s), s[i], i)
		}
	}
	if s[0] == '0' && len(s) > 1 {
		return Amount{}, errs.New(errs.InvalidArgument, "amount %s has a leading zero", errs.Quote(s))
	}
	// s is digits only, so the only error left is a value out of range.
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return Amount{}, errs.New(errs.InvalidArgument,
			"amount %s exceeds the maximum %d", errs.Quote(s), uint64(math.MaxUint64))
	}
	return Amount{v}, nil
}

// String returns the canonical decimal form, which ParseAmount accepts.
func (a Amount) String() string { return strconv.FormatUint(a.v, 10) }

// Uint64 returns the amount as a plain integer, for code outside money
// (ledger keys, events) that must not do arithmetic with it.
func (a Amount) Uint64() uint64 { return a.v }

// IsZero reports whether a is 0. encoding/json's omitzero uses it.
func (a Amount) IsZero() bool { return a.v == 0 }

// Cmp returns -1, 0 or +1 as a is less than, equal to or greater than b.
func (a Amount) Cmp(b Amount) int {
	switch {
	case a.v < b.v:
		return -1
	case a.v > b.v:
		return 1
	}
	return 0
}

// Equal reports whether a == b.
func (a Amount) Equal(b Amount) bool { return a.v == b.v }

// LT reports whether a < b.
func (a Amount) LT(b Amount) bool { return a.v < b.v }

// LTE reports whether a <= b.
func (a Amount) LTE(b Amount) bool { return a.v <= b.v }

// GT reports whether a > b.
func (a Amount) GT(b Amount) bool { return a.v > b.v }

// GTE reports whether a >= b.
func (a Amount) GTE(b Amount) bool { return a.v >= b.v }

// Add returns a + b, or errs.Overflow when the sum exceeds 2^64-1.
func (a Amount) Add(b Amount) (Amount, error) {
	sum, carry := bits.Add64(a.v, b.v, 0)
	if carry != 0 {
		return Amount{}, errs.New(errs.Overflow, "%d + %d exceeds the maximum amount", a.v, b.v)
	}
	return Amount{sum}, nil
}

// Sub returns a - b, or errs.InsufficientFunds when b > a.
func (a Amount) Sub(b Amount) (Amount, error) {
	diff, borrow := bits.Sub64(a.v, b.v, 0)
	if borrow != 0 {
		return Amount{}, errs.New(errs.InsufficientFunds, "%d is less than %d", a.v, b.v)
	}
	return Amount{diff}, nil
}

// MulUint returns a x n, or errs.Overflow when the product exceeds 2^64-1.
// A batch operation paying n recipients a each must compute its total with
// this before moving any coin.
func (a Amount) MulUint(n uint64) (Amount, error) {
	hi, lo := bits.Mul64(a.v, n)
	if hi != 0 {
		return Amount{}, errs.New(errs.Overflow, "%d x %d exceeds the maximum amount", a.v, n)
	}
	return Amount{lo}, nil
}

// MulRate returns floor(a x r / 10000). The product is formed in 128 bits, so
// it is exact, and for a valid rate the result is at most a, so it cannot
// overflow. r must be valid (r <= MaxRate): every Rate from NewRate, Rate.Add
// or JSON is, and an invalid one can only come from a conversion such as
// Rate(20000) in code, so MulRate panics on it like an out-of-range index.
func (a Amount) MulRate(r Rate) Amount {
	if !r.Valid() {
		panic("money: MulRate with invalid rate " + strconv.Itoa(int(r)) + " bp")
	}
	hi, lo := bits.Mul64(a.v, uint64(r))
	// hi < 10000 because a < 2^64 and r <= 10000, so Div64 cannot panic and
	// the quotient fits.
	q, _ := bits.Div64(hi, lo, uint64(MaxRate))
	return Amount{q}
}

// Sum returns the sum of amounts (0 for none), or errs.Overflow.
func Sum(amounts ...Amount) (Amount, error) {
	var total Amount
	for _, x := range amounts {
		var err error
		if total, err = total.Add(x); err != nil {
			return Amount{}, err
		}
	}
	return total, nil
}

// MarshalJSON encodes a as a JSON string holding its decimal form.
func (a Amount) MarshalJSON() ([]byte, error) {
	b := append(make([]byte, 0, 22), '"')
	b = strconv.AppendUint(b, a.v, 10)
	return append(b, '"'), nil
}

// UnmarshalJSON accepts only a JSON string holding a canonical decimal (see
// ParseAmount). A JSON number, null or any other value is
// errs.InvalidArgument: amounts are strings in Likr's API, and accepting
// numbers would let a client's float rounding pass unnoticed.
func (a *Amount) UnmarshalJSON(data []byte) error {
	if len(data) == 0 || data[0] != '"' {
		return errs.New(errs.InvalidArgument,
			"amount must be a JSON string of decimal digits, got %s", jsonKind(data))
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return errs.New(errs.InvalidArgument, "amount is not a valid JSON string")
	}
	v, err := ParseAmount(s)
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// jsonKind names the kind of the JSON value data starts with, for messages
// that must not echo the value itself.
func jsonKind(data []byte) string {
	if len(data) == 0 {
		return "nothing"
	}
	switch data[0] {
	case '"':
		return "a string"
	case 'n':
		return "null"
	case 't', 'f':
		return "a boolean"
	case '{':
		return "an object"
	case '[':
		return "an array"
	}
	return "a number"
}
