package chaincode

import (
	"errors"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/likrcommerce/likr/contracts/access"
	"github.com/likrcommerce/likr/contracts/config"
	"github.com/likrcommerce/likr/contracts/errs"
)

// Context is the per-invocation transaction context: contract-api creates a
// fresh one for every call, so its fields never leak between transactions.
type Context struct {
	contractapi.TransactionContext
	cfg    *config.Config
	caller *access.Caller
	events []any
}

// Config returns the channel config; INVALID_STATE before config:Init.
func (c *Context) Config() (*config.Config, error) {
	if c.cfg != nil {
		return c.cfg, nil
	}
	cfg, err := config.Get(c.GetStub())
	if errors.Is(err, errs.ErrNotFound) {
		return nil, errs.New(errs.InvalidState, "config not initialised: an admin must call config:Init first")
	}
	if err != nil {
		return nil, err
	}
	c.cfg = cfg
	return cfg, nil
}

// Caller identifies the caller under the current config (no role before
// config:Init).
func (c *Context) Caller() (access.Caller, error) {
	if c.caller != nil {
		return *c.caller, nil
	}
	var trust access.Trust
	if cfg, err := config.Get(c.GetStub()); err == nil {
		trust = cfg
	} else if !errors.Is(err, errs.ErrNotFound) {
		return access.Caller{}, err
	}
	caller, err := access.Identify(c.GetStub(), trust)
	if err != nil {
		return access.Caller{}, err
	}
	c.caller = &caller
	return caller, nil
}

// Authorize identifies the caller and requires one of roles (none: anyone).
// Contract methods call it first, in one line.
func (c *Context) Authorize(roles ...access.Role) (access.Caller, error) {
	caller, err := c.Caller()
	if err != nil {
		return caller, err
	}
	return caller, caller.Require(roles...)
}

// Emit records business events for the transaction's chaincode event.
func (c *Context) Emit(events ...any) {
	c.events = append(c.events, events...)
}

// Event is a business event without a payload of its own type.
type Event struct {
	Type string `json:"type"`
	By   string `json:"by,omitempty"`
}
