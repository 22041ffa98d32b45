package money_test

import (
	"math/big"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/errs"
)

func TestMulDiv(t *testing.T) {
	for _, tc := range []struct {
		a, num, den, want uint64
		code              errs.Code
	}{
		{0, 0, 1, 0, ok},
		{10, 3, 4, 7, ok}, // 7.5 rounds down
		{10, 2, 3, 6, ok}, // 6.66... rounds down
		{10000, 2500, 10000, 2500, ok},
		{1, 1, 2, 0, ok},
		{7, 0, 3, 0, ok},
		{0, maxU64, maxU64, 0, ok},
		{maxU64, maxU64, maxU64, maxU64, ok},              // the product needs 128 bits, the result fits
		{maxU64, maxU64 - 1, maxU64, maxU64 - 1, ok},      // num < den: at most a
		{maxU64, 1 << 63, 1 << 62, 0, errs.Overflow},      // 2a
		{maxU64, 2, 2, maxU64, ok},                        // hi = 1 < den
		{maxU64, 3, 2, 0, errs.Overflow},                  // 1.5a
		{1 << 63, 2, 1, 0, errs.Overflow},                 // 2^64 exactly: hi == den
		{1<<63 - 1, 2, 1, maxU64 - 1, ok},                 // just below
		{maxU64, 1, 1, maxU64, ok},                        // identity
		{3, 5, 0, 0, errs.InvalidArgument},                // divisor zero
		{0, 0, 0, 0, errs.InvalidArgument},                // even 0/0
		{123456789, 987654321, 1000000007, 121932630, ok}, // 121932631112635269 / 1000000007
	} {
		got, err := amt(tc.a).MulDiv(amt(tc.num), amt(tc.den))
		if tc.code != ok {
			require.ErrorIs(t, err, &errs.Error{Code: tc.code}, "%d x %d / %d", tc.a, tc.num, tc.den)
			require.True(t, got.IsZero(), "a failed MulDiv returns zero")
			continue
		}
		require.NoError(t, err, "%d x %d / %d", tc.a, tc.num, tc.den)
		require.Equal(t, tc.want, got.Uint64(), "%d x %d / %d", tc.a, tc.num, tc.den)
	}
}

// Split by MulDiv and a remainder: the parts always add up to the total, and
// the share never exceeds it when num <= den.
func TestMulDivProportionalSplitAddsUp(t *testing.T) {
	for _, tc := range []struct{ total, num, den uint64 }{
		{20000, 1, 3}, {maxU64, 2, 3}, {maxU64, maxU64 - 1, maxU64}, {1, 1, 1}, {0, 5, 7}, {101, 50, 101},
	} {
		share, err := amt(tc.total).MulDiv(amt(tc.num), amt(tc.den))
		require.NoError(t, err)
		rest, err := amt(tc.total).Sub(share)
		require.NoError(t, err, "share %v exceeds total %d", share, tc.total)
		sum, err := share.Add(rest)
		require.NoError(t, err)
		require.Equal(t, tc.total, sum.Uint64())
	}
}

func FuzzMulDiv(f *testing.F) {
	for _, a := range edgeValues {
		for _, num := range edgeValues {
			for _, den := range []uint64{0, 1, 2, 3, 10000, 1 << 63, maxU64} {
				f.Add(a, num, den)
			}
		}
	}
	f.Fuzz(func(t *testing.T, a, num, den uint64) {
		got, err := amt(a).MulDiv(amt(num), amt(den))
		if den == 0 {
			if errs.CodeOf(err) != errs.InvalidArgument || !got.IsZero() {
				t.Fatalf("%d x %d / 0: got %v, %v; want INVALID_ARGUMENT", a, num, got, err)
			}
			return
		}
		exact := new(big.Int).Mul(bigOf(a), bigOf(num))
		exact.Quo(exact, bigOf(den)) // floor: every operand is >= 0
		wantResult(t, got, err, exact, errs.Overflow)
		if num <= den && err != nil {
			t.Fatalf("%d x %d / %d with num <= den failed: %v", a, num, den, err)
		}
	})
}
