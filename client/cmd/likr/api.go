package main

import (
	"context"
	"encoding/json"
	"time"

	"github.com/likrcommerce/likr/client"
	"github.com/likrcommerce/likr/contracts/money"
)

// API is the part of *client.Client the commands use, one interface per
// contract, so that tests can run every command against a fake.
type API interface {
	Account() string
	Close() error
	WaitForBlock(ctx context.Context, block uint64) error
	ConfigAPI
	WalletAPI
	ProductAPI
	StoreAPI
	OrderAPI
	SalesAPI
	ReviewAPI
	RewardAPI
	ModerationAPI
	EventsAPI
}

// ConfigAPI is the config contract.
type ConfigAPI interface {
	InitConfig(ctx context.Context, cfg client.Config) (client.Receipt, error)
	UpdateConfig(ctx context.Context, cfg client.Config) (client.Receipt, error)
	Config(ctx context.Context) (client.Config, error)
	WhoAmI(ctx context.Context) (client.Caller, error)
}

// WalletAPI is the wallet contract.
type WalletAPI interface {
	Mint(ctx context.Context, to string, amount money.Amount) (client.Receipt, error)
	Transfer(ctx context.Context, to string, amount money.Amount, opts ...client.PayOption) (client.Receipt, error)
	BatchTransfer(ctx context.Context, recipients []string, amountEach money.Amount, opts ...client.PayOption) (client.Receipt, error)
	Burn(ctx context.Context, amount money.Amount, opts ...client.PayOption) (client.Receipt, error)
	Merge(ctx context.Context, coinIDs ...string) (client.Receipt, error)
	Balance(ctx context.Context, account string) (money.Amount, error)
	Coins(ctx context.Context, account string, page client.PageRequest) (client.CoinPage, error)
	History(ctx context.Context, account string, page client.PageRequest) (client.HistoryPage, error)
	Supply(ctx context.Context) (client.SupplyReport, error)
	Audit(ctx context.Context) (client.AuditReport, error)
}

// ProductAPI is the product contract.
type ProductAPI interface {
	RegisterProduct(ctx context.Context, req client.RegisterProductRequest) (client.Product, client.Receipt, error)
	UpdateProductTerms(ctx context.Context, id string, req client.UpdateTermsRequest) (client.Product, client.Receipt, error)
	Restock(ctx context.Context, id string, units uint64) (client.Product, client.Receipt, error)
	Product(ctx context.Context, ref client.ProductRef) (client.Product, error)
	Products(ctx context.Context, supplier string, page client.PageRequest) (client.ProductPage, error)
	ProductHistory(ctx context.Context, ref client.ProductRef, page client.PageRequest) (client.ProductHistoryPage, error)
	VerifyAttributes(ctx context.Context, ref client.ProductRef, attributes json.RawMessage) (client.Verification, error)
}

// StoreAPI is the store contract.
type StoreAPI interface {
	OpenStore(ctx context.Context, req client.OpenStoreRequest) (client.Store, client.Receipt, error)
	AddListing(ctx context.Context, req client.AddListingRequest) (client.Listing, client.Receipt, error)
	UpdateListing(ctx context.Context, storeID, listingID string, req client.UpdateListingRequest) (client.Listing, client.Receipt, error)
	RemoveListing(ctx context.Context, storeID, listingID string) (client.Receipt, error)
	Store(ctx context.Context, ref client.StoreRef) (client.Store, error)
	Listing(ctx context.Context, ref client.ListingRef) (client.Listing, error)
	Stores(ctx context.Context, owner string, page client.PageRequest) (client.StorePage, error)
	Listings(ctx context.Context, store client.StoreRef, page client.PageRequest) (client.ListingPage, error)
}

// OrderAPI is the order contract.
type OrderAPI interface {
	PlaceOrder(ctx context.Context, req client.PlaceOrderRequest, opts ...client.PayOption) (client.Order, client.Receipt, error)
	ShipOrder(ctx context.Context, ref client.OrderRef, req client.ShipOrderRequest) (client.Order, client.Receipt, error)
	ConfirmDelivery(ctx context.Context, ref client.OrderRef) (client.Order, client.Receipt, error)
	ReleaseOrder(ctx context.Context, ref client.OrderRef) (client.Order, client.Receipt, error)
	CancelOrder(ctx context.Context, ref client.OrderRef) (client.Order, client.Receipt, error)
	RejectOrder(ctx context.Context, ref client.OrderRef, reason string) (client.Order, client.Receipt, error)
	Order(ctx context.Context, ref client.OrderRef) (client.Order, error)
	OrdersByBuyer(ctx context.Context, buyer string, page client.PageRequest) (client.OrderPage, error)
	OrdersByStore(ctx context.Context, store client.StoreRef, page client.PageRequest) (client.OrderPage, error)
	OrdersBySupplier(ctx context.Context, supplier string, page client.PageRequest) (client.OrderPage, error)
}

// SalesAPI is the sales contract.
type SalesAPI interface {
	Sale(ctx context.Context, order client.OrderRef) (client.Sale, error)
	SalesBySupplier(ctx context.Context, supplier string, r client.SalesRange, page client.PageRequest) (client.SalePage, error)
	SalesByStore(ctx context.Context, store client.StoreRef, r client.SalesRange, page client.PageRequest) (client.SalePage, error)
	SalesByProduct(ctx context.Context, product client.ProductRef, r client.SalesRange, page client.PageRequest) (client.SalePage, error)
	SalesByReferrer(ctx context.Context, referrer string, r client.SalesRange, page client.PageRequest) (client.SalePage, error)
	SalesByTime(ctx context.Context, r client.SalesRange, page client.PageRequest) (client.SalePage, error)
	DailyTotals(ctx context.Context, day time.Time, scope client.Scope) (client.Totals, error)
	Reconcile(ctx context.Context, day time.Time) (client.ReconcileReport, error)
}

// ReviewAPI is the review contract.
type ReviewAPI interface {
	PostReview(ctx context.Context, req client.PostReviewRequest) (client.ReviewOutcome, client.Receipt, error)
	Review(ctx context.Context, ref client.OrderRef) (client.Review, error)
	ReviewsByProduct(ctx context.Context, product client.ProductRef, page client.PageRequest) (client.ReviewPage, error)
	ReviewsByStore(ctx context.Context, store client.StoreRef, page client.PageRequest) (client.ReviewPage, error)
	ProductRating(ctx context.Context, product client.ProductRef) (client.Rating, error)
	StoreRating(ctx context.Context, store client.StoreRef) (client.Rating, error)
}

// RewardAPI is the reward contract.
type RewardAPI interface {
	SetRewardRule(ctx context.Context, rule client.RewardRule) (client.RewardRule, client.Receipt, error)
	RewardRules(ctx context.Context) ([]client.RewardRule, error)
	FundPool(ctx context.Context, amount money.Amount, opts ...client.PayOption) (client.Receipt, error)
	BatchReward(ctx context.Context, recipients []string, amountEach money.Amount, campaign string, poolCoins []string) (client.Receipt, error)
	RewardHistory(ctx context.Context, account string, page client.PageRequest) (client.RewardHistoryPage, error)
}

// ModerationAPI is the moderation contract, and the order contract's
// disputes.
type ModerationAPI interface {
	RegisterModerator(ctx context.Context, req client.RegisterModeratorRequest) (client.Moderator, client.Receipt, error)
	UpdateModerator(ctx context.Context, req client.UpdateModeratorRequest) (client.Moderator, client.Receipt, error)
	Moderator(ctx context.Context, account string) (client.ModeratorProfile, error)
	Moderators(ctx context.Context, page client.PageRequest) (client.ModeratorPage, error)
	OpenDispute(ctx context.Context, ref client.OrderRef, req client.DisputeRequest) (client.Order, client.Receipt, error)
	ResolveDispute(ctx context.Context, ref client.OrderRef, req client.ResolveRequest) (client.Order, client.Receipt, error)
	ExpireReserve(ctx context.Context, ref client.OrderRef) (client.Order, client.Receipt, error)
}

// EventsAPI streams the chaincode's business events.
type EventsAPI interface {
	Follow(ctx context.Context, handler func(client.Event) error, opts ...client.EventOption) error
}

// The client implements every contract's interface; this fails to compile
// when a method the CLI uses changes.
var _ API = (*client.Client)(nil)

// dialClient connects to the network as the profile's identity.
func dialClient(ctx context.Context, p client.Profile, opts ...client.Option) (API, error) {
	c, err := client.Dial(ctx, p, opts...)
	if err != nil {
		return nil, err
	}
	return c, nil
}
