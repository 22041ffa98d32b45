package client_test

import (
	"context"
	"sync"
	"testing"
	"time"

	gwclient "github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/client"
	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/money"
	testnetwork "github.com/likrcommerce/likr/test-network"
)

// One network serves the subtests, in order: each leaves its state for the
// next. A write's commit status comes from the writer's org peer, and the
// other org's peer may be a block behind, so the balances checked right
// after a write are read through a client of the writer's org (Org1).
func TestAgainstANetwork(t *testing.T) {
	n := testnetwork.StartForTest(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	dial := func(t *testing.T, name string) *client.Client {
		t.Helper()
		p, err := client.LoadProfile(n.ProfilePath(name))
		require.NoError(t, err)
		c, err := client.Dial(ctx, p)
		require.NoError(t, err)
		t.Cleanup(func() { c.Close() })
		return c
	}
	admin, auditor, minji, seller := dial(t, "admin"), dial(t, "auditor"), dial(t, "minji"), dial(t, "seller")
	amount := money.NewAmount
	// settle waits until Org2's peer has every block Org1's has, so that
	// what follows measures conflicts, not a peer a block behind.
	settle := func(t *testing.T) {
		t.Helper()
		h, err := n.Height(n.Peer("Org1"))
		require.NoError(t, err)
		require.NoError(t, n.WaitHeight(ctx, n.Peer("Org2"), h))
	}

	t.Run("only the operator's admin initialises the config", func(t *testing.T) {
		who, err := admin.WhoAmI(ctx)
		require.NoError(t, err)
		require.Equal(t, admin.Account(), who.Account, "the account derived offline is the chaincode's")
		require.Equal(t, "admin", who.ClaimedRole)
		require.Equal(t, client.Role("consumer"), who.Role, "no role counts before config:Init")
		_, err = minji.Config(ctx)
		require.ErrorIs(t, err, errs.ErrNotFound)

		_, err = minji.InitConfig(ctx, testConfig())
		require.ErrorIs(t, err, errs.ErrForbidden)
		var endorseErr *client.EndorseError
		require.ErrorAs(t, err, &endorseErr)
		require.NotEmpty(t, endorseErr.TxID)
		var gatewayErr *gwclient.EndorseError
		require.ErrorAs(t, err, &gatewayErr, "fabric-gateway's error stays in the chain")

		r, err := admin.InitConfig(ctx, testConfig())
		require.NoError(t, err)
		require.NotEmpty(t, r.TxID)
		require.Equal(t, 1, r.Attempts)
		_, err = admin.InitConfig(ctx, testConfig())
		require.ErrorIs(t, err, errs.ErrAlreadyExists)

		cfg, err := minji.Config(ctx)
		require.NoError(t, err)
		require.Equal(t, testConfig(), cfg)
		who, err = admin.WhoAmI(ctx)
		require.NoError(t, err)
		require.Equal(t, client.Role("admin"), who.Role)

		_, err = minji.UpdateConfig(ctx, cfg)
		require.ErrorIs(t, err, errs.ErrForbidden)
		_, err = admin.UpdateConfig(ctx, cfg)
		require.NoError(t, err)
	})

	t.Run("refusals arrive as typed, coded errors", func(t *testing.T) {
		_, err := minji.Mint(ctx, minji.Account(), amount(10))
		require.ErrorIs(t, err, errs.ErrForbidden)
		_, err = admin.Mint(ctx, "not-an-account", amount(10))
		require.ErrorIs(t, err, errs.ErrInvalidArgument)
		_, err = admin.Mint(ctx, minji.Account(), amount(0))
		require.ErrorIs(t, err, errs.ErrInvalidArgument)

		_, err = minji.Transfer(ctx, seller.Account(), amount(10))
		require.ErrorIs(t, err, errs.ErrInsufficientFunds, "minji holds no coin yet")
		_, err = minji.Transfer(ctx, seller.Account(), amount(10), client.WithInputs("0123abcd.000001"))
		require.ErrorIs(t, err, errs.ErrNotFound)
		var coded *errs.Error
		require.ErrorAs(t, err, &coded)
		require.Contains(t, coded.Detail, "0123abcd.000001", "the chaincode's own message")

		_, err = minji.Balance(ctx, seller.Account())
		require.ErrorIs(t, err, errs.ErrForbidden)
		var evalErr *client.EvaluateError
		require.ErrorAs(t, err, &evalErr)
		_, err = minji.Audit(ctx)
		require.ErrorIs(t, err, errs.ErrForbidden)
		require.Zero(t, minji.Stats().Conflicts())
	})

	t.Run("mint, pay, burn and audit", func(t *testing.T) {
		supply, err := minji.Supply(ctx)
		require.NoError(t, err)
		sellerBefore, err := auditor.Balance(ctx, seller.Account())
		require.NoError(t, err)

		for _, v := range []uint64{1000, 500} {
			_, err := admin.Mint(ctx, minji.Account(), amount(v))
			require.NoError(t, err)
		}
		page, err := minji.Coins(ctx, minji.Account(), client.PageRequest{})
		require.NoError(t, err)
		require.Len(t, page.Coins, 2)
		small := page.Coins[0]
		if small.Amount.GT(page.Coins[1].Amount) {
			small = page.Coins[1]
		}
		_, err = minji.Transfer(ctx, seller.Account(), amount(600), client.WithInputs(small.ID))
		require.ErrorIs(t, err, errs.ErrInsufficientFunds, "refused by the chaincode: the named coin holds 500")
		var endorseErr *client.EndorseError
		require.ErrorAs(t, err, &endorseErr)

		_, err = minji.Transfer(ctx, seller.Account(), amount(1200))
		require.NoError(t, err)
		_, err = minji.BatchTransfer(ctx, []string{seller.Account(), auditor.Account()}, amount(50))
		require.NoError(t, err)
		_, err = minji.Burn(ctx, amount(120))
		require.NoError(t, err)

		requireBalance(ctx, t, minji, minji.Account(), 1500-1200-100-120)
		requireBalance(ctx, t, auditor, seller.Account(), sellerBefore.Uint64()+1250)
		requireBalance(ctx, t, auditor, minji.Account(), 80)

		after, err := minji.Supply(ctx)
		require.NoError(t, err)
		require.Equal(t, supply.Minted.Uint64()+1500, after.Minted.Uint64())
		require.Equal(t, supply.Burned.Uint64()+120, after.Burned.Uint64())
		require.Equal(t, after.Minted.Uint64()-after.Burned.Uint64(), after.Circulating.Uint64())
		audit, err := auditor.Audit(ctx)
		require.NoError(t, err)
		require.True(t, audit.OK, "audit: %+v", audit)
		require.Equal(t, after.Circulating, audit.Held)

		history, err := minji.History(ctx, minji.Account(), client.PageRequest{Size: 10})
		require.NoError(t, err)
		var kinds []string
		for _, e := range history.Entries {
			kinds = append(kinds, e.Kind+" "+e.Direction+" "+e.Amount.String())
		}
		require.ElementsMatch(t, []string{"mint in 1000", "mint in 500", "transfer out 1200",
			"batch_transfer out 50", "batch_transfer out 50", "burn out 120"}, kinds)
	})

	t.Run("a coin spent twice at once commits once", func(t *testing.T) {
		jisoo := dial(t, "jisoo")
		_, err := admin.Mint(ctx, jisoo.Account(), amount(10))
		require.NoError(t, err)
		page, err := jisoo.Coins(ctx, jisoo.Account(), client.PageRequest{})
		require.NoError(t, err)
		require.Len(t, page.Coins, 1)
		coin := page.Coins[0]
		settle(t)
		spenders := []*client.Client{jisoo, dial(t, "jisoo")}
		errCh := make(chan error, len(spenders))
		for _, s := range spenders {
			go func() {
				_, err := s.Transfer(ctx, minji.Account(), coin.Amount, client.WithInputs(coin.ID))
				errCh <- err
			}()
		}
		var failures []error
		for range spenders {
			if err := <-errCh; err != nil {
				failures = append(failures, err)
			}
		}
		require.Len(t, failures, 1, "exactly one spend commits")
		require.ErrorIs(t, failures[0], errs.ErrNotFound, "the other finds the coin gone, at once or after a conflict")
		for _, s := range spenders {
			st := s.Stats()
			t.Logf("spender: %d attempts, %d MVCC, %d phantom, %d mismatches, %d retries",
				st.Attempts, st.MVCCConflicts, st.PhantomConflicts, st.EndorsementMismatches, st.Retries)
		}
	})

	t.Run("32 concurrent credits to one account commit without conflicts, then merge", func(t *testing.T) {
		const credits = 32
		payer := dial(t, "admin")
		for range credits {
			_, err := payer.Mint(ctx, payer.Account(), amount(10))
			require.NoError(t, err)
		}
		before, err := auditor.Balance(ctx, seller.Account())
		require.NoError(t, err)
		settle(t)
		statsBefore := payer.Stats()

		start := time.Now()
		var wg sync.WaitGroup
		receipts := make([]client.Receipt, credits)
		failures := make([]error, credits)
		for i := range credits {
			wg.Go(func() {
				receipts[i], failures[i] = payer.Transfer(ctx, seller.Account(), amount(10))
			})
		}
		wg.Wait()
		elapsed := time.Since(start)

		blocks := map[uint64]bool{}
		for i, err := range failures {
			require.NoError(t, err, "credit %d", i)
			blocks[receipts[i].Block] = true
		}
		s := payer.Stats()
		conflicts, retries := s.Conflicts()-statsBefore.Conflicts(), s.Retries-statsBefore.Retries
		t.Logf("%d concurrent credits to one account: %d committed in %s over %d blocks; %d MVCC, %d phantom, %d endorsement mismatches, %d retries",
			credits, s.Committed-statsBefore.Committed, elapsed.Round(time.Millisecond), len(blocks),
			s.MVCCConflicts-statsBefore.MVCCConflicts, s.PhantomConflicts-statsBefore.PhantomConflicts,
			s.EndorsementMismatches-statsBefore.EndorsementMismatches, retries)
		require.Equal(t, uint64(credits), s.Committed-statsBefore.Committed)
		require.Zero(t, conflicts)
		require.Zero(t, retries)
		want := before.Uint64() + credits*10
		requireBalance(ctx, t, auditor, seller.Account(), want)

		settle(t) // the seller's gateway is Org2's peer
		page, err := seller.Coins(ctx, seller.Account(), client.PageRequest{})
		require.NoError(t, err)
		require.Empty(t, page.Bookmark)
		require.Greater(t, len(page.Coins), credits, "one coin per credit")
		ids := make([]string, len(page.Coins))
		for i, c := range page.Coins {
			ids[i] = c.ID
		}
		_, err = seller.Merge(ctx, ids...)
		require.NoError(t, err)
		page, err = seller.Coins(ctx, seller.Account(), client.PageRequest{})
		require.NoError(t, err)
		require.Len(t, page.Coins, 1, "merged into one coin")
		requireBalance(ctx, t, seller, seller.Account(), want)

		audit, err := auditor.Audit(ctx)
		require.NoError(t, err)
		require.True(t, audit.OK, "audit: %+v", audit)
	})
}

func requireBalance(ctx context.Context, t *testing.T, c *client.Client, account string, want uint64) {
	t.Helper()
	got, err := c.Balance(ctx, account)
	require.NoError(t, err)
	require.Equal(t, want, got.Uint64())
}

// testConfig is the config test-network's own test initialises.
func testConfig() client.Config {
	return client.Config{
		OperatorMSP: "Org1MSP",
		Trusted: client.Trusted{
			Admin: []string{"Org1MSP"}, Auditor: []string{"Org1MSP"}, Moderator: []string{"Org1MSP"},
			Supplier: []string{"Org2MSP"}, Seller: []string{"Org2MSP"},
		},
		PlatformFeeBps: 500, SupplyCap: money.NewAmount(1_000_000_000_000),
		AutoReleaseSeconds: 604800, DisputeTimeoutSeconds: 1209600, StockShards: 16,
	}
}
