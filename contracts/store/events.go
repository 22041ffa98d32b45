package store

import (
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/contracts/product"
)

// The event types, stable: clients match on them.
const (
	EventStoreOpened    = "store.opened"
	EventListingAdded   = "store.listing_added"
	EventListingUpdated = "store.listing_updated"
	EventListingRemoved = "store.listing_removed"
)

// StoreOpenedEvent is emitted by Open.
type StoreOpenedEvent struct {
	Type  string `json:"type"`
	Owner string `json:"owner"`
	Store string `json:"store"`
	Name  string `json:"name"`
	Kind  Kind   `json:"kind"`
}

// ListingAddedEvent is emitted by AddListing.
type ListingAddedEvent struct {
	Type        string       `json:"type"`
	Owner       string       `json:"owner"`
	Store       string       `json:"store"`
	Listing     string       `json:"listing"`
	Product     product.Ref  `json:"product"`
	Price       money.Amount `json:"price"`
	ReferralBps money.Rate   `json:"referralBps"`
	Version     uint64       `json:"version"`
}

// ListingUpdatedEvent is emitted by UpdateListing, with the new terms.
type ListingUpdatedEvent struct {
	Type        string       `json:"type"`
	Owner       string       `json:"owner"`
	Store       string       `json:"store"`
	Listing     string       `json:"listing"`
	Product     product.Ref  `json:"product"`
	Price       money.Amount `json:"price"`
	ReferralBps money.Rate   `json:"referralBps"`
	Version     uint64       `json:"version"`
}

// ListingRemovedEvent is emitted by RemoveListing.
type ListingRemovedEvent struct {
	Type    string      `json:"type"`
	Owner   string      `json:"owner"`
	Store   string      `json:"store"`
	Listing string      `json:"listing"`
	Product product.Ref `json:"product"`
	Version uint64      `json:"version"`
}
