package product

import (
	"encoding/json"

	"github.com/likrcommerce/likr/contracts/codec"
	"github.com/likrcommerce/likr/contracts/config"
	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/contracts/wallet"
)

// Object types of the composite keys (see the package doc).
const (
	ProductType = "product"
	StockType   = "stock"
)

// MaxShards bounds a product's stock shard count; it is the config's bound.
const MaxShards = config.MaxStockShards

// Ref names a product: its supplier's account ID and the supplier's ID for
// it. IDs are scoped to the supplier, so two suppliers may use the same ID.
type Ref struct {
	Supplier string `json:"supplier"`
	ID       string `json:"id"`
}

// Validate checks that Supplier is an account ID and ID a business ID
// (INVALID_ARGUMENT).
func (r Ref) Validate() error {
	if err := wallet.CheckAccount("supplier", r.Supplier); err != nil {
		return err
	}
	return codec.ID("id", r.ID)
}

// String renders the ref for messages.
func (r Ref) String() string { return r.Supplier + "/" + r.ID }

// Status is where a product is in its life. Only an active product can be
// ordered (the order layer checks that); hidden is a pause that can be
// undone; discontinued is final.
type Status string

// The statuses.
const (
	Active       Status = "active"
	Hidden       Status = "hidden"
	Discontinued Status = "discontinued"
)

// Valid reports whether s is one of the three statuses.
func (s Status) Valid() bool { return s == Active || s == Hidden || s == Discontinued }

// Terms are the mutable part of a product.
type Terms struct {
	// WholesalePrice is what the supplier gets per unit at settlement.
	WholesalePrice money.Amount `json:"wholesalePrice"`
	// MinRetailPrice is the lowest price a store may list the product at.
	MinRetailPrice money.Amount `json:"minRetailPrice"`
	Status         Status       `json:"status"`
}

// Validate checks the terms (INVALID_ARGUMENT): a known status, a positive
// minimum retail price, and no minimum below the wholesale price, so a
// store can never be made to sell below its cost.
func (t Terms) Validate() error {
	if !t.Status.Valid() {
		return errs.New(errs.InvalidArgument, "terms.status %s must be %q, %q or %q", errs.Quote(string(t.Status)), Active, Hidden, Discontinued)
	}
	if t.MinRetailPrice.IsZero() {
		return errs.New(errs.InvalidArgument, "terms.minRetailPrice must be greater than zero")
	}
	if t.MinRetailPrice.LT(t.WholesalePrice) {
		return errs.New(errs.InvalidArgument, "terms.minRetailPrice %s is below terms.wholesalePrice %s", t.MinRetailPrice, t.WholesalePrice)
	}
	return nil
}

// Product is the stored product document. Field order fixes the stored
// bytes.
type Product struct {
	Supplier string `json:"supplier"`
	ID       string `json:"id"`
	// Attributes is the canonical JSON object (see Canonical); it never
	// changes after Register.
	Attributes json.RawMessage `json:"attributes"`
	// AttributesHash is the lowercase hex SHA-256 of Attributes.
	AttributesHash string `json:"attributesHash"`
	Terms          Terms  `json:"terms"`
	// Version is 1 at Register and grows by one per UpdateTerms, so an
	// order can record which terms it was placed under.
	Version uint64 `json:"version"`
	// Shards is how many stock keys the product has, fixed at Register so
	// that a later config change never moves or strands stock.
	Shards       int    `json:"shards"`
	RegisteredAt string `json:"registeredAt"`
	UpdatedAt    string `json:"updatedAt"`
}

// Ref returns the product's ref.
func (p *Product) Ref() Ref { return Ref{Supplier: p.Supplier, ID: p.ID} }

// RegisterRequest registers a product.
type RegisterRequest struct {
	ID         string          `json:"id"`
	Attributes json.RawMessage `json:"attributes"`
	Terms      Terms           `json:"terms"`
	// Stock is the initial number of units, spread over the shards.
	Stock uint64 `json:"stock"`
}

// UpdateRequest replaces a product's terms.
type UpdateRequest struct {
	Terms Terms `json:"terms"`
	// Attributes is optional. When sent it must equal the stored
	// attributes canonically, or the update is IMMUTABLE: a client that
	// edits a whole product document learns that attributes cannot change
	// instead of having its edit silently dropped.
	Attributes json.RawMessage `json:"attributes,omitempty"`
}

// Verification is the answer of Verify.
type Verification struct {
	// Match says whether the given attributes are, canonically, the
	// stored ones.
	Match bool `json:"match"`
	// Hash is the hash of the given attributes in canonical form.
	Hash string `json:"hash"`
	// StoredHash is the product's AttributesHash.
	StoredHash string `json:"storedHash"`
	// Version is the product's current terms version.
	Version uint64 `json:"version"`
}

// Event types, the "type" of each event value.
const (
	EventRegistered   = "product.registered"
	EventTermsUpdated = "product.terms_updated"
	EventRestocked    = "product.restocked"
)

// RegisteredEvent is emitted by Register.
type RegisteredEvent struct {
	Type           string `json:"type"`
	Supplier       string `json:"supplier"`
	ID             string `json:"id"`
	Version        uint64 `json:"version"`
	AttributesHash string `json:"attributesHash"`
	Stock          uint64 `json:"stock"`
}

// TermsUpdatedEvent is emitted by UpdateTerms.
type TermsUpdatedEvent struct {
	Type     string `json:"type"`
	Supplier string `json:"supplier"`
	ID       string `json:"id"`
	Version  uint64 `json:"version"`
	Terms    Terms  `json:"terms"`
}

// RestockedEvent is emitted by Restock.
type RestockedEvent struct {
	Type     string `json:"type"`
	Supplier string `json:"supplier"`
	ID       string `json:"id"`
	Units    uint64 `json:"units"`
}

// CheckShards accepts a shard count of 1..MaxShards (INVALID_ARGUMENT).
func CheckShards(shards int) error {
	if shards < 1 || shards > MaxShards {
		return errs.New(errs.InvalidArgument, "stock shard count %d must be between 1 and %d", shards, MaxShards)
	}
	return nil
}

// Register stores a new product of supplier (the caller's account ID) with
// req.Stock units spread over shards stock keys (the config's stock shard
// count). The same (supplier, req.ID) twice is ALREADY_EXISTS.
//
// Reads the product key; writes it and the non-zero stock shards. Emits
// product.registered.
func Register(st ledger.State, ev ledger.Emitter, supplier string, req RegisterRequest, shards int) (*Product, error) {
	ref := Ref{Supplier: supplier, ID: req.ID}
	if err := ref.Validate(); err != nil {
		return nil, err
	}
	if err := CheckShards(shards); err != nil {
		return nil, err
	}
	if err := req.Terms.Validate(); err != nil {
		return nil, err
	}
	canonical, hash, err := Canonical(req.Attributes)
	if err != nil {
		return nil, err
	}
	key, err := productKey(st, ref)
	if err != nil {
		return nil, err
	}
	if _, found, err := load(st, key); err != nil {
		return nil, err
	} else if found {
		return nil, errs.New(errs.AlreadyExists, "product %s already exists", ref)
	}
	now, err := ledger.TxTime(st)
	if err != nil {
		return nil, err
	}
	split := spread(req.Stock, shards)
	stockKeys := make([]string, shards)
	for i := range stockKeys {
		if stockKeys[i], err = stockKey(st, ref, i); err != nil {
			return nil, err
		}
	}

	stamp := ledger.Stamp(now)
	p := &Product{
		Supplier: supplier, ID: req.ID,
		Attributes: canonical, AttributesHash: hash,
		Terms: req.Terms, Version: 1, Shards: shards,
		RegisteredAt: stamp, UpdatedAt: stamp,
	}
	if err := put(st, key, p); err != nil {
		return nil, err
	}
	// A missing shard reads as zero, so empty shards need no row; the
	// product key's absence proved that no stock row exists yet.
	for i, units := range split {
		if units == 0 {
			continue
		}
		if err := putShard(st, stockKeys[i], units); err != nil {
			return nil, err
		}
	}
	ev.Emit(RegisteredEvent{
		Type: EventRegistered, Supplier: supplier, ID: req.ID,
		Version: p.Version, AttributesHash: hash, Stock: req.Stock,
	})
	return p, nil
}

// UpdateTerms replaces the terms of supplier's product id, bumping its
// version. Only the product's supplier can: supplier is the caller's
// account, and another supplier's product is not under that key
// (NOT_FOUND).
//
// Refusals, in this order: INVALID_ARGUMENT for invalid terms or malformed
// attributes; NOT_FOUND; IMMUTABLE when req.Attributes is sent and differs
// canonically from the stored attributes; INVALID_STATE when the product is
// discontinued (discontinued is final: its terms never change again);
// INVALID_ARGUMENT when the terms equal the stored ones (an update that
// changes nothing would still bump the version).
//
// Reads and writes the product key. Emits product.terms_updated.
func UpdateTerms(st ledger.State, ev ledger.Emitter, supplier, id string, req UpdateRequest) (*Product, error) {
	ref := Ref{Supplier: supplier, ID: id}
	if err := ref.Validate(); err != nil {
		return nil, err
	}
	if err := req.Terms.Validate(); err != nil {
		return nil, err
	}
	var sentHash string
	if len(req.Attributes) > 0 {
		var err error
		if _, sentHash, err = Canonical(req.Attributes); err != nil {
			return nil, err
		}
	}
	key, err := productKey(st, ref)
	if err != nil {
		return nil, err
	}
	p, err := mustLoad(st, key, ref)
	if err != nil {
		return nil, err
	}
	if len(req.Attributes) > 0 && sentHash != p.AttributesHash {
		return nil, errs.New(errs.Immutable, "attributes of product %s cannot change (stored hash %s, sent %s); register a new product instead", ref, p.AttributesHash, sentHash)
	}
	if p.Terms.Status == Discontinued {
		return nil, errs.New(errs.InvalidState, "product %s is discontinued, which is final", ref)
	}
	if p.Terms == req.Terms {
		return nil, errs.New(errs.InvalidArgument, "terms unchanged: product %s already has these terms", ref)
	}
	now, err := ledger.TxTime(st)
	if err != nil {
		return nil, err
	}
	p.Terms = req.Terms
	p.Version++
	p.UpdatedAt = ledger.Stamp(now)
	if err := put(st, key, p); err != nil {
		return nil, err
	}
	ev.Emit(TermsUpdatedEvent{Type: EventTermsUpdated, Supplier: supplier, ID: id, Version: p.Version, Terms: p.Terms})
	return p, nil
}

// Get returns the product ref names: INVALID_ARGUMENT for a malformed ref,
// NOT_FOUND when there is none. Reads the product key.
func Get(st ledger.State, ref Ref) (*Product, error) {
	if err := ref.Validate(); err != nil {
		return nil, err
	}
	key, err := productKey(st, ref)
	if err != nil {
		return nil, err
	}
	return mustLoad(st, key, ref)
}

// Verify checks an off-chain description against the product's stored
// attributes: Match is true when attributes are, canonically, the stored
// ones. Anyone may call it. Malformed attributes are INVALID_ARGUMENT, an
// unknown product NOT_FOUND. Reads the product key.
func Verify(st ledger.State, ref Ref, attributes json.RawMessage) (*Verification, error) {
	if err := ref.Validate(); err != nil {
		return nil, err
	}
	_, hash, err := Canonical(attributes)
	if err != nil {
		return nil, err
	}
	p, err := Get(st, ref)
	if err != nil {
		return nil, err
	}
	return &Verification{Match: hash == p.AttributesHash, Hash: hash, StoredHash: p.AttributesHash, Version: p.Version}, nil
}

// productKey is the key of ref's product document.
func productKey(st ledger.State, ref Ref) (string, error) {
	return ledger.Key(st, ProductType, ref.Supplier, ref.ID)
}

// load reads the product under key, reporting whether it exists.
func load(st ledger.State, key string) (*Product, bool, error) {
	var p Product
	found, err := ledger.GetJSON(st, key, &p)
	if err != nil || !found {
		return nil, false, err
	}
	return &p, true, nil
}

// mustLoad is load with NOT_FOUND for a missing product.
func mustLoad(st ledger.State, key string, ref Ref) (*Product, error) {
	p, found, err := load(st, key)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, errs.New(errs.NotFound, "product %s not found", ref)
	}
	return p, nil
}

// put stores p; ledger.PutJSON keeps the embedded attributes as the
// canonical bytes that AttributesHash is the hash of.
func put(st ledger.State, key string, p *Product) error {
	return ledger.PutJSON(st, key, p)
}
