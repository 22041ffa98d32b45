package store

import (
	"math"

	"github.com/likrcommerce/likr/contracts/codec"
	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/contracts/product"
)

// ListingRef names a listing: its store's owner and ID, and the owner's ID
// for the listing within that store.
type ListingRef struct {
	Owner string `json:"owner"`
	Store string `json:"store"`
	ID    string `json:"id"`
}

// Validate checks the syntax of every part (INVALID_ARGUMENT).
func (r ListingRef) Validate() error {
	if err := r.StoreRef().Validate(); err != nil {
		return err
	}
	return codec.ID("listing", r.ID)
}

// StoreRef returns the reference of the listing's store.
func (r ListingRef) StoreRef() Ref { return Ref{Owner: r.Owner, ID: r.Store} }

// ListingStatus is a listing's life-cycle state.
type ListingStatus string

// The listing states. A removed listing stays on the ledger, since orders
// refer to it, and never becomes active again.
const (
	ListingActive  ListingStatus = "active"
	ListingRemoved ListingStatus = "removed"
)

// Listing is a listing as stored. Field order fixes the stored bytes.
type Listing struct {
	Owner   string      `json:"owner"`
	Store   string      `json:"store"`
	ID      string      `json:"id"`
	Product product.Ref `json:"product"`
	// Price is the retail price per unit.
	Price money.Amount `json:"price"`
	// ReferralBps is the commission, of the order total, paid to the shop
	// that referred the buyer.
	ReferralBps money.Rate    `json:"referralBps"`
	Status      ListingStatus `json:"status"`
	// Version is 1 when the listing is added and grows by one with every
	// change (UpdateListing, RemoveListing), so an order can record which
	// terms it was placed under.
	Version   uint64 `json:"version"`
	CreatedAt string `json:"createdAt"` // ledger.TimeLayout
	UpdatedAt string `json:"updatedAt"` // ledger.TimeLayout
	// ReferralOf is, for a personal shop's listing (a later issue), the
	// listing it refers buyers to. Seller listings have none.
	ReferralOf *ListingRef `json:"referralOf,omitempty"`
}

// Ref returns the listing's reference.
func (l *Listing) Ref() ListingRef { return ListingRef{Owner: l.Owner, Store: l.Store, ID: l.ID} }

// ListingRequest is what a seller sends to list a product in a store.
type ListingRequest struct {
	Store       string       `json:"store"`
	ID          string       `json:"id"`
	Product     product.Ref  `json:"product"`
	Price       money.Amount `json:"price"`
	ReferralBps money.Rate   `json:"referralBps"`
}

// ListingUpdate is a listing's new terms; both are replaced.
type ListingUpdate struct {
	Price       money.Amount `json:"price"`
	ReferralBps money.Rate   `json:"referralBps"`
}

// AddListing lists req.Product in owner's seller store req.Store at req.Price
// with req.ReferralBps, which must pass CheckTerms with the platform fee
// feeBps. NOT_FOUND when the store or the product does not exist,
// INVALID_STATE when the store is not a seller store, ALREADY_EXISTS when the
// store has a listing with that ID (whatever its terms or status).
func AddListing(st ledger.State, ev ledger.Emitter, owner string, req ListingRequest, feeBps money.Rate) (*Listing, error) {
	ref := ListingRef{Owner: owner, Store: req.Store, ID: req.ID}
	if err := ref.Validate(); err != nil {
		return nil, err
	}
	if err := req.Product.Validate(); err != nil {
		return nil, err
	}
	s, err := Get(st, ref.StoreRef())
	if err != nil {
		return nil, err
	}
	if s.Kind != KindSeller {
		return nil, errs.New(errs.InvalidState, "store %s of %s is a %s store; only seller stores list products", s.ID, s.Owner, s.Kind)
	}
	key, err := listingKey(st, ref)
	if err != nil {
		return nil, err
	}
	var existing Listing
	found, err := ledger.GetJSON(st, key, &existing)
	if err != nil {
		return nil, err
	}
	if found {
		return nil, errs.New(errs.AlreadyExists, "listing %s of store %s of %s already exists", ref.ID, ref.Store, ref.Owner)
	}
	p, err := product.Get(st, req.Product)
	if err != nil {
		return nil, err
	}
	if err := CheckTerms(p, req.Price, req.ReferralBps, feeBps); err != nil {
		return nil, err
	}
	now, err := ledger.TxTime(st)
	if err != nil {
		return nil, err
	}
	stamp := ledger.Stamp(now)
	l := &Listing{
		Owner: owner, Store: req.Store, ID: req.ID,
		Product: req.Product, Price: req.Price, ReferralBps: req.ReferralBps,
		Status: ListingActive, Version: 1, CreatedAt: stamp, UpdatedAt: stamp,
	}
	if err := ledger.PutJSON(st, key, l); err != nil {
		return nil, err
	}
	ev.Emit(ListingAddedEvent{
		Type: EventListingAdded, Owner: l.Owner, Store: l.Store, Listing: l.ID,
		Product: l.Product, Price: l.Price, ReferralBps: l.ReferralBps, Version: l.Version,
	})
	return l, nil
}

// UpdateListing replaces the price and referral rate of an active listing
// and bumps its version. The product is read again and the new terms must
// pass CheckTerms with feeBps. NOT_FOUND when the listing does not exist,
// INVALID_STATE when it was removed, INVALID_ARGUMENT when the terms are
// unchanged (a no-op would bump the version for nothing).
func UpdateListing(st ledger.State, ev ledger.Emitter, owner, storeID, listingID string, req ListingUpdate, feeBps money.Rate) (*Listing, error) {
	ref := ListingRef{Owner: owner, Store: storeID, ID: listingID}
	key, l, err := activeListing(st, ref)
	if err != nil {
		return nil, err
	}
	if req.Price.Equal(l.Price) && req.ReferralBps == l.ReferralBps {
		return nil, errs.New(errs.InvalidArgument, "listing %s is unchanged: price %s and referralBps %d are its current terms", ref.ID, l.Price, l.ReferralBps)
	}
	p, err := product.Get(st, l.Product)
	if err != nil {
		return nil, err
	}
	if err := CheckTerms(p, req.Price, req.ReferralBps, feeBps); err != nil {
		return nil, err
	}
	if err := bump(st, l); err != nil {
		return nil, err
	}
	l.Price, l.ReferralBps = req.Price, req.ReferralBps
	if err := ledger.PutJSON(st, key, l); err != nil {
		return nil, err
	}
	ev.Emit(ListingUpdatedEvent{
		Type: EventListingUpdated, Owner: l.Owner, Store: l.Store, Listing: l.ID,
		Product: l.Product, Price: l.Price, ReferralBps: l.ReferralBps, Version: l.Version,
	})
	return l, nil
}

// RemoveListing marks an active listing removed: it can no longer be
// ordered, but stays on the ledger for the orders that refer to it.
// NOT_FOUND when it does not exist, INVALID_STATE when already removed.
func RemoveListing(st ledger.State, ev ledger.Emitter, owner, storeID, listingID string) error {
	ref := ListingRef{Owner: owner, Store: storeID, ID: listingID}
	key, l, err := activeListing(st, ref)
	if err != nil {
		return err
	}
	if err := bump(st, l); err != nil {
		return err
	}
	l.Status = ListingRemoved
	if err := ledger.PutJSON(st, key, l); err != nil {
		return err
	}
	ev.Emit(ListingRemovedEvent{
		Type: EventListingRemoved, Owner: l.Owner, Store: l.Store, Listing: l.ID,
		Product: l.Product, Version: l.Version,
	})
	return nil
}

// GetListing reads a listing, active or removed; NOT_FOUND when there is
// none.
func GetListing(st ledger.State, ref ListingRef) (*Listing, error) {
	_, l, err := readListing(st, ref)
	return l, err
}

// activeListing reads a listing that must be active (INVALID_STATE if not).
func activeListing(st ledger.State, ref ListingRef) (string, *Listing, error) {
	key, l, err := readListing(st, ref)
	if err != nil {
		return "", nil, err
	}
	if l.Status != ListingActive {
		return "", nil, errs.New(errs.InvalidState, "listing %s of store %s of %s is %s", ref.ID, ref.Store, ref.Owner, l.Status)
	}
	return key, l, nil
}

// readListing validates ref and reads its listing and key.
func readListing(st ledger.State, ref ListingRef) (string, *Listing, error) {
	if err := ref.Validate(); err != nil {
		return "", nil, err
	}
	key, err := listingKey(st, ref)
	if err != nil {
		return "", nil, err
	}
	var l Listing
	found, err := ledger.GetJSON(st, key, &l)
	if err != nil {
		return "", nil, err
	}
	if !found {
		return "", nil, errs.New(errs.NotFound, "listing %s of store %s of %s does not exist", ref.ID, ref.Store, ref.Owner)
	}
	return key, &l, nil
}

// bump advances l's version and update time, before any write.
func bump(st ledger.State, l *Listing) error {
	if l.Version == math.MaxUint64 {
		return errs.New(errs.Overflow, "listing %s has reached the last version", l.ID)
	}
	now, err := ledger.TxTime(st)
	if err != nil {
		return err
	}
	l.Version++
	l.UpdatedAt = ledger.Stamp(now)
	return nil
}

func listingKey(st ledger.State, ref ListingRef) (string, error) {
	return ledger.Key(st, listingType, ref.Owner, ref.Store, ref.ID)
}
