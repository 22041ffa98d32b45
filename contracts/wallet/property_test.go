package wallet_test

import (
	"errors"
	"math/rand"
	"testing"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger/memledger"
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/contracts/wallet"
)

// chooser drives the random operations: *rand.Rand in property tests, the
// fuzzer's bytes in FuzzOperations.
type chooser interface{ Intn(n int) int }

// byteChooser reads choices from fuzz input; it answers 0 when exhausted.
type byteChooser struct{ data []byte }

func (b *byteChooser) Intn(n int) int {
	if len(b.data) == 0 {
		return 0
	}
	v := int(b.data[0])
	b.data = b.data[1:]
	return v % n
}

// sim applies random operations to a ledger and checks the invariants after
// every one.
type sim struct {
	e       *env
	c       chooser
	holders []string
	cap     money.Amount
	done    int // operations that succeeded
}

func newSim(t testing.TB, c chooser) *sim {
	escrow, err := wallet.SystemHolder("escrow", acct(0), "order-1")
	if err != nil {
		t.Fatal(err)
	}
	s := &sim{e: newEnv(t), c: c, holders: []string{acct(0), acct(1), acct(2), acct(3), wallet.CampaignPool, escrow}}
	s.cap = money.MaxAmount()
	if c.Intn(2) == 0 {
		s.cap = amt(100_000)
	}
	return s
}

func (s *sim) holder() string { return s.holders[s.c.Intn(len(s.holders))] }

// inputs picks some of from's coins and, now and then, a coin that must be
// refused: another holder's, an unknown one, or a duplicate. It returns the
// inputs and the sum of from's coins among them.
func (s *sim) inputs(from string) ([]string, uint64) {
	var ids []string
	var sum uint64
	for _, coin := range s.e.coins(from) {
		if s.c.Intn(3) > 0 {
			ids = append(ids, coin.ID)
			sum += coin.Amount.Uint64()
		}
	}
	switch s.c.Intn(16) {
	case 0:
		if other := s.e.coinIDs(s.holder()); len(other) > 0 {
			ids = append(ids, other[0])
		}
	case 1:
		ids = append(ids, "tx999999.000000")
	case 2:
		if len(ids) > 0 {
			ids = append(ids, ids[0])
		}
	}
	return ids, sum
}

// amount picks an amount around sum: mostly payable, sometimes zero, too
// much, or at the type's limit.
func (s *sim) amount(sum uint64) uint64 {
	switch s.c.Intn(12) {
	case 0:
		return 0
	case 1:
		return sum + 1
	case 2:
		return money.MaxAmount().Uint64()
	case 3:
		return sum
	default:
		if sum == 0 {
			return 1 + uint64(s.c.Intn(1000))
		}
		return 1 + uint64(s.c.Intn(1000))%sum
	}
}

// step runs one random operation in its own transaction and checks it.
func (s *sim) step() {
	t := s.e.T
	t.Helper()
	from, to := s.holder(), s.holder()
	want := map[string]uint64{} // expected balances of the holders an operation changes
	var op func(k *wallet.Keeper) error
	switch s.c.Intn(8) {
	case 0, 1:
		n := s.amount(1000)
		want[to] = s.e.balance(to) + n
		op = func(k *wallet.Keeper) error { return k.Mint(to, amt(n), s.cap) }
	case 2, 3: // transfer, and the same through the primitives as orders use them
		ids, sum := s.inputs(from)
		n := s.amount(sum)
		want[from], want[to] = s.e.balance(from)-n, s.e.balance(to)+n
		primitives := s.c.Intn(2) == 0
		op = func(k *wallet.Keeper) error {
			if !primitives {
				return k.Transfer(from, ids, to, amt(n))
			}
			// Debit's checks (to is a valid holder other than from, n > 0)
			// are Credit's, so the Credit cannot be refused after the Debit.
			if _, err := k.Debit(from, ids, amt(n), "order.escrow", to); err != nil {
				return err
			}
			_, err := k.Credit(to, amt(n), "order.escrow", from)
			return err
		}
	case 4:
		ids, sum := s.inputs(from)
		rs := make([]string, 1+s.c.Intn(3))
		for i := range rs {
			rs[i] = s.holder()
		}
		each := s.amount(sum / uint64(len(rs)))
		want[from] = s.e.balance(from) - each*uint64(len(rs))
		for _, r := range rs {
			want[r] = s.e.balance(r) + each
		}
		op = func(k *wallet.Keeper) error { return k.BatchTransfer(from, ids, rs, amt(each)) }
	case 5, 6:
		ids, sum := s.inputs(from)
		n := s.amount(sum)
		want[from] = s.e.balance(from) - n
		op = func(k *wallet.Keeper) error { return k.Burn(from, ids, amt(n)) }
	case 7:
		ids, _ := s.inputs(from)
		op = func(k *wallet.Keeper) error { _, err := k.Merge(from, ids); return err }
	}
	s.check(op, want)
}

// check runs op and verifies the invariants: a refused op writes nothing
// even when its transaction commits; a successful one changes exactly the
// expected balances; the audit holds after every step.
func (s *sim) check(op func(k *wallet.Keeper) error, want map[string]uint64) {
	e, t := s.e, s.e.T
	t.Helper()
	before := map[string]uint64{}
	for _, h := range s.holders {
		before[h] = e.balance(h)
	}
	snap := e.Snapshot()
	tx, k := e.begin()
	err := op(k)
	if err != nil {
		if errs.CodeOf(err) == errs.Internal {
			t.Fatalf("internal error: %v", err)
		}
		if len(tx.Writes()) != 0 || len(k.Events()) != 0 {
			t.Fatalf("refused operation (%v) wrote %v, events %v", err, tx.Writes(), k.Events())
		}
	}
	if cerr := tx.Commit(); cerr != nil {
		t.Fatalf("commit: %v", cerr)
	}
	if err != nil {
		if e.Snapshot() != snap {
			t.Fatalf("refused operation (%v) changed the ledger", err)
		}
		return
	}
	s.done++
	var total uint64
	for _, h := range s.holders {
		got := e.balance(h)
		exp, changed := want[h]
		if !changed {
			exp = before[h]
		}
		if got != exp {
			t.Fatalf("balance of %s = %d, want %d", h, got, exp)
		}
		total += got
	}
	r := e.Audit()
	if !r.OK || r.Held.Uint64() != total {
		t.Fatalf("audit after step: %+v, sum of balances %d", r, total)
	}
}

func runSim(t testing.TB, c chooser, steps int) *sim {
	s := newSim(t, c)
	for range steps {
		s.step()
	}
	return s
}

func TestRandomOperations(t *testing.T) {
	seeds, steps := 40, 60
	if testing.Short() {
		seeds = 5
	}
	succeeded := 0
	for seed := int64(1); seed <= int64(seeds); seed++ {
		s := runSim(t, rand.New(rand.NewSource(seed)), steps)
		succeeded += s.done
	}
	// Guard against a generator that only produces refusals.
	t.Logf("%d of %d operations succeeded", succeeded, seeds*steps)
	if succeeded < seeds*steps/4 {
		t.Fatalf("only %d of %d operations succeeded", succeeded, seeds*steps)
	}
}

// The same operations on two fresh ledgers write the same bytes.
func TestDeterministic(t *testing.T) {
	for seed := int64(1); seed <= 5; seed++ {
		a := runSim(t, rand.New(rand.NewSource(seed)), 40)
		b := runSim(t, rand.New(rand.NewSource(seed)), 40)
		if a.e.Snapshot() != b.e.Snapshot() {
			t.Fatalf("seed %d: snapshots differ", seed)
		}
	}
}

func FuzzOperations(f *testing.F) {
	f.Add([]byte{0})
	f.Add([]byte{1, 0, 0, 5, 1, 1, 2, 0, 7, 3, 1, 2, 0, 0, 4, 4})
	f.Add([]byte("mint, transfer, batch, burn and merge in some order"))
	f.Add([]byte{1, 0, 0, 1, 9, 9, 9, 3, 1, 1, 2, 1, 2, 0, 5, 5, 5, 4, 1, 3, 3, 3})
	f.Fuzz(func(t *testing.T, data []byte) {
		c := &byteChooser{data: data}
		s := newSim(t, c)
		for i := 0; i < 40 && len(c.data) > 0; i++ {
			s.step()
		}
	})
}

// 32 transactions in flight, all paying the same account, all commit: a
// credit reads nothing, so a busy payee is never a hot key. Concurrent
// burns commit too (blind burn rows).
func TestConcurrentCreditsNeverConflict(t *testing.T) {
	e := newEnv(t)
	payee := acct(999)
	const n = 32
	for i := range n {
		e.mint(acct(i), 10)
	}
	txs := make([]*memledger.Tx, 0, n)
	for i := range n {
		tx, k := e.begin()
		if err := k.Transfer(acct(i), e.coinIDs(acct(i)), payee, amt(3)); err != nil {
			t.Fatal(err)
		}
		txs = append(txs, tx)
	}
	for i, tx := range txs {
		if err := tx.Commit(); err != nil {
			t.Fatalf("transaction %d: %v", i, err)
		}
	}
	if b := e.balance(payee); b != 3*n {
		t.Fatalf("payee balance %d, want %d", b, 3*n)
	}

	burns := make([]*memledger.Tx, n)
	for i := range n {
		tx, k := e.begin()
		if err := k.Burn(acct(i), e.coinIDs(acct(i)), amt(7)); err != nil {
			t.Fatal(err)
		}
		burns[i] = tx
	}
	for i, tx := range burns {
		if err := tx.Commit(); err != nil {
			t.Fatalf("burn %d: %v", i, err)
		}
	}
	var s wallet.SupplyReport
	e.MustRead(func(k *wallet.Keeper) (err error) { s, err = k.Supply(); return err })
	if r := e.Audit(); !r.OK || s.Burned.Uint64() != 7*n {
		t.Fatalf("burned %s, audit %+v", s.Burned, r)
	}
}

// Two transactions spending the same coin: the second to commit conflicts.
func TestDoubleSpendConflicts(t *testing.T) {
	e := newEnv(t)
	a := acct(1)
	e.mint(a, 10)
	ids := e.coinIDs(a)
	tx1, k1 := e.begin()
	tx2, k2 := e.begin()
	if err := k1.Transfer(a, ids, acct(2), amt(10)); err != nil {
		t.Fatal(err)
	}
	if err := k2.Transfer(a, ids, acct(3), amt(10)); err != nil {
		t.Fatal(err)
	}
	if err := tx1.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := tx2.Commit(); !errors.Is(err, memledger.ErrMVCCConflict) {
		t.Fatalf("second spend committed: %v", err)
	}
	if r := e.Audit(); !r.OK || e.balance(acct(2)) != 10 || e.balance(acct(3)) != 0 {
		t.Fatalf("audit %+v", r)
	}
}
