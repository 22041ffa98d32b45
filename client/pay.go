package client

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/money"
)

// MaxInputs is the most coins one payment may spend (the wallet's bound).
const MaxInputs = 100

// PayOption changes how a payment (Transfer, BatchTransfer, Burn) chooses
// the coins it spends.
//
// By default the client picks them: it lists the caller's coins
// (wallet:Coins) page by page until the largest of them cover the amount,
// and spends those, largest first. Coins that another payment of the same
// Client is spending, or spent in the last SpentCoinMemory, are skipped, so
// concurrent payments of one Client use distinct coins instead of
// conflicting over the same ones, and a listing from a peer that has not
// yet seen a payment does not offer its coins again. A retried payment
// picks afresh.
type PayOption func(*payment)

type payment struct {
	inputs   []string
	explicit bool
}

// WithInputs spends exactly the named coins (IDs from Coins), for callers
// that track their own coins. A retry after a conflict spends the same
// coins again. Payments of the same Client that pick their own coins skip
// these while they are being spent.
func WithInputs(coinIDs ...string) PayOption {
	return func(p *payment) {
		p.inputs, p.explicit = coinIDs, true
	}
}

// pay submits fn with args followed by the JSON list of the coins to spend
// for total.
func (c *Client) pay(ctx context.Context, fn string, total money.Amount, opts []PayOption, args ...string) (Receipt, error) {
	p := payOptions(opts)
	return c.submit(ctx, fn, func(ctx context.Context) ([]string, func(error), error) {
		inputs, done, err := c.takeCoins(ctx, fn, p, total)
		if err != nil {
			return nil, nil, err
		}
		return slices.Concat(args, []string{jsonList(inputs)}), done, nil
	})
}

func payOptions(opts []PayOption) payment {
	var p payment
	for _, opt := range opts {
		opt(&p)
	}
	return p
}

// takeCoins holds the coins one attempt of a payment of total spends: the
// named ones, or ones it picks. done releases them when the attempt is
// over, keeping those it may have spent out of later picks.
func (c *Client) takeCoins(ctx context.Context, fn string, p payment, total money.Amount) (inputs []string, done func(error), err error) {
	inputs = p.inputs
	if p.explicit {
		c.coins.hold(inputs)
	} else if inputs, err = c.pickInputs(ctx, total); err != nil {
		return nil, nil, fmt.Errorf("%s: choosing coins: %w", fn, err)
	}
	return inputs, func(err error) { c.coins.release(inputs, mayHaveCommitted(err), time.Now()) }, nil
}

// pickInputs chooses and reserves the caller's coins for amount.
func (c *Client) pickInputs(ctx context.Context, amount money.Amount) ([]string, error) {
	var listed []Coin
	var page PageRequest
	for {
		p, err := c.Coins(ctx, c.account, page)
		if err != nil {
			return nil, err
		}
		listed = append(listed, p.Coins...)
		ids, short := c.coins.take(listed, amount, time.Now())
		if short == nil {
			return ids, nil
		}
		if p.Bookmark == "" {
			return nil, short
		}
		page.Bookmark = p.Bookmark
	}
}

// SpentCoinMemory is how long a Client keeps skipping the coins of its
// payments that committed (or may have): longer than a listing of coins can
// lag behind the ledger.
const SpentCoinMemory = time.Minute

// reservations are the coins that payments of one Client are spending, or
// spent recently.
type reservations struct {
	mu sync.Mutex
	// coins maps a coin to the zero time while a payment spends it, and to
	// the time it was spent after that.
	coins map[string]time.Time
}

// take picks, from coins, the largest free ones until they cover amount
// (at least one coin, at most MaxInputs), and reserves them. When they do
// not cover it, it picks nothing and says why.
func (r *reservations) take(coins []Coin, amount money.Amount, now time.Time) ([]string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.forget(now)
	var free []Coin
	var total money.Amount
	for _, c := range coins {
		if _, taken := r.coins[c.ID]; !taken {
			free = append(free, c)
			total = addCapped(total, c.Amount)
		}
	}
	if len(free) == 0 || total.LT(amount) {
		return nil, errs.New(errs.InsufficientFunds, "coins hold %s, need %s (%d more coins are being spent or were just spent)",
			total, amount, len(coins)-len(free))
	}
	slices.SortFunc(free, func(a, b Coin) int {
		return cmp.Or(b.Amount.Cmp(a.Amount), cmp.Compare(a.ID, b.ID))
	})
	var sum money.Amount
	var ids []string
	for _, c := range free {
		if len(ids) > 0 && amount.LTE(sum) {
			break
		}
		if len(ids) == MaxInputs {
			return nil, errs.New(errs.LimitExceeded, "paying %s takes more than %d coins (the largest %d hold %s); merge coins first", amount, MaxInputs, MaxInputs, sum)
		}
		ids = append(ids, c.ID)
		sum = addCapped(sum, c.Amount)
	}
	r.holdLocked(ids)
	return ids, nil
}

// hold reserves coins that a payment names itself.
func (r *reservations) hold(ids []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.holdLocked(ids)
}

func (r *reservations) holdLocked(ids []string) {
	if r.coins == nil {
		r.coins = map[string]time.Time{}
	}
	for _, id := range ids {
		r.coins[id] = time.Time{}
	}
}

// release ends a payment's reservation: its coins are free again, unless
// it spent them (or may have), and then they stay taken for
// SpentCoinMemory.
func (r *reservations) release(ids []string, spent bool, now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, id := range ids {
		if spent {
			r.coins[id] = now
		} else {
			delete(r.coins, id)
		}
	}
}

// forget frees the coins spent more than SpentCoinMemory ago.
func (r *reservations) forget(now time.Time) {
	for id, spentAt := range r.coins {
		if !spentAt.IsZero() && now.Sub(spentAt) > SpentCoinMemory {
			delete(r.coins, id)
		}
	}
}

// mayHaveCommitted reports whether the attempt that ended with err may have
// written to the ledger: only a refused endorsement and a failed
// validation surely did not.
func mayHaveCommitted(err error) bool {
	var endorseErr *EndorseError
	var commitErr *CommitError
	return !errors.As(err, &endorseErr) && !errors.As(err, &commitErr)
}

// jsonList encodes a list of IDs as a JSON array (a []string always
// encodes).
func jsonList(ids []string) string {
	data, _ := json.Marshal(ids)
	return string(data)
}

// addCapped is a + b, or the largest amount when that overflows (a sum of
// coins that large covers any payment).
func addCapped(a, b money.Amount) money.Amount {
	sum, err := a.Add(b)
	if err != nil {
		return money.MaxAmount()
	}
	return sum
}
