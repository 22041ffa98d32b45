package money_test

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/money"
)

const maxU64 = math.MaxUint64

func amt(v uint64) money.Amount { return money.NewAmount(v) }

// ok is the code column of tables for calls that must succeed.
const ok errs.Code = ""

func TestAmountBasics(t *testing.T) {
	var zero money.Amount
	assert.True(t, zero.IsZero())
	assert.Equal(t, "0", zero.String())
	assert.Equal(t, uint64(0), zero.Uint64())
	assert.True(t, zero.Equal(amt(0)))

	assert.False(t, amt(1).IsZero())
	assert.Equal(t, "18446744073709551615", money.MaxAmount().String())
	assert.Equal(t, uint64(maxU64), money.MaxAmount().Uint64())
	assert.Equal(t, uint64(12345), amt(12345).Uint64())
}

func TestCompare(t *testing.T) {
	for _, tc := range []struct {
		a, b uint64
		cmp  int
	}{
		{0, 0, 0},
		{0, 1, -1},
		{1, 0, 1},
		{maxU64 - 1, maxU64, -1},
		{maxU64, maxU64 - 1, 1},
		{maxU64, maxU64, 0},
		{0, maxU64, -1},
	} {
		a, b := amt(tc.a), amt(tc.b)
		assert.Equal(t, tc.cmp, a.Cmp(b), "%d cmp %d", tc.a, tc.b)
		assert.Equal(t, tc.cmp == 0, a.Equal(b), "%d == %d", tc.a, tc.b)
		assert.Equal(t, tc.cmp < 0, a.LT(b), "%d < %d", tc.a, tc.b)
		assert.Equal(t, tc.cmp <= 0, a.LTE(b), "%d <= %d", tc.a, tc.b)
		assert.Equal(t, tc.cmp > 0, a.GT(b), "%d > %d", tc.a, tc.b)
		assert.Equal(t, tc.cmp >= 0, a.GTE(b), "%d >= %d", tc.a, tc.b)
	}
}

func TestAdd(t *testing.T) {
	for _, tc := range []struct {
		a, b, want uint64
		code       errs.Code
	}{
		{0, 0, 0, ok},
		{0, 1, 1, ok},
		{1, 1, 2, ok},
		{maxU64 - 1, 1, maxU64, ok},
		{1, maxU64 - 1, maxU64, ok},
		{maxU64, 0, maxU64, ok},
		{maxU64, 1, 0, errs.Overflow},
		{1, maxU64, 0, errs.Overflow},
		{maxU64, maxU64, 0, errs.Overflow},
		{1 << 63, 1 << 63, 0, errs.Overflow}, // would wrap to exactly 0
		{1<<63 - 1, 1 << 63, maxU64, ok},
	} {
		got, err := amt(tc.a).Add(amt(tc.b))
		checkResult(t, got, err, tc.want, tc.code, "%d + %d", tc.a, tc.b)
	}
}

func TestSub(t *testing.T) {
	for _, tc := range []struct {
		a, b, want uint64
		code       errs.Code
	}{
		{0, 0, 0, ok},
		{1, 0, 1, ok},
		{1, 1, 0, ok},
		{0, 1, 0, errs.InsufficientFunds},
		{maxU64, maxU64, 0, ok},
		{maxU64, 1, maxU64 - 1, ok},
		{maxU64, maxU64 - 1, 1, ok},
		{maxU64 - 1, maxU64, 0, errs.InsufficientFunds},
		{0, maxU64, 0, errs.InsufficientFunds},
	} {
		got, err := amt(tc.a).Sub(amt(tc.b))
		checkResult(t, got, err, tc.want, tc.code, "%d - %d", tc.a, tc.b)
	}
}

func TestMulUint(t *testing.T) {
	for _, tc := range []struct {
		name string
		a, n uint64
		want uint64
		code errs.Code
	}{
		{"zero value", 0, maxU64, 0, ok},
		{"zero count", maxU64, 0, 0, ok},
		{"one", maxU64, 1, maxU64, ok},
		{"one unit", 1, maxU64, maxU64, ok},
		// The BeautyChain batchOverflow: 2 recipients x 2^255 wrapped to 0
		// in a 256-bit word; here 2 x 2^63 would wrap to 0.
		{"batchOverflow", 1 << 63, 2, 0, errs.Overflow},
		{"batchOverflow swapped", 2, 1 << 63, 0, errs.Overflow},
		{"just fits", 1<<63 - 1, 2, maxU64 - 1, ok},
		{"exactly maxU64", maxU64 / 3, 3, maxU64, ok},
		{"one unit over", maxU64/3 + 1, 3, 0, errs.Overflow},
		{"maxU64 x 2", maxU64, 2, 0, errs.Overflow},
		{"maxU64 x maxU64", maxU64, maxU64, 0, errs.Overflow},
		{"2^32 x 2^32", 1 << 32, 1 << 32, 0, errs.Overflow},
		{"2^32 x (2^32-1)", 1 << 32, 1<<32 - 1, maxU64 - (1<<32 - 1), ok},
	} {
		got, err := amt(tc.a).MulUint(tc.n)
		checkResult(t, got, err, tc.want, tc.code, "%s: %d x %d", tc.name, tc.a, tc.n)
	}
}

func TestMulRate(t *testing.T) {
	for _, tc := range []struct {
		a    uint64
		r    money.Rate
		want uint64
	}{
		{0, 0, 0},
		{0, money.MaxRate, 0},
		{maxU64, 0, 0},
		{maxU64, money.MaxRate, maxU64},
		{maxU64, 1, maxU64 / 10000},
		{maxU64, 9999, 18444899399302180659}, // floor((2^64-1) x 9999 / 10000)
		{maxU64, 5000, maxU64 / 2},
		{1, 9999, 0}, // rounds down, never up
		{9999, 1, 0},
		{10000, 1, 1},
		{19999, 1, 1},
		{101, 3333, 33},
		{12345, 250, 308}, // 308.625
	} {
		assert.Equal(t, tc.want, amt(tc.a).MulRate(tc.r).Uint64(), "%d x %d bp", tc.a, tc.r)
	}
}

func TestMulRateInvalidRatePanics(t *testing.T) {
	assert.PanicsWithValue(t, "money: MulRate with invalid rate 10001 bp", func() {
		amt(maxU64).MulRate(money.Rate(10001))
	})
}

func TestSum(t *testing.T) {
	for _, tc := range []struct {
		in   []uint64
		want uint64
		code errs.Code
	}{
		{nil, 0, ok},
		{[]uint64{7}, 7, ok},
		{[]uint64{1, 2, 3}, 6, ok},
		{[]uint64{maxU64 - 1, 1}, maxU64, ok},
		{[]uint64{maxU64, 0, 0}, maxU64, ok},
		{[]uint64{maxU64, 1}, 0, errs.Overflow},
		{[]uint64{1, 2, maxU64 - 3, 1}, 0, errs.Overflow}, // overflows on the last one
	} {
		in := make([]money.Amount, len(tc.in))
		for i, v := range tc.in {
			in[i] = amt(v)
		}
		got, err := money.Sum(in...)
		checkResult(t, got, err, tc.want, tc.code, "Sum%v", tc.in)
	}
}

func TestParseAmount(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want uint64
		code errs.Code
	}{
		{"0", 0, ok},
		{"1", 1, ok},
		{"10", 10, ok},
		{"18446744073709551614", maxU64 - 1, ok},
		{"18446744073709551615", maxU64, ok},
		{"18446744073709551616", 0, errs.InvalidArgument},
		{"99999999999999999999", 0, errs.InvalidArgument},
		{"100000000000000000000", 0, errs.InvalidArgument},
		{"", 0, errs.InvalidArgument},
		{"00", 0, errs.InvalidArgument},
		{"01", 0, errs.InvalidArgument},
		{"000000000000000000001", 0, errs.InvalidArgument},
		{"-0", 0, errs.InvalidArgument},
		{"-1", 0, errs.InvalidArgument},
		{"+1", 0, errs.InvalidArgument},
		{"1.0", 0, errs.InvalidArgument},
		{"1.", 0, errs.InvalidArgument},
		{"1e3", 0, errs.InvalidArgument},
		{"1E3", 0, errs.InvalidArgument},
		{"0x10", 0, errs.InvalidArgument},
		{"0b1", 0, errs.InvalidArgument},
		{"1_000", 0, errs.InvalidArgument},
		{"1,000", 0, errs.InvalidArgument},
		{" 1", 0, errs.InvalidArgument},
		{"1 ", 0, errs.InvalidArgument},
		{"1\n", 0, errs.InvalidArgument},
		{"1\x00", 0, errs.InvalidArgument},
		{"１", 0, errs.InvalidArgument}, // fullwidth digit one
		{"٣", 0, errs.InvalidArgument}, // Arabic-Indic digit three
		{"NaN", 0, errs.InvalidArgument},
		{`"1"`, 0, errs.InvalidArgument},
	} {
		got, err := money.ParseAmount(tc.in)
		checkResult(t, got, err, tc.want, tc.code, "ParseAmount(%q)", tc.in)
		if err == nil {
			assert.Equal(t, tc.in, got.String(), "round trip of %q", tc.in)
		}
	}
}

func TestParseAmountMessageIsShort(t *testing.T) {
	for _, in := range []string{strings.Repeat("9", 10000), strings.Repeat("x", 10000), "0" + strings.Repeat("1", 10000)} {
		_, err := money.ParseAmount(in)
		require.Error(t, err)
		assert.Less(t, len(err.Error()), 150, "message echoes the input: %.200s", err)
	}
}

func TestAmountMarshalJSON(t *testing.T) {
	for _, tc := range []struct {
		v    uint64
		want string
	}{
		{0, `"0"`},
		{1, `"1"`},
		{maxU64, `"18446744073709551615"`},
	} {
		b, err := json.Marshal(amt(tc.v))
		require.NoError(t, err)
		assert.Equal(t, tc.want, string(b))
	}
	// In a struct, by value and through a pointer.
	b, err := json.Marshal(struct {
		A money.Amount  `json:"a"`
		P *money.Amount `json:"p"`
	}{amt(5), &[]money.Amount{amt(6)}[0]})
	require.NoError(t, err)
	assert.Equal(t, `{"a":"5","p":"6"}`, string(b))
}

func TestAmountUnmarshalJSON(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want uint64
		code errs.Code
	}{
		{`"0"`, 0, ok},
		{`"1"`, 1, ok},
		{`"18446744073709551615"`, maxU64, ok},
		{`"\u0031\u0032"`, 12, ok}, // the same string, escaped
		{`"18446744073709551616"`, 0, errs.InvalidArgument},
		{`0`, 0, errs.InvalidArgument},
		{`1`, 0, errs.InvalidArgument},
		{`1e3`, 0, errs.InvalidArgument},
		{`-1`, 0, errs.InvalidArgument},
		{`null`, 0, errs.InvalidArgument},
		{`true`, 0, errs.InvalidArgument},
		{`{}`, 0, errs.InvalidArgument},
		{`[]`, 0, errs.InvalidArgument},
		{`""`, 0, errs.InvalidArgument},
		{`"01"`, 0, errs.InvalidArgument},
		{`"1.5"`, 0, errs.InvalidArgument},
		{`"-1"`, 0, errs.InvalidArgument},
		{`" 1"`, 0, errs.InvalidArgument},
		{`"1"x`, 0, errs.InvalidArgument},
		{`"1`, 0, errs.InvalidArgument},
		{``, 0, errs.InvalidArgument},
	} {
		// Call the method directly: json.Unmarshal would reject some inputs
		// as malformed JSON before ever reaching it.
		got := amt(42)
		err := got.UnmarshalJSON([]byte(tc.in))
		if tc.code != ok {
			assert.Equal(t, uint64(42), got.Uint64(), "a failed decode of %s changed the value", tc.in)
			got = money.Amount{}
		}
		checkResult(t, got, err, tc.want, tc.code, "UnmarshalJSON(%s)", tc.in)
	}
}

func TestAmountFieldRejectsNumberAndNull(t *testing.T) {
	var v struct {
		A money.Amount `json:"a"`
	}
	for in, kind := range map[string]string{`{"a":5}`: "a number", `{"a":null}`: "null", `{"a":{}}`: "an object"} {
		err := json.Unmarshal([]byte(in), &v)
		assert.ErrorIs(t, err, errs.ErrInvalidArgument, in)
		assert.ErrorContains(t, err, "amount must be a JSON string of decimal digits, got "+kind)
	}
	require.NoError(t, json.Unmarshal([]byte(`{"a":"5"}`), &v))
	assert.Equal(t, uint64(5), v.A.Uint64())
}

// checkResult asserts that (got, err) is want when code is ok, and an error
// with code otherwise.
func checkResult(t *testing.T, got money.Amount, err error, want uint64, code errs.Code, format string, args ...any) {
	t.Helper()
	if code == ok {
		if assert.NoError(t, err, append([]any{format}, args...)...) {
			assert.Equal(t, want, got.Uint64(), append([]any{format}, args...)...)
		}
		return
	}
	assert.Equal(t, code, errs.CodeOf(err), append([]any{format + ": %v"}, append(args, err)...)...)
	assert.True(t, got.IsZero(), append([]any{format + ": a failed call returned a value"}, args...)...)
}
