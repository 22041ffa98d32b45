// Package config is the channel's Likr configuration: who runs the
// platform, which MSPs are trusted for each role, the platform fee, the coin
// supply cap, timeouts and the stock shard count.
//
// # Key layout
//
//	likr.config   -> Config as canonical JSON
//
// One simple key (composite keys start with U+0000, so it cannot collide with
// them). Most transactions read it; only config:Init and config:Update write
// it, both rare admin operations, so it is not a hot key.
//
// The stored bytes are canonical: fields in declaration order, every MSP
// list sorted and never null. The same configuration, however its request
// ordered the lists, is stored as the same bytes, and Get returns lists in
// sorted order.
//
// # Who may write it
//
// Init bootstraps the channel, when nobody holds a role yet. Its rule: the
// caller's certificate carries likr.role=admin, and the caller's MSP is the
// request's operatorMsp, which the request must also trust for admin. So
// only the operator org's CA can found the platform, and the founder is an
// admin of the configuration it writes. A second Init is ALREADY_EXISTS.
//
// Update is for admins (the contract layer checks that). It replaces the
// whole document, which must be valid, and must keep the caller's own MSP
// trusted for admin, so an admin cannot lock its org out.
//
// # Adding a setting
//
// Documents stored by an older chaincode lack a newer field, so Get decodes
// them leniently (unlike requests, which Decode reads strictly) and a new
// field must give its zero value a meaning, or Get must fill a default. Add
// the field to Validate with its bounds, and to the client library's
// mirror of Config.
package config

import (
	"encoding/json"
	"errors"
	"slices"
	"time"

	"github.com/likrcommerce/likr/contracts/access"
	"github.com/likrcommerce/likr/contracts/codec"
	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/money"
)

// Key is the config document's key.
const Key = "likr.config"

// Bounds of the numeric settings.
const (
	// MaxTimeoutSeconds (a leap year) bounds every timeout, so a typo
	// cannot park escrow for centuries.
	MaxTimeoutSeconds = 366 * 24 * 3600
	// MaxStockShards bounds how many keys one product's stock is split
	// over: enough to spread hundreds of concurrent orders, few enough
	// that a shortage scan stays cheap.
	MaxStockShards = 256
)

// Config is the configuration. Field order fixes the stored bytes.
type Config struct {
	// OperatorMSP is the org that runs the platform and founded it.
	OperatorMSP string `json:"operatorMsp"`
	// Trusted lists the MSPs whose likr.role attribute counts, per role.
	Trusted Trusted `json:"trusted"`
	// PlatformFeeBps is the platform's share of each settled order.
	PlatformFeeBps money.Rate `json:"platformFeeBps"`
	// SupplyCap bounds the coin ever minted (burning does not free room).
	SupplyCap money.Amount `json:"supplyCap"`
	// AutoReleaseSeconds after shipping, escrow is released to the seller
	// unless the buyer confirmed or disputed earlier.
	AutoReleaseSeconds int64 `json:"autoReleaseSeconds"`
	// DisputeTimeoutSeconds after a dispute opens without a ruling, an
	// admin may resolve it instead of the moderator.
	DisputeTimeoutSeconds int64 `json:"disputeTimeoutSeconds"`
	// StockShards is how many keys a product's stock is split over.
	StockShards int `json:"stockShards"`
	// ReviewWindowSeconds after settlement, an order's unclaimed review
	// and conversion reward reserve may be returned to the platform. Zero
	// (as in configs stored before the setting existed) means
	// AutoReleaseSeconds.
	ReviewWindowSeconds int64 `json:"reviewWindowSeconds"`
}

// ReviewWindow returns how long a settled order's reward reserve waits
// for the buyer's review.
func (c *Config) ReviewWindow() time.Duration {
	if c.ReviewWindowSeconds == 0 {
		return time.Duration(c.AutoReleaseSeconds) * time.Second
	}
	return time.Duration(c.ReviewWindowSeconds) * time.Second
}

// Trusted lists, per role, the MSPs whose likr.role attribute counts. A
// struct rather than a map, so the stored bytes are deterministic.
type Trusted struct {
	Admin     []string `json:"admin"`
	Supplier  []string `json:"supplier"`
	Seller    []string `json:"seller"`
	Moderator []string `json:"moderator"`
	Auditor   []string `json:"auditor"`
}

// list returns a pointer to role's MSP list: the one place that maps roles
// to fields, for reading and for canonicalising.
func (t *Trusted) list(role access.Role) *[]string {
	switch role {
	case access.Admin:
		return &t.Admin
	case access.Supplier:
		return &t.Supplier
	case access.Seller:
		return &t.Seller
	case access.Moderator:
		return &t.Moderator
	case access.Auditor:
		return &t.Auditor
	}
	return nil
}

// Trusts implements access.Trust.
func (c *Config) Trusts(role access.Role, mspID string) bool {
	l := c.Trusted.list(role)
	return l != nil && slices.Contains(*l, mspID)
}

// Validate checks every field and names the first that is wrong
// (INVALID_ARGUMENT).
func (c *Config) Validate() error {
	if err := codec.ID("operatorMsp", c.OperatorMSP); err != nil {
		return err
	}
	for _, role := range access.Roles() {
		field := "trusted." + string(role)
		msps := *c.Trusted.list(role)
		for i, m := range msps {
			if err := codec.ID(field, m); err != nil {
				return err
			}
			if slices.Contains(msps[:i], m) {
				return errs.New(errs.InvalidArgument, "%s lists %s twice", field, m)
			}
		}
	}
	if !c.Trusts(access.Admin, c.OperatorMSP) {
		return errs.New(errs.InvalidArgument, "trusted.admin must include the operator MSP %s", c.OperatorMSP)
	}
	if !c.PlatformFeeBps.Valid() {
		return errs.New(errs.InvalidArgument, "platformFeeBps %d must be at most %d", c.PlatformFeeBps, money.MaxRate)
	}
	if c.SupplyCap.IsZero() {
		return errs.New(errs.InvalidArgument, "supplyCap must be greater than zero")
	}
	for _, t := range []struct {
		name string
		v    int64
	}{{"autoReleaseSeconds", c.AutoReleaseSeconds}, {"disputeTimeoutSeconds", c.DisputeTimeoutSeconds}} {
		if t.v < 1 || t.v > MaxTimeoutSeconds {
			return errs.New(errs.InvalidArgument, "%s %d must be between 1 and %d", t.name, t.v, MaxTimeoutSeconds)
		}
	}
	if c.ReviewWindowSeconds < 0 || c.ReviewWindowSeconds > MaxTimeoutSeconds {
		return errs.New(errs.InvalidArgument, "reviewWindowSeconds %d must be between 0 (the auto-release time) and %d", c.ReviewWindowSeconds, MaxTimeoutSeconds)
	}
	if c.StockShards < 1 || c.StockShards > MaxStockShards {
		return errs.New(errs.InvalidArgument, "stockShards %d must be between 1 and %d", c.StockShards, MaxStockShards)
	}
	return nil
}

// Decode strictly decodes a request (see codec.Decode) and validates it.
func Decode(data []byte) (*Config, error) {
	var c Config
	if err := codec.Decode(data, &c); err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// Get reads the config; NOT_FOUND before Init.
func Get(st ledger.State) (*Config, error) {
	data, err := st.GetState(Key)
	if err != nil {
		return nil, errs.Wrap(errs.Internal, err, "read config")
	}
	if data == nil {
		return nil, errs.New(errs.NotFound, "config not initialised: an admin must call config:Init")
	}
	// Lenient on purpose: see "Adding a setting" in the package doc.
	var c Config
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, errs.Wrap(errs.Internal, err, "stored config")
	}
	return &c, nil
}

// Init stores the first config under the bootstrap rule of the package doc.
// The rule is checked against c, so c is validated first.
func Init(st ledger.State, caller access.Caller, c *Config) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if caller.ClaimedRole != string(access.Admin) || caller.MSPID != c.OperatorMSP {
		return errs.New(errs.Forbidden, "config:Init requires likr.role=admin from the operator MSP %s; caller %s of %s claims %q",
			c.OperatorMSP, caller.Account, caller.MSPID, caller.ClaimedRole)
	}
	if _, err := Get(st); err == nil {
		return errs.New(errs.AlreadyExists, "config already initialised; use config:Update")
	} else if !errors.Is(err, errs.ErrNotFound) {
		return err
	}
	return put(st, c)
}

// Update replaces the config with c. The caller must already be authorised
// as an admin; Update enforces what depends on the documents: a config
// exists (Init's bootstrap rule cannot be bypassed), c is valid, and c still
// trusts the caller's MSP for admin.
func Update(st ledger.State, caller access.Caller, c *Config) error {
	if _, err := Get(st); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return err
	}
	if !c.Trusts(access.Admin, caller.MSPID) {
		return errs.New(errs.InvalidArgument, "trusted.admin must keep the caller's MSP %s, or no admin of it could update the config again", caller.MSPID)
	}
	return put(st, c)
}

// put stores c in canonical form (see the package doc). It copies the lists
// it sorts, so the caller's c is left as it was.
func put(st ledger.State, c *Config) error {
	canon := *c
	for _, role := range access.Roles() {
		l := canon.Trusted.list(role)
		*l = slices.Sorted(slices.Values(*l))
		if *l == nil {
			*l = []string{}
		}
	}
	data, err := json.Marshal(&canon)
	if err != nil {
		return errs.Wrap(errs.Internal, err, "encode config")
	}
	if err := st.PutState(Key, data); err != nil {
		return errs.Wrap(errs.Internal, err, "write config")
	}
	return nil
}
