package client

import (
	"context"

	"github.com/likrcommerce/likr/contracts/money"
)

// The result types below mirror the JSON of packages contracts/review,
// contracts/reward and contracts/moderation (wire_test.go holds them to
// it); see wallet.go for why they are not imported.

// Review is a buyer's review of one of its completed orders.
type Review struct {
	Buyer    string     `json:"buyer"`
	Order    string     `json:"order"` // the buyer's order ID
	Product  ProductRef `json:"product"`
	Listing  ListingRef `json:"listing"` // the seller listing the order bought from
	Rating   int        `json:"rating"`  // 1 to 5
	Text     string     `json:"text"`
	PostedAt string     `json:"postedAt"`
	TxID     string     `json:"txId"`
}

// ReviewOutcome is what posting a review did.
type ReviewOutcome struct {
	Review *Review `json:"review"`
	// Eligible is false when the buyer is the order's seller, supplier or
	// referrer: then the review converts nothing and pays no reward.
	Eligible bool `json:"eligible"`
	// Shop is the buyer's personal shop, when eligible.
	Shop *StoreRef `json:"shop,omitempty"`
	// ShopOpened tells that this review opened the buyer's personal shop.
	ShopOpened bool `json:"shopOpened"`
	// Referral is the referral listing this review added, if any.
	Referral *Listing `json:"referral,omitempty"`
}

// ReviewPage is one page of reviews, in buyer then order ID order.
type ReviewPage struct {
	Reviews  []Review `json:"reviews"`
	Bookmark string   `json:"bookmark"` // empty on the last page
}

// Rating is the aggregate of a product's or a store's reviews.
type Rating struct {
	Count uint64 `json:"count"`
	Sum   uint64 `json:"sum"`
	// Average is Sum / Count rounded half up to two decimals ("4.50");
	// "0.00" without reviews.
	Average string `json:"average"`
}

// PostReviewRequest reviews one of the caller's completed orders.
type PostReviewRequest struct {
	Order  string `json:"order"`  // the caller's order ID
	Rating int    `json:"rating"` // 1 to 5
	Text   string `json:"text"`   // up to 1000 characters; may be empty
}

// CampaignPool is the holder of the campaign pool's coins: FundPool pays
// into it, and an admin lists its coins with Coins(ctx, CampaignPool, ...)
// to name them in BatchReward.
const CampaignPool = "~pool.campaign"

// RewardRule is what one activity pays: Fixed plus RateBps of the order
// total.
type RewardRule struct {
	// Activity is "purchase", "review", "conversion" or "referred_sale".
	Activity string       `json:"activity"`
	Fixed    money.Amount `json:"fixed"`
	RateBps  money.Rate   `json:"rateBps"`
	Enabled  bool         `json:"enabled"` // a disabled rule pays nothing and keeps its terms
	// DailyCap is, for reviews only, the most one account receives per UTC
	// day; zero is no cap.
	DailyCap money.Amount `json:"dailyCap"`
}

// RewardHistoryEntry is one reward an account received.
type RewardHistoryEntry struct {
	// Activity is a rule's activity, or "campaign" for BatchReward.
	Activity string       `json:"activity"`
	Subject  string       `json:"subject"` // what it is for: "order:<buyer>:<orderID>", "<campaign>:<recipient>"
	Amount   money.Amount `json:"amount"`
	Source   string       `json:"source"` // the holder that funded it (escrow, reserve, pool)
	Time     string       `json:"time"`
	TxID     string       `json:"txId"`
}

// RewardHistoryPage is one page of an account's rewards, oldest first.
type RewardHistoryPage struct {
	Entries  []RewardHistoryEntry `json:"entries"`
	Bookmark string               `json:"bookmark"` // empty on the last page
}

// rewardRules is reward:Rules' result.
type rewardRules struct {
	Rules []RewardRule `json:"rules"`
}

// ModeratorFee is what a moderator charges for resolving a dispute: Flat
// plus Bps of the disputed total, never more than the total.
type ModeratorFee struct {
	Bps  money.Rate   `json:"bps"`
	Flat money.Amount `json:"flat"`
}

// Moderator is a moderator's entry in the directory.
type Moderator struct {
	Account     string       `json:"account"`
	Fee         ModeratorFee `json:"fee"`
	Description string       `json:"description"`
	// Active says whether the moderator takes new disputes; disputes
	// already open stay with it, at the fee fixed when they opened.
	Active       bool   `json:"active"`
	RegisteredAt string `json:"registeredAt"`
	UpdatedAt    string `json:"updatedAt"`
	Version      uint64 `json:"version"` // 1 at registration, one more per update
}

// Reputation counts the disputes a moderator closed.
type Reputation struct {
	Resolved   uint64 `json:"resolved"`   // resolved by the moderator
	ByFallback uint64 `json:"byFallback"` // left to time out, and resolved by an admin
}

// ModeratorProfile is a moderator's entry with its reputation: what a buyer
// picks a moderator by.
type ModeratorProfile struct {
	Moderator
	Reputation Reputation `json:"reputation"`
}

// ModeratorPage is one page of moderators, in account order, inactive ones
// included.
type ModeratorPage struct {
	Moderators []ModeratorProfile `json:"moderators"`
	Bookmark   string             `json:"bookmark"` // empty on the last page
}

// RegisterModeratorRequest enters the caller in the moderator directory.
type RegisterModeratorRequest struct {
	Fee         ModeratorFee `json:"fee"`
	Description string       `json:"description"` // 1 to 500 characters, not all white space
}

// UpdateModeratorRequest is the caller's complete new entry: every field
// replaces the stored one (an Active left false stops new disputes).
type UpdateModeratorRequest struct {
	Fee         ModeratorFee `json:"fee"`
	Description string       `json:"description"`
	Active      bool         `json:"active"`
}

// DisputeRequest puts a shipped order before a moderator.
type DisputeRequest struct {
	Moderator string `json:"moderator"` // a registered, active moderator's account, no party of the order
	Reason    string `json:"reason"`
}

// ResolveRequest settles a dispute: the buyer's share of the total after
// the fee, and the fee charged.
type ResolveRequest struct {
	BuyerShareBps money.Rate `json:"buyerShareBps"` // 0 to 10000
	// Fee is at most the dispute's MaxFee; zero for an admin's fallback
	// resolution.
	Fee money.Amount `json:"fee"`
}

// PostReview reviews one of the caller's completed orders (review:Post).
// An eligible buyer is converted into a reseller: the review opens its
// personal shop if it has none and adds a referral of the listing it bought
// from, and the order's reserved review reward (and, when the shop opened,
// the conversion reward) is paid in the same transaction. Caller: anyone,
// as the buyer of the order; another account's order is NOT_FOUND, and a
// second review of one order ALREADY_EXISTS.
func (c *Client) PostReview(ctx context.Context, req PostReviewRequest) (ReviewOutcome, Receipt, error) {
	const fn = "review:Post"
	arg, err := jsonArg(fn, req)
	if err != nil {
		return ReviewOutcome{}, Receipt{}, err
	}
	return submitFor[ReviewOutcome](ctx, c, fn, arg)
}

// Review returns the buyer's review of an order (review:Get). Caller:
// anyone.
func (c *Client) Review(ctx context.Context, ref OrderRef) (Review, error) {
	return evaluateJSON[Review](ctx, c, "review:Get", ref.Buyer, ref.ID)
}

// ReviewsByProduct returns one page of a product's reviews
// (review:ListByProduct). Caller: anyone.
func (c *Client) ReviewsByProduct(ctx context.Context, product ProductRef, page PageRequest) (ReviewPage, error) {
	return evaluateJSON[ReviewPage](ctx, c, "review:ListByProduct", append([]string{product.Supplier, product.ID}, page.args()...)...)
}

// ReviewsByStore returns one page of the reviews of orders from a store's
// listings (review:ListByStore). Caller: anyone.
func (c *Client) ReviewsByStore(ctx context.Context, store StoreRef, page PageRequest) (ReviewPage, error) {
	return evaluateJSON[ReviewPage](ctx, c, "review:ListByStore", append([]string{store.Owner, store.ID}, page.args()...)...)
}

// ProductRating returns a product's review count, rating sum and average
// (review:ProductRating). Caller: anyone.
func (c *Client) ProductRating(ctx context.Context, product ProductRef) (Rating, error) {
	return evaluateJSON[Rating](ctx, c, "review:ProductRating", product.Supplier, product.ID)
}

// StoreRating returns a store's review count, rating sum and average
// (review:StoreRating). Caller: anyone.
func (c *Client) StoreRating(ctx context.Context, store StoreRef) (Rating, error) {
	return evaluateJSON[Rating](ctx, c, "review:StoreRating", store.Owner, store.ID)
}

// SetRewardRule stores an activity's rule, replacing the previous one, and
// returns it (reward:SetRule); rewards computed after it commits follow it.
// Caller: admin.
func (c *Client) SetRewardRule(ctx context.Context, rule RewardRule) (RewardRule, Receipt, error) {
	const fn = "reward:SetRule"
	arg, err := jsonArg(fn, rule)
	if err != nil {
		return RewardRule{}, Receipt{}, err
	}
	return submitFor[RewardRule](ctx, c, fn, arg)
}

// RewardRules returns every activity's rule, in a fixed order; an activity
// whose rule was never set has a disabled zero rule (reward:Rules).
// Caller: anyone.
func (c *Client) RewardRules(ctx context.Context) ([]RewardRule, error) {
	v, err := evaluateJSON[rewardRules](ctx, c, "reward:Rules")
	return v.Rules, err
}

// FundPool pays amount from the caller's coins into the campaign pool
// (reward:FundPool). Unless WithInputs names the coins, the client picks
// them (see PayOption). Caller: admin.
func (c *Client) FundPool(ctx context.Context, amount money.Amount, opts ...PayOption) (Receipt, error) {
	return c.pay(ctx, "reward:FundPool", amount, opts, amount.String())
}

// BatchReward pays amountEach to every recipient (distinct accounts) for a
// campaign, from the campaign pool's coins named in poolCoins
// (reward:BatchReward); an admin lists them with Coins(ctx, CampaignPool,
// ...). They must cover count x amountEach, which the contract checks
// first (OVERFLOW, never a wrapped total). Each (campaign, recipient) is
// paid at most once: a batch naming one already paid is ALREADY_EXISTS and
// pays nobody. Caller: admin.
func (c *Client) BatchReward(ctx context.Context, recipients []string, amountEach money.Amount, campaign string, poolCoins []string) (Receipt, error) {
	return c.Submit(ctx, "reward:BatchReward", jsonList(recipients), amountEach.String(), campaign, jsonList(poolCoins))
}

// RewardHistory returns one page of the rewards an account received, oldest
// first (reward:History). Caller: the account itself, auditors and admins.
func (c *Client) RewardHistory(ctx context.Context, account string, page PageRequest) (RewardHistoryPage, error) {
	return evaluateJSON[RewardHistoryPage](ctx, c, "reward:History", append([]string{account}, page.args()...)...)
}

// RegisterModerator enters the caller in the moderator directory, active
// (moderation:Register). Caller: moderator; registering twice is
// ALREADY_EXISTS.
func (c *Client) RegisterModerator(ctx context.Context, req RegisterModeratorRequest) (Moderator, Receipt, error) {
	const fn = "moderation:Register"
	arg, err := jsonArg(fn, req)
	if err != nil {
		return Moderator{}, Receipt{}, err
	}
	return submitFor[Moderator](ctx, c, fn, arg)
}

// UpdateModerator replaces the caller's fee, description and active flag
// and bumps its version (moderation:Update). Disputes already open keep
// the fee fixed when they opened. Caller: moderator, for its own entry.
func (c *Client) UpdateModerator(ctx context.Context, req UpdateModeratorRequest) (Moderator, Receipt, error) {
	const fn = "moderation:Update"
	arg, err := jsonArg(fn, req)
	if err != nil {
		return Moderator{}, Receipt{}, err
	}
	return submitFor[Moderator](ctx, c, fn, arg)
}

// Moderator returns a moderator's entry with its reputation
// (moderation:Get). Caller: anyone.
func (c *Client) Moderator(ctx context.Context, account string) (ModeratorProfile, error) {
	return evaluateJSON[ModeratorProfile](ctx, c, "moderation:Get", account)
}

// Moderators returns one page of the moderator directory, inactive
// moderators included (moderation:List). Caller: anyone.
func (c *Client) Moderators(ctx context.Context, page PageRequest) (ModeratorPage, error) {
	return evaluateJSON[ModeratorPage](ctx, c, "moderation:List", page.args()...)
}

// OpenDispute puts a shipped order before a registered, active moderator
// who is no party of the order, fixing the moderator's fee for it, and
// suspends its auto-release (order:OpenDispute). Caller: the buyer, before
// release.
func (c *Client) OpenDispute(ctx context.Context, ref OrderRef, req DisputeRequest) (Order, Receipt, error) {
	const fn = "order:OpenDispute"
	arg, err := jsonArg(fn, req)
	if err != nil {
		return Order{}, Receipt{}, err
	}
	return submitFor[Order](ctx, c, fn, ref.Buyer, ref.ID, arg)
}

// ResolveDispute settles a disputed order: the fee to the moderator, the
// buyer's share of the rest back to the buyer, and what remains to the
// seller side, split in proportion as a settlement would
// (order:ResolveDispute). Caller: the dispute's moderator, with a fee of at
// most the dispute's MaxFee; after the dispute timeout, an admin, without a
// fee.
func (c *Client) ResolveDispute(ctx context.Context, ref OrderRef, req ResolveRequest) (Order, Receipt, error) {
	const fn = "order:ResolveDispute"
	arg, err := jsonArg(fn, req)
	if err != nil {
		return Order{}, Receipt{}, err
	}
	return submitFor[Order](ctx, c, fn, ref.Buyer, ref.ID, arg)
}

// ExpireReserve returns a settled order's unclaimed review reward reserve
// to the platform once the review window has passed (order:ExpireReserve).
// Caller: anyone.
func (c *Client) ExpireReserve(ctx context.Context, ref OrderRef) (Order, Receipt, error) {
	return submitFor[Order](ctx, c, "order:ExpireReserve", ref.Buyer, ref.ID)
}
