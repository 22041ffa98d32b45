package moderation_test

import (
	"math"
	"math/big"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/codec"
	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/ledger/memledger"
	"github.com/likrcommerce/likr/contracts/moderation"
	"github.com/likrcommerce/likr/contracts/money"
)

func TestRegisterStoresTheEntryAndEmits(t *testing.T) {
	e := newEnv(t)
	fee := moderation.Fee{Bps: 250, Flat: amt(1000)}
	var m *moderation.Moderator
	ev := e.Must(func(st ledger.State, ev ledger.Emitter) (err error) {
		m, err = moderation.Register(st, ev, mod, moderation.RegisterRequest{Fee: fee, Description: "분쟁 조정\t10 years"})
		return err
	})
	want := &moderation.Moderator{
		Account: mod, Fee: fee, Description: "분쟁 조정\t10 years", Active: true,
		RegisteredAt: e.Stamp(1), UpdatedAt: e.Stamp(1), Version: 1,
	}
	require.Equal(t, want, m)
	require.Equal(t,
		`{"account":"`+mod+`","fee":{"bps":250,"flat":"1000"},"description":"분쟁 조정\t10 years","active":true,`+
			`"registeredAt":"2026-03-01T09:00:01.000000005Z","updatedAt":"2026-03-01T09:00:01.000000005Z","version":1}`,
		string(e.L.GetCommitted(e.Key("moderator", mod))))
	require.Equal(t, ledger.Events{moderation.Event{
		Type: "moderation.registered", Account: mod, Fee: fee, Description: "분쟁 조정\t10 years", Active: true, Version: 1,
	}}, ev)

	var got *moderation.Moderator
	require.NoError(t, e.Read(func(st ledger.State) (err error) {
		got, err = moderation.Get(st, mod)
		return err
	}))
	require.Equal(t, want, got)

	// A free moderator is fine.
	free := e.register(other, moderation.Fee{}, "free of charge")
	require.Equal(t, moderation.Fee{}, free.Fee)
}

func TestRegisterRefusals(t *testing.T) {
	e := newEnv(t)
	e.register(mod, moderation.Fee{Bps: 100}, "first")
	long := strings.Repeat("가", moderation.MaxDescriptionRunes)
	ok := moderation.Fee{Bps: 100, Flat: amt(5)}
	for _, tc := range []struct {
		name    string
		account string
		req     moderation.RegisterRequest
		code    errs.Code
		msg     string
	}{
		{"account not hex", strings.Repeat("g", 40), moderation.RegisterRequest{Fee: ok, Description: "d"}, errs.InvalidArgument, "account"},
		{"account upper case", strings.ToUpper(other), moderation.RegisterRequest{Fee: ok, Description: "d"}, errs.InvalidArgument, "account"},
		{"account short", other[:39], moderation.RegisterRequest{Fee: ok, Description: "d"}, errs.InvalidArgument, "account"},
		{"account empty", "", moderation.RegisterRequest{Fee: ok, Description: "d"}, errs.InvalidArgument, "account"},
		{"fee bps 10001", other, moderation.RegisterRequest{Fee: moderation.Fee{Bps: 10001}, Description: "d"}, errs.InvalidArgument, "fee.bps"},
		{"fee bps 65535", other, moderation.RegisterRequest{Fee: moderation.Fee{Bps: math.MaxUint16}, Description: "d"}, errs.InvalidArgument, "fee.bps"},
		{"description empty", other, moderation.RegisterRequest{Fee: ok}, errs.InvalidArgument, "description"},
		{"description blank", other, moderation.RegisterRequest{Fee: ok, Description: " \t\n"}, errs.InvalidArgument, "description"},
		{"description too long", other, moderation.RegisterRequest{Fee: ok, Description: long + "x"}, errs.InvalidArgument, "description"},
		{"description control", other, moderation.RegisterRequest{Fee: ok, Description: "a\x07b"}, errs.InvalidArgument, "description"},
		{"description NUL", other, moderation.RegisterRequest{Fee: ok, Description: "a\x00b"}, errs.InvalidArgument, "description"},
		{"description DEL", other, moderation.RegisterRequest{Fee: ok, Description: "a\x7fb"}, errs.InvalidArgument, "description"},
		{"description carriage return", other, moderation.RegisterRequest{Fee: ok, Description: "a\rb"}, errs.InvalidArgument, "description"},
		{"description bidi override", other, moderation.RegisterRequest{Fee: ok, Description: "a\u202eb"}, errs.InvalidArgument, "description"},
		{"description line separator", other, moderation.RegisterRequest{Fee: ok, Description: "a\u2028b"}, errs.InvalidArgument, "description"},
		{"description invalid UTF-8", other, moderation.RegisterRequest{Fee: ok, Description: "a\xffb"}, errs.InvalidArgument, "description"},
		{"registered twice", mod, moderation.RegisterRequest{Fee: ok, Description: "again"}, errs.AlreadyExists, "already registered"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := e.Refused(tc.code, func(st ledger.State, ev ledger.Emitter) error {
				m, err := moderation.Register(st, ev, tc.account, tc.req)
				require.Nil(t, m)
				return err
			})
			require.Contains(t, err.Error(), tc.msg)
		})
	}
	// The bounds themselves pass: the longest description, a 100 % rate,
	// the largest flat fee, line breaks and tabs.
	e.register(other, moderation.Fee{Bps: money.MaxRate, Flat: money.MaxAmount()}, long)
	e.register(acct(3), moderation.Fee{}, "line one\nline two\tend")
}

// Requests arrive as JSON: a rate above 100 % or an amount written as a
// number never decodes, so it never reaches Register.
func TestRequestsDecodeStrictly(t *testing.T) {
	for _, bad := range []string{
		`{"fee":{"bps":10001,"flat":"0"},"description":"d"}`,
		`{"fee":{"bps":-1,"flat":"0"},"description":"d"}`,
		`{"fee":{"bps":1.5,"flat":"0"},"description":"d"}`,
		`{"fee":{"bps":100,"flat":5},"description":"d"}`,
		`{"fee":{"bps":100,"flat":"05"},"description":"d"}`,
		`{"fee":{"bps":100,"flat":"0","extra":1},"description":"d"}`,
		`{"fee":{"bps":100,"flat":"0"},"description":"d","active":true}`,
		`{"fee":{"bps":100,"flat":"0"},"description":"d","description":"e"}`,
	} {
		var req moderation.RegisterRequest
		require.ErrorIs(t, codec.Decode([]byte(bad), &req), errs.ErrInvalidArgument, bad)
	}
	var req moderation.UpdateRequest
	require.NoError(t, codec.Decode([]byte(`{"fee":{"bps":10000,"flat":"18446744073709551615"},"description":"d","active":false}`), &req))
	require.Equal(t, moderation.UpdateRequest{Fee: moderation.Fee{Bps: 10000, Flat: money.MaxAmount()}, Description: "d"}, req)
}

func TestUpdateBumpsTheVersion(t *testing.T) {
	e := newEnv(t)
	e.register(mod, moderation.Fee{Bps: 100, Flat: amt(10)}, "first")
	for i, tc := range []moderation.UpdateRequest{
		{Fee: moderation.Fee{Bps: 200, Flat: amt(10)}, Description: "first", Active: true},
		{Fee: moderation.Fee{Bps: 200, Flat: amt(20)}, Description: "first", Active: true},
		{Fee: moderation.Fee{Bps: 200, Flat: amt(20)}, Description: "second", Active: true},
		{Fee: moderation.Fee{Bps: 200, Flat: amt(20)}, Description: "second", Active: false},
		{Fee: moderation.Fee{Bps: 200, Flat: amt(20)}, Description: "second", Active: true},
	} {
		var m *moderation.Moderator
		ev := e.Must(func(st ledger.State, ev ledger.Emitter) (err error) {
			m, err = moderation.Update(st, ev, mod, tc)
			return err
		})
		want := &moderation.Moderator{
			Account: mod, Fee: tc.Fee, Description: tc.Description, Active: tc.Active,
			RegisteredAt: e.Stamp(1), UpdatedAt: e.Stamp(2 + 2*i), Version: uint64(i + 2), // each round reads the profile too
		}
		require.Equal(t, want, m, "update %d", i)
		require.Equal(t, ledger.Events{moderation.Event{
			Type: "moderation.updated", Account: mod, Fee: tc.Fee, Description: tc.Description, Active: tc.Active, Version: uint64(i + 2),
		}}, ev)
		p, err := e.profile(mod)
		require.NoError(t, err)
		require.Equal(t, *want, p.Moderator, "update %d is what is stored", i)
	}
}

func TestUpdateRefusals(t *testing.T) {
	e := newEnv(t)
	e.register(mod, moderation.Fee{Bps: 100, Flat: amt(10)}, "first")
	same := moderation.UpdateRequest{Fee: moderation.Fee{Bps: 100, Flat: amt(10)}, Description: "first", Active: true}
	for _, tc := range []struct {
		name    string
		account string
		req     moderation.UpdateRequest
		code    errs.Code
	}{
		{"unchanged", mod, same, errs.InvalidArgument},
		{"never registered", other, same, errs.NotFound},
		{"account malformed", "moderator", same, errs.InvalidArgument},
		{"fee bps 10001", mod, moderation.UpdateRequest{Fee: moderation.Fee{Bps: 10001}, Description: "first", Active: true}, errs.InvalidArgument},
		{"description empty (omitted)", mod, moderation.UpdateRequest{Fee: same.Fee, Active: true}, errs.InvalidArgument},
		{"description too long", mod, moderation.UpdateRequest{Fee: same.Fee, Description: strings.Repeat("x", 501), Active: true}, errs.InvalidArgument},
		{"description control", mod, moderation.UpdateRequest{Fee: same.Fee, Description: "x\x1by", Active: true}, errs.InvalidArgument},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e.Refused(tc.code, func(st ledger.State, ev ledger.Emitter) error {
				m, err := moderation.Update(st, ev, tc.account, tc.req)
				require.Nil(t, m)
				return err
			})
		})
	}
}

func TestGetRefusals(t *testing.T) {
	e := newEnv(t)
	e.register(mod, moderation.Fee{}, "m")
	for _, tc := range []struct {
		account string
		code    errs.Code
	}{
		{other, errs.NotFound},
		{"", errs.InvalidArgument},
		{mod + "0", errs.InvalidArgument},
		{strings.ToUpper(mod), errs.InvalidArgument},
		{mod[:39] + "\x00", errs.InvalidArgument},
	} {
		err := e.Read(func(st ledger.State) error {
			m, err := moderation.Get(st, tc.account)
			require.Nil(t, m)
			return err
		})
		wantCode(t, err, tc.code)
		_, err = e.profile(tc.account)
		wantCode(t, err, tc.code)
	}
}

// Get is a point read: a submit transaction may call it and write after
// it (a paginated query would forbid any write), as package order does when
// a dispute opens.
func TestGetIsSafeOnSubmitPaths(t *testing.T) {
	e := newEnv(t)
	e.register(mod, moderation.Fee{}, "m")
	e.Must(func(st ledger.State, _ ledger.Emitter) error {
		if _, err := moderation.Get(st, mod); err != nil {
			return err
		}
		return moderation.RecordResolution(st, mod, "order:b:o1")
	})
	p, err := e.profile(mod)
	require.NoError(t, err)
	require.Equal(t, uint64(1), p.Reputation.Resolved)
}

// Two moderators registering at once touch distinct keys and both commit;
// the same account registering twice at once conflicts, so one entry is
// never overwritten by the other.
func TestConcurrentRegistrations(t *testing.T) {
	e := newEnv(t)
	tx1, tx2, tx3 := e.Begin(), e.Begin(), e.Begin()
	var ev ledger.Events
	for _, c := range []struct {
		st      ledger.State
		account string
	}{{tx1, mod}, {tx2, other}, {tx3, mod}} {
		_, err := moderation.Register(c.st, &ev, c.account, moderation.RegisterRequest{Description: "d"})
		require.NoError(t, err)
	}
	require.NoError(t, tx1.Commit())
	require.NoError(t, tx2.Commit())
	require.ErrorIs(t, tx3.Commit(), memledger.ErrMVCCConflict, "the second registration of one account must be invalidated")
	m, err := e.profile(mod)
	require.NoError(t, err)
	require.Equal(t, e.Stamp(1), m.RegisteredAt)
}

func TestFeeFor(t *testing.T) {
	maxU64 := uint64(math.MaxUint64)
	for _, tc := range []struct {
		bps         money.Rate
		flat, total uint64
		want        uint64
	}{
		{0, 0, 10000, 0},
		{250, 0, 10000, 250},
		{250, 100, 10000, 350},
		{1, 0, 9999, 0},             // 0.9999 rounds down
		{1, 0, 10000, 1},            // exactly 1
		{3333, 0, 10, 3},            // 3.333 rounds down
		{0, 500, 10000, 500},        // flat only
		{0, 10000, 10000, 10000},    // flat equal to the total
		{0, 10001, 10000, 10000},    // flat above the total: capped
		{5000, 5000, 10000, 10000},  // flat + half = total exactly
		{5000, 5001, 10000, 10000},  // one above: capped
		{10000, 0, 10000, 10000},    // 100 %
		{10000, 1, 10000, 10000},    // 100 % + flat: capped
		{100, 7, 0, 0},              // nothing disputed, nothing charged
		{100, maxU64, 10000, 10000}, // flat + rate overflows: capped
		{10000, maxU64, maxU64, maxU64},
		{5000, 0, maxU64, maxU64 / 2}, // 128-bit product, exact
		{10001, 0, 10000, 10000},      // an invalid rate claims more than all: capped
		{math.MaxUint16, 0, 77, 77},
	} {
		got := moderation.Fee{Bps: tc.bps, Flat: amt(tc.flat)}.For(amt(tc.total))
		require.Equal(t, tc.want, got.Uint64(), "fee %d bp + %d on %d", tc.bps, tc.flat, tc.total)
	}
}

func FuzzFeeFor(f *testing.F) {
	for _, v := range []uint64{0, 1, 9999, 10000, 1 << 63, math.MaxUint64} {
		for _, bps := range []uint16{0, 1, 5000, 10000, 10001, math.MaxUint16} {
			f.Add(bps, v, v)
			f.Add(bps, v/2, v)
		}
	}
	f.Fuzz(func(t *testing.T, bps uint16, flat, total uint64) {
		got := moderation.Fee{Bps: money.Rate(bps), Flat: amt(flat)}.For(amt(total))
		// min(total, flat + floor(total x bps / 10000)), in big integers.
		want := new(big.Int).Mul(new(big.Int).SetUint64(total), big.NewInt(int64(bps)))
		want.Quo(want, big.NewInt(10000))
		want.Add(want, new(big.Int).SetUint64(flat))
		if want.Cmp(new(big.Int).SetUint64(total)) > 0 {
			want.SetUint64(total)
		}
		if got.Uint64() != want.Uint64() {
			t.Fatalf("fee %d bp + %d on %d = %v, want %v", bps, flat, total, got, want)
		}
	})
}
