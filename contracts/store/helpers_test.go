package store_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/ledger/ledgertest"
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/contracts/product"
)

// epoch is the time of the first test transaction; each next one is a
// second later.
var epoch = time.Date(2026, 3, 1, 9, 0, 1, 5, time.UTC)

// acct returns the i-th test account ID.
func acct(i int) string { return ledgertest.Account(0x5e11e000, i) }

var (
	seller   = acct(1)
	other    = acct(2)
	supplier = acct(9)
)

var (
	amt      = ledgertest.Amount
	wantCode = ledgertest.WantCode
)

// fee is the platform fee the tests pass, as the contract layer passes the
// configured one.
const fee money.Rate = 500

// env is the shared harness with bodies that need no wallet.
type env struct {
	*ledgertest.Env[ledgertest.StateBody, ledgertest.StateView]
}

func newEnv(t testing.TB) *env {
	return &env{ledgertest.New[ledgertest.StateBody, ledgertest.StateView](t, epoch)}
}

// terms returns active terms.
func terms(wholesale, minRetail uint64) product.Terms {
	return product.Terms{WholesalePrice: amt(wholesale), MinRetailPrice: amt(minRetail), Status: product.Active}
}

// addProduct registers product id of supplier with terms t.
func (e *env) addProduct(id string, t product.Terms) product.Ref {
	e.T.Helper()
	e.Must(func(st ledger.State, ev ledger.Emitter) error {
		_, err := product.Register(st, ev, supplier, product.RegisterRequest{
			ID:         id,
			Attributes: json.RawMessage(`{"name":"` + id + `"}`),
			Terms:      t,
			Stock:      10,
		}, 1)
		return err
	})
	return product.Ref{Supplier: supplier, ID: id}
}
