package store

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
)

// Personal shops.
//
// A consumer's first review of a completed purchase opens their personal
// shop (package review decides when); its listings are referrals: each
// points at the seller listing the consumer bought from. A friend orders
// that ORIGINAL listing with the personal shop as the order's referrer, and
// the shop's owner earns the listing's referral commission at settlement.
// A referral listing is therefore a pointer, not an offer: it copies the
// product, price and rate of the listing it refers to for display, and
// orders never use its own terms.
//
// Both the shop and its listings have deterministic IDs, so they need no
// counter and no lookup:
//
//	store    owner "personal"                     -> Store (Kind personal)
//	listing  owner "personal" ReferralListingID   -> Listing (ReferralOf set)
//
// Every account has at most one personal shop, under the store ID
// PersonalShopID, which Open refuses for seller stores. The referral of a
// listing has an ID derived from the listing's reference, so the same
// listing is never referred to twice and "does this shop refer to that
// listing" is one point read (IsReferralFor). Only the owner's own
// transactions write these keys, so they are no hot keys.
//
// Fabric has no read-your-writes: a transaction that opens the shop cannot
// read it back. AddReferral therefore takes the shop as OpenPersonal (or
// Get) returned it rather than reading it, and Convert, which package
// review calls, does both steps reading every key before writing any.

// PersonalShopID is the store ID of every account's personal shop.
const PersonalShopID = "personal"

// PersonalShopName is the name a personal shop opens with.
const PersonalShopName = "Personal shop"

// referralIDPrefix starts every referral listing ID; with the 40 hex
// digits of the hash the ID is 44 bytes, a valid codec.ID.
const referralIDPrefix = "ref-"

// The event types of personal shops, stable: clients match on them.
const (
	EventPersonalOpened = "store.personal_opened"
	EventReferralAdded  = "store.referral_added"
)

// PersonalOpenedEvent is emitted when a personal shop opens.
type PersonalOpenedEvent struct {
	Type  string `json:"type"`
	Owner string `json:"owner"`
	Store string `json:"store"`
}

// ReferralAddedEvent is emitted when a referral listing is added.
type ReferralAddedEvent struct {
	Type       string     `json:"type"`
	Owner      string     `json:"owner"`
	Store      string     `json:"store"`
	Listing    string     `json:"listing"`
	ReferralOf ListingRef `json:"referralOf"`
}

// PersonalRef returns the reference of owner's personal shop, whether or
// not it exists.
func PersonalRef(owner string) Ref { return Ref{Owner: owner, ID: PersonalShopID} }

// checkNotReserved refuses, for a seller store, the ID reserved for
// personal shops: both live under the same "store owner id" key.
func checkNotReserved(id string) error {
	if id == PersonalShopID {
		return errs.New(errs.InvalidArgument, "id: %q is reserved for the owner's personal shop", PersonalShopID)
	}
	return nil
}

// ReferralListingID returns the ID of the referral listing of of in any
// personal shop: "ref-" and the first 40 hex digits of the SHA-256 of
// of's owner, store and ID joined with U+0000 (which no part contains, so
// distinct references never join to the same bytes).
func ReferralListingID(of ListingRef) string {
	sum := sha256.Sum256([]byte(of.Owner + "\x00" + of.Store + "\x00" + of.ID))
	return referralIDPrefix + hex.EncodeToString(sum[:])[:40]
}

// OpenPersonal opens owner's personal shop unless it exists, and returns it
// and whether it opened now. It reads the shop key; it writes it and emits
// a PersonalOpenedEvent only when it opens the shop. INVALID_STATE when the
// key holds a store that is not a personal shop.
func OpenPersonal(st ledger.State, ev ledger.Emitter, owner string) (*Store, bool, error) {
	p, err := planShop(st, owner)
	if err != nil {
		return nil, false, err
	}
	if err := p.apply(st, ev); err != nil {
		return nil, false, err
	}
	return p.shop, p.open, nil
}

// AddReferral adds to the personal shop shop a referral listing of of,
// unless the shop has one, and returns the referral listing and whether it
// was added now. shop is the shop as OpenPersonal or Get returned it, in
// this transaction or before: it is not read again, so the shop may have
// been opened in the same transaction. It reads the referral listing key;
// it writes it and emits a ReferralAddedEvent only when it adds it.
//
// INVALID_STATE when shop is not a personal shop or of is not active;
// INVALID_ARGUMENT when of is itself a referral, or belongs to or supplies
// the shop's owner (order.Place refuses such a referrer, as a commission
// to oneself).
func AddReferral(st ledger.State, ev ledger.Emitter, shop *Store, of *Listing) (*Listing, bool, error) {
	if err := checkPersonal(shop); err != nil {
		return nil, false, err
	}
	if err := checkReferable(shop.Owner, of); err != nil {
		return nil, false, err
	}
	p, err := planReferral(st, shop, of)
	if err != nil {
		return nil, false, err
	}
	if err := p.apply(st, ev); err != nil {
		return nil, false, err
	}
	return p.listing, p.add, nil
}

// Conversion is what Convert did.
type Conversion struct {
	Shop       *Store `json:"shop"`
	ShopOpened bool   `json:"shopOpened"`
	// Referral is the shop's referral of the listing, added now or before;
	// nil when the listing cannot be referred to (see Convert).
	Referral      *Listing `json:"referral,omitempty"`
	ReferralAdded bool     `json:"referralAdded"`
}

// Convert turns owner, a buyer of listing of, into a reseller: it opens
// owner's personal shop unless it exists, and adds a referral of of to it
// unless the shop has one. A listing that is removed, or is itself a
// referral, gets no referral, but the shop still opens. It reads the shop
// key and the referral listing key before writing either, so a refused
// call writes nothing.
//
// INVALID_STATE when owner's personal shop key holds another kind of
// store; INVALID_ARGUMENT when of belongs to or supplies owner (the caller
// decides eligibility first: package review converts only third parties).
func Convert(st ledger.State, ev ledger.Emitter, owner string, of *Listing) (*Conversion, error) {
	if of == nil {
		return nil, errs.New(errs.Internal, "Convert without a listing")
	}
	if err := checkOwner(owner); err != nil {
		return nil, err
	}
	refer := of.Status == ListingActive && of.ReferralOf == nil
	if refer {
		if err := checkReferable(owner, of); err != nil {
			return nil, err
		}
	}
	shop, err := planShop(st, owner)
	if err != nil {
		return nil, err
	}
	var ref *referralPlan
	if refer {
		if ref, err = planReferral(st, shop.shop, of); err != nil {
			return nil, err
		}
	}
	if err := shop.apply(st, ev); err != nil {
		return nil, err
	}
	c := &Conversion{Shop: shop.shop, ShopOpened: shop.open}
	if ref != nil {
		if err := ref.apply(st, ev); err != nil {
			return nil, err
		}
		c.Referral, c.ReferralAdded = ref.listing, ref.add
	}
	return c, nil
}

// IsReferralFor reports whether the personal shop shop has an active
// referral listing of of: one point read of the referral listing key.
func IsReferralFor(st ledger.State, shop Ref, of ListingRef) (bool, error) {
	if err := shop.Validate(); err != nil {
		return false, err
	}
	if err := of.Validate(); err != nil {
		return false, err
	}
	if shop.ID != PersonalShopID {
		return false, nil
	}
	key, err := listingKey(st, ListingRef{Owner: shop.Owner, Store: shop.ID, ID: ReferralListingID(of)})
	if err != nil {
		return false, err
	}
	var l Listing
	found, err := ledger.GetJSON(st, key, &l)
	if err != nil || !found {
		return false, err
	}
	return l.Status == ListingActive && l.ReferralOf != nil && *l.ReferralOf == of, nil
}

// checkPersonal checks that shop is a personal shop (INVALID_STATE).
func checkPersonal(shop *Store) error {
	if shop == nil {
		return errs.New(errs.Internal, "no personal shop given")
	}
	if err := checkOwner(shop.Owner); err != nil {
		return err
	}
	if shop.Kind != KindPersonal || shop.ID != PersonalShopID {
		return errs.New(errs.InvalidState, "store %s of %s is a %s store, not a personal shop", shop.ID, shop.Owner, shop.Kind)
	}
	return nil
}

// checkReferable checks that owner's personal shop may refer buyers to of.
func checkReferable(owner string, of *Listing) error {
	if of == nil {
		return errs.New(errs.Internal, "no listing to refer to")
	}
	if err := of.Ref().Validate(); err != nil {
		return err
	}
	if of.ReferralOf != nil {
		return errs.New(errs.InvalidArgument, "listing %s of store %s is itself a referral; refer to the listing it points at", of.ID, of.Store)
	}
	if of.Status != ListingActive {
		return errs.New(errs.InvalidState, "listing %s of store %s of %s is %s", of.ID, of.Store, of.Owner, of.Status)
	}
	if owner == of.Owner || owner == of.Product.Supplier {
		return errs.New(errs.InvalidArgument, "listing %s of store %s belongs to or supplies %s; a referrer must be a third party", of.ID, of.Store, owner)
	}
	return nil
}

// shopPlan is owner's personal shop as read, and whether to open it.
type shopPlan struct {
	key  string
	shop *Store
	open bool
}

// planShop reads owner's personal shop key and prepares the shop to open
// when there is none; it writes nothing.
func planShop(st ledger.State, owner string) (*shopPlan, error) {
	if err := checkOwner(owner); err != nil {
		return nil, err
	}
	key, err := ledger.Key(st, storeType, owner, PersonalShopID)
	if err != nil {
		return nil, err
	}
	var s Store
	found, err := ledger.GetJSON(st, key, &s)
	if err != nil {
		return nil, err
	}
	if found {
		if s.Kind != KindPersonal {
			return nil, errs.New(errs.InvalidState, "store %s of %s is a %s store, not a personal shop", s.ID, s.Owner, s.Kind)
		}
		return &shopPlan{key: key, shop: &s}, nil
	}
	now, err := ledger.TxTime(st)
	if err != nil {
		return nil, err
	}
	return &shopPlan{key: key, open: true, shop: &Store{
		Owner: owner, ID: PersonalShopID, Name: PersonalShopName, Kind: KindPersonal, OpenedAt: ledger.Stamp(now),
	}}, nil
}

// apply writes the shop when it is to open.
func (p *shopPlan) apply(st ledger.State, ev ledger.Emitter) error {
	if !p.open {
		return nil
	}
	if err := ledger.PutJSON(st, p.key, p.shop); err != nil {
		return err
	}
	ev.Emit(PersonalOpenedEvent{Type: EventPersonalOpened, Owner: p.shop.Owner, Store: p.shop.ID})
	return nil
}

// referralPlan is a shop's referral of a listing as read, and whether to
// add it.
type referralPlan struct {
	key     string
	listing *Listing
	add     bool
}

// planReferral reads the referral listing key of of in shop and prepares
// the listing to add when there is none; it writes nothing. shop and of
// are checked by the caller.
func planReferral(st ledger.State, shop *Store, of *Listing) (*referralPlan, error) {
	ref := ListingRef{Owner: shop.Owner, Store: shop.ID, ID: ReferralListingID(of.Ref())}
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
		return &referralPlan{key: key, listing: &existing}, nil
	}
	now, err := ledger.TxTime(st)
	if err != nil {
		return nil, err
	}
	stamp := ledger.Stamp(now)
	target := of.Ref()
	return &referralPlan{key: key, add: true, listing: &Listing{
		Owner: ref.Owner, Store: ref.Store, ID: ref.ID,
		Product: of.Product, Price: of.Price, ReferralBps: of.ReferralBps,
		Status: ListingActive, Version: 1, CreatedAt: stamp, UpdatedAt: stamp,
		ReferralOf: &target,
	}}, nil
}

// apply writes the referral listing when it is to be added.
func (p *referralPlan) apply(st ledger.State, ev ledger.Emitter) error {
	if !p.add {
		return nil
	}
	if err := ledger.PutJSON(st, p.key, p.listing); err != nil {
		return err
	}
	l := p.listing
	ev.Emit(ReferralAddedEvent{Type: EventReferralAdded, Owner: l.Owner, Store: l.Store, Listing: l.ID, ReferralOf: *l.ReferralOf})
	return nil
}
