package chaincode

import (
	"github.com/likrcommerce/likr/contracts/access"
	"github.com/likrcommerce/likr/contracts/config"
)

// ConfigContract is the `config` contract. Init's request, for example:
//
//	{"operatorMsp":"Org1MSP",
//	 "trusted":{"admin":["Org1MSP"],"auditor":["Org1MSP"],"moderator":["Org1MSP"],
//	            "supplier":["Org2MSP"],"seller":["Org2MSP"]},
//	 "platformFeeBps":500,"supplyCap":"1000000000000",
//	 "autoReleaseSeconds":604800,"disputeTimeoutSeconds":1209600,"stockShards":16}
type ConfigContract struct{ base }

// Init stores the first config (submit). Caller: likr.role=admin of the
// operator MSP named in the request; once only.
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
	ctx.Emit(Event{Type: "config.initialised", By: caller.Account})
	return nil
}

// Update replaces the config (submit). Caller: admin.
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
	ctx.Emit(Event{Type: "config.updated", By: caller.Account})
	return nil
}

// Get returns the config (evaluate). Caller: anyone.
func (c *ConfigContract) Get(ctx *Context) (string, error) {
	cfg, err := config.Get(ctx.GetStub())
	if err != nil {
		return "", err
	}
	return result(cfg)
}

// WhoAmI returns the caller's MSP, account, claimed and effective role
// (evaluate). Caller: anyone; before Init nobody holds a role.
func (c *ConfigContract) WhoAmI(ctx *Context) (string, error) {
	caller, err := ctx.Caller()
	if err != nil {
		return "", err
	}
	return result(caller)
}
