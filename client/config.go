package client

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/likrcommerce/likr/contracts/access"
	"github.com/likrcommerce/likr/contracts/money"
)

// Config is the channel's Likr configuration, as config:Get returns it and
// config:Init and config:Update take it.
type Config struct {
	OperatorMSP           string       `json:"operatorMsp"`
	Trusted               Trusted      `json:"trusted"`
	PlatformFeeBps        money.Rate   `json:"platformFeeBps"`
	SupplyCap             money.Amount `json:"supplyCap"`
	AutoReleaseSeconds    int64        `json:"autoReleaseSeconds"`
	DisputeTimeoutSeconds int64        `json:"disputeTimeoutSeconds"`
	StockShards           int          `json:"stockShards"`
	ReviewWindowSeconds   int64        `json:"reviewWindowSeconds"` // 0: AutoReleaseSeconds
}

// Trusted lists, per role, the MSPs whose likr.role attribute counts.
type Trusted struct {
	Admin     []string `json:"admin"`
	Supplier  []string `json:"supplier"`
	Seller    []string `json:"seller"`
	Moderator []string `json:"moderator"`
	Auditor   []string `json:"auditor"`
}

// Caller is who config:WhoAmI says the caller is: MSP, account, the
// likr.role its certificate claims and the role that counts.
type Caller = access.Caller

// Role is a caller's role; see the constants of package access.
type Role = access.Role

// InitConfig stores the first config (config:Init). Caller: likr.role=admin
// of the operator MSP the config names; once only (ALREADY_EXISTS after).
func (c *Client) InitConfig(ctx context.Context, cfg Config) (Receipt, error) {
	return c.submitJSON(ctx, "config:Init", cfg)
}

// UpdateConfig replaces the config (config:Update). Caller: admin, who must
// stay trusted for admin.
func (c *Client) UpdateConfig(ctx context.Context, cfg Config) (Receipt, error) {
	return c.submitJSON(ctx, "config:Update", cfg)
}

// Config reads the config (config:Get); NOT_FOUND before InitConfig.
func (c *Client) Config(ctx context.Context) (Config, error) {
	return evaluateJSON[Config](ctx, c, "config:Get")
}

// WhoAmI returns the caller as the chaincode sees it (config:WhoAmI).
func (c *Client) WhoAmI(ctx context.Context) (Caller, error) {
	return evaluateJSON[Caller](ctx, c, "config:WhoAmI")
}

// submitJSON submits fn with v as its one JSON argument.
func (c *Client) submitJSON(ctx context.Context, fn string, v any) (Receipt, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return Receipt{}, fmt.Errorf("%s: encoding the request: %w", fn, err)
	}
	return c.Submit(ctx, fn, string(data))
}

// evaluateJSON evaluates fn and decodes its JSON result into a T.
func evaluateJSON[T any](ctx context.Context, c *Client, fn string, args ...string) (T, error) {
	var v T
	out, err := c.Evaluate(ctx, fn, args...)
	if err != nil {
		return v, err
	}
	if err := json.Unmarshal(out, &v); err != nil {
		return v, fmt.Errorf("%s: decoding the result: %w", fn, err)
	}
	return v, nil
}
