package wallet

import (
	"fmt"

	"github.com/likrcommerce/likr/contracts/codec"
	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/money"
)

// Bounds of the internal scans of the evaluate-only sums. Past them the call
// is LIMIT_EXCEEDED rather than unbounded.
const (
	// MaxBalanceCoins bounds the coins Balance adds up; a holder with more
	// merges them (Merge).
	MaxBalanceCoins = 10_000
	// MaxScanRows bounds the rows Supply and Audit read.
	MaxScanRows = 1_000_000
)

// Coin is an unspent coin.
type Coin struct {
	ID     string       `json:"id"`
	Amount money.Amount `json:"amount"`
}

// CoinPage is one page of a holder's coins, in coin ID order.
type CoinPage struct {
	Coins    []Coin `json:"coins"`
	Bookmark string `json:"bookmark"` // empty on the last page
}

// HistoryPage is one page of a holder's history, oldest first.
type HistoryPage struct {
	Entries  []HistoryEntry `json:"entries"`
	Bookmark string         `json:"bookmark"` // empty on the last page
}

// SupplyReport is the money supply.
type SupplyReport struct {
	Minted      money.Amount `json:"minted"`
	Burned      money.Amount `json:"burned"`
	Circulating money.Amount `json:"circulating"` // minted - burned
}

// maxIssues bounds the problems an Audit lists.
const maxIssues = 20

// AuditReport checks the supply invariant: every coin row together (account
// balances, escrow, reserves, pools) equals minted - burned.
type AuditReport struct {
	Minted         money.Amount `json:"minted"`
	Burned         money.Amount `json:"burned"`
	Held           money.Amount `json:"held"`           // all coin rows
	HeldByAccounts money.Amount `json:"heldByAccounts"` // coins of account IDs
	HeldBySystem   money.Amount `json:"heldBySystem"`   // coins of system holders
	Coins          int          `json:"coins"`
	Holders        int          `json:"holders"`
	OK             bool         `json:"ok"`
	// Issues lists the first problems found (at most 20): corrupt rows and
	// a broken invariant.
	Issues []string `json:"issues,omitempty"`
}

// Balance returns the sum of holder's coins. Evaluate only.
// likr:evaluate
func (k *Keeper) Balance(holder string) (sum money.Amount, err error) {
	if err := CheckHolder("holder", holder); err != nil {
		return sum, err
	}
	err = ledger.Scan(k.st, coinType, []string{holder}, "", "", MaxBalanceCoins, func(kv ledger.KV) error {
		v, err := decodeAmount(kv.Value, "coin of "+holder)
		if err == nil {
			sum, err = sum.Add(v)
		}
		return err
	})
	return sum, err
}

// Coins returns one page of holder's coins, for choosing a debit's inputs.
// Evaluate only.
// likr:evaluate
func (k *Keeper) Coins(holder string, pageSize int32, bookmark string) (CoinPage, error) {
	page := CoinPage{Coins: []Coin{}}
	if err := CheckHolder("holder", holder); err != nil {
		return page, err
	}
	kvs, next, err := k.page(coinType, []string{holder}, pageSize, bookmark)
	if err != nil {
		return page, err
	}
	for _, kv := range kvs {
		_, id, err := k.splitCoinKey(kv.Key)
		if err != nil {
			return page, err
		}
		v, err := decodeAmount(kv.Value, "coin "+id)
		if err != nil {
			return page, err
		}
		page.Coins = append(page.Coins, Coin{ID: id, Amount: v})
	}
	page.Bookmark = next
	return page, nil
}

// History returns one page of holder's movements, oldest first. Evaluate
// only.
// likr:evaluate
func (k *Keeper) History(holder string, pageSize int32, bookmark string) (HistoryPage, error) {
	page := HistoryPage{Entries: []HistoryEntry{}}
	if err := CheckHolder("holder", holder); err != nil {
		return page, err
	}
	kvs, next, err := k.page(historyType, []string{holder}, pageSize, bookmark)
	if err != nil {
		return page, err
	}
	for _, kv := range kvs {
		var e HistoryEntry
		if err := codec.Decode(kv.Value, &e); err != nil {
			return page, errs.Wrap(errs.Internal, err, "stored history row %q is corrupt", kv.Key)
		}
		page.Entries = append(page.Entries, e)
	}
	page.Bookmark = next
	return page, nil
}

// Supply returns minted, burned and their difference. Evaluate only.
// likr:evaluate
func (k *Keeper) Supply() (SupplyReport, error) {
	var r SupplyReport
	minted, burned, err := k.mintedBurned()
	if err != nil {
		return r, err
	}
	circulating, err := minted.Sub(burned)
	if err != nil {
		return r, errs.New(errs.Internal, "burned %s exceeds minted %s; run the audit", burned, minted)
	}
	return SupplyReport{Minted: minted, Burned: burned, Circulating: circulating}, nil
}

// mintedBurned reads the minted total and adds up the burn rows.
// likr:evaluate
func (k *Keeper) mintedBurned() (minted, burned money.Amount, err error) {
	key, err := k.key(mintedType)
	if err != nil {
		return minted, burned, err
	}
	if minted, err = k.mintedTotal(key); err != nil {
		return minted, burned, err
	}
	err = ledger.Scan(k.st, burnType, nil, "", "", MaxScanRows, func(kv ledger.KV) error {
		v, err := decodeAmount(kv.Value, "burn row")
		if err == nil {
			burned, err = burned.Add(v)
		}
		return err
	})
	return minted, burned, err
}

// Audit adds up every coin row and checks it against minted - burned.
// Corrupt coin rows are reported as issues rather than errors, so one bad
// row does not hide the rest. Evaluate only.
// likr:evaluate
func (k *Keeper) Audit() (AuditReport, error) {
	var r AuditReport
	minted, burned, err := k.mintedBurned()
	if err != nil {
		return r, err
	}
	r.Minted, r.Burned = minted, burned
	issue := func(format string, args ...any) {
		if len(r.Issues) < maxIssues {
			r.Issues = append(r.Issues, fmt.Sprintf(format, args...))
		}
	}
	lastHolder := ""
	err = ledger.Scan(k.st, coinType, nil, "", "", MaxScanRows, func(kv ledger.KV) error {
		holder, id, err := k.splitCoinKey(kv.Key)
		if err != nil {
			issue("%v", err)
			return nil
		}
		v, err := decodeAmount(kv.Value, "coin "+id+" of "+holder)
		if err != nil {
			issue("%v", err)
			return nil
		}
		sum := &r.HeldBySystem
		if IsAccountID(holder) {
			sum = &r.HeldByAccounts
		} else if !IsSystemHolder(holder) {
			issue("coin %s is held by %q, which is not a holder", id, holder)
		}
		if *sum, err = sum.Add(v); err != nil {
			issue("coins add up beyond the largest amount")
		}
		r.Coins++
		// Rows come sorted by holder, so counting changes counts holders.
		if holder != lastHolder {
			r.Holders++
			lastHolder = holder
		}
		return nil
	})
	if err != nil {
		return r, err
	}
	held, err := r.HeldByAccounts.Add(r.HeldBySystem)
	if err != nil {
		issue("coins add up beyond the largest amount")
	}
	r.Held = held
	if supply, err := minted.Sub(burned); err != nil {
		issue("burned %s exceeds minted %s", burned, minted)
	} else if !held.Equal(supply) {
		issue("coins hold %s but minted - burned is %s", held, supply)
	}
	r.OK = len(r.Issues) == 0
	return r, nil
}

// splitCoinKey returns the holder and coin ID of a coin key.
func (k *Keeper) splitCoinKey(key string) (holder, id string, err error) {
	_, attrs, err := k.st.SplitCompositeKey(key)
	if err != nil || len(attrs) != 2 {
		return "", "", errs.Wrap(errs.Internal, err, "coin key %q is malformed", key)
	}
	return attrs[0], attrs[1], nil
}

// page reads one page of a partial composite key query.
// likr:evaluate
func (k *Keeper) page(objectType string, attrs []string, pageSize int32, bookmark string) ([]ledger.KV, string, error) {
	if err := ledger.CheckPageSize(pageSize); err != nil {
		return nil, "", err
	}
	return ledger.QueryPage(k.st, objectType, attrs, pageSize, bookmark)
}
