package product_test

import (
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/ledger/memledger"
	"github.com/likrcommerce/likr/contracts/product"
)

// stockModel is what the shards must hold, kept apart from the ledger.
type stockModel struct {
	units                                    []uint64
	initial, restocked, reserved, restored   uint64
	outstanding                              [][]product.Take // reservations not yet restored
	refusedShort, conflicts, multiShardTakes int
}

// TestStockProperty runs random sequences of reserves (some of them
// concurrent), restores and restocks, and checks after every step that
// each shard holds what the model says, that no shard was oversold, and
// that Available = initial + restocked - reserved + restored.
func TestStockProperty(t *testing.T) {
	var totals stockModel
	for seed := uint64(1); seed <= 60; seed++ {
		m := runStockSim(t, seed, 150)
		totals.refusedShort += m.refusedShort
		totals.conflicts += m.conflicts
		totals.multiShardTakes += m.multiShardTakes
	}
	// The sequences exercise every path, or the property proves little.
	require.Positive(t, totals.refusedShort, "no INSUFFICIENT_STOCK")
	require.Positive(t, totals.conflicts, "no concurrent conflict")
	require.Positive(t, totals.multiShardTakes, "no reserve over several shards")
}

func runStockSim(t *testing.T, seed uint64, steps int) *stockModel {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	e := newEnv(t)
	shards := 1 + r.IntN(8)
	initial := uint64(r.IntN(60))
	p := e.register(alice, "p", initial, shards)
	m := &stockModel{units: make([]uint64, shards), initial: initial}
	for i := range m.units {
		m.units[i] = initial / uint64(shards)
		if uint64(i) < initial%uint64(shards) {
			m.units[i]++
		}
	}

	for step := range steps {
		switch op := r.IntN(10); {
		case op < 6:
			reserveConcurrently(t, e, r, p, m)
		case op < 9:
			if len(m.outstanding) == 0 {
				continue
			}
			i := r.IntN(len(m.outstanding))
			takes := m.outstanding[i]
			m.outstanding = append(m.outstanding[:i], m.outstanding[i+1:]...)
			e.Must(func(st ledger.State, _ ledger.Emitter) error { return product.Restore(st, p.Ref(), takes) })
			for _, tk := range takes {
				m.units[tk.Shard] += tk.Units
				m.restored += tk.Units
			}
		default:
			units := 1 + uint64(r.IntN(20))
			e.Must(func(st ledger.State, ev ledger.Emitter) error {
				_, err := product.Restock(st, ev, alice, "p", units)
				return err
			})
			for i := range m.units {
				m.units[i] += units / uint64(shards)
				if uint64(i) < units%uint64(shards) {
					m.units[i]++
				}
			}
			m.restocked += units
		}

		got, _ := e.shards(p.Ref(), shards)
		require.Equal(t, m.units, got, "seed %d step %d", seed, step)
		want := m.initial + m.restocked - m.reserved + m.restored
		require.Equal(t, want, sum(got), "seed %d step %d", seed, step)
		require.Equal(t, want, e.available(p.Ref()), "seed %d step %d", seed, step)
	}
	return m
}

// reserveConcurrently begins one to three orders on the same committed
// state, with random hints (sometimes the same) and quantities, then
// commits them in turn. Only those that commit count.
func reserveConcurrently(t *testing.T, e *env, r *rand.Rand, p *product.Product, m *stockModel) {
	type order struct {
		tx    *memledger.Tx
		takes []product.Take
	}
	var orders []order
	for range 1 + r.IntN(3) {
		hint, qty := r.IntN(p.Shards), 1+uint64(r.IntN(15))
		tx := e.Begin()
		takes, err := product.Reserve(tx, p, hint, qty)
		if errors.Is(err, errs.ErrInsufficientStock) {
			require.Greater(t, qty, sum(m.units), "refused although the stock sufficed")
			require.Empty(t, tx.Writes())
			tx.Discard()
			m.refusedShort++
			continue
		}
		require.NoError(t, err)
		// The takes are what the algorithm prescribes on the state the
		// transaction began from: the hinted shard first, then onwards.
		require.Equal(t, expectedTakes(m.units, hint, qty), takes)
		orders = append(orders, order{tx, takes})
	}
	for _, o := range orders {
		if err := o.tx.Commit(); err != nil {
			require.ErrorIs(t, err, memledger.ErrMVCCConflict)
			m.conflicts++
			continue
		}
		for _, tk := range o.takes {
			require.LessOrEqual(t, tk.Units, m.units[tk.Shard], "shard %d oversold", tk.Shard)
			m.units[tk.Shard] -= tk.Units
			m.reserved += tk.Units
		}
		if len(o.takes) > 1 {
			m.multiShardTakes++
		}
		m.outstanding = append(m.outstanding, o.takes)
	}
}

// expectedTakes is Reserve restated on the model: a transaction that began
// before the others committed saw the model as it was then, so it is
// computed before any commit.
func expectedTakes(units []uint64, hint int, qty uint64) []product.Take {
	var out []product.Take
	for n := 0; n < len(units) && qty > 0; n++ {
		s := (hint + n) % len(units)
		if take := min(units[s], qty); take > 0 {
			out = append(out, product.Take{Shard: s, Units: take})
			qty -= take
		}
	}
	return out
}
