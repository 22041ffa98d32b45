package chaincode

import (
	"github.com/likrcommerce/likr/contracts/access"
	"github.com/likrcommerce/likr/contracts/config"
)

// ConfigContract is the `config` contract: the channel's configuration and
// the caller's view of itself. The package doc shows Init's request.
type ConfigContract struct{ base }

// Business event types of the config contract.
const (
	EventConfigInitialised = "config.initialised"
	EventConfigUpdated     = "config.updated"
)

// GetEvaluateTransactions tags the read-only transactions in the metadata.
func (c *ConfigContract) GetEvaluateTransactions() []string { return []string{"Get", "WhoAmI"} }

// Init stores the first config (submit). Caller: config's bootstrap rule,
// which depends on the request, so config.Init checks it after decoding:
// likr.role=admin from the request's operator MSP. Once only.
func (c *ConfigContract) Init(ctx *Context, request string) error {
	cfg, err := config.Decode([]byte(request))
	if err != nil {
		return err
	}
	caller, err := ctx.Caller()
	if err != nil {
		return err
	}
	if err := config.Init(ctx.GetStub(), caller, cfg); err != nil {
		return err
	}
	ctx.Emit(Event{Type: EventConfigInitialised, By: caller.Account})
	return nil
}

// Update replaces the config (submit). Caller: admin, whose MSP must stay
// trusted for admin.
func (c *ConfigContract) Update(ctx *Context, request string) error {
	caller, err := ctx.Authorize(access.Admin)
	if err != nil {
		return err
	}
	cfg, err := config.Decode([]byte(request))
	if err != nil {
		return err
	}
	if err := config.Update(ctx.GetStub(), caller, cfg); err != nil {
		return err
	}
	ctx.Emit(Event{Type: EventConfigUpdated, By: caller.Account})
	return nil
}

// Get returns the config (evaluate); NOT_FOUND before Init. Caller: anyone.
func (c *ConfigContract) Get(ctx *Context) (string, error) {
	if _, err := ctx.Authorize(access.Anyone); err != nil {
		return "", err
	}
	cfg, err := config.Get(ctx.GetStub())
	if err != nil {
		return "", err
	}
	return result(cfg)
}

// WhoAmI returns the caller's MSP, account, claimed likr.role and effective
// role (evaluate); it works before Init, when the effective role is always
// consumer. Caller: anyone.
func (c *ConfigContract) WhoAmI(ctx *Context) (string, error) {
	caller, err := ctx.Authorize(access.Anyone)
	if err != nil {
		return "", err
	}
	return result(caller)
}
