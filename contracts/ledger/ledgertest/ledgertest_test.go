package ledgertest_test

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/ledger/ledgertest"
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/contracts/wallet"
)

var start = time.Date(2026, 3, 1, 9, 0, 0, 5, time.UTC)

// fakeT records the first fatal failure and stops the goroutine, as
// testing.T does, so that a test can prove the harness fails.
type fakeT struct {
	testing.TB
	fatal string
}

func (f *fakeT) Helper() {}

func (f *fakeT) Cleanup(func()) {}

func (f *fakeT) Fatalf(format string, args ...any) {
	f.fatal = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// fails runs fn against a fake test on a goroutine of its own and returns
// how it failed, "" when it did not.
func fails(fn func(t testing.TB)) string {
	f := &fakeT{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(f)
	}()
	<-done
	return f.fatal
}

type stateEnv = ledgertest.Env[ledgertest.StateBody, ledgertest.StateView]

func newState(t testing.TB) *stateEnv {
	return ledgertest.New[ledgertest.StateBody, ledgertest.StateView](t, start)
}

func put(key, value string) ledgertest.StateBody {
	return func(st ledger.State, ev ledger.Emitter) error {
		ev.Emit(key)
		return st.PutState(key, []byte(value))
	}
}

func TestSubmitNumbersCommitsAndReturnsTheEvents(t *testing.T) {
	e := newState(t)
	require.Equal(t, ledger.Events{"a"}, e.Must(put("a", "1")))
	e.L.Advance(time.Hour)
	require.Equal(t, ledger.Events{"b"}, e.Must(put("b", "2")))
	require.NoError(t, e.Read(func(st ledger.State) error {
		require.Equal(t, "tx000003", st.GetTxID())
		v, err := st.GetState("b")
		require.Equal(t, "2", string(v))
		return err
	}))
	require.Equal(t, 3, e.N())
	require.Equal(t, "2026-03-01T09:00:00.000000005Z", e.Stamp(1))
	require.Equal(t, "2026-03-01T10:00:01.000000005Z", e.Stamp(2))
	require.Equal(t, []string{"a", "b"}, []string{e.L.Snapshot()[0].Key, e.L.Snapshot()[1].Key})
	require.Contains(t, fails(func(t testing.TB) { newState(t).Stamp(1) }), "no transaction 1")
}

func TestSubmitDiscardsAFailedBodyAndChecksItWroteNothing(t *testing.T) {
	e := newState(t)
	before := e.Snapshot()
	boom := errs.New(errs.InvalidArgument, "boom")
	ev, err := e.Submit(func(ledger.State, ledger.Emitter) error { return boom })
	require.Same(t, boom, err)
	require.Empty(t, ev)
	require.Equal(t, before, e.Snapshot())

	require.Contains(t, fails(func(t testing.TB) {
		newState(t).Submit(func(st ledger.State, ev ledger.Emitter) error {
			_ = put("a", "1")(st, ev)
			return boom
		})
	}), "a failed call wrote 1 keys")
	require.Contains(t, fails(func(t testing.TB) {
		newState(t).Submit(func(_ ledger.State, ev ledger.Emitter) error {
			ev.Emit("half done")
			return boom
		})
	}), "a failed call emitted events")
	require.Contains(t, fails(func(t testing.TB) { newState(t).Must(func(ledger.State, ledger.Emitter) error { return boom }) }),
		"unexpected error: INVALID_ARGUMENT: boom")
}

func TestRefused(t *testing.T) {
	refuse := func(ledger.State, ledger.Emitter) error { return errs.New(errs.NotFound, "no such thing") }
	e := newState(t)
	e.Must(put("a", "1"))
	require.ErrorIs(t, e.Refused(errs.NotFound, refuse), errs.ErrNotFound)

	for want, body := range map[string]ledgertest.StateBody{
		"got no error, want NOT_FOUND": func(ledger.State, ledger.Emitter) error { return nil },
		"want NOT_FOUND":               func(ledger.State, ledger.Emitter) error { return errs.New(errs.Forbidden, "no") },
		"a refused call wrote 1 keys": func(st ledger.State, _ ledger.Emitter) error {
			_ = st.PutState("b", []byte("2"))
			return errs.New(errs.NotFound, "no")
		},
		"a refused call emitted events": func(_ ledger.State, ev ledger.Emitter) error {
			ev.Emit("x")
			return errs.New(errs.NotFound, "no")
		},
	} {
		require.Contains(t, fails(func(t testing.TB) { newState(t).Refused(errs.NotFound, body) }), want)
	}
}

func TestTheKeeperReportsIntoTheEvents(t *testing.T) {
	e := ledgertest.New[ledgertest.KeeperBody, ledgertest.KeeperView](t, start)
	ev := e.Must(func(_ ledger.State, k *wallet.Keeper, ev ledger.Emitter) error {
		ev.Emit("before")
		return k.Mint(ledgertest.Account(0xa, 1), ledgertest.Amount(5), money.MaxAmount())
	})
	require.Len(t, ev, 2)
	require.Equal(t, "before", ev[0])
	require.Equal(t, wallet.EventCredit, ev[1].(wallet.Event).Type)
	e.MustRead(func(_ ledger.State, k *wallet.Keeper) error {
		b, err := k.Balance(ledgertest.Account(0xa, 1))
		require.Equal(t, ledgertest.Amount(5), b)
		return err
	})

	w := ledgertest.New[ledgertest.WalletBody, ledgertest.WalletView](t, start)
	w.Refused(errs.InvalidArgument, func(k *wallet.Keeper) error {
		return k.Mint("not an account", ledgertest.Amount(5), money.MaxAmount())
	})
	require.Contains(t, fails(func(t testing.TB) {
		ledgertest.New[ledgertest.WalletBody, ledgertest.WalletView](t, start).MustRead(func(k *wallet.Keeper) error {
			_, err := k.Balance("not an account")
			return err
		})
	}), "read: INVALID_ARGUMENT")
}

func TestWantCode(t *testing.T) {
	nested := errs.Wrap(errs.Internal, errs.New(errs.NotFound, "inner"), "outer")
	for _, tc := range []struct {
		err  error
		code errs.Code
		want string
	}{
		{nil, "", ""},
		{errs.New(errs.NotFound, "x"), errs.NotFound, ""},
		{fmt.Errorf("context: %w", errs.New(errs.NotFound, "x")), errs.NotFound, ""},
		{nested, errs.Internal, ""},
		{nested, errs.NotFound, "want NOT_FOUND"}, // the caller sees INTERNAL
		{nil, errs.NotFound, "got no error, want NOT_FOUND"},
		{errs.New(errs.NotFound, "x"), "", "unexpected error"},
		{errs.New(errs.NotFound, "x"), errs.Forbidden, "want FORBIDDEN"},
	} {
		got := fails(func(t testing.TB) { ledgertest.WantCode(t, tc.err, tc.code) })
		if tc.want == "" {
			require.Empty(t, got, "%v %s", tc.err, tc.code)
		} else {
			require.Contains(t, got, tc.want, "%v %s", tc.err, tc.code)
		}
	}
}

func TestKeyAndAccount(t *testing.T) {
	e := newState(t)
	require.Equal(t, "\x00modrep\x00a\x00b\x00", e.Key("modrep", "a", "b"))
	require.Contains(t, fails(func(t testing.TB) { newState(t).Key("x", "\xff") }), "key x")
	require.Equal(t, "0000000000000000000000000000000030de0001", ledgertest.Account(0x30de0000, 1))
	require.True(t, wallet.IsAccountID(ledgertest.Account(0x30de0000, 1)))
}

func TestWalletReads(t *testing.T) {
	e := ledgertest.New[ledgertest.WalletBody, ledgertest.WalletView](t, start)
	holder := ledgertest.Account(0xa, 1)
	const n = ledger.MaxPageSize + 1 // more than one page
	for range n {
		e.Must(func(k *wallet.Keeper) error { return k.Mint(holder, ledgertest.Amount(2), money.MaxAmount()) })
	}
	ids := e.CoinIDs(holder)
	require.Len(t, ids, int(n))
	require.Equal(t, "tx000001.000000", ids[0])
	require.Equal(t, fmt.Sprintf("tx%06d.000000", n), ids[n-1])
	require.Equal(t, ledgertest.Amount(2*uint64(n)), e.Balance(holder))
	r := e.Audit()
	require.True(t, r.OK, "%+v", r)
	require.Equal(t, int(n), r.Coins)
	require.Empty(t, e.CoinIDs(ledgertest.Account(0xa, 2)))
	require.Contains(t, fails(func(t testing.TB) {
		ledgertest.New[ledgertest.StateBody, ledgertest.StateView](t, start).Balance("not an account")
	}), "read: INVALID_ARGUMENT")
}
