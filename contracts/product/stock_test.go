package product_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/ledger/memledger"
	"github.com/likrcommerce/likr/contracts/product"
)

// reserve runs Reserve in its own transaction, through a spy, and returns
// the takes, the keys read and the transaction's writes.
func (e *env) reserve(p *product.Product, hint int, qty uint64) ([]product.Take, []string, []memledger.Write) {
	e.T.Helper()
	tx := e.Begin()
	s := &spy{State: tx}
	takes, err := product.Reserve(s, p, hint, qty)
	require.NoError(e.T, err)
	writes := tx.Writes()
	require.NoError(e.T, tx.Commit())
	return takes, s.reads, writes
}

func TestReserveFromAHintedShardThatHoldsEnoughTouchesOnlyIt(t *testing.T) {
	e := newEnv(t)
	p := e.register(alice, "mug-1", 80, 8) // 10 per shard
	takes, reads, writes := e.reserve(p, 3, 4)
	require.Equal(t, []product.Take{{Shard: 3, Units: 4}}, takes)
	require.Equal(t, []string{e.stockKey(p.Ref(), 3)}, reads, "one read")
	require.Equal(t, []memledger.Write{{Key: e.stockKey(p.Ref(), 3), Value: []byte(`{"units":6}`)}}, writes, "one write")

	// Exactly what the shard holds still comes from it alone, and the
	// emptied shard is stored as zero, not deleted.
	takes, reads, writes = e.reserve(p, 3, 6)
	require.Equal(t, []product.Take{{Shard: 3, Units: 6}}, takes)
	require.Len(t, reads, 1)
	require.Equal(t, []memledger.Write{{Key: e.stockKey(p.Ref(), 3), Value: []byte(`{"units":0}`)}}, writes)
	require.Equal(t, uint64(70), e.available(p.Ref()))
}

// Orders with distinct hints run side by side: each transaction reads and
// writes only its own shard, so all of them commit. memledger's Commit
// would report ErrMVCCConflict if any had read a shard another wrote.
func TestConcurrentReservesOnDistinctHintsAllCommit(t *testing.T) {
	e := newEnv(t)
	const shards = 64
	p := e.register(alice, "mug-1", 64*5, shards)
	txs := make([]*memledger.Tx, shards)
	for i := range txs {
		txs[i] = e.Begin()
		takes, err := product.Reserve(txs[i], p, i, 5)
		require.NoError(t, err)
		require.Equal(t, []product.Take{{Shard: i, Units: 5}}, takes)
	}
	for i, tx := range txs {
		require.NoError(t, tx.Commit(), "order %d", i)
	}
	require.Zero(t, e.available(p.Ref()))
}

// The control: two orders on one shard conflict, so the test above would
// fail if Reserve read more than its shard.
func TestConcurrentReservesOnOneShardConflict(t *testing.T) {
	e := newEnv(t)
	p := e.register(alice, "mug-1", 20, 2)
	tx1, tx2 := e.Begin(), e.Begin()
	_, err := product.Reserve(tx1, p, 1, 10)
	require.NoError(t, err)
	_, err = product.Reserve(tx2, p, 1, 10)
	require.NoError(t, err)
	require.NoError(t, tx1.Commit())
	require.ErrorIs(t, tx2.Commit(), memledger.ErrMVCCConflict)
	require.Equal(t, uint64(10), e.available(p.Ref()), "the conflicting order sold nothing")
}

// An order begun before every other shard changed still commits: it read
// none of them.
func TestReserveDoesNotReadOtherShardsWhileTheHintedOneSuffices(t *testing.T) {
	e := newEnv(t)
	p := e.register(alice, "mug-1", 40, 4)
	slow := e.Begin()
	_, err := product.Reserve(slow, p, 0, 10)
	require.NoError(t, err)
	for hint := 1; hint < 4; hint++ {
		e.reserve(p, hint, 1)
	}
	e.Must(func(st ledger.State, ev ledger.Emitter) error {
		return product.Restore(st, p.Ref(), []product.Take{{Shard: 2, Units: 1}})
	})
	require.NoError(t, slow.Commit())
	units, _ := e.shards(p.Ref(), 4)
	require.Equal(t, []uint64{0, 9, 10, 9}, units)
}

func TestReserveFallsOverToTheNextShardsWhenTheHintedOneRunsShort(t *testing.T) {
	e := newEnv(t)
	p := e.register(alice, "mug-1", 10, 4) // 3 3 2 2
	k := func(i int) string { return e.stockKey(p.Ref(), i) }

	// Hint 2 holds 2: then 3, then wrapping to 0; shard 1 is never read.
	takes, reads, writes := e.reserve(p, 2, 5)
	require.Equal(t, []product.Take{{Shard: 2, Units: 2}, {Shard: 3, Units: 2}, {Shard: 0, Units: 1}}, takes)
	require.Equal(t, []string{k(2), k(3), k(0)}, reads)
	require.Len(t, writes, 3)
	units, _ := e.shards(p.Ref(), 4)
	require.Equal(t, []uint64{2, 3, 0, 0}, units)

	// Empty shards are read but not taken from or written.
	takes, reads, writes = e.reserve(p, 2, 3)
	require.Equal(t, []product.Take{{Shard: 0, Units: 2}, {Shard: 1, Units: 1}}, takes)
	require.Equal(t, []string{k(2), k(3), k(0), k(1)}, reads)
	require.Equal(t, []memledger.Write{{Key: k(0), Value: []byte(`{"units":0}`)}, {Key: k(1), Value: []byte(`{"units":2}`)}}, writes)

	// The last units, wherever they are.
	takes, _, _ = e.reserve(p, 0, 2)
	require.Equal(t, []product.Take{{Shard: 1, Units: 2}}, takes)
	require.Zero(t, e.available(p.Ref()))
}

func TestReserveRefusals(t *testing.T) {
	e := newEnv(t)
	p := e.register(alice, "mug-1", 10, 4)
	empty := e.register(alice, "empty", 0, 2)
	forged := *p
	forged.Shards = 0
	badRef := *p
	badRef.Supplier = "alice"
	for _, tc := range []struct {
		name string
		p    *product.Product
		hint int
		qty  uint64
		code errs.Code
	}{
		{"one unit too many", p, 0, 11, errs.InsufficientStock},
		{"far too many", p, 3, 1<<64 - 1, errs.InsufficientStock},
		{"no stock at all", empty, 1, 1, errs.InsufficientStock},
		{"negative hint", p, -1, 1, errs.InvalidArgument},
		{"hint past the shards", p, 4, 1, errs.InvalidArgument},
		{"zero quantity", p, 0, 0, errs.InvalidArgument},
		{"invalid ref", &badRef, 0, 1, errs.InvalidArgument},
		{"nil product", nil, 0, 1, errs.Internal},
		{"product without shards", &forged, 0, 1, errs.Internal},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := e.Refused(tc.code, func(st ledger.State, _ ledger.Emitter) error {
				_, err := product.Reserve(st, tc.p, tc.hint, tc.qty)
				return err
			})
			if tc.code == errs.InsufficientStock {
				require.ErrorContains(t, err, "in stock")
			}
		})
	}
	require.Equal(t, uint64(10), e.available(p.Ref()))
}

// The order layer checks the status; Reserve serves any product.
func TestReserveIgnoresTheStatus(t *testing.T) {
	e := newEnv(t)
	p := e.register(alice, "mug-1", 10, 2)
	e.Must(func(st ledger.State, ev ledger.Emitter) error {
		_, err := product.UpdateTerms(st, ev, alice, "mug-1", product.UpdateRequest{Terms: terms(100, 150, product.Discontinued)})
		return err
	})
	takes, _, _ := e.reserve(e.get(p.Ref()), 1, 3)
	require.Equal(t, []product.Take{{Shard: 1, Units: 3}}, takes)
}

func TestRestock(t *testing.T) {
	e := newEnv(t)
	p := e.register(alice, "mug-1", 10, 4) // 3 3 2 2
	ref := p.Ref()
	e.reserve(p, 0, 3) // 0 3 2 2

	var got *product.Product
	events := e.Must(func(st ledger.State, ev ledger.Emitter) error {
		var err error
		got, err = product.Restock(st, ev, alice, "mug-1", 7) // +2 +2 +2 +1
		return err
	})
	require.Equal(t, p, got, "restocking changes neither terms nor version")
	require.Equal(t, ledger.Events{product.RestockedEvent{Type: "product.restocked", Supplier: alice, ID: "mug-1", Units: 7}}, events)
	raw, err := json.Marshal(events[0])
	require.NoError(t, err)
	require.Equal(t, `{"type":"product.restocked","supplier":"`+alice+`","id":"mug-1","units":7}`, string(raw))
	units, _ := e.shards(ref, 4)
	require.Equal(t, []uint64{2, 5, 4, 3}, units)
	require.Equal(t, uint64(14), e.available(ref))

	// Fewer units than shards: only the shards that receive one are written.
	tx := e.Begin()
	s := &spy{State: tx}
	var ev ledger.Events
	_, err = product.Restock(s, &ev, alice, "mug-1", 2)
	require.NoError(t, err)
	require.Equal(t, []string{e.productKey(ref), e.stockKey(ref, 0), e.stockKey(ref, 1), e.stockKey(ref, 2), e.stockKey(ref, 3)}, s.reads)
	require.Equal(t, []memledger.Write{
		{Key: e.stockKey(ref, 0), Value: []byte(`{"units":3}`)},
		{Key: e.stockKey(ref, 1), Value: []byte(`{"units":6}`)},
	}, tx.Writes())
	require.NoError(t, tx.Commit())

	// A hidden product can be restocked.
	e.Must(func(st ledger.State, ev ledger.Emitter) error {
		_, err := product.UpdateTerms(st, ev, alice, "mug-1", product.UpdateRequest{Terms: terms(100, 150, product.Hidden)})
		return err
	})
	e.Must(func(st ledger.State, ev ledger.Emitter) error {
		_, err := product.Restock(st, ev, alice, "mug-1", 4)
		return err
	})
	require.Equal(t, uint64(20), e.available(ref))
}

func TestRestockRefusals(t *testing.T) {
	e := newEnv(t)
	e.register(alice, "mug-1", 10, 4)
	e.register(alice, "full", 1<<64-3, 2)
	e.register(bob, "bobs", 10, 4)
	e.register(alice, "gone", 10, 4)
	e.Must(func(st ledger.State, ev ledger.Emitter) error {
		_, err := product.UpdateTerms(st, ev, alice, "gone", product.UpdateRequest{Terms: terms(100, 150, product.Discontinued)})
		return err
	})
	for _, tc := range []struct {
		name         string
		supplier, id string
		units        uint64
		code         errs.Code
	}{
		{"zero units", alice, "mug-1", 0, errs.InvalidArgument},
		{"bad supplier", "alice", "mug-1", 1, errs.InvalidArgument},
		{"bad id", alice, "mug 1", 1, errs.InvalidArgument},
		{"unknown product", alice, "nope", 1, errs.NotFound},
		{"another supplier's product", alice, "bobs", 1, errs.NotFound},
		{"discontinued", alice, "gone", 1, errs.InvalidState},
		// Each shard would fit, but the total would not.
		{"total overflow", alice, "full", 3, errs.Overflow},
		{"huge", alice, "mug-1", 1<<64 - 1, errs.Overflow},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e.Refused(tc.code, func(st ledger.State, ev ledger.Emitter) error {
				_, err := product.Restock(st, ev, tc.supplier, tc.id, tc.units)
				return err
			})
		})
	}
	e.Must(func(st ledger.State, ev ledger.Emitter) error {
		_, err := product.Restock(st, ev, alice, "full", 2)
		return err
	})
	require.Equal(t, uint64(1<<64-1), e.available(product.Ref{Supplier: alice, ID: "full"}))
}

func TestRestoreGivesUnitsBackToTheirShards(t *testing.T) {
	e := newEnv(t)
	p := e.register(alice, "mug-1", 10, 4) // 3 3 2 2
	takes, _, _ := e.reserve(p, 2, 5)      // 2 3 0 0
	require.Equal(t, []product.Take{{Shard: 2, Units: 2}, {Shard: 3, Units: 2}, {Shard: 0, Units: 1}}, takes)

	// Discontinued or not, reserved units go back.
	e.Must(func(st ledger.State, ev ledger.Emitter) error {
		_, err := product.UpdateTerms(st, ev, alice, "mug-1", product.UpdateRequest{Terms: terms(100, 150, product.Discontinued)})
		return err
	})
	tx := e.Begin()
	require.NoError(t, product.Restore(tx, p.Ref(), takes))
	require.Equal(t, []memledger.Write{
		{Key: e.stockKey(p.Ref(), 0), Value: []byte(`{"units":3}`)},
		{Key: e.stockKey(p.Ref(), 2), Value: []byte(`{"units":2}`)},
		{Key: e.stockKey(p.Ref(), 3), Value: []byte(`{"units":2}`)},
	}, tx.Writes())
	require.NoError(t, tx.Commit())
	units, _ := e.shards(p.Ref(), 4)
	require.Equal(t, []uint64{3, 3, 2, 2}, units)
}

func TestRestoreRefusals(t *testing.T) {
	e := newEnv(t)
	p := e.register(alice, "mug-1", 10, 4)
	full := e.register(alice, "full", 1<<64-1, 1)
	for _, tc := range []struct {
		name  string
		ref   product.Ref
		takes []product.Take
		code  errs.Code
	}{
		{"no takes", p.Ref(), nil, errs.InvalidArgument},
		{"negative shard", p.Ref(), []product.Take{{Shard: -1, Units: 1}}, errs.InvalidArgument},
		{"shard past the product's", p.Ref(), []product.Take{{Shard: 0, Units: 1}, {Shard: 4, Units: 1}}, errs.InvalidArgument},
		{"zero units", p.Ref(), []product.Take{{Shard: 1, Units: 0}}, errs.InvalidArgument},
		{"shard twice", p.Ref(), []product.Take{{Shard: 1, Units: 1}, {Shard: 1, Units: 1}}, errs.InvalidArgument},
		{"more takes than shards", p.Ref(), []product.Take{{0, 1}, {1, 1}, {2, 1}, {3, 1}, {0, 1}}, errs.InvalidArgument},
		{"invalid ref", product.Ref{Supplier: "x", ID: "mug-1"}, []product.Take{{0, 1}}, errs.InvalidArgument},
		{"unknown product", product.Ref{Supplier: bob, ID: "mug-1"}, []product.Take{{0, 1}}, errs.NotFound},
		{"overflow", full.Ref(), []product.Take{{0, 1}}, errs.Overflow},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e.Refused(tc.code, func(st ledger.State, _ ledger.Emitter) error {
				return product.Restore(st, tc.ref, tc.takes)
			})
		})
	}
}

func TestAvailable(t *testing.T) {
	e := newEnv(t)
	p := e.register(alice, "mug-1", 7, 3)
	require.Equal(t, uint64(7), e.available(p.Ref()))
	tx := e.Begin()
	defer tx.Discard()
	s := &spy{State: tx}
	n, err := product.Available(s, p)
	require.NoError(t, err)
	require.Equal(t, uint64(7), n)
	require.Len(t, s.reads, 3, "one point read per shard")
	_, err = product.Available(tx, nil)
	require.ErrorIs(t, err, errs.ErrInternal)
	forged := *p
	forged.Shards = 300
	_, err = product.Available(tx, &forged)
	require.ErrorIs(t, err, errs.ErrInternal)
}

func TestStockAndProductKeys(t *testing.T) {
	e := newEnv(t)
	ref := product.Ref{Supplier: alice, ID: "mug-1"}
	require.Equal(t, "\x00stock\x00"+alice+"\x00mug-1\x00000\x00", e.stockKey(ref, 0))
	require.Equal(t, "\x00stock\x00"+alice+"\x00mug-1\x00255\x00", e.stockKey(ref, 255))
	e.MustRead(func(st ledger.State) error {
		for _, bad := range []int{-1, 256} {
			_, err := product.StockKey(st, ref, bad)
			require.ErrorIs(t, err, errs.ErrInvalidArgument)
		}
		_, err := product.StockKey(st, product.Ref{Supplier: alice}, 0)
		require.ErrorIs(t, err, errs.ErrInvalidArgument)
		_, err = product.ProductKey(st, product.Ref{ID: "x"})
		require.ErrorIs(t, err, errs.ErrInvalidArgument)
		return nil
	})
}

// Restock keeps the total within 2^64-1, but units restored after a
// restock can pass it: Available then says OVERFLOW rather than wrapping.
func TestAvailableOverflowIsAnError(t *testing.T) {
	e := newEnv(t)
	p := e.register(alice, "full", 1<<64-1, 2)
	takes, _, _ := e.reserve(p, 1, 1)
	e.Must(func(st ledger.State, ev ledger.Emitter) error {
		_, err := product.Restock(st, ev, alice, "full", 1)
		return err
	})
	e.Must(func(st ledger.State, _ ledger.Emitter) error { return product.Restore(st, p.Ref(), takes) })
	e.MustRead(func(st ledger.State) error {
		_, err := product.Available(st, p)
		require.ErrorIs(t, err, errs.ErrOverflow)
		return nil
	})
}

// Rows that do not decode are INTERNAL, never read as zero or as a
// default product.
func TestCorruptRowsAreInternal(t *testing.T) {
	e := newEnv(t)
	p := e.register(alice, "mug-1", 10, 2)
	e.register(alice, "mug-2", 10, 2)
	e.Must(func(st ledger.State, _ ledger.Emitter) error {
		if err := st.PutState(e.stockKey(p.Ref(), 1), []byte(`{"units":-1}`)); err != nil {
			return err
		}
		return st.PutState(e.productKey(product.Ref{Supplier: alice, ID: "mug-2"}), []byte(`{"version":"x"}`))
	})
	e.MustRead(func(st ledger.State) error {
		_, err := product.Reserve(st, p, 1, 1)
		require.ErrorIs(t, err, errs.ErrInternal)
		_, err = product.Available(st, p)
		require.ErrorIs(t, err, errs.ErrInternal)
		_, err = product.Get(st, product.Ref{Supplier: alice, ID: "mug-2"})
		require.ErrorIs(t, err, errs.ErrInternal)
		_, err = product.List(st, alice, 10, "")
		require.ErrorIs(t, err, errs.ErrInternal)
		return nil
	})
	e.Refused(errs.Internal, func(st ledger.State, ev ledger.Emitter) error {
		_, err := product.Restock(st, ev, alice, "mug-1", 5)
		return err
	})
	e.Refused(errs.Internal, func(st ledger.State, _ ledger.Emitter) error {
		return product.Restore(st, p.Ref(), []product.Take{{Shard: 1, Units: 1}})
	})
}
