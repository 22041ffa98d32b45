package order_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/moderation"
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/contracts/order"
	"github.com/likrcommerce/likr/contracts/product"
	"github.com/likrcommerce/likr/contracts/sales"
	"github.com/likrcommerce/likr/contracts/store"
	"github.com/likrcommerce/likr/contracts/wallet"
)

// TestRandomOrderLivesKeepTheInvariants plays random sequences of place,
// ship, confirm, release, cancel, reject, dispute and resolution (by the
// moderator or the admin fallback), reviews and reserve expiry, with the
// reward rules on (and refused attempts by the wrong party), and checks
// after every step that money is conserved, escrow and reward reserves
// included, and that stock matches the live orders; at the end,
// that every settled order has exactly one sales record whose split sums
// to its total, and that every day's totals reconcile.
func TestRandomOrderLivesKeepTheInvariants(t *testing.T) {
	for seed := range uint64(12) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			runRandomOrders(t, rand.New(rand.NewPCG(seed, 0x11c4)), 80)
		})
	}
}

func runRandomOrders(t *testing.T, rng *rand.Rand, steps int) {
	e := newEnv(t)
	const restock = 200
	e.Must(func(st ledger.State, _ *wallet.Keeper, ev ledger.Emitter) error {
		_, err := product.Restock(st, ev, supplier, productRef.ID, restock)
		return err
	})
	e.setRules(testRules...)
	e.Must(func(st ledger.State, _ *wallet.Keeper, ev ledger.Emitter) error {
		_, err := moderation.Register(st, ev, moderator, moderation.RegisterRequest{
			Fee: moderation.Fee{Bps: 50, Flat: amt(10)}, Description: "fair and fast",
		})
		return err
	})
	buyers := []string{buyer, stranger, acct(30), acct(31)}
	minted := uint64(2 * initialFund)
	for _, b := range buyers[2:] {
		e.Must(func(_ ledger.State, k *wallet.Keeper, _ ledger.Emitter) error {
			return k.Mint(b, amt(initialFund), e.cfg.SupplyCap)
		})
		minted += initialFund
	}
	type live struct {
		ref    order.Ref
		qty    uint64
		status order.Status
	}
	var orders []*live
	pick := func(s order.Status) *live {
		var c []*live
		for _, o := range orders {
			if o.status == s {
				c = append(c, o)
			}
		}
		if len(c) == 0 {
			return nil
		}
		return c[rng.IntN(len(c))]
	}
	days := map[string]bool{}
	for step := range steps {
		switch rng.IntN(9) {
		case 0, 1:
			b := buyers[rng.IntN(len(buyers))]
			id := fmt.Sprintf("r%03d", step)
			qty := uint64(1 + rng.IntN(4))
			var ref *store.Ref
			if rng.IntN(2) == 0 && b != friend {
				ref = &referrerRef
			}
			if _, err := e.place(b, id, qty, rng.IntN(e.cfg.StockShards), ref); err == nil {
				orders = append(orders, &live{order.Ref{Buyer: b, ID: id}, qty, order.Placed})
			}
		case 2:
			if o := pick(order.Placed); o != nil {
				wantCode(t, e.ship(o.ref.Buyer, o.ref.ID, o.ref.Buyer), "FORBIDDEN")
				wantCode(t, e.ship([]string{seller, supplier}[rng.IntN(2)], o.ref.ID, o.ref.Buyer), "")
				o.status = order.Shipped
			}
		case 3:
			if o := pick(order.Shipped); o != nil {
				wantCode(t, e.step(order.ConfirmDelivery, seller, o.ref.ID, o.ref.Buyer), "FORBIDDEN")
				wantCode(t, e.step(order.ConfirmDelivery, o.ref.Buyer, o.ref.ID, o.ref.Buyer), "")
				o.status = order.Completed
			}
		case 4:
			e.L.Advance(time.Duration(rng.IntN(9*24)) * time.Hour)
			if o := pick(order.Shipped); o != nil {
				err := e.step(order.Release, stranger, o.ref.ID, o.ref.Buyer)
				if err == nil {
					o.status = order.Completed
				} else {
					wantCode(t, err, "INVALID_STATE")
				}
			}
		case 5:
			if o := pick(order.Placed); o != nil {
				if rng.IntN(2) == 0 {
					wantCode(t, e.step(order.Cancel, o.ref.Buyer, o.ref.ID, o.ref.Buyer), "")
					o.status = order.Cancelled
				} else {
					wantCode(t, e.reject(seller, o.ref.ID, o.ref.Buyer), "")
					o.status = order.Rejected
				}
				wantCode(t, e.step(order.Cancel, o.ref.Buyer, o.ref.ID, o.ref.Buyer), "INVALID_STATE")
			}
		case 6:
			if o := pick(order.Shipped); o != nil {
				_, err := e.Submit(func(st ledger.State, _ *wallet.Keeper, ev ledger.Emitter) error {
					_, err := order.OpenDispute(st, ev, e.cfg, o.ref.Buyer, o.ref, order.DisputeRequest{Moderator: moderator, Reason: "damaged"})
					return err
				})
				wantCode(t, err, "")
				o.status = order.Disputed
			}
		case 7:
			if o := pick(order.Disputed); o != nil {
				share := money.Rate(rng.IntN(10001))
				who, isAdmin, fee := moderator, false, uint64(rng.IntN(11))
				if rng.IntN(3) == 0 {
					e.L.Advance(time.Duration(e.cfg.DisputeTimeoutSeconds) * time.Second)
					who, isAdmin, fee = admin, true, 0
				}
				_, err := e.Submit(func(st ledger.State, k *wallet.Keeper, ev ledger.Emitter) error {
					_, err := order.ResolveDispute(st, k, ev, e.cfg, who, isAdmin, o.ref, order.ResolveRequest{BuyerShareBps: share, Fee: amt(fee)})
					return err
				})
				wantCode(t, err, "")
				o.status = order.Completed
			}
		case 8:
			if o := pick(order.Completed); o != nil {
				if rng.IntN(2) == 0 {
					e.Must(func(st ledger.State, k *wallet.Keeper, ev ledger.Emitter) error {
						got, err := order.Get(st, o.ref)
						if err != nil {
							return err
						}
						_, err = order.PayReviewRewards(st, k, ev, got, rng.IntN(2) == 0)
						return err
					})
				} else {
					e.L.Advance(e.cfg.ReviewWindow())
					err := e.step(order.ExpireReserve, stranger, o.ref.ID, o.ref.Buyer)
					if err != nil {
						wantCode(t, err, "INVALID_STATE") // no reserve, or already closed
					}
				}
			}
		}
		// Conservation: every coin row together is what was minted.
		if r := e.audit(); r.Held.Uint64() != minted {
			t.Fatalf("step %d: coins hold %s, minted %d", step, r.Held, minted)
		}
		// Stock: what is not held by a live or completed order.
		var reserved uint64
		for _, o := range orders {
			if o.status != order.Cancelled && o.status != order.Rejected {
				reserved += o.qty
			}
		}
		if got, want := e.stock(), startStock+restock-reserved; got != want {
			t.Fatalf("step %d: stock %d, want %d", step, got, want)
		}
	}
	// One sales record per settled order, each summing to its total.
	completed := 0
	for _, o := range orders {
		if o.status != order.Completed {
			continue
		}
		completed++
		e.MustRead(func(st ledger.State, _ *wallet.Keeper) error {
			rec, err := sales.Get(st, o.ref.Buyer, o.ref.ID)
			if err != nil {
				return err
			}
			sum, err := money.Sum(rec.Refund, rec.SupplierAmount, rec.Commission, rec.PlatformFee, rec.ModeratorFee, rec.SellerAmount)
			if err != nil || sum != rec.Total || rec.Total != money.NewAmount(1000*o.qty) || rec.Commission.GT(money.NewAmount(100*o.qty)) {
				t.Fatalf("record %+v: parts sum to %s", rec, sum)
			}
			return nil
		})
	}
	records := 0
	for bookmark := ""; ; {
		var page *sales.Page
		e.MustRead(func(st ledger.State, _ *wallet.Keeper) (err error) {
			page, err = sales.Query(st, sales.Filter{By: sales.ByTime}, ledger.MaxPageSize, bookmark)
			return err
		})
		records += len(page.Records)
		for _, rec := range page.Records {
			days[rec.SettledAt[:len(ledger.DayLayout)]] = true
		}
		if bookmark = page.Bookmark; bookmark == "" {
			break
		}
	}
	t.Logf("%d orders, %d settled, %d days", len(orders), completed, len(days))
	if records != completed {
		t.Fatalf("%d sales records for %d settled orders", records, completed)
	}
	for day := range days {
		e.MustRead(func(st ledger.State, _ *wallet.Keeper) error {
			r, err := sales.Reconcile(st, day)
			if err == nil && !r.OK {
				t.Fatalf("day %s does not reconcile: %+v", day, r)
			}
			return err
		})
	}
}
