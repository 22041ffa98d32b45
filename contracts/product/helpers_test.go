package product_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/ledger/ledgertest"
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/contracts/product"
)

// acct returns the i-th test account ID.
func acct(i int) string { return ledgertest.Account(0x5a99e000, i) }

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

// env is the shared harness with bodies that need no wallet; its
// transactions are a second apart from 2026-01-01T00:00:00Z.
type env struct {
	*ledgertest.Env[ledgertest.StateBody, ledgertest.StateView]
}

func newEnv(t testing.TB) *env {
	return &env{ledgertest.New[ledgertest.StateBody, ledgertest.StateView](t, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))}
}

// register registers a product of supplier with the mug attributes.
func (e *env) register(supplier, id string, stock uint64, shards int) *product.Product {
	e.T.Helper()
	var p *product.Product
	e.Must(func(st ledger.State, ev ledger.Emitter) error {
		var err error
		p, err = product.Register(st, ev, supplier, mugRequest(id, stock), shards)
		return err
	})
	return p
}

// get reads a product in a fresh transaction.
func (e *env) get(ref product.Ref) *product.Product {
	e.T.Helper()
	var p *product.Product
	e.MustRead(func(st ledger.State) error {
		var err error
		p, err = product.Get(st, ref)
		return err
	})
	return p
}

// shards returns the committed units of each of ref's n shards, and
// whether each row exists.
func (e *env) shards(ref product.Ref, n int) (units []uint64, exists []bool) {
	e.T.Helper()
	for i := range n {
		raw := e.L.GetCommitted(e.stockKey(ref, i))
		exists = append(exists, raw != nil)
		var row struct {
			Units uint64 `json:"units"`
		}
		if raw != nil {
			require.NoError(e.T, json.Unmarshal(raw, &row))
		}
		units = append(units, row.Units)
	}
	return units, exists
}

func (e *env) stockKey(ref product.Ref, shard int) string {
	e.T.Helper()
	var key string
	e.MustRead(func(st ledger.State) error {
		var err error
		key, err = product.StockKey(st, ref, shard)
		return err
	})
	return key
}

func (e *env) productKey(ref product.Ref) string {
	e.T.Helper()
	var key string
	e.MustRead(func(st ledger.State) error {
		var err error
		key, err = product.ProductKey(st, ref)
		return err
	})
	return key
}

// available reads Available in a fresh transaction.
func (e *env) available(ref product.Ref) uint64 {
	e.T.Helper()
	var n uint64
	e.MustRead(func(st ledger.State) error {
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
