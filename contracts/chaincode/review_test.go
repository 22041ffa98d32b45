package chaincode

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger/memledger"
	"github.com/likrcommerce/likr/contracts/store"
)

// addIdentity adds a consumer identity to the fixture.
func (f *fixture) addIdentity(name string) string {
	f.t.Helper()
	id, err := memledger.NewIdentity("Org1MSP", name, nil)
	require.NoError(f.t, err)
	f.ids[name] = id
	return f.account(name)
}

// order places, has the seller ship, and confirms an order of qty units of
// jeju/tea-1 as identity, with an optional referrer shop.
func (c *commerce) completeOrder(identity, id string, qty int, referrer *store.Ref) outcome {
	c.t.Helper()
	req := map[string]any{
		"id": id, "quantity": qty, "shard": 5, "inputs": json.RawMessage(c.coins(identity)),
		"listing": map[string]string{"owner": c.seller, "store": "jeju", "id": "tea-1"},
	}
	if referrer != nil {
		req["referrer"] = referrer
	}
	data, err := json.Marshal(req)
	require.NoError(c.t, err)
	buyer := c.account(identity)
	c.mustCall(identity, "order:Place", string(data))
	c.mustCall("seller", "order:Ship", buyer, id, `{"carrier":"CJ","tracking":"1"}`)
	out := c.invoke(identity, "order:ConfirmDelivery", buyer, id)
	require.NoError(c.t, out.err)
	return out
}

func TestReviewThroughTheContracts(t *testing.T) {
	c := newCommerce(t)
	post := c.invoke("consumer", "review:Post", `{"order":"o1","rating":5,"text":"향이 좋아요\nfragrant"}`)
	require.NoError(t, post.err)
	require.Equal(t, []string{"store.personal_opened", "store.referral_added", "review.posted"}, eventTypes(businessEvents(t, post))[:3],
		"the conversion, then the review, in the transaction's one event")

	var out struct {
		Review struct {
			Buyer, Order, Text string
			Rating             int
		}
		Eligible   bool
		ShopOpened bool
		Shop       store.Ref
		Referral   store.Listing
	}
	require.NoError(t, json.Unmarshal([]byte(post.payload), &out))
	require.Equal(t, c.consumer, out.Review.Buyer)
	require.Equal(t, "o1", out.Review.Order)
	require.Equal(t, 5, out.Review.Rating)
	require.Equal(t, "향이 좋아요\nfragrant", out.Review.Text)
	require.True(t, out.Eligible)
	require.True(t, out.ShopOpened)
	shop := store.Ref{Owner: c.consumer, ID: store.PersonalShopID}
	original := store.ListingRef{Owner: c.seller, Store: "jeju", ID: "tea-1"}
	require.Equal(t, shop, out.Shop)
	require.Equal(t, original, *out.Referral.ReferralOf)
	require.Equal(t, store.ReferralListingID(original), out.Referral.ID)

	// Everything is public.
	got := c.mustCall("auditor", "review:Get", c.consumer, "o1")
	require.Equal(t, float64(5), got["rating"])
	require.Equal(t, "personal", c.mustCall("seller", "store:Get", c.consumer, store.PersonalShopID)["kind"])
	listings := c.mustCall("moderator", "store:ListListings", c.consumer, store.PersonalShopID, "10", "")["listings"].([]any)
	require.Len(t, listings, 1)
	for _, list := range [][]string{
		{"review:ListByProduct", c.supplier, "tea", "10", ""},
		{"review:ListByStore", c.seller, "jeju", "10", ""},
	} {
		page := c.mustCall("supplier", list[0], list[1:]...)
		require.Len(t, page["reviews"], 1, list[0])
		require.Equal(t, "", page["bookmark"])
	}
	want := map[string]any{"count": float64(1), "sum": float64(5), "average": "5.00"}
	require.Equal(t, want, c.mustCall("consumer", "review:ProductRating", c.supplier, "tea"))
	require.Equal(t, want, c.mustCall("consumer", "review:StoreRating", c.seller, "jeju"))

	// A friend orders the ORIGINAL listing through the consumer's shop;
	// at settlement the consumer holds the listing's 10% commission.
	friend := c.addIdentity("friend")
	c.mustCall("admin", "wallet:Mint", friend, "50000")
	before := c.mustCall("consumer", "wallet:Balance", c.consumer)["balance"]
	require.Equal(t, "80000", before)
	c.completeOrder("friend", "gift", 1, &shop)
	sale := c.mustCall("consumer", "sales:Get", friend, "gift")
	require.Equal(t, c.consumer, sale["referrer"])
	require.Equal(t, "personal", sale["referrerStore"])
	require.Equal(t, "1000", sale["commission"])
	require.Equal(t, "81000", c.mustCall("consumer", "wallet:Balance", c.consumer)["balance"])
	require.Equal(t, true, c.mustCall("auditor", "wallet:Audit")["ok"])
}

func TestReviewErrorsAreCoded(t *testing.T) {
	c := newCommerce(t)
	c.mustCall("consumer", "order:Place", c.placeRequest("o2", 1, 4))
	for _, tc := range []struct {
		who, fn string
		args    []string
		want    error
	}{
		{"seller", "review:Post", []string{`{"order":"o1","rating":5,"text":""}`}, errs.ErrNotFound}, // not the seller's order
		{"consumer", "review:Post", []string{`{"order":"o2","rating":5,"text":""}`}, errs.ErrInvalidState},
		{"consumer", "review:Post", []string{`{"order":"nope","rating":5,"text":""}`}, errs.ErrNotFound},
		{"consumer", "review:Post", []string{`{"order":"o1","rating":6,"text":""}`}, errs.ErrInvalidArgument},
		{"consumer", "review:Post", []string{`{"order":"o1","rating":0}`}, errs.ErrInvalidArgument},
		{"consumer", "review:Post", []string{`{"order":"o1","rating":4.5}`}, errs.ErrInvalidArgument},
		{"consumer", "review:Post", []string{`{"order":"o1","rating":"5"}`}, errs.ErrInvalidArgument},
		{"consumer", "review:Post", []string{`{"order":"o1","rating":5,"text":"\u0007"}`}, errs.ErrInvalidArgument},
		{"consumer", "review:Post", []string{`{"order":"o1","rating":5,"stars":5}`}, errs.ErrInvalidArgument},
		{"consumer", "review:Post", []string{`{"order":"o1","rating":5,"rating":1}`}, errs.ErrInvalidArgument},
		{"consumer", "review:Post", []string{`{"order":"","rating":5}`}, errs.ErrInvalidArgument},
		{"consumer", "review:Get", []string{c.consumer, "o1"}, errs.ErrNotFound},
		{"consumer", "review:Get", []string{"nobody", "o1"}, errs.ErrInvalidArgument},
		{"consumer", "review:ListByProduct", []string{c.supplier, "tea", "0", ""}, errs.ErrInvalidArgument},
		{"consumer", "review:ListByStore", []string{c.seller, "jeju", "10", "forged"}, errs.ErrInvalidArgument},
		{"consumer", "review:ProductRating", []string{"x", "tea"}, errs.ErrInvalidArgument},
		{"consumer", "review:StoreRating", []string{c.seller}, errs.ErrInvalidArgument},
	} {
		_, err := c.call(tc.who, tc.fn, tc.args...)
		require.ErrorIs(t, err, tc.want, "%s %v as %s", tc.fn, tc.args, tc.who)
	}
	c.mustCall("consumer", "review:Post", `{"order":"o1","rating":3}`)
	_, err := c.call("consumer", "review:Post", `{"order":"o1","rating":4}`)
	require.ErrorIs(t, err, errs.ErrAlreadyExists, "once per order")
}

// A supplier that buys its own product reviews it like anyone, but is no
// third party: no personal shop, no referral.
func TestSupplierReviewConvertsNothing(t *testing.T) {
	c := newCommerce(t)
	c.mustCall("admin", "wallet:Mint", c.supplier, "50000")
	c.completeOrder("supplier", "own", 1, nil)
	post := c.invoke("supplier", "review:Post", `{"order":"own","rating":5}`)
	require.NoError(t, post.err)
	var out map[string]any
	require.NoError(t, json.Unmarshal([]byte(post.payload), &out))
	require.Equal(t, false, out["eligible"])
	require.Equal(t, false, out["shopOpened"])
	require.NotContains(t, out, "shop")
	require.NotContains(t, out, "referral")
	require.Equal(t, "review.posted", eventTypes(businessEvents(t, post))[0])
	_, err := c.call("supplier", "store:Get", c.supplier, store.PersonalShopID)
	require.ErrorIs(t, err, errs.ErrNotFound)
	require.Equal(t, float64(1), c.mustCall("consumer", "review:ProductRating", c.supplier, "tea")["count"])
}

func TestReviewRoleMatrix(t *testing.T) {
	c := newCommerce(t)
	c.mustCall("consumer", "review:Post", `{"order":"o1","rating":4}`)
	for _, r := range []rule{
		{"review:Get", []string{c.consumer, "o1"}, []string{"*"}},
		{"review:ListByProduct", []string{c.supplier, "tea", "10", ""}, []string{"*"}},
		{"review:ListByStore", []string{c.seller, "jeju", "10", ""}, []string{"*"}},
		{"review:ProductRating", []string{c.supplier, "tea"}, []string{"*"}},
		{"review:StoreRating", []string{c.seller, "jeju"}, []string{"*"}},
	} {
		check(t, c.fixture, r)
	}
	// Post is anyone's, for their own orders: every other identity has no
	// order o1 under its account.
	for _, id := range identities {
		if id.name == "consumer" {
			continue
		}
		_, err := c.call(id.name, "review:Post", `{"order":"o1","rating":4}`)
		require.ErrorIs(t, err, errs.ErrNotFound, id.name)
	}
}

// The whole social loop with rewards on: a purchase reward at settlement,
// review and conversion rewards when the review opens the personal shop,
// and the commission plus a referred-sale reward when a friend buys
// through it; all of it out of the orders' platform fees.
func TestRewardsFollowTheSocialLoop(t *testing.T) {
	c := newCommerce(t)
	for _, rule := range []string{
		`{"activity":"purchase","fixed":"50","rateBps":0,"enabled":true,"dailyCap":"0"}`,
		`{"activity":"review","fixed":"100","rateBps":0,"enabled":true,"dailyCap":"500"}`,
		`{"activity":"conversion","fixed":"200","rateBps":0,"enabled":true,"dailyCap":"0"}`,
		`{"activity":"referred_sale","fixed":"0","rateBps":100,"enabled":true,"dailyCap":"0"}`,
	} {
		c.mustCall("admin", "reward:SetRule", rule)
	}
	balance := func(who string) string { return c.mustCall("admin", "wallet:Balance", who)["balance"].(string) }
	// o2: 1 x 10000, fee 500: purchase 50 paid, 300 reserved, 150 left.
	settle := c.completeOrder("consumer", "o2", 1, nil)
	require.Contains(t, eventTypes(businessEvents(t, settle)), "reward.paid")
	require.Equal(t, "70050", balance(c.consumer))
	post := c.invoke("consumer", "review:Post", `{"order":"o2","rating":4,"text":""}`)
	require.NoError(t, post.err)
	require.Equal(t, "70350", balance(c.consumer), "review 100 + conversion 200")
	// o1 settled before the rules: nothing reserved, nothing paid.
	c.mustCall("consumer", "review:Post", `{"order":"o1","rating":5,"text":""}`)
	require.Equal(t, "70350", balance(c.consumer))

	friend := c.addIdentity("friend")
	c.mustCall("admin", "wallet:Mint", friend, "50000")
	shop := store.Ref{Owner: c.consumer, ID: store.PersonalShopID}
	c.completeOrder("friend", "gift", 1, &shop)
	require.Equal(t, "71450", balance(c.consumer), "commission 1000 + referred-sale reward 1% of 10000")
	history := c.mustCall("consumer", "reward:History", c.consumer, "10", "")["entries"].([]any)
	require.Len(t, history, 4, "purchase, review, conversion, referred sale")
	require.Equal(t, true, c.mustCall("auditor", "wallet:Audit")["ok"])
}
