package sales_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/ledger/memledger"
	"github.com/likrcommerce/likr/contracts/sales"
)

// randomSale returns a valid sale with random parties, quantity, price and
// split; the test's amounts stay far from overflow so that totalsOf can add
// them with plain integers.
func randomSale(r *rand.Rand, n int) sales.Sale {
	qty := 1 + r.Uint64N(5)
	price := 1 + r.Uint64N(1_000_000)
	total := price * qty
	take := func(rest *uint64) uint64 {
		v := r.Uint64N(*rest + 1)
		*rest -= v
		return v
	}
	s := sales.Sale{
		Buyer: acct(100 + r.IntN(5)), Order: fmt.Sprintf("o-%04d", n),
		Supplier: acct(200 + r.IntN(3)), Product: fmt.Sprintf("p%d", r.IntN(3)), ProductVersion: 1 + r.Uint64N(3),
		AttributesHash: attrHash, StoreOwner: acct(300 + r.IntN(3)), Store: fmt.Sprintf("s%d", r.IntN(2)),
		Listing: "l", Quantity: qty, UnitPrice: amt(price), Total: amt(total),
		PlacedAt: "2026-01-01T00:00:00Z",
	}
	rest := total
	if r.IntN(5) == 0 { // a dispute
		s.Refund, s.ModeratorFee = amt(take(&rest)), amt(take(&rest))
	}
	s.SupplierAmount = amt(take(&rest))
	if r.IntN(2) == 0 {
		s.Referrer, s.ReferrerStore = acct(400+r.IntN(3)), "shop"
		s.Commission = amt(take(&rest))
	}
	s.PlatformFee = amt(take(&rest))
	s.SellerAmount = amt(rest)
	return s
}

// Random sales over several days, at random times including the first and
// last instant of a day, some two to a transaction: every day reconciles,
// every scope's daily totals equal the sums the test computes itself, and a
// day's time query lists exactly its sales.
func TestPropertyEveryDayReconciles(t *testing.T) {
	days := []time.Time{
		time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC),
	}
	for seed := range uint64(4) {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 0x5a1e5))
			e := newEnv(t)
			var all []sales.Sale
			for n := 0; n < 120; {
				day := days[r.IntN(len(days))]
				var at time.Time
				switch r.IntN(6) {
				case 0:
					at = day
				case 1:
					at = day.Add(24*time.Hour - time.Nanosecond)
				default:
					at = day.Add(time.Duration(r.Int64N(int64(24 * time.Hour))))
				}
				tx := e.L.Begin(memledger.TxOptions{Timestamp: at})
				for range 1 + r.IntN(2) {
					got, err := sales.Record(tx, nil, randomSale(r, n))
					require.NoError(t, err)
					all = append(all, *got)
					n++
				}
				require.NoError(t, tx.Commit())
			}

			for _, day := range days {
				d := day.Format(ledger.DayLayout)
				var ofDay []sales.Sale
				for _, s := range all {
					if s.SettledAt[:10] == d {
						ofDay = append(ofDay, s)
					}
				}
				rep, err := sales.Reconcile(e.Eval(), d)
				require.NoError(t, err)
				require.True(t, rep.OK, "%s: %+v", d, rep)
				require.Equal(t, uint64(len(ofDay)), rep.Records, d)

				// Every scope of the test's parties, sold in or not.
				scopes := 0
				for i := range 3 {
					sup := acct(200 + i)
					scopes += checkScope(t, e, d, sales.Scope{Kind: sales.ScopeSupplier, Party: []string{sup}}, ofDay,
						func(s sales.Sale) bool { return s.Supplier == sup })
					for j := range 3 {
						p := fmt.Sprintf("p%d", j)
						scopes += checkScope(t, e, d, sales.Scope{Kind: sales.ScopeProduct, Party: []string{sup, p}}, ofDay,
							func(s sales.Sale) bool { return s.Supplier == sup && s.Product == p })
					}
					owner := acct(300 + i)
					for j := range 2 {
						st := fmt.Sprintf("s%d", j)
						scopes += checkScope(t, e, d, sales.Scope{Kind: sales.ScopeStore, Party: []string{owner, st}}, ofDay,
							func(s sales.Sale) bool { return s.StoreOwner == owner && s.Store == st })
					}
				}
				require.Equal(t, uint64(scopes), rep.Scopes, d)

				got, _ := queryAll(t, e, sales.Filter{
					By: sales.ByTime, From: day.Format(time.RFC3339), To: day.AddDate(0, 0, 1).Format(time.RFC3339),
				}, 7)
				require.Equal(t, inSettlementOrder(ofDay), got, d)
			}
		})
	}
}

// checkScope compares DailyTotals of a scope with the test's own sum of the
// sales match selects, and returns 1 when the scope sold anything.
func checkScope(t *testing.T, e *env, day string, sc sales.Scope, ofDay []sales.Sale, match func(sales.Sale) bool) int {
	t.Helper()
	var mine []sales.Sale
	for _, s := range ofDay {
		if match(s) {
			mine = append(mine, s)
		}
	}
	got, err := sales.DailyTotals(e.Eval(), day, sc)
	require.NoError(t, err)
	require.Equal(t, totalsOf(mine), *got, "%s %+v", day, sc)
	if len(mine) > 0 {
		return 1
	}
	return 0
}
