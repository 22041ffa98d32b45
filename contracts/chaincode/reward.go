package chaincode

import (
	"github.com/likrcommerce/likr/contracts/access"
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/contracts/reward"
	"github.com/likrcommerce/likr/contracts/wallet"
)

// RewardContract is the `reward` contract: the admin-managed rule table of
// commerce rewards (paid by the commerce contracts inside their own
// transactions, see package reward), the campaign pool, and each account's
// reward history.
type RewardContract struct{ base }

// GetEvaluateTransactions tags the read-only transactions in the metadata.
func (c *RewardContract) GetEvaluateTransactions() []string {
	return []string{"Rules", "History"}
}

// SetRule stores an activity's rule (submit); request is a reward.Rule and
// the result the rule stored. Caller: admin.
func (c *RewardContract) SetRule(ctx *Context, request string) (string, error) {
	if _, err := ctx.Authorize(access.Admin); err != nil {
		return "", err
	}
	var r reward.Rule
	if err := decodeArg("request", request, &r); err != nil {
		return "", err
	}
	if err := reward.SetRule(ctx.GetStub(), ctx, r); err != nil {
		return "", err
	}
	return result(r)
}

// Rules returns every activity's rule, disabled zero rules for those never
// set (evaluate). Caller: anyone.
// likr:evaluate
func (c *RewardContract) Rules(ctx *Context) (string, error) {
	if _, err := ctx.Authorize(access.Anyone); err != nil {
		return "", err
	}
	rules, err := reward.ListRules(ctx.GetStub())
	if err != nil {
		return "", err
	}
	return result(struct {
		Rules []reward.Rule `json:"rules"`
	}{rules})
}

// FundPool pays amount from the caller's input coins into the campaign
// pool (submit). Caller: admin, from its own coins.
func (c *RewardContract) FundPool(ctx *Context, amount, inputs string) error {
	if _, err := ctx.Authorize(access.Admin); err != nil {
		return err
	}
	value, err := money.ParseAmount(amount)
	if err != nil {
		return err
	}
	return spend(ctx, inputs, func(k *wallet.Keeper, payer string, coins []string) error {
		return reward.FundPool(k, payer, coins, value)
	})
}

// BatchReward pays amountEach to every recipient (a JSON array of
// accounts) for a campaign, from the pool's coins named in poolInputs (a
// JSON array of coin IDs, which wallet:Coins lists for the pool); count x
// amount is checked before anything moves, and each (campaign, recipient)
// is paid at most once (submit). Caller: admin.
func (c *RewardContract) BatchReward(ctx *Context, recipients, amountEach, campaign, poolInputs string) error {
	if _, err := ctx.Authorize(access.Admin); err != nil {
		return err
	}
	to, err := decodeRecipients(recipients)
	if err != nil {
		return err
	}
	value, err := money.ParseAmount(amountEach)
	if err != nil {
		return err
	}
	var coins []string
	if err := decodeArg("poolInputs", poolInputs, &coins); err != nil {
		return err
	}
	return reward.BatchReward(ctx.GetStub(), ctx.Wallet(), ctx, coins, to, value, campaign)
}

// History lists the rewards an account received, oldest first, a page at a
// time (evaluate). Caller: the account itself, auditors and admins.
// likr:evaluate
func (c *RewardContract) History(ctx *Context, account, pageSize, bookmark string) (string, error) {
	if err := wallet.CheckAccount("account", account); err != nil {
		return "", err
	}
	if _, err := ctx.Authorize(access.SelfOr(account, access.Auditor, access.Admin)); err != nil {
		return "", err
	}
	size, err := parsePageSize(pageSize)
	if err != nil {
		return "", err
	}
	page, err := reward.History(ctx.GetStub(), account, size, bookmark)
	if err != nil {
		return "", err
	}
	return result(page)
}
