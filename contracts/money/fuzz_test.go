package money_test

import (
	"encoding/binary"
	"encoding/json"
	"math/big"
	"regexp"
	"strconv"
	"testing"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/money"
)

// The fuzz targets check every operation against math/big, which cannot
// overflow. Their seeds are the limits, so plain `go test` runs them too.

var (
	bigMax     = new(big.Int).SetUint64(maxU64)
	canonical  = regexp.MustCompile(`^(0|[1-9][0-9]*)$`)
	edgeValues = []uint64{0, 1, 2, 9999, 10000, 1 << 32, 1<<63 - 1, 1 << 63, maxU64 - 1, maxU64}
)

func bigOf(v uint64) *big.Int { return new(big.Int).SetUint64(v) }

// wantResult checks an operation's (got, err) against the exact result
// exact: equal when exact fits in an Amount, failCode otherwise.
func wantResult(t *testing.T, got money.Amount, err error, exact *big.Int, failCode errs.Code) {
	t.Helper()
	if exact.Sign() >= 0 && exact.Cmp(bigMax) <= 0 {
		if err != nil || got.Uint64() != exact.Uint64() {
			t.Fatalf("got %v, %v; want %v", got, err, exact)
		}
		return
	}
	if errs.CodeOf(err) != failCode {
		t.Fatalf("exact result %v does not fit; got %v, %v; want %s", exact, got, err, failCode)
	}
}

func addEdgePairs(f *testing.F) {
	for _, a := range edgeValues {
		for _, b := range edgeValues {
			f.Add(a, b)
		}
	}
}

func FuzzAdd(f *testing.F) {
	addEdgePairs(f)
	f.Fuzz(func(t *testing.T, a, b uint64) {
		got, err := amt(a).Add(amt(b))
		wantResult(t, got, err, new(big.Int).Add(bigOf(a), bigOf(b)), errs.Overflow)
	})
}

func FuzzSub(f *testing.F) {
	addEdgePairs(f)
	f.Fuzz(func(t *testing.T, a, b uint64) {
		got, err := amt(a).Sub(amt(b))
		wantResult(t, got, err, new(big.Int).Sub(bigOf(a), bigOf(b)), errs.InsufficientFunds)
	})
}

func FuzzMulUint(f *testing.F) {
	addEdgePairs(f)
	f.Add(uint64(maxU64/3), uint64(3))
	f.Add(uint64(maxU64/3+1), uint64(3))
	f.Fuzz(func(t *testing.T, a, n uint64) {
		got, err := amt(a).MulUint(n)
		wantResult(t, got, err, new(big.Int).Mul(bigOf(a), bigOf(n)), errs.Overflow)
	})
}

func FuzzMulRate(f *testing.F) {
	for _, a := range edgeValues {
		for _, r := range []uint16{0, 1, 5000, 9999, 10000, 10001, 65535} {
			f.Add(a, r)
		}
	}
	f.Fuzz(func(t *testing.T, a uint64, bps uint16) {
		r := money.Rate(bps)
		if !r.Valid() {
			defer func() {
				if recover() == nil {
					t.Fatalf("MulRate(%d, %d) did not panic on an invalid rate", a, bps)
				}
			}()
		}
		got := amt(a).MulRate(r)
		exact := new(big.Int).Mul(bigOf(a), big.NewInt(int64(bps)))
		exact.Quo(exact, big.NewInt(10000)) // floor: both operands are >= 0
		if got.Uint64() != exact.Uint64() || !exact.IsUint64() {
			t.Fatalf("%d x %d bp: got %v, want %v", a, bps, got, exact)
		}
	})
}

// FuzzSplit builds up to 8 parts from spec, 11 bytes each: a fixed amount
// (8 bytes, shifted right by the 9th byte so that small claims are common)
// and a rate (2 bytes, reduced to 0..10000).
func FuzzSplit(f *testing.F) {
	part := func(fixed uint64, shift byte, bps uint16) []byte {
		b := binary.BigEndian.AppendUint64(nil, fixed)
		return binary.BigEndian.AppendUint16(append(b, shift), bps)
	}
	cat := func(parts ...[]byte) []byte {
		var b []byte
		for _, p := range parts {
			b = append(b, p...)
		}
		return b
	}
	f.Add(uint64(0), []byte{})
	f.Add(uint64(maxU64), []byte{})
	f.Add(uint64(10000), cat(part(6000, 0, 0), part(0, 0, 500), part(0, 0, 300)))
	f.Add(uint64(101), cat(part(0, 0, 3333), part(0, 0, 3333), part(0, 0, 3334)))
	f.Add(uint64(maxU64), cat(part(0, 0, 5000), part(0, 0, 5000)))
	f.Add(uint64(maxU64), cat(part(1, 0, 10000)))
	f.Add(uint64(maxU64), cat(part(maxU64, 0, 0), part(maxU64, 0, 0)))
	f.Add(uint64(maxU64-1), cat(part(maxU64, 1, 0), part(maxU64, 1, 0)))
	f.Add(uint64(1), cat(part(0, 0, 6000), part(0, 0, 6000)))
	f.Fuzz(func(t *testing.T, total uint64, spec []byte) {
		var parts []money.Part
		for len(spec) >= 11 && len(parts) < 8 {
			parts = append(parts, money.Part{
				Party: "p" + strconv.Itoa(len(parts)),
				Fixed: amt(binary.BigEndian.Uint64(spec) >> (spec[8] % 64)),
				Rate:  money.Rate(binary.BigEndian.Uint16(spec[9:]) % 10001),
			})
			spec = spec[11:]
		}

		claims := make([]*big.Int, len(parts))
		sumClaims := new(big.Int)
		for i, p := range parts {
			c := new(big.Int).Mul(bigOf(total), big.NewInt(int64(p.Rate)))
			c.Quo(c, big.NewInt(10000))
			claims[i] = c.Add(c, bigOf(p.Fixed.Uint64()))
			sumClaims.Add(sumClaims, claims[i])
		}

		shares, err := money.Split(amt(total), parts, "rest")
		if sumClaims.Cmp(bigOf(total)) > 0 {
			if errs.CodeOf(err) != errs.InsufficientFunds || shares != nil {
				t.Fatalf("claims %v exceed total %d; got %v, %v", sumClaims, total, shares, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("claims %v within total %d; got %v", sumClaims, total, err)
		}
		if len(shares) != len(parts)+1 {
			t.Fatalf("got %d shares for %d parts", len(shares), len(parts))
		}
		sum := new(big.Int)
		for i, s := range shares {
			sum.Add(sum, bigOf(s.Amount.Uint64()))
			want := new(big.Int).Sub(bigOf(total), sumClaims) // the remainder
			party := "rest"
			if i < len(parts) {
				want, party = claims[i], parts[i].Party
			}
			if s.Party != party || bigOf(s.Amount.Uint64()).Cmp(want) != 0 {
				t.Fatalf("share %d = %s %v, want %s %v", i, s.Party, s.Amount, party, want)
			}
		}
		if sum.Cmp(bigOf(total)) != 0 {
			t.Fatalf("shares sum to %v, not %d", sum, total)
		}
	})
}

func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{
		"0", "1", "10", "18446744073709551614", "18446744073709551615",
		"18446744073709551616", "99999999999999999999", "", "00", "01", "-0", "-1",
		"+1", "1.0", "1e3", "0x10", "1_000", " 1", "1 ", "１", "٣", "1\x00",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := money.ParseAmount(s)
		n, isInt := new(big.Int).SetString(s, 10)
		valid := canonical.MatchString(s) && isInt && n.Cmp(bigMax) <= 0
		if !valid {
			if errs.CodeOf(err) != errs.InvalidArgument {
				t.Fatalf("ParseAmount(%q) = %v, %v; want INVALID_ARGUMENT", s, a, err)
			}
			return
		}
		if err != nil || a.Uint64() != n.Uint64() || a.String() != s {
			t.Fatalf("ParseAmount(%q) = %v, %v; want %v", s, a, err, n)
		}
	})
}

func FuzzAmountJSON(f *testing.F) {
	for _, s := range []string{
		`"0"`, `"1"`, `"18446744073709551615"`, `"18446744073709551616"`, `"\u0031"`,
		`0`, `1`, `-1`, `1e3`, `null`, `true`, `{}`, `[]`, `""`, `"01"`, `"1.5"`,
		`"-1"`, `" 1"`, `"1"x`, `"1`, ``, "\"1\xff\"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var a money.Amount
		err := a.UnmarshalJSON(data)

		// The reference: a JSON string whose content ParseAmount accepts.
		var s string
		isString := len(data) > 0 && data[0] == '"' && json.Unmarshal(data, &s) == nil
		n, _ := new(big.Int).SetString(s, 10)
		valid := isString && canonical.MatchString(s) && n.Cmp(bigMax) <= 0
		if !valid {
			if errs.CodeOf(err) != errs.InvalidArgument || !a.IsZero() {
				t.Fatalf("UnmarshalJSON(%q) = %v, %v; want INVALID_ARGUMENT", data, a, err)
			}
			return
		}
		if err != nil || a.String() != s {
			t.Fatalf("UnmarshalJSON(%q) = %v, %v; want %s", data, a, err, s)
		}
		out, err := json.Marshal(a)
		if err != nil || string(out) != `"`+s+`"` {
			t.Fatalf("Marshal(%v) = %s, %v", a, out, err)
		}
	})
}

func FuzzRateJSON(f *testing.F) {
	for _, s := range []string{`0`, `1`, `10000`, `10001`, `65536`, `-1`, `1.5`, `1e2`, `01`, `"5"`, `null`, ``} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var r money.Rate
		err := r.UnmarshalJSON(data)
		n, _ := new(big.Int).SetString(string(data), 10)
		valid := canonical.Match(data) && n.Cmp(big.NewInt(10000)) <= 0
		if !valid {
			if errs.CodeOf(err) != errs.InvalidArgument || r != 0 {
				t.Fatalf("UnmarshalJSON(%q) = %d, %v; want INVALID_ARGUMENT", data, r, err)
			}
			return
		}
		if err != nil || int64(r) != n.Int64() {
			t.Fatalf("UnmarshalJSON(%q) = %d, %v; want %v", data, r, err, n)
		}
		out, err := json.Marshal(r)
		if err != nil || string(out) != string(data) {
			t.Fatalf("Marshal(%d) = %s, %v", r, out, err)
		}
	})
}
