package chaincode

import (
	"encoding/json"

	"github.com/likrcommerce/likr/contracts/access"
	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/moderation"
)

// ModerationContract is the `moderation` contract: the directory of
// dispute moderators, each with a fee, a description and a reputation
// counted from the disputes it resolved (package order records those). An
// entry is the caller's own: a moderator registers and updates itself.
//
//	moderation:Register(request)        submit    moderator
//	moderation:Update(request)          submit    moderator, its own entry
//	moderation:Get(account)             evaluate  anyone
//	moderation:List(pageSize, bookmark) evaluate  anyone
type ModerationContract struct{ base }

// GetEvaluateTransactions tags the read-only transactions in the metadata.
func (c *ModerationContract) GetEvaluateTransactions() []string {
	return []string{"Get", "List"}
}

// Register enters the caller in the directory, active (submit); request is
// a moderation.RegisterRequest, whose "fee" and "description" are both
// required. Caller: moderator.
func (c *ModerationContract) Register(ctx *Context, request string) (string, error) {
	caller, err := ctx.Authorize(access.Moderator)
	if err != nil {
		return "", err
	}
	var req moderation.RegisterRequest
	if err := decodeComplete(request, &req, "fee", "description"); err != nil {
		return "", err
	}
	m, err := moderation.Register(ctx.GetStub(), ctx, caller.Account, req)
	if err != nil {
		return "", err
	}
	return result(m)
}

// Update replaces the caller's fee, description and active flag (submit);
// request is a moderation.UpdateRequest with all three fields. Disputes
// already open keep the fee fixed when they opened. Caller: moderator, for
// its own entry.
func (c *ModerationContract) Update(ctx *Context, request string) (string, error) {
	caller, err := ctx.Authorize(access.Moderator)
	if err != nil {
		return "", err
	}
	var req moderation.UpdateRequest
	if err := decodeComplete(request, &req, "fee", "description", "active"); err != nil {
		return "", err
	}
	m, err := moderation.Update(ctx.GetStub(), ctx, caller.Account, req)
	if err != nil {
		return "", err
	}
	return result(m)
}

// Get returns a moderator's entry with its reputation (evaluate). Caller:
// anyone, since a buyer picks a moderator by it.
// likr:evaluate
func (c *ModerationContract) Get(ctx *Context, account string) (string, error) {
	if _, err := ctx.Authorize(access.Anyone); err != nil {
		return "", err
	}
	p, err := moderation.Profile(ctx.GetStub(), account)
	if err != nil {
		return "", err
	}
	return result(p)
}

// List returns a page of moderators with their reputation, in account
// order, inactive ones included (evaluate). Caller: anyone.
// likr:evaluate
func (c *ModerationContract) List(ctx *Context, pageSize, bookmark string) (string, error) {
	if _, err := ctx.Authorize(access.Anyone); err != nil {
		return "", err
	}
	size, err := parsePageSize(pageSize)
	if err != nil {
		return "", err
	}
	page, err := moderation.List(ctx.GetStub(), size, bookmark)
	if err != nil {
		return "", err
	}
	return result(page)
}

// decodeComplete strictly decodes the JSON request into v and requires
// each of fields to be present. A moderator's request replaces its whole
// entry, so a field left out would not be "unchanged" but zero: an omitted
// "active" would stop new disputes, an omitted "fee" would make the
// moderator free.
func decodeComplete(request string, v any, fields ...string) error {
	if err := decodeArg("request", request, v); err != nil {
		return err
	}
	// The request decoded strictly into a struct, so it is one JSON object
	// without duplicate keys.
	var present map[string]json.RawMessage
	if err := json.Unmarshal([]byte(request), &present); err != nil {
		return argError("request", err)
	}
	for _, f := range fields {
		if _, ok := present[f]; !ok {
			return errs.New(errs.InvalidArgument, "request: %s is required", f)
		}
	}
	return nil
}
