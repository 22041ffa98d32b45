package client

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/chaincode"
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/contracts/wallet"
)

// The review, reward and moderation contracts join the ones checkTransaction
// knows (catalog_test.go lists the commerce contracts).
func init() {
	chaincodeContracts["review"] = &chaincode.ReviewContract{}
	chaincodeContracts["reward"] = &chaincode.RewardContract{}
	chaincodeContracts["moderation"] = &chaincode.ModerationContract{}
}

var (
	moderatorAccount = strings.Repeat("2", 40)
	sampleOrderRef   = OrderRef{Buyer: buyerAccount, ID: "o1"}
	sampleReview     = Review{
		Buyer: buyerAccount, Order: "o1", Product: sampleProductRef, Listing: listingL1, Rating: 4, Text: "Fresh",
		PostedAt: "2025-05-03T10:00:00.000000000Z", TxID: strings.Repeat("9", 64),
	}
	sampleModerator = Moderator{
		Account: moderatorAccount, Fee: ModeratorFee{Bps: 200, Flat: money.NewAmount(5)}, Description: "Tea disputes",
		Active: true, RegisteredAt: "2025-05-01T09:00:00.000000000Z", UpdatedAt: "2025-05-01T09:00:00.000000000Z", Version: 1,
	}
	disputedOrder = Order{
		Buyer: buyerAccount, ID: "o1", Listing: listingL1, Product: sampleProductRef, Quantity: 1,
		Total: money.NewAmount(100), Takes: []Take{{Shard: 0, Units: 1}}, Status: "disputed",
		Dispute: &Dispute{Moderator: moderatorAccount, MaxFee: money.NewAmount(7), Reason: "never arrived"},
	}
)

func TestReviewCallsNameTheirTransactions(t *testing.T) {
	buyerShop := StoreRef{Owner: buyerAccount, ID: "personal"}
	outcome := ReviewOutcome{
		Review: &sampleReview, Eligible: true, Shop: &buyerShop, ShopOpened: true,
		Referral: &Listing{Owner: buyerAccount, Store: "personal", ID: "r1", Product: sampleProductRef, ReferralOf: &listingL1},
	}
	page := ReviewPage{Reviews: []Review{sampleReview}, Bookmark: "next"}
	rating := Rating{Count: 2, Sum: 9, Average: "4.50"}
	runWrites(t, map[string]wireCase{
		"PostReview": {
			call: func(ctx context.Context, c *Client) (any, error) {
				v, _, err := c.PostReview(ctx, PostReviewRequest{Order: "o1", Rating: 4, Text: "Fresh"})
				return v, err
			},
			fn: "review:Post", args: []string{`{"order":"o1","rating":4,"text":"Fresh"}`}, out: outcome,
		},
		"PostReview without text": {
			call: func(ctx context.Context, c *Client) (any, error) {
				v, _, err := c.PostReview(ctx, PostReviewRequest{Order: "o1", Rating: 5})
				return v, err
			},
			fn: "review:Post", args: []string{`{"order":"o1","rating":5,"text":""}`}, out: ReviewOutcome{Review: &sampleReview},
		},
	})
	runReads(t, map[string]wireCase{
		"Review": {
			call: func(ctx context.Context, c *Client) (any, error) { return c.Review(ctx, sampleOrderRef) },
			fn:   "review:Get", args: []string{buyerAccount, "o1"}, out: sampleReview,
		},
		"ReviewsByProduct": {
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.ReviewsByProduct(ctx, sampleProductRef, PageRequest{Size: 3, Bookmark: "b"})
			},
			fn: "review:ListByProduct", args: []string{supplierAccount, "tea-1", "3", "b"}, out: page,
		},
		"ReviewsByStore": {
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.ReviewsByStore(ctx, sampleStoreRef, PageRequest{})
			},
			fn: "review:ListByStore", args: []string{sellerAccount, "main", "100", ""}, out: page,
		},
		"ProductRating": {
			call: func(ctx context.Context, c *Client) (any, error) { return c.ProductRating(ctx, sampleProductRef) },
			fn:   "review:ProductRating", args: []string{supplierAccount, "tea-1"}, out: rating,
		},
		"StoreRating": {
			call: func(ctx context.Context, c *Client) (any, error) { return c.StoreRating(ctx, sampleStoreRef) },
			fn:   "review:StoreRating", args: []string{sellerAccount, "main"}, out: rating,
		},
	})
}

func TestRewardCallsNameTheirTransactions(t *testing.T) {
	rule := RewardRule{Activity: "review", Fixed: money.NewAmount(10), RateBps: 50, Enabled: true, DailyCap: money.NewAmount(100)}
	history := RewardHistoryPage{Entries: []RewardHistoryEntry{{
		Activity: "campaign", Subject: "spring:" + buyerAccount, Amount: money.NewAmount(3), Source: CampaignPool,
		Time: "2025-05-04T10:00:00.000000000Z", TxID: strings.Repeat("8", 64),
	}}, Bookmark: "next"}
	runWrites(t, map[string]wireCase{
		"SetRewardRule": {
			call: func(ctx context.Context, c *Client) (any, error) {
				v, _, err := c.SetRewardRule(ctx, rule)
				return v, err
			},
			fn:   "reward:SetRule",
			args: []string{`{"activity":"review","fixed":"10","rateBps":50,"enabled":true,"dailyCap":"100"}`},
			out:  rule,
		},
		"FundPool with named coins": {
			call: func(ctx context.Context, c *Client) (any, error) {
				_, err := c.FundPool(ctx, money.NewAmount(500), WithInputs("c1", "c2"))
				return nil, err
			},
			fn: "reward:FundPool", args: []string{"500", `["c1","c2"]`}, out: nil,
		},
		"BatchReward": {
			call: func(ctx context.Context, c *Client) (any, error) {
				_, err := c.BatchReward(ctx, []string{buyerAccount, sellerAccount}, money.NewAmount(3), "spring", []string{"p1"})
				return nil, err
			},
			fn:   "reward:BatchReward",
			args: []string{`["` + buyerAccount + `","` + sellerAccount + `"]`, "3", "spring", `["p1"]`},
			out:  nil,
		},
	})
	runReads(t, map[string]wireCase{
		"RewardHistory": {
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.RewardHistory(ctx, buyerAccount, PageRequest{Size: 10, Bookmark: "b"})
			},
			fn: "reward:History", args: []string{buyerAccount, "10", "b"}, out: history,
		},
	})
}

// reward:Rules answers {"rules":[...]}; RewardRules returns the list.
func TestRewardRulesReturnsTheList(t *testing.T) {
	checkTransaction(t, "reward:Rules", nil, true)
	rules := []RewardRule{
		{Activity: "purchase", Fixed: money.NewAmount(1), Enabled: true},
		{Activity: "review"},
	}
	var sent []string
	f := &fakeBackend{evaluateFn: func(_ context.Context, fn string, args []string) ([]byte, error) {
		sent = append(append(sent, fn), args...)
		return json.Marshal(map[string]any{"rules": rules})
	}}
	got, err := fakeClient(t, f).RewardRules(context.Background())
	require.NoError(t, err)
	require.Equal(t, []string{"reward:Rules"}, sent)
	require.Equal(t, rules, got)
}

func TestFundPoolPicksTheCallersCoins(t *testing.T) {
	listing := &coinsOf{pages: [][]Coin{coins(20, 70, 40)}}
	f := &fakeBackend{evaluateFn: listing.evaluate}
	c := fakeClient(t, f)
	_, err := c.FundPool(context.Background(), money.NewAmount(100))
	require.NoError(t, err)
	require.Equal(t, [][]string{{"reward:FundPool", "100", `["c001","c002"]`}}, f.proposed(), "the largest coins, 70 and 40, cover 100")
}

func TestModerationCallsNameTheirTransactions(t *testing.T) {
	profile := ModeratorProfile{Moderator: sampleModerator, Reputation: Reputation{Resolved: 3, ByFallback: 1}}
	runWrites(t, map[string]wireCase{
		"RegisterModerator": {
			call: func(ctx context.Context, c *Client) (any, error) {
				v, _, err := c.RegisterModerator(ctx, RegisterModeratorRequest{Fee: ModeratorFee{Bps: 200, Flat: money.NewAmount(5)}, Description: "Tea disputes"})
				return v, err
			},
			fn: "moderation:Register", args: []string{`{"fee":{"bps":200,"flat":"5"},"description":"Tea disputes"}`}, out: sampleModerator,
		},
		"UpdateModerator": {
			call: func(ctx context.Context, c *Client) (any, error) {
				v, _, err := c.UpdateModerator(ctx, UpdateModeratorRequest{Fee: ModeratorFee{Flat: money.NewAmount(5)}, Description: "Tea disputes"})
				return v, err
			},
			// Every field is sent, "active":false included: the contract
			// requires all three.
			fn:   "moderation:Update",
			args: []string{`{"fee":{"bps":0,"flat":"5"},"description":"Tea disputes","active":false}`},
			out:  sampleModerator,
		},
	})
	runReads(t, map[string]wireCase{
		"Moderator": {
			call: func(ctx context.Context, c *Client) (any, error) { return c.Moderator(ctx, moderatorAccount) },
			fn:   "moderation:Get", args: []string{moderatorAccount}, out: profile,
		},
		"Moderators": {
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.Moderators(ctx, PageRequest{Size: 20, Bookmark: "b"})
			},
			fn: "moderation:List", args: []string{"20", "b"}, out: ModeratorPage{Moderators: []ModeratorProfile{profile}, Bookmark: "n"},
		},
	})
}

func TestDisputeCallsNameTheirTransactions(t *testing.T) {
	runWrites(t, map[string]wireCase{
		"OpenDispute": {
			call: func(ctx context.Context, c *Client) (any, error) {
				v, _, err := c.OpenDispute(ctx, sampleOrderRef, DisputeRequest{Moderator: moderatorAccount, Reason: "never arrived"})
				return v, err
			},
			fn:   "order:OpenDispute",
			args: []string{buyerAccount, "o1", `{"moderator":"` + moderatorAccount + `","reason":"never arrived"}`},
			out:  disputedOrder,
		},
		"ResolveDispute": {
			call: func(ctx context.Context, c *Client) (any, error) {
				v, _, err := c.ResolveDispute(ctx, sampleOrderRef, ResolveRequest{BuyerShareBps: 5000, Fee: money.NewAmount(7)})
				return v, err
			},
			fn: "order:ResolveDispute", args: []string{buyerAccount, "o1", `{"buyerShareBps":5000,"fee":"7"}`}, out: disputedOrder,
		},
		"ResolveDispute by fallback": {
			call: func(ctx context.Context, c *Client) (any, error) {
				v, _, err := c.ResolveDispute(ctx, sampleOrderRef, ResolveRequest{BuyerShareBps: 10000})
				return v, err
			},
			fn: "order:ResolveDispute", args: []string{buyerAccount, "o1", `{"buyerShareBps":10000,"fee":"0"}`}, out: disputedOrder,
		},
		"ExpireReserve": {
			call: func(ctx context.Context, c *Client) (any, error) {
				v, _, err := c.ExpireReserve(ctx, sampleOrderRef)
				return v, err
			},
			fn: "order:ExpireReserve", args: []string{buyerAccount, "o1"}, out: disputedOrder,
		},
	})
}

func TestCampaignPoolIsTheWalletsPool(t *testing.T) {
	require.Equal(t, wallet.CampaignPool, CampaignPool)
}
