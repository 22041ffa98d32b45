// Package config is the channel's Likr configuration: who runs the
// platform, which MSPs are trusted for each role, the platform fee, the
// coin supply cap, timeouts and shard counts. It is stored as one JSON
// document, read by most transactions and written only by rare admin
// updates, so it is not a hot key.
package config

import (
	"encoding/json"
	"errors"

	"github.com/likrcommerce/likr/contracts/access"
	"github.com/likrcommerce/likr/contracts/codec"
	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/money"
)

// Key is the config document's key. Simple keys never collide with
// composite keys, which start with U+0000.
const Key = "likr.config"

// Bounds of the numeric settings.
const (
	MaxTimeoutSeconds = 366 * 24 * 3600
	MaxStockShards    = 256
)

// Config is the configuration. Field order fixes the stored bytes.
type Config struct {
	OperatorMSP           string       `json:"operatorMsp"`
	Trusted               Trusted      `json:"trusted"`
	PlatformFeeBps        money.Rate   `json:"platformFeeBps"`
	SupplyCap             money.Amount `json:"supplyCap"`
	AutoReleaseSeconds    int64        `json:"autoReleaseSeconds"`
	DisputeTimeoutSeconds int64        `json:"disputeTimeoutSeconds"`
	StockShards           int          `json:"stockShards"`
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

func (t Trusted) msps(role access.Role) []string {
	switch role {
	case access.Admin:
		return t.Admin
	case access.Supplier:
		return t.Supplier
	case access.Seller:
		return t.Seller
	case access.Moderator:
		return t.Moderator
	case access.Auditor:
		return t.Auditor
	}
	return nil
}

// Trusts implements access.Trust.
func (c *Config) Trusts(role access.Role, mspID string) bool {
	for _, m := range c.Trusted.msps(role) {
		if m == mspID {
			return true
		}
	}
	return false
}

// Validate checks every field, naming the first that is wrong.
func (c *Config) Validate() error {
	if err := codec.ID("operatorMsp", c.OperatorMSP); err != nil {
		return err
	}
	for _, role := range []access.Role{access.Admin, access.Supplier, access.Seller, access.Moderator, access.Auditor} {
		seen := map[string]bool{}
		for _, m := range c.Trusted.msps(role) {
			if err := codec.ID("trusted."+string(role), m); err != nil {
				return err
			}
			if seen[m] {
				return errs.New(errs.InvalidArgument, "trusted.%s lists %s twice", role, m)
			}
			seen[m] = true
		}
	}
	if !c.Trusts(access.Admin, c.OperatorMSP) {
		return errs.New(errs.InvalidArgument, "trusted.admin must include the operator MSP %s", c.OperatorMSP)
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
	if c.StockShards < 1 || c.StockShards > MaxStockShards {
		return errs.New(errs.InvalidArgument, "stockShards %d must be between 1 and %d", c.StockShards, MaxStockShards)
	}
	return nil
}

// Decode strictly decodes and validates a config document.
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
	var c Config
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, errs.Wrap(errs.Internal, err, "stored config")
	}
	return &c, nil
}

// Init stores the first config. Bootstrap rule: the caller must carry
// likr.role=admin and belong to the operator MSP, which the config must
// trust for admin; a second Init is ALREADY_EXISTS.
func Init(st ledger.State, caller access.Caller, c *Config) error {
	if _, err := Get(st); err == nil {
		return errs.New(errs.AlreadyExists, "config already initialised; use config:Update")
	} else if !errors.Is(err, errs.ErrNotFound) {
		return err
	}
	if caller.ClaimedRole != string(access.Admin) || caller.MSPID != c.OperatorMSP {
		return errs.New(errs.Forbidden, "config:Init needs likr.role=admin from the operator MSP %s; caller is %q of %s", c.OperatorMSP, caller.ClaimedRole, caller.MSPID)
	}
	return put(st, c)
}

// Update replaces the config. The caller must be an admin under the current
// config and must stay trusted for admin under the new one, so an admin
// cannot lock the operator out.
func Update(st ledger.State, caller access.Caller, c *Config) error {
	if _, err := Get(st); err != nil {
		return err
	}
	if err := caller.Require(access.Admin); err != nil {
		return err
	}
	if !c.Trusts(access.Admin, caller.MSPID) {
		return errs.New(errs.InvalidArgument, "trusted.admin must keep the caller's MSP %s", caller.MSPID)
	}
	return put(st, c)
}

func put(st ledger.State, c *Config) error {
	data, err := json.Marshal(c)
	if err != nil {
		return errs.Wrap(errs.Internal, err, "encode config")
	}
	if err := st.PutState(Key, data); err != nil {
		return errs.Wrap(errs.Internal, err, "write config")
	}
	return nil
}
