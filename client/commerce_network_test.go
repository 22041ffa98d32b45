package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/client"
	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/fixtures"
	testnetwork "github.com/likrcommerce/likr/test-network"
)

// loadBuyers are the extra identities of the commerce load test: 40
// consumers across both orgs, and one buyer with many orders in flight.
func loadBuyers() []fixtures.Identity {
	ids := []fixtures.Identity{{Name: "bulk", Org: "Org1", About: "buyer with 64 orders in flight"}}
	for i := range 40 {
		ids = append(ids, fixtures.Identity{Name: fmt.Sprintf("buyer-%02d", i), Org: []string{"Org1", "Org2"}[i%2], About: "concurrent buyer"})
	}
	return ids
}

// TestCommerceUnderContention runs the commerce core on a real network,
// under the two loads of issues 4 and 5: many buyers racing for the last
// units of one product, and one buyer's 64 concurrent orders of one
// popular product whose settlements, commissions and rewards all go to the
// same supplier and the same reseller.
func TestCommerceUnderContention(t *testing.T) {
	n, ctx, dial := onNetwork(t, 10*time.Minute, testnetwork.WithExtraIdentities(loadBuyers()...))
	admin, auditor, brand, seller, minji := dial("admin"), dial("auditor"), dial("brand"), dial("seller"), dial("minji")
	bulk := dial("bulk")
	amount := money.NewAmount

	cfg := testConfig()
	cfg.StockShards = 64
	_, err := admin.InitConfig(ctx, cfg)
	require.NoError(t, err)
	terms := client.ProductTerms{WholesalePrice: amount(600), MinRetailPrice: amount(900), Status: "active"}
	for _, p := range []client.RegisterProductRequest{
		{ID: "last-ten", Attributes: json.RawMessage(`{"name":"한정판 쿠션 Limited cushion"}`), Terms: terms, Stock: 10},
		{ID: "best-seller", Attributes: json.RawMessage(`{"name":"녹차 토너 Green tea toner"}`), Terms: terms, Stock: 10_000},
	} {
		_, _, err := brand.RegisterProduct(ctx, p)
		require.NoError(t, err)
	}
	_, _, err = seller.OpenStore(ctx, client.OpenStoreRequest{ID: "seoul", Name: "서울 뷰티 Seoul Beauty"})
	require.NoError(t, err)
	listing := func(id string) client.ListingRef {
		return client.ListingRef{Owner: seller.Account(), Store: "seoul", ID: id}
	}
	for _, id := range []string{"last-ten", "best-seller"} {
		_, _, err := seller.AddListing(ctx, client.AddListingRequest{
			Store: "seoul", ID: id, Product: client.ProductRef{Supplier: brand.Account(), ID: id},
			Price: amount(1000), ReferralBps: 1000,
		})
		require.NoError(t, err)
	}
	// Funding: one mint, then one batch to every buyer (the minted-total key
	// is read and written by every mint, so mints go one at a time).
	var buyers []*client.Client
	var accounts []string
	for i := range 40 {
		c := dial(fmt.Sprintf("buyer-%02d", i), client.WithRetry(60, 20*time.Millisecond))
		buyers = append(buyers, c)
		accounts = append(accounts, c.Account())
	}
	const minted = 10_000_000
	_, err = admin.Mint(ctx, admin.Account(), amount(minted))
	require.NoError(t, err)
	_, err = admin.BatchTransfer(ctx, append(accounts, minji.Account()), amount(20_000))
	require.NoError(t, err)
	waitSameHeight(t, ctx, n)

	t.Run("40 buyers race for the last 10 units", func(t *testing.T) {
		var wg sync.WaitGroup
		results := make([]error, len(buyers))
		for i, b := range buyers {
			wg.Go(func() {
				_, _, results[i] = b.PlaceOrder(ctx, client.PlaceOrderRequest{ID: "last", Listing: listing("last-ten"), Quantity: 1})
			})
		}
		wg.Wait()
		placed, refused := 0, 0
		var stats client.Stats
		for i, err := range results {
			switch {
			case err == nil:
				placed++
			case errors.Is(err, errs.ErrInsufficientStock):
				refused++
			default:
				t.Errorf("buyer %d: %v", i, err)
			}
			s := buyers[i].Stats()
			stats.Attempts += s.Attempts
			stats.MVCCConflicts += s.MVCCConflicts
			stats.PhantomConflicts += s.PhantomConflicts
			stats.EndorsementMismatches += s.EndorsementMismatches
		}
		t.Logf("last units: %d placed, %d INSUFFICIENT_STOCK; %d attempts, %d MVCC, %d phantom, %d endorsement mismatches (contention by design: every order after the stock ran short scans all shards)",
			placed, refused, stats.Attempts, stats.MVCCConflicts, stats.PhantomConflicts, stats.EndorsementMismatches)
		require.Equal(t, 10, placed)
		require.Equal(t, 30, refused)
		p, err := brand.Product(ctx, client.ProductRef{Supplier: brand.Account(), ID: "last-ten"})
		require.NoError(t, err)
		require.Zero(t, p.Available)
		requireConserved(t, ctx, auditor, minted)
	})

	// minji buys, confirms and reviews: her first review opens her personal
	// shop, whose referral she shares with the bulk buyer.
	shop := client.StoreRef{Owner: minji.Account(), ID: "personal"}
	t.Run("a reviewer becomes a reseller", func(t *testing.T) {
		for _, rule := range []string{
			`{"activity":"purchase","fixed":"5","rateBps":0,"enabled":true,"dailyCap":"0"}`,
			`{"activity":"review","fixed":"10","rateBps":0,"enabled":true,"dailyCap":"100"}`,
			`{"activity":"conversion","fixed":"20","rateBps":0,"enabled":true,"dailyCap":"0"}`,
			`{"activity":"referred_sale","fixed":"0","rateBps":50,"enabled":true,"dailyCap":"0"}`,
		} {
			_, err := admin.Submit(ctx, "reward:SetRule", rule)
			require.NoError(t, err)
		}
		o, _, err := minji.PlaceOrder(ctx, client.PlaceOrderRequest{ID: "first", Listing: listing("best-seller"), Quantity: 1})
		require.NoError(t, err)
		_, _, err = seller.ShipOrder(ctx, o.Ref(), client.ShipOrderRequest{Carrier: "CJ대한통운", Tracking: "6012"})
		require.NoError(t, err)
		_, _, err = minji.ConfirmDelivery(ctx, o.Ref())
		require.NoError(t, err)
		_, err = minji.Submit(ctx, "review:Post", `{"order":"first","rating":5,"text":"촉촉해요"}`)
		require.NoError(t, err)
		// 20000 - 1000 + purchase 5 + review 10 + conversion 20
		got, err := minji.Balance(ctx, minji.Account())
		require.NoError(t, err)
		require.Equal(t, amount(19_035), got)
	})

	t.Run("64 concurrent orders of one product settle to one supplier and one reseller", func(t *testing.T) {
		// The bulk buyer needs 64 coins to pay 64 orders at once: 64
		// transfers from the 40 buyers (distinct payers: blind credits).
		for round := range 2 {
			var wg sync.WaitGroup
			for i, b := range buyers {
				if round*len(buyers)+i >= 64 {
					break
				}
				wg.Go(func() {
					_, err := b.Transfer(ctx, bulk.Account(), amount(1500))
					assert.NoError(t, err)
				})
			}
			wg.Wait()
		}
		waitSameHeight(t, ctx, n)
		supplierBefore, err := auditor.Balance(ctx, brand.Account())
		require.NoError(t, err)
		resellerBefore, err := auditor.Balance(ctx, minji.Account())
		require.NoError(t, err)

		phase := func(name string, c *client.Client, run func(i int) error) {
			before := c.Stats()
			var wg sync.WaitGroup
			for i := range 64 {
				wg.Go(func() { assert.NoError(t, run(i), "%s %d", name, i) })
			}
			wg.Wait()
			after := c.Stats()
			attempts := after.Attempts - before.Attempts
			mvcc := after.MVCCConflicts - before.MVCCConflicts
			phantom := after.PhantomConflicts - before.PhantomConflicts
			mismatch := after.EndorsementMismatches - before.EndorsementMismatches
			rate := float64(mvcc+phantom) / float64(attempts)
			t.Logf("%-8s 64 transactions, %d attempts, %d MVCC + %d phantom conflicts = %.2f%%; %d endorsement mismatches (a peer a block behind)",
				name, attempts, mvcc, phantom, 100*rate, mismatch)
			require.Less(t, rate, 0.01, "%s: MVCC/phantom conflict rate", name)
			waitSameHeight(t, ctx, n)
		}
		ref := func(i int) client.OrderRef {
			return client.OrderRef{Buyer: bulk.Account(), ID: fmt.Sprintf("bulk-%02d", i)}
		}
		phase("place", bulk, func(i int) error {
			_, _, err := bulk.PlaceOrder(ctx, client.PlaceOrderRequest{ID: ref(i).ID, Listing: listing("best-seller"), Quantity: 1, Referrer: &shop})
			return err
		})
		phase("ship", seller, func(i int) error {
			_, _, err := seller.ShipOrder(ctx, ref(i), client.ShipOrderRequest{Carrier: "CJ대한통운", Tracking: fmt.Sprint(i)})
			return err
		})
		phase("confirm", bulk, func(i int) error {
			_, _, err := bulk.ConfirmDelivery(ctx, ref(i))
			return err
		})
		// Each settlement: supplier 600, commission 10% = 100 and a
		// referred-sale reward of 0.5% = 5 to the reseller.
		supplier, err := auditor.Balance(ctx, brand.Account())
		require.NoError(t, err)
		reseller, err := auditor.Balance(ctx, minji.Account())
		require.NoError(t, err)
		require.Equal(t, supplierBefore.Uint64()+64*600, supplier.Uint64())
		require.Equal(t, resellerBefore.Uint64()+64*105, reseller.Uint64())
		report, err := auditor.Reconcile(ctx, time.Now().UTC())
		require.NoError(t, err)
		require.True(t, report.OK, "%+v", report)
		require.EqualValues(t, 65, report.Records, "minji's order and the 64")
		requireConserved(t, ctx, auditor, minted)
	})
}

// requireConserved checks the supply invariant: every coin, escrow and
// reserve included, adds up to what was minted.
func requireConserved(t *testing.T, ctx context.Context, auditor *client.Client, minted uint64) {
	t.Helper()
	audit, err := auditor.Audit(ctx)
	require.NoError(t, err)
	require.True(t, audit.OK, "%+v", audit)
	require.Equal(t, minted, audit.Held.Uint64())
}

// waitSameHeight waits until Org2's peer has every block of Org1's, so a
// phase's conflicts are its own, not a peer a block behind.
func waitSameHeight(t *testing.T, ctx context.Context, n *testnetwork.Network) {
	t.Helper()
	h, err := n.Height(n.Peer("Org1"))
	require.NoError(t, err)
	require.NoError(t, n.WaitHeight(ctx, n.Peer("Org2"), h))
}
