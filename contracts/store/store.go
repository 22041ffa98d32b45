package store

import (
	"strings"

	"github.com/likrcommerce/likr/contracts/codec"
	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/wallet"
)

// Object types of the composite keys (see the package doc).
const (
	storeType   = "store"
	listingType = "listing"
)

// MaxNameRunes bounds a store's name.
const MaxNameRunes = 100

// Ref names a store: its owner's account ID and the owner's ID for it.
type Ref struct {
	Owner string `json:"owner"`
	ID    string `json:"id"`
}

// Validate checks the syntax of both parts (INVALID_ARGUMENT).
func (r Ref) Validate() error {
	if err := checkOwner(r.Owner); err != nil {
		return err
	}
	return codec.ID("store", r.ID)
}

// Kind tells what a store is for.
type Kind string

// The store kinds. A personal shop is opened automatically for a consumer on
// their first review (a later issue); only seller stores take AddListing.
const (
	KindSeller   Kind = "seller"
	KindPersonal Kind = "personal"
)

// Store is a store as stored. Field order fixes the stored bytes.
type Store struct {
	Owner    string `json:"owner"`
	ID       string `json:"id"`
	Name     string `json:"name"`
	Kind     Kind   `json:"kind"`
	OpenedAt string `json:"openedAt"` // ledger.TimeLayout
}

// Ref returns the store's reference.
func (s *Store) Ref() Ref { return Ref{Owner: s.Owner, ID: s.ID} }

// OpenRequest is what a seller sends to open a store.
type OpenRequest struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Validate checks the ID and the name: 1 to MaxNameRunes runes of text (see
// codec.Text) that are not all white space (INVALID_ARGUMENT).
func (r *OpenRequest) Validate() error {
	if err := codec.ID("id", r.ID); err != nil {
		return err
	}
	return checkName(r.Name)
}

func checkName(name string) error {
	if strings.TrimSpace(name) == "" {
		return errs.New(errs.InvalidArgument, "name: a store needs a name")
	}
	return codec.Text("name", name, MaxNameRunes)
}

// checkOwner checks an owner's syntax; that it is the caller is the contract
// layer's business.
func checkOwner(owner string) error { return wallet.CheckAccount("owner", owner) }

// Open opens a seller store for owner. The same ID twice is ALREADY_EXISTS;
// the ID PersonalShopID is reserved for personal shops (INVALID_ARGUMENT).
func Open(st ledger.State, ev ledger.Emitter, owner string, req OpenRequest) (*Store, error) {
	if err := checkNotReserved(req.ID); err != nil {
		return nil, err
	}
	if err := checkOwner(owner); err != nil {
		return nil, err
	}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	key, err := ledger.Key(st, storeType, owner, req.ID)
	if err != nil {
		return nil, err
	}
	var existing Store
	found, err := ledger.GetJSON(st, key, &existing)
	if err != nil {
		return nil, err
	}
	if found {
		return nil, errs.New(errs.AlreadyExists, "store %s of %s already exists", req.ID, owner)
	}
	now, err := ledger.TxTime(st)
	if err != nil {
		return nil, err
	}
	s := &Store{Owner: owner, ID: req.ID, Name: req.Name, Kind: KindSeller, OpenedAt: ledger.Stamp(now)}
	if err := ledger.PutJSON(st, key, s); err != nil {
		return nil, err
	}
	ev.Emit(StoreOpenedEvent{Type: EventStoreOpened, Owner: owner, Store: s.ID, Name: s.Name, Kind: KindSeller})
	return s, nil
}

// Get reads a store; NOT_FOUND when there is none.
func Get(st ledger.State, ref Ref) (*Store, error) {
	if err := ref.Validate(); err != nil {
		return nil, err
	}
	key, err := ledger.Key(st, storeType, ref.Owner, ref.ID)
	if err != nil {
		return nil, err
	}
	var s Store
	found, err := ledger.GetJSON(st, key, &s)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, errs.New(errs.NotFound, "store %s of %s does not exist", ref.ID, ref.Owner)
	}
	return &s, nil
}
