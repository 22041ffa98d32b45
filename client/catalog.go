package client

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/likrcommerce/likr/contracts/money"
)

// The result types below mirror the JSON of packages contracts/product and
// contracts/store, and of product:Get's view (wire_test.go holds them to
// it); see wallet.go for why they are not imported.

// ProductRef names a product: its supplier's account ID and the supplier's
// ID for it. IDs are scoped to the supplier.
type ProductRef struct {
	Supplier string `json:"supplier"`
	ID       string `json:"id"`
}

// ProductTerms are the part of a product its supplier may change.
type ProductTerms struct {
	WholesalePrice money.Amount `json:"wholesalePrice"` // what the supplier gets per unit at settlement
	MinRetailPrice money.Amount `json:"minRetailPrice"` // the lowest price a store may list it at
	Status         string       `json:"status"`         // "active", "hidden" or "discontinued" (final)
}

// Product is a supplier's product.
type Product struct {
	Supplier string `json:"supplier"`
	ID       string `json:"id"`
	// Attributes is the canonical JSON object registered with the product;
	// it never changes.
	Attributes     json.RawMessage `json:"attributes"`
	AttributesHash string          `json:"attributesHash"` // lowercase hex SHA-256 of Attributes
	Terms          ProductTerms    `json:"terms"`
	Version        uint64          `json:"version"` // 1 at registration, one more per terms update
	Shards         int             `json:"shards"`  // stock keys, fixed at registration
	RegisteredAt   string          `json:"registeredAt"`
	UpdatedAt      string          `json:"updatedAt"`
	// Available is the stock available now, in what Product (product:Get)
	// returns; the other calls leave it zero.
	Available uint64 `json:"available,omitempty"`
}

// Ref returns the product's ref.
func (p Product) Ref() ProductRef { return ProductRef{Supplier: p.Supplier, ID: p.ID} }

// ProductPage is one page of a supplier's products, in ID order.
type ProductPage struct {
	Products []Product `json:"products"`
	Bookmark string    `json:"bookmark"` // empty on the last page
}

// ProductHistoryEntry is one committed version of a product.
type ProductHistoryEntry struct {
	TxID    string   `json:"txId"`
	Time    string   `json:"time"` // RFC 3339, UTC, the writing transaction's timestamp
	Deleted bool     `json:"deleted"`
	Product *Product `json:"product,omitempty"` // as that transaction wrote it; nil for a delete
}

// ProductHistoryPage is one page of a product's versions, newest first.
type ProductHistoryPage struct {
	Entries  []ProductHistoryEntry `json:"entries"`
	Bookmark string                `json:"bookmark"` // empty on the last page
}

// Verification is how an off-chain description compares with a product's
// registered attributes.
type Verification struct {
	Match      bool   `json:"match"`      // the description is, canonically, the registered attributes
	Hash       string `json:"hash"`       // the hash of the description in canonical form
	StoredHash string `json:"storedHash"` // the product's AttributesHash
	Version    uint64 `json:"version"`    // the product's current terms version
}

// RegisterProductRequest is a new product of the caller.
type RegisterProductRequest struct {
	ID         string          `json:"id"`
	Attributes json.RawMessage `json:"attributes"` // one JSON object; stored in canonical form, never changed
	Terms      ProductTerms    `json:"terms"`
	Stock      uint64          `json:"stock"` // initial units
}

// UpdateTermsRequest replaces a product's terms.
type UpdateTermsRequest struct {
	Terms ProductTerms `json:"terms"`
	// Attributes is optional; when set it must be, canonically, the
	// registered attributes (IMMUTABLE otherwise), for callers that send a
	// whole product document back.
	Attributes json.RawMessage `json:"attributes,omitempty"`
}

// StoreRef names a store: its owner's account ID and the owner's ID for it.
type StoreRef struct {
	Owner string `json:"owner"`
	ID    string `json:"id"`
}

// Store is a seller's store.
type Store struct {
	Owner    string `json:"owner"`
	ID       string `json:"id"`
	Name     string `json:"name"`
	Kind     string `json:"kind"` // "seller" or "personal"
	OpenedAt string `json:"openedAt"`
}

// Ref returns the store's ref.
func (s Store) Ref() StoreRef { return StoreRef{Owner: s.Owner, ID: s.ID} }

// ListingRef names a listing: its store's owner and ID, and the owner's ID
// for the listing within that store.
type ListingRef struct {
	Owner string `json:"owner"`
	Store string `json:"store"`
	ID    string `json:"id"`
}

// Listing offers one product in a store at the seller's price.
type Listing struct {
	Owner   string       `json:"owner"`
	Store   string       `json:"store"`
	ID      string       `json:"id"`
	Product ProductRef   `json:"product"`
	Price   money.Amount `json:"price"` // retail price per unit
	// ReferralBps is the commission, of the order total, paid to the shop
	// that referred the buyer.
	ReferralBps money.Rate `json:"referralBps"`
	Status      string     `json:"status"`  // "active" or "removed" (final)
	Version     uint64     `json:"version"` // 1 when added, one more per change
	CreatedAt   string     `json:"createdAt"`
	UpdatedAt   string     `json:"updatedAt"`
	// ReferralOf is, for a personal shop's listing, the listing it refers
	// buyers to.
	ReferralOf *ListingRef `json:"referralOf,omitempty"`
}

// Ref returns the listing's ref.
func (l Listing) Ref() ListingRef { return ListingRef{Owner: l.Owner, Store: l.Store, ID: l.ID} }

// StorePage is one page of an owner's stores, in ID order.
type StorePage struct {
	Stores   []Store `json:"stores"`
	Bookmark string  `json:"bookmark"` // empty on the last page
}

// ListingPage is one page of a store's listings, in ID order.
type ListingPage struct {
	Listings []Listing `json:"listings"`
	Bookmark string    `json:"bookmark"` // empty on the last page
}

// OpenStoreRequest is a new store of the caller.
type OpenStoreRequest struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// AddListingRequest lists a product in one of the caller's stores.
type AddListingRequest struct {
	Store       string       `json:"store"` // the caller's store ID
	ID          string       `json:"id"`
	Product     ProductRef   `json:"product"`
	Price       money.Amount `json:"price"`
	ReferralBps money.Rate   `json:"referralBps"`
}

// UpdateListingRequest is a listing's new terms; both are replaced.
type UpdateListingRequest struct {
	Price       money.Amount `json:"price"`
	ReferralBps money.Rate   `json:"referralBps"`
}

// RegisterProduct adds a product of the caller with its immutable
// attributes, its terms and its initial stock, spread over the config's
// stock shard count (product:Register). Caller: supplier; the same ID twice
// is ALREADY_EXISTS.
func (c *Client) RegisterProduct(ctx context.Context, req RegisterProductRequest) (Product, Receipt, error) {
	const fn = "product:Register"
	arg, err := jsonArg(fn, req)
	if err != nil {
		return Product{}, Receipt{}, err
	}
	return submitFor[Product](ctx, c, fn, arg)
}

// UpdateProductTerms replaces the terms of the caller's product id and
// bumps its version (product:UpdateTerms). Caller: the product's supplier.
// Terms that change nothing are INVALID_ARGUMENT, a discontinued product
// INVALID_STATE, and attributes that differ IMMUTABLE.
func (c *Client) UpdateProductTerms(ctx context.Context, id string, req UpdateTermsRequest) (Product, Receipt, error) {
	const fn = "product:UpdateTerms"
	arg, err := jsonArg(fn, req)
	if err != nil {
		return Product{}, Receipt{}, err
	}
	return submitFor[Product](ctx, c, fn, id, arg)
}

// Restock adds units to the stock of the caller's product id
// (product:Restock). Caller: the product's supplier; not for a
// discontinued product.
func (c *Client) Restock(ctx context.Context, id string, units uint64) (Product, Receipt, error) {
	return submitFor[Product](ctx, c, "product:Restock", id, strconv.FormatUint(units, 10))
}

// Product returns a product with the stock available now (product:Get).
// Caller: anyone.
func (c *Client) Product(ctx context.Context, ref ProductRef) (Product, error) {
	return evaluateJSON[Product](ctx, c, "product:Get", ref.Supplier, ref.ID)
}

// Products returns one page of a supplier's products (product:List).
// Caller: anyone.
func (c *Client) Products(ctx context.Context, supplier string, page PageRequest) (ProductPage, error) {
	return evaluateJSON[ProductPage](ctx, c, "product:List", append([]string{supplier}, page.args()...)...)
}

// ProductHistory returns one page of a product's versions, newest first
// (product:History). Caller: anyone.
func (c *Client) ProductHistory(ctx context.Context, ref ProductRef, page PageRequest) (ProductHistoryPage, error) {
	return evaluateJSON[ProductHistoryPage](ctx, c, "product:History", append([]string{ref.Supplier, ref.ID}, page.args()...)...)
}

// VerifyAttributes checks an off-chain description of a product (a JSON
// object) against the hash of its registered attributes
// (product:VerifyAttributes). Caller: anyone.
func (c *Client) VerifyAttributes(ctx context.Context, ref ProductRef, attributes json.RawMessage) (Verification, error) {
	return evaluateJSON[Verification](ctx, c, "product:VerifyAttributes", ref.Supplier, ref.ID, string(attributes))
}

// OpenStore opens a seller store of the caller (store:Open). Caller: seller;
// the same ID twice is ALREADY_EXISTS.
func (c *Client) OpenStore(ctx context.Context, req OpenStoreRequest) (Store, Receipt, error) {
	const fn = "store:Open"
	arg, err := jsonArg(fn, req)
	if err != nil {
		return Store{}, Receipt{}, err
	}
	return submitFor[Store](ctx, c, fn, arg)
}

// AddListing lists an active product in one of the caller's stores
// (store:AddListing). The price must reach the supplier's minimum retail
// price, and the margin must cover the referral commission and the
// platform fee. Caller: the store's owner, a seller.
func (c *Client) AddListing(ctx context.Context, req AddListingRequest) (Listing, Receipt, error) {
	const fn = "store:AddListing"
	arg, err := jsonArg(fn, req)
	if err != nil {
		return Listing{}, Receipt{}, err
	}
	return submitFor[Listing](ctx, c, fn, arg)
}

// UpdateListing replaces the price and referral rate of a listing in one of
// the caller's stores (store:UpdateListing), under the same rules as
// AddListing. Orders placed before keep their price. Caller: the store's
// owner, a seller.
func (c *Client) UpdateListing(ctx context.Context, storeID, listingID string, req UpdateListingRequest) (Listing, Receipt, error) {
	const fn = "store:UpdateListing"
	arg, err := jsonArg(fn, req)
	if err != nil {
		return Listing{}, Receipt{}, err
	}
	return submitFor[Listing](ctx, c, fn, storeID, listingID, arg)
}

// RemoveListing withdraws a listing of one of the caller's stores
// (store:RemoveListing); orders placed before keep it. Caller: the store's
// owner, a seller.
func (c *Client) RemoveListing(ctx context.Context, storeID, listingID string) (Receipt, error) {
	return c.Submit(ctx, "store:RemoveListing", storeID, listingID)
}

// Store returns a store (store:Get). Caller: anyone.
func (c *Client) Store(ctx context.Context, ref StoreRef) (Store, error) {
	return evaluateJSON[Store](ctx, c, "store:Get", ref.Owner, ref.ID)
}

// Listing returns a listing (store:GetListing). Caller: anyone.
func (c *Client) Listing(ctx context.Context, ref ListingRef) (Listing, error) {
	return evaluateJSON[Listing](ctx, c, "store:GetListing", ref.Owner, ref.Store, ref.ID)
}

// Stores returns one page of an account's stores (store:ListByOwner).
// Caller: anyone.
func (c *Client) Stores(ctx context.Context, owner string, page PageRequest) (StorePage, error) {
	return evaluateJSON[StorePage](ctx, c, "store:ListByOwner", append([]string{owner}, page.args()...)...)
}

// Listings returns one page of a store's listings, removed ones included
// (store:ListListings). Caller: anyone.
func (c *Client) Listings(ctx context.Context, store StoreRef, page PageRequest) (ListingPage, error) {
	return evaluateJSON[ListingPage](ctx, c, "store:ListListings", append([]string{store.Owner, store.ID}, page.args()...)...)
}

// jsonArg encodes a request as its transaction's JSON argument.
func jsonArg(fn string, v any) (string, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("%s: encoding the request: %w", fn, err)
	}
	return string(data), nil
}

// submitFor submits fn with args and decodes its JSON result into a T.
func submitFor[T any](ctx context.Context, c *Client, fn string, args ...string) (T, Receipt, error) {
	r, err := c.Submit(ctx, fn, args...)
	if err != nil {
		var zero T
		return zero, Receipt{}, err
	}
	return decodeResult[T](fn, r)
}

// decodeResult decodes the JSON result of a committed write into a T. A
// result that does not decode is an error that comes with the write's
// Receipt: the write committed all the same.
func decodeResult[T any](fn string, r Receipt) (T, Receipt, error) {
	var v T
	if err := json.Unmarshal(r.Result, &v); err != nil {
		return v, r, fmt.Errorf("%s: decoding the result of committed transaction %s: %w", fn, r.TxID, err)
	}
	return v, r, nil
}
