package chaincode

import (
	"errors"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/likrcommerce/likr/contracts/access"
	"github.com/likrcommerce/likr/contracts/config"
	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/wallet"
)

// Context is the per-invocation transaction context: contract-api creates a
// fresh one for every call (reflect.New of this type), so nothing here
// outlives a transaction. It gives a contract method the ledger state
// (GetStub), the caller and the config, each read at most once per
// transaction, and collects the business events of the transaction's one
// chaincode event.
type Context struct {
	contractapi.TransactionContext
	cfg     *config.Config // nil before config:Init
	cfgRead bool
	caller  *access.Caller
	keeper  *wallet.Keeper
	events  []any
}

// Wallet returns the transaction's one wallet Keeper (see package wallet:
// two in one transaction would hand out the same coin IDs). Its balance
// changes join the transaction's business events as they happen.
func (c *Context) Wallet() *wallet.Keeper {
	if c.keeper == nil {
		c.keeper = wallet.NewKeeper(c.GetStub()).ReportTo(c)
	}
	return c.keeper
}

// lookupConfig returns the config, or nil before config:Init.
func (c *Context) lookupConfig() (*config.Config, error) {
	if c.cfgRead {
		return c.cfg, nil
	}
	cfg, err := config.Get(c.GetStub())
	if err != nil && !errors.Is(err, errs.ErrNotFound) {
		return nil, err
	}
	c.cfg, c.cfgRead = cfg, true
	return cfg, nil
}

// Config returns the channel config; INVALID_STATE before config:Init.
func (c *Context) Config() (*config.Config, error) {
	cfg, err := c.lookupConfig()
	if err != nil {
		return nil, err
	}
	if cfg == nil {
		return nil, errs.New(errs.InvalidState, "config not initialised: an admin must call config:Init first")
	}
	return cfg, nil
}

// Caller identifies the caller; before config:Init nobody holds a role.
func (c *Context) Caller() (access.Caller, error) {
	if c.caller != nil {
		return *c.caller, nil
	}
	cfg, err := c.lookupConfig()
	if err != nil {
		return access.Caller{}, err
	}
	var trust access.Trust
	if cfg != nil { // a nil *Config in the interface would not be nil
		trust = cfg
	}
	caller, err := access.Identify(c.GetStub(), trust)
	if err != nil {
		return access.Caller{}, err
	}
	c.caller = &caller
	return caller, nil
}

// Authorize identifies the caller and refuses it with FORBIDDEN unless p
// admits it; contract methods call it first, in one line. Before
// config:Init no MSP is trusted for any role, so a refusal then is
// INVALID_STATE: what is missing is the config, not the caller's role.
func (c *Context) Authorize(p access.Policy) (access.Caller, error) {
	caller, err := c.Caller()
	if err != nil {
		return caller, err
	}
	if err := caller.Require(p); err != nil {
		if _, missing := c.Config(); missing != nil {
			return caller, missing
		}
		return caller, err
	}
	return caller, nil
}

// Emit records business events for the transaction's chaincode event, in
// order. Each must encode as a JSON object with a "type" field.
func (c *Context) Emit(events ...any) {
	c.events = append(c.events, events...)
}

// Event is a business event that carries no more than who caused it.
type Event struct {
	Type string `json:"type"`
	By   string `json:"by"`
}
