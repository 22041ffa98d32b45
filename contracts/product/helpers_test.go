package product_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/ledger/memledger"
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/contracts/product"
)

// acct returns the i-th test account ID.
func acct(i int) string { return fmt.Sprintf("%040x", 0x5a99e000+i) }

var (
	alice = acct(1) // a supplier
	bob   = acct(2) // another supplier
)

const mugAttrs = `{"name":"Mug","color":"blue","size":{"h":10,"w":8},"tags":["kitchen","gift"]}`

// mugCanonical is mugAttrs in canonical form.
const mugCanonical = `{"color":"blue","name":"Mug","size":{"h":10,"w":8},"tags":["kitchen","gift"]}`

func terms(wholesale, minRetail uint64, s product.Status) product.Terms {
	return product.Terms{WholesalePrice: money.NewAmount(wholesale), MinRetailPrice: money.NewAmount(minRetail), Status: s}
}

func mugRequest(id string, stock uint64) product.RegisterRequest {
	return product.RegisterRequest{ID: id, Attributes: json.RawMessage(mugAttrs), Terms: terms(100, 150, product.Active), Stock: stock}
}

// env is a memledger whose transactions get IDs tx000001, ... and
// timestamps a second apart from 2026-01-01T00:00:00Z.
type env struct {
	t *testing.T
	l *memledger.Ledger
}

func newEnv(t *testing.T) *env { return &env{t: t, l: memledger.New()} }

// submit runs fn in a transaction and commits it when fn succeeds. It
// returns the events fn emitted.
func (e *env) submit(fn func(st ledger.State, ev ledger.Emitter) error) (ledger.Events, error) {
	e.t.Helper()
	tx := e.l.Begin(memledger.TxOptions{})
	var events ledger.Events
	if err := fn(tx, &events); err != nil {
		tx.Discard()
		return events, err
	}
	require.NoError(e.t, tx.Commit())
	return events, nil
}

// must is submit that fails the test on an error.
func (e *env) must(fn func(st ledger.State, ev ledger.Emitter) error) ledger.Events {
	e.t.Helper()
	events, err := e.submit(fn)
	require.NoError(e.t, err)
	return events
}

// refused runs fn, which must fail with code, and proves that it wrote
// nothing: its transaction buffered no write and emitted no event, and
// committing it anyway leaves the ledger byte for byte as it was.
func (e *env) refused(code errs.Code, fn func(st ledger.State, ev ledger.Emitter) error) error {
	e.t.Helper()
	before := e.l.Snapshot()
	tx := e.l.Begin(memledger.TxOptions{})
	var events ledger.Events
	err := fn(tx, &events)
	require.Error(e.t, err)
	require.Equal(e.t, code, errs.CodeOf(err), "%v", err)
	require.Empty(e.t, tx.Writes(), "a refused call buffered writes")
	require.Empty(e.t, events, "a refused call emitted events")
	require.NoError(e.t, tx.Commit())
	require.Equal(e.t, before, e.l.Snapshot())
	return err
}

// eval runs fn in a transaction that is never committed.
func (e *env) eval(fn func(st ledger.State) error) {
	e.t.Helper()
	tx := e.l.Begin(memledger.TxOptions{})
	defer tx.Discard()
	require.NoError(e.t, fn(tx))
}

// register registers a product of supplier with the mug attributes.
func (e *env) register(supplier, id string, stock uint64, shards int) *product.Product {
	e.t.Helper()
	var p *product.Product
	e.must(func(st ledger.State, ev ledger.Emitter) error {
		var err error
		p, err = product.Register(st, ev, supplier, mugRequest(id, stock), shards)
		return err
	})
	return p
}

// get reads a product in a fresh transaction.
func (e *env) get(ref product.Ref) *product.Product {
	e.t.Helper()
	var p *product.Product
	e.eval(func(st ledger.State) error {
		var err error
		p, err = product.Get(st, ref)
		return err
	})
	return p
}

// shards returns the committed units of each of ref's n shards, and
// whether each row exists.
func (e *env) shards(ref product.Ref, n int) (units []uint64, exists []bool) {
	e.t.Helper()
	for i := range n {
		raw := e.l.GetCommitted(e.stockKey(ref, i))
		exists = append(exists, raw != nil)
		var row struct {
			Units uint64 `json:"units"`
		}
		if raw != nil {
			require.NoError(e.t, json.Unmarshal(raw, &row))
		}
		units = append(units, row.Units)
	}
	return units, exists
}

func (e *env) stockKey(ref product.Ref, shard int) string {
	e.t.Helper()
	var key string
	e.eval(func(st ledger.State) error {
		var err error
		key, err = product.StockKey(st, ref, shard)
		return err
	})
	return key
}

func (e *env) productKey(ref product.Ref) string {
	e.t.Helper()
	var key string
	e.eval(func(st ledger.State) error {
		var err error
		key, err = product.ProductKey(st, ref)
		return err
	})
	return key
}

// available reads Available in a fresh transaction.
func (e *env) available(ref product.Ref) uint64 {
	e.t.Helper()
	var n uint64
	e.eval(func(st ledger.State) error {
		p, err := product.Get(st, ref)
		if err != nil {
			return err
		}
		n, err = product.Available(st, p)
		return err
	})
	return n
}

// spy records the keys a transaction reads.
type spy struct {
	ledger.State
	reads []string
}

func (s *spy) GetState(key string) ([]byte, error) {
	s.reads = append(s.reads, key)
	return s.State.GetState(key)
}

func sum(xs []uint64) uint64 {
	var t uint64
	for _, x := range xs {
		t += x
	}
	return t
}
