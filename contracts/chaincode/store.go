package chaincode

import (
	"github.com/likrcommerce/likr/contracts/access"
	"github.com/likrcommerce/likr/contracts/store"
)

// StoreContract is the `store` contract: sellers' stores and their
// listings. Stores and listings are public; only their owner changes them.
type StoreContract struct{ base }

// GetEvaluateTransactions tags the read-only transactions in the metadata.
func (c *StoreContract) GetEvaluateTransactions() []string {
	return []string{"Get", "GetListing", "ListByOwner", "ListListings"}
}

// Open opens a store (submit); request is a store.OpenRequest. Caller:
// seller.
func (c *StoreContract) Open(ctx *Context, request string) (string, error) {
	caller, err := ctx.Authorize(access.Seller)
	if err != nil {
		return "", err
	}
	var req store.OpenRequest
	if err := decodeArg("request", request, &req); err != nil {
		return "", err
	}
	s, err := store.Open(ctx.GetStub(), ctx, caller.Account, req)
	if err != nil {
		return "", err
	}
	return result(s)
}

// AddListing lists an active product in one of the caller's stores
// (submit); request is a store.ListingRequest. The price must reach the
// supplier's minimum, and the margin must cover the referral commission
// and the platform fee. Caller: the store's owner, a seller.
func (c *StoreContract) AddListing(ctx *Context, request string) (string, error) {
	caller, err := ctx.Authorize(access.Seller)
	if err != nil {
		return "", err
	}
	cfg, err := ctx.Config()
	if err != nil {
		return "", err
	}
	var req store.ListingRequest
	if err := decodeArg("request", request, &req); err != nil {
		return "", err
	}
	l, err := store.AddListing(ctx.GetStub(), ctx, caller.Account, req, cfg.PlatformFeeBps)
	if err != nil {
		return "", err
	}
	return result(l)
}

// UpdateListing changes a listing's price and referral rate (submit);
// request is a store.ListingUpdate. Caller: the store's owner, a seller.
func (c *StoreContract) UpdateListing(ctx *Context, storeID, listingID, request string) (string, error) {
	caller, err := ctx.Authorize(access.Seller)
	if err != nil {
		return "", err
	}
	cfg, err := ctx.Config()
	if err != nil {
		return "", err
	}
	var req store.ListingUpdate
	if err := decodeArg("request", request, &req); err != nil {
		return "", err
	}
	l, err := store.UpdateListing(ctx.GetStub(), ctx, caller.Account, storeID, listingID, req, cfg.PlatformFeeBps)
	if err != nil {
		return "", err
	}
	return result(l)
}

// RemoveListing withdraws a listing (submit); orders placed before keep
// it. Caller: the store's owner, a seller.
func (c *StoreContract) RemoveListing(ctx *Context, storeID, listingID string) error {
	caller, err := ctx.Authorize(access.Seller)
	if err != nil {
		return err
	}
	return store.RemoveListing(ctx.GetStub(), ctx, caller.Account, storeID, listingID)
}

// Get returns a store (evaluate). Caller: anyone.
// likr:evaluate
func (c *StoreContract) Get(ctx *Context, owner, id string) (string, error) {
	if _, err := ctx.Authorize(access.Anyone); err != nil {
		return "", err
	}
	s, err := store.Get(ctx.GetStub(), store.Ref{Owner: owner, ID: id})
	if err != nil {
		return "", err
	}
	return result(s)
}

// GetListing returns a listing (evaluate). Caller: anyone.
// likr:evaluate
func (c *StoreContract) GetListing(ctx *Context, owner, storeID, id string) (string, error) {
	if _, err := ctx.Authorize(access.Anyone); err != nil {
		return "", err
	}
	l, err := store.GetListing(ctx.GetStub(), store.ListingRef{Owner: owner, Store: storeID, ID: id})
	if err != nil {
		return "", err
	}
	return result(l)
}

// ListByOwner lists an account's stores, a page at a time (evaluate).
// Caller: anyone.
// likr:evaluate
func (c *StoreContract) ListByOwner(ctx *Context, owner, pageSize, bookmark string) (string, error) {
	if _, err := ctx.Authorize(access.Anyone); err != nil {
		return "", err
	}
	size, err := parsePageSize(pageSize)
	if err != nil {
		return "", err
	}
	page, err := store.ListByOwner(ctx.GetStub(), owner, size, bookmark)
	if err != nil {
		return "", err
	}
	return result(page)
}

// ListListings lists a store's listings, a page at a time (evaluate).
// Caller: anyone.
// likr:evaluate
func (c *StoreContract) ListListings(ctx *Context, owner, storeID, pageSize, bookmark string) (string, error) {
	if _, err := ctx.Authorize(access.Anyone); err != nil {
		return "", err
	}
	size, err := parsePageSize(pageSize)
	if err != nil {
		return "", err
	}
	page, err := store.ListListings(ctx.GetStub(), store.Ref{Owner: owner, ID: storeID}, size, bookmark)
	if err != nil {
		return "", err
	}
	return result(page)
}
