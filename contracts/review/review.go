package review

import (
	"unicode/utf8"

	"github.com/likrcommerce/likr/contracts/codec"
	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/order"
	"github.com/likrcommerce/likr/contracts/product"
	"github.com/likrcommerce/likr/contracts/store"
	"github.com/likrcommerce/likr/contracts/wallet"
)

// Object types of the composite keys (see the package doc).
const (
	reviewType     = "review"
	byProductType  = "review~product"
	byStoreType    = "review~store"
	productRatings = "rating~product"
	storeRatings   = "rating~store"
)

// Bounds of a review.
const (
	MinRating    = 1
	MaxRating    = 5
	MaxTextRunes = 1000
)

// maxTxIDLen bounds the transaction ID in rating keys. Fabric's are 64 hex
// characters.
const maxTxIDLen = 100

// Review is a review as stored. Field order fixes the stored bytes.
type Review struct {
	Buyer    string           `json:"buyer"`
	Order    string           `json:"order"` // scoped to the buyer
	Product  product.Ref      `json:"product"`
	Listing  store.ListingRef `json:"listing"` // the seller listing the order bought from
	Rating   int              `json:"rating"`  // MinRating..MaxRating
	Text     string           `json:"text"`
	PostedAt string           `json:"postedAt"` // ledger.TimeLayout
	TxID     string           `json:"txId"`
}

// PostRequest is what a buyer sends to review one of their orders.
type PostRequest struct {
	Order  string `json:"order"`
	Rating int    `json:"rating"`
	Text   string `json:"text"`
}

// Validate checks the order ID, the rating (MinRating..MaxRating) and the
// text (0..MaxTextRunes runes of codec.Text): INVALID_ARGUMENT.
func (r *PostRequest) Validate() error {
	if err := codec.ID("order", r.Order); err != nil {
		return err
	}
	if r.Rating < MinRating || r.Rating > MaxRating {
		return errs.New(errs.InvalidArgument, "rating %d must be an integer from %d to %d", r.Rating, MinRating, MaxRating)
	}
	return codec.Text("text", r.Text, MaxTextRunes)
}

// Outcome is what Post did.
type Outcome struct {
	Review *Review `json:"review"`
	// Eligible is false when the buyer is the order's seller, supplier or
	// referrer: then there is no conversion and no reward.
	Eligible bool `json:"eligible"`
	// Shop is the buyer's personal shop, when eligible.
	Shop *store.Ref `json:"shop,omitempty"`
	// ShopOpened tells that this review opened the buyer's personal shop.
	ShopOpened bool `json:"shopOpened"`
	// Referral is the referral listing this review added, if any.
	Referral *store.Listing `json:"referral,omitempty"`
}

// EventPosted is the type of the event Post emits; stable, clients match
// on it.
const EventPosted = "review.posted"

// PostedEvent is emitted by Post, after the store's events.
type PostedEvent struct {
	Type     string           `json:"type"`
	Buyer    string           `json:"buyer"`
	Order    string           `json:"order"`
	Product  product.Ref      `json:"product"`
	Listing  store.ListingRef `json:"listing"`
	Rating   int              `json:"rating"`
	Eligible bool             `json:"eligible"`
}

// delta is one review's contribution to a rating aggregate.
type delta struct {
	Count uint64 `json:"count"`
	Sum   uint64 `json:"sum"`
}

// Post stores buyer's review of the order o, as order.Get returned it for
// (buyer, req.Order), and converts an eligible buyer (see the package
// doc). The contract layer loads o; Post checks that it is the order the
// request names:
//
//   - INVALID_ARGUMENT for a malformed buyer or request, or an o that is
//     not the order req.Order;
//   - NOT_FOUND when o is nil;
//   - FORBIDDEN when buyer is not o's buyer;
//   - INVALID_STATE unless o is completed;
//   - ALREADY_EXISTS when the order was reviewed before.
//
// A refused call writes nothing and emits nothing.
func Post(st ledger.State, ev ledger.Emitter, buyer string, req PostRequest, o *order.Order) (*Outcome, error) {
	if err := wallet.CheckAccount("buyer", buyer); err != nil {
		return nil, err
	}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	if o == nil {
		return nil, errs.New(errs.NotFound, "order %s of buyer %s not found", req.Order, buyer)
	}
	if o.ID != req.Order {
		return nil, errs.New(errs.InvalidArgument, "the order given is %s, the request reviews %s", errs.Quote(o.ID), req.Order)
	}
	if o.Buyer != buyer {
		return nil, errs.New(errs.Forbidden, "only the buyer reviews order %s", o.ID)
	}
	if o.Status != order.Completed {
		return nil, errs.New(errs.InvalidState, "order %s is %s; only a %s order can be reviewed", o.ID, o.Status, order.Completed)
	}
	key, err := ledger.Key(st, reviewType, buyer, o.ID)
	if err != nil {
		return nil, err
	}
	var existing Review
	found, err := ledger.GetJSON(st, key, &existing)
	if err != nil {
		return nil, err
	}
	if found {
		return nil, errs.New(errs.AlreadyExists, "order %s of buyer %s is already reviewed", o.ID, buyer)
	}
	now, err := ledger.TxTime(st)
	if err != nil {
		return nil, err
	}
	r := &Review{
		Buyer: buyer, Order: o.ID, Product: o.Product, Listing: o.Listing,
		Rating: req.Rating, Text: req.Text, PostedAt: ledger.Stamp(now), TxID: st.GetTxID(),
	}
	rows, err := reviewRows(st, key, r)
	if err != nil {
		return nil, err
	}
	out := &Outcome{Review: r, Eligible: Eligible(o)}
	if out.Eligible {
		// The listing, the shop and its referral are read inside Convert
		// before it writes; the review's own rows need no further read.
		l, err := store.GetListing(st, o.Listing)
		if err != nil {
			return nil, err
		}
		c, err := store.Convert(st, ev, buyer, l)
		if err != nil {
			return nil, err
		}
		shop := c.Shop.Ref()
		out.Shop, out.ShopOpened = &shop, c.ShopOpened
		if c.ReferralAdded {
			out.Referral = c.Referral
		}
	}
	for _, row := range rows {
		if err := ledger.PutJSON(st, row.key, row.value); err != nil {
			return nil, err
		}
	}
	ev.Emit(PostedEvent{
		Type: EventPosted, Buyer: r.Buyer, Order: r.Order, Product: r.Product, Listing: r.Listing,
		Rating: r.Rating, Eligible: out.Eligible,
	})
	return out, nil
}

// Eligible reports whether o's buyer may be converted and rewarded for a
// review: not when the buyer is o's seller, its product's supplier or its
// referrer, since a reward or commission would then go to a party of the
// sale itself.
func Eligible(o *order.Order) bool {
	if o.Buyer == o.Listing.Owner || o.Buyer == o.Product.Supplier {
		return false
	}
	return o.Referrer == nil || o.Referrer.Owner != o.Buyer
}

// row is one key and value Post writes.
type row struct {
	key   string
	value any
}

// reviewRows returns every row Post writes for r, the review key first,
// all built before any is written.
func reviewRows(st ledger.State, key string, r *Review) ([]row, error) {
	if r.TxID == "" || len(r.TxID) > maxTxIDLen || !utf8.ValidString(r.TxID) {
		return nil, errs.New(errs.Internal, "transaction ID %s cannot name rating rows", errs.Quote(r.TxID))
	}
	rows := []row{{key, r}}
	d := delta{Count: 1, Sum: uint64(r.Rating)}
	for _, k := range [][]string{
		{byProductType, r.Product.Supplier, r.Product.ID, r.Buyer, r.Order},
		{byStoreType, r.Listing.Owner, r.Listing.Store, r.Buyer, r.Order},
		{productRatings, r.Product.Supplier, r.Product.ID, r.TxID, r.Buyer, r.Order},
		{storeRatings, r.Listing.Owner, r.Listing.Store, r.TxID, r.Buyer, r.Order},
	} {
		key, err := internalKey(st, k[0], k[1:]...)
		if err != nil {
			return nil, err
		}
		var value any = r
		if k[0] == productRatings || k[0] == storeRatings {
			value = d
		}
		rows = append(rows, row{key, value})
	}
	return rows, nil
}

// Get returns buyer's review of order orderID; NOT_FOUND when there is
// none.
func Get(st ledger.State, buyer, orderID string) (*Review, error) {
	if err := wallet.CheckAccount("buyer", buyer); err != nil {
		return nil, err
	}
	if err := codec.ID("order", orderID); err != nil {
		return nil, err
	}
	key, err := ledger.Key(st, reviewType, buyer, orderID)
	if err != nil {
		return nil, err
	}
	var r Review
	found, err := ledger.GetJSON(st, key, &r)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, errs.New(errs.NotFound, "order %s of buyer %s has no review", orderID, buyer)
	}
	return &r, nil
}

// internalKey builds a composite key from validated parts; an error here
// is a bug, not the caller's.
func internalKey(st ledger.State, objectType string, attrs ...string) (string, error) {
	key, err := st.CreateCompositeKey(objectType, attrs)
	if err != nil {
		return "", errs.Wrap(errs.Internal, err, "build %s key", objectType)
	}
	return key, nil
}
