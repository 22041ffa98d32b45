package moderation

import (
	"math"
	"strings"

	"github.com/likrcommerce/likr/contracts/codec"
	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/contracts/wallet"
)

// Object types of the composite keys (see the package doc).
const (
	moderatorType  = "moderator"
	reputationType = "modrep"
)

// MaxDescriptionRunes bounds a moderator's description.
const MaxDescriptionRunes = 500

// Fee is what a moderator charges for resolving a dispute: Flat plus Bps of
// the disputed total, never more than the total.
type Fee struct {
	Bps  money.Rate   `json:"bps"`
	Flat money.Amount `json:"flat"`
}

// Validate refuses a rate above 100 % (INVALID_ARGUMENT). JSON decoding
// already refuses one; a Fee built in Go (money.Rate(20000)) is checked
// here.
func (f Fee) Validate() error {
	if !f.Bps.Valid() {
		return errs.New(errs.InvalidArgument, "fee.bps: %d bp exceeds %d bp (100%%)", f.Bps, money.MaxRate)
	}
	return nil
}

// Equal reports whether f and g charge alike.
func (f Fee) Equal(g Fee) bool { return f.Bps == g.Bps && f.Flat.Equal(g.Flat) }

// For returns the fee for a dispute over total: Flat + floor(total x Bps /
// 10000), capped at total, since a fee never exceeds what is disputed. The
// sum is checked: when it would overflow it is above total anyway, and the
// cap applies. An invalid rate (above 100 %) claims more than total, so it
// yields total too rather than panicking: Register and Update never store
// one, and For must not fail on a path that moves escrow.
func (f Fee) For(total money.Amount) money.Amount {
	if !f.Bps.Valid() {
		return total
	}
	fee, err := f.Flat.Add(total.MulRate(f.Bps))
	if err != nil || fee.GT(total) {
		return total
	}
	return fee
}

// Moderator is a moderator's entry as stored. Field order fixes the stored
// bytes.
type Moderator struct {
	Account     string `json:"account"`
	Fee         Fee    `json:"fee"`
	Description string `json:"description"`
	// Active says whether the moderator takes new disputes. Disputes
	// already open stay with it, at the fee fixed when they opened.
	Active       bool   `json:"active"`
	RegisteredAt string `json:"registeredAt"` // ledger.TimeLayout
	UpdatedAt    string `json:"updatedAt"`    // ledger.TimeLayout
	// Version is 1 at Register and grows by one with every Update.
	Version uint64 `json:"version"`
}

// RegisterRequest is what a moderator sends to register.
type RegisterRequest struct {
	Fee         Fee    `json:"fee"`
	Description string `json:"description"`
}

// Validate checks the fee and the description (INVALID_ARGUMENT).
func (r RegisterRequest) Validate() error {
	if err := r.Fee.Validate(); err != nil {
		return err
	}
	return checkDescription(r.Description)
}

// UpdateRequest is a moderator's complete new entry: every field replaces
// the stored one, so a client sends all three (an omitted "active" would
// be false, and would stop new disputes).
type UpdateRequest struct {
	Fee         Fee    `json:"fee"`
	Description string `json:"description"`
	Active      bool   `json:"active"`
}

// Validate checks the fee and the description (INVALID_ARGUMENT).
func (r UpdateRequest) Validate() error {
	return RegisterRequest{Fee: r.Fee, Description: r.Description}.Validate()
}

// checkDescription accepts 1 to MaxDescriptionRunes runes of text (see
// codec.Text) that are not all white space: a buyer picks a moderator by
// it.
func checkDescription(d string) error {
	if strings.TrimSpace(d) == "" {
		return errs.New(errs.InvalidArgument, "description: a moderator needs a description")
	}
	return codec.Text("description", d, MaxDescriptionRunes)
}

// The event types, stable: clients match on them.
const (
	EventRegistered = "moderation.registered"
	EventUpdated    = "moderation.updated"
)

// Event is emitted by Register and Update with the entry as stored.
type Event struct {
	Type        string `json:"type"`
	Account     string `json:"account"`
	Fee         Fee    `json:"fee"`
	Description string `json:"description"`
	Active      bool   `json:"active"`
	Version     uint64 `json:"version"`
}

func event(typ string, m *Moderator) Event {
	return Event{Type: typ, Account: m.Account, Fee: m.Fee, Description: m.Description, Active: m.Active, Version: m.Version}
}

// Register creates account's entry, active, at version 1. A second Register
// of the same account is ALREADY_EXISTS (Update changes an entry).
func Register(st ledger.State, ev ledger.Emitter, account string, req RegisterRequest) (*Moderator, error) {
	if err := wallet.CheckAccount("account", account); err != nil {
		return nil, err
	}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	key, _, found, err := read(st, account)
	if err != nil {
		return nil, err
	}
	if found {
		return nil, errs.New(errs.AlreadyExists, "moderator %s is already registered; Update changes its entry", account)
	}
	now, err := ledger.TxTime(st)
	if err != nil {
		return nil, err
	}
	stamp := ledger.Stamp(now)
	m := &Moderator{
		Account: account, Fee: req.Fee, Description: req.Description, Active: true,
		RegisteredAt: stamp, UpdatedAt: stamp, Version: 1,
	}
	if err := ledger.PutJSON(st, key, m); err != nil {
		return nil, err
	}
	ev.Emit(event(EventRegistered, m))
	return m, nil
}

// Update replaces account's fee, description and active flag and bumps the
// version. NOT_FOUND when account never registered; INVALID_ARGUMENT when
// nothing changes (a no-op would bump the version for nothing). Disputes
// already open keep the fee fixed when they opened.
func Update(st ledger.State, ev ledger.Emitter, account string, req UpdateRequest) (*Moderator, error) {
	if err := wallet.CheckAccount("account", account); err != nil {
		return nil, err
	}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	key, m, found, err := read(st, account)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, notFound(account)
	}
	if m.Fee.Equal(req.Fee) && m.Description == req.Description && m.Active == req.Active {
		return nil, errs.New(errs.InvalidArgument, "moderator %s is unchanged: the request repeats its current entry", account)
	}
	if m.Version == math.MaxUint64 {
		return nil, errs.New(errs.Overflow, "moderator %s has reached the last version", account)
	}
	now, err := ledger.TxTime(st)
	if err != nil {
		return nil, err
	}
	m.Fee, m.Description, m.Active = req.Fee, req.Description, req.Active
	m.Version++
	m.UpdatedAt = ledger.Stamp(now)
	if err := ledger.PutJSON(st, key, m); err != nil {
		return nil, err
	}
	ev.Emit(event(EventUpdated, m))
	return m, nil
}

// Get reads account's entry, active or not; NOT_FOUND when there is none.
// It is one point read, so submit paths may call it (package order does
// when a dispute opens, and must check Active itself).
func Get(st ledger.State, account string) (*Moderator, error) {
	if err := wallet.CheckAccount("moderator", account); err != nil {
		return nil, err
	}
	_, m, found, err := read(st, account)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, notFound(account)
	}
	return m, nil
}

// read returns the key of account's entry and the entry, if any.
func read(st ledger.State, account string) (string, *Moderator, bool, error) {
	key, err := ledger.Key(st, moderatorType, account)
	if err != nil {
		return "", nil, false, err
	}
	var m Moderator
	found, err := ledger.GetJSON(st, key, &m)
	if err != nil || !found {
		return key, nil, false, err
	}
	return key, &m, true, nil
}

func notFound(account string) error {
	return errs.New(errs.NotFound, "moderator %s is not registered", account)
}
