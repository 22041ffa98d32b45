package store

import (
	"encoding/json"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
)

// StorePage is one page of an owner's stores, in store ID order.
type StorePage struct {
	Stores   []Store `json:"stores"`
	Bookmark string  `json:"bookmark"` // empty on the last page
}

// ListingPage is one page of a store's listings, in listing ID order,
// removed ones included.
type ListingPage struct {
	Listings []Listing `json:"listings"`
	Bookmark string    `json:"bookmark"` // empty on the last page
}

// ListByOwner returns one page (1..ledger.MaxPageSize rows) of owner's
// stores. Evaluate only.
// likr:evaluate
func ListByOwner(st ledger.State, owner string, pageSize int32, bookmark string) (*StorePage, error) {
	if err := checkOwner(owner); err != nil {
		return nil, err
	}
	rows, next, err := ledger.QueryPage(st, storeType, []string{owner}, pageSize, bookmark)
	if err != nil {
		return nil, err
	}
	page := &StorePage{Stores: make([]Store, 0, len(rows)), Bookmark: next}
	for _, kv := range rows {
		var s Store
		if err := decodeRow(kv, &s); err != nil {
			return nil, err
		}
		page.Stores = append(page.Stores, s)
	}
	return page, nil
}

// ListListings returns one page (1..ledger.MaxPageSize rows) of a store's
// listings; NOT_FOUND when the store does not exist. Evaluate only.
// likr:evaluate
func ListListings(st ledger.State, ref Ref, pageSize int32, bookmark string) (*ListingPage, error) {
	if _, err := Get(st, ref); err != nil {
		return nil, err
	}
	rows, next, err := ledger.QueryPage(st, listingType, []string{ref.Owner, ref.ID}, pageSize, bookmark)
	if err != nil {
		return nil, err
	}
	page := &ListingPage{Listings: make([]Listing, 0, len(rows)), Bookmark: next}
	for _, kv := range rows {
		var l Listing
		if err := decodeRow(kv, &l); err != nil {
			return nil, err
		}
		page.Listings = append(page.Listings, l)
	}
	return page, nil
}

// decodeRow decodes a stored row leniently, like ledger.GetJSON, so rows
// written by an older chaincode still read.
func decodeRow(kv ledger.KV, v any) error {
	if err := json.Unmarshal(kv.Value, v); err != nil {
		return errs.Wrap(errs.Internal, err, "stored %q is corrupt", kv.Key)
	}
	return nil
}
