package wallet_test

import (
	"testing"
	"time"

	"github.com/likrcommerce/likr/contracts/ledger/ledgertest"
	"github.com/likrcommerce/likr/contracts/ledger/memledger"
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/contracts/wallet"
)

// epoch is a second before the first test transaction; each next one is
// a second later.
var epoch = time.Date(2025, 3, 1, 12, 0, 0, 123456789, time.UTC)

// acct returns the i-th test account ID.
func acct(i int) string { return ledgertest.Account(0xa11ce000, i) }

var (
	amt      = ledgertest.Amount
	wantCode = ledgertest.WantCode
)

// env is the shared harness with bodies that work on the Keeper alone.
type env struct {
	*ledgertest.Env[ledgertest.WalletBody, ledgertest.WalletView]
}

func newEnv(t testing.TB) *env {
	return &env{ledgertest.New[ledgertest.WalletBody, ledgertest.WalletView](t, epoch.Add(time.Second))}
}

// begin opens the next transaction and its Keeper.
func (e *env) begin() (*memledger.Tx, *wallet.Keeper) {
	tx := e.Begin()
	return tx, wallet.NewKeeper(tx)
}

func (e *env) mint(to string, n uint64) {
	e.T.Helper()
	e.Must(func(k *wallet.Keeper) error { return k.Mint(to, amt(n), money.MaxAmount()) })
}

// coins returns all coins of holder, in ledger order.
func (e *env) coins(holder string) []wallet.Coin {
	e.T.Helper()
	var all []wallet.Coin
	e.MustRead(func(k *wallet.Keeper) error {
		bookmark := ""
		for {
			page, err := k.Coins(holder, 7, bookmark)
			if err != nil {
				return err
			}
			all = append(all, page.Coins...)
			if page.Bookmark == "" {
				return nil
			}
			bookmark = page.Bookmark
		}
	})
	return all
}

// coinIDs returns the IDs of all coins of holder.
func (e *env) coinIDs(holder string) []string {
	e.T.Helper()
	var ids []string
	for _, c := range e.coins(holder) {
		ids = append(ids, c.ID)
	}
	return ids
}

// balance reads holder's balance as a plain number.
func (e *env) balance(holder string) uint64 { return e.Balance(holder).Uint64() }

func (e *env) history(holder string) []wallet.HistoryEntry {
	e.T.Helper()
	var all []wallet.HistoryEntry
	e.MustRead(func(k *wallet.Keeper) error {
		bookmark := ""
		for {
			page, err := k.History(holder, 5, bookmark)
			if err != nil {
				return err
			}
			all = append(all, page.Entries...)
			if page.Bookmark == "" {
				return nil
			}
			bookmark = page.Bookmark
		}
	})
	return all
}
