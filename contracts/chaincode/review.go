package chaincode

import (
	"github.com/likrcommerce/likr/contracts/access"
	"github.com/likrcommerce/likr/contracts/order"
	"github.com/likrcommerce/likr/contracts/product"
	"github.com/likrcommerce/likr/contracts/review"
	"github.com/likrcommerce/likr/contracts/store"
)

// ReviewContract is the `review` contract: buyers' reviews of their
// completed orders, which convert the buyer into a reseller (a personal
// shop with a referral of the listing bought from), and the rating
// aggregates of products and stores. Reviews and ratings are public.
type ReviewContract struct{ base }

// GetEvaluateTransactions tags the read-only transactions in the metadata.
func (c *ReviewContract) GetEvaluateTransactions() []string {
	return []string{"Get", "ListByProduct", "ListByStore", "ProductRating", "StoreRating"}
}

// Post reviews one of the caller's completed orders (submit); request is a
// review.PostRequest. The result is a review.Outcome: the review, whether
// the buyer was eligible for conversion and rewards, and the personal shop
// and referral listing it opened or added. The order's reserved review
// reward, and the conversion reward when the review opened the buyer's
// personal shop, are paid in the same transaction. Caller: anyone, as the buyer of
// the order; another caller's order is NOT_FOUND under the caller's
// account.
func (c *ReviewContract) Post(ctx *Context, request string) (string, error) {
	caller, err := ctx.Authorize(access.Anyone)
	if err != nil {
		return "", err
	}
	var req review.PostRequest
	if err := decodeArg("request", request, &req); err != nil {
		return "", err
	}
	if err := req.Validate(); err != nil {
		return "", err
	}
	st := ctx.GetStub()
	o, err := order.Get(st, order.Ref{Buyer: caller.Account, ID: req.Order})
	if err != nil {
		return "", err
	}
	out, err := review.Post(st, ctx, caller.Account, req, o)
	if err != nil {
		return "", err
	}
	// The review and conversion rewards were reserved when the order
	// settled; an ineligible buyer has none.
	if out.Eligible {
		if _, err := order.PayReviewRewards(st, ctx.Wallet(), ctx, o, out.ShopOpened); err != nil {
			return "", err
		}
	}
	return result(out)
}

// Get returns a buyer's review of an order (evaluate). Caller: anyone.
// likr:evaluate
func (c *ReviewContract) Get(ctx *Context, buyer, orderID string) (string, error) {
	if _, err := ctx.Authorize(access.Anyone); err != nil {
		return "", err
	}
	r, err := review.Get(ctx.GetStub(), buyer, orderID)
	if err != nil {
		return "", err
	}
	return result(r)
}

// ListByProduct lists a product's reviews, a page at a time (evaluate).
// Caller: anyone.
// likr:evaluate
func (c *ReviewContract) ListByProduct(ctx *Context, supplier, productID, pageSize, bookmark string) (string, error) {
	if _, err := ctx.Authorize(access.Anyone); err != nil {
		return "", err
	}
	size, err := parsePageSize(pageSize)
	if err != nil {
		return "", err
	}
	page, err := review.ListByProduct(ctx.GetStub(), product.Ref{Supplier: supplier, ID: productID}, size, bookmark)
	if err != nil {
		return "", err
	}
	return result(page)
}

// ListByStore lists the reviews of orders from a store's listings, a page
// at a time (evaluate). Caller: anyone.
// likr:evaluate
func (c *ReviewContract) ListByStore(ctx *Context, owner, storeID, pageSize, bookmark string) (string, error) {
	if _, err := ctx.Authorize(access.Anyone); err != nil {
		return "", err
	}
	size, err := parsePageSize(pageSize)
	if err != nil {
		return "", err
	}
	page, err := review.ListByStore(ctx.GetStub(), store.Ref{Owner: owner, ID: storeID}, size, bookmark)
	if err != nil {
		return "", err
	}
	return result(page)
}

// ProductRating returns a product's review count, rating sum and average
// (evaluate). Caller: anyone.
// likr:evaluate
func (c *ReviewContract) ProductRating(ctx *Context, supplier, productID string) (string, error) {
	if _, err := ctx.Authorize(access.Anyone); err != nil {
		return "", err
	}
	r, err := review.ProductRating(ctx.GetStub(), product.Ref{Supplier: supplier, ID: productID})
	if err != nil {
		return "", err
	}
	return result(r)
}

// StoreRating returns a store's review count, rating sum and average
// (evaluate). Caller: anyone.
// likr:evaluate
func (c *ReviewContract) StoreRating(ctx *Context, owner, storeID string) (string, error) {
	if _, err := ctx.Authorize(access.Anyone); err != nil {
		return "", err
	}
	r, err := review.StoreRating(ctx.GetStub(), store.Ref{Owner: owner, ID: storeID})
	if err != nil {
		return "", err
	}
	return result(r)
}
