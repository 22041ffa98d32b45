package chaincode

import (
	"github.com/likrcommerce/likr/contracts/access"
	"github.com/likrcommerce/likr/contracts/codec"
	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/contracts/wallet"
)

// WalletContract is the `wallet` contract. A payer is always the caller;
// payments name the caller's coins to spend (inputs: a JSON array of coin
// IDs, which wallet:Coins lists), so a payment reads only the payer's own
// rows and a credit is a blind write.
type WalletContract struct{ base }

// Mint creates coins for an account, up to the config's supply cap
// (submit). Caller: admin.
func (w *WalletContract) Mint(ctx *Context, to, amount string) error {
	if _, err := ctx.Authorize(access.Admin); err != nil {
		return err
	}
	cfg, err := ctx.Config()
	if err != nil {
		return err
	}
	value, err := parseAccountAndAmount(to, amount)
	if err != nil {
		return err
	}
	k := wallet.NewKeeper(ctx.GetStub())
	if err := k.Mint(to, value, cfg.SupplyCap); err != nil {
		return err
	}
	emitWallet(ctx, k)
	return nil
}

// Transfer pays amount from the caller's inputs to an account (submit).
// Caller: anyone, for its own coins.
func (w *WalletContract) Transfer(ctx *Context, to, amount, inputs string) error {
	value, err := parseAccountAndAmount(to, amount)
	if err != nil {
		return err
	}
	return spend(ctx, inputs, func(k *wallet.Keeper, payer string, coins []string) error {
		return k.Transfer(payer, coins, to, value)
	})
}

// BatchTransfer pays amountEach to every recipient (a JSON array of
// accounts) from the caller's inputs; count x amount is checked before
// anything moves (submit). Caller: anyone, for its own coins.
func (w *WalletContract) BatchTransfer(ctx *Context, recipients, amountEach, inputs string) error {
	var to []string
	if err := codec.Decode([]byte(recipients), &to); err != nil {
		return err
	}
	value, err := money.ParseAmount(amountEach)
	if err != nil {
		return err
	}
	return spend(ctx, inputs, func(k *wallet.Keeper, payer string, coins []string) error {
		return k.BatchTransfer(payer, coins, to, value)
	})
}

// Burn destroys amount of the caller's coins (submit). Caller: anyone, for
// its own coins.
func (w *WalletContract) Burn(ctx *Context, amount, inputs string) error {
	value, err := money.ParseAmount(amount)
	if err != nil {
		return err
	}
	return spend(ctx, inputs, func(k *wallet.Keeper, payer string, coins []string) error {
		return k.Burn(payer, coins, value)
	})
}

// Merge joins the caller's input coins into one (submit): a payment names
// at most wallet.MaxInputs coins, and Balance sums a bounded number, so an
// account that received many credits consolidates them. Caller: anyone, for
// its own coins.
func (w *WalletContract) Merge(ctx *Context, inputs string) error {
	return spend(ctx, inputs, func(k *wallet.Keeper, payer string, coins []string) error {
		_, err := k.Merge(payer, coins)
		return err
	})
}

// spend runs a payment whose payer is always the caller: it decodes the
// caller's input coins (a JSON array of coin IDs), lets move spend them
// with the transaction's keeper, and records the balance changes.
func spend(ctx *Context, inputs string, move func(k *wallet.Keeper, payer string, coins []string) error) error {
	caller, err := ctx.Authorize()
	if err != nil {
		return err
	}
	coins, err := decodeInputs(inputs)
	if err != nil {
		return err
	}
	k := wallet.NewKeeper(ctx.GetStub())
	if err := move(k, caller.Account, coins); err != nil {
		return err
	}
	emitWallet(ctx, k)
	return nil
}

// Balance returns an account's balance (evaluate). Caller: the account
// itself, auditors and admins.
// likr:evaluate
func (w *WalletContract) Balance(ctx *Context, account string) (string, error) {
	if err := w.authorizeRead(ctx, account); err != nil {
		return "", err
	}
	sum, err := wallet.NewKeeper(ctx.GetStub()).Balance(account)
	if err != nil {
		return "", err
	}
	return result(struct {
		Account string       `json:"account"`
		Balance money.Amount `json:"balance"`
	}{account, sum})
}

// Coins lists an account's unspent coins, a page at a time (evaluate).
// Caller: the account itself, auditors and admins.
// likr:evaluate
func (w *WalletContract) Coins(ctx *Context, account string, pageSize int32, bookmark string) (string, error) {
	if err := w.authorizeRead(ctx, account); err != nil {
		return "", err
	}
	page, err := wallet.NewKeeper(ctx.GetStub()).Coins(account, pageSize, bookmark)
	if err != nil {
		return "", err
	}
	return result(page)
}

// History lists an account's movements, a page at a time (evaluate).
// Caller: the account itself, auditors and admins.
// likr:evaluate
func (w *WalletContract) History(ctx *Context, account string, pageSize int32, bookmark string) (string, error) {
	if err := w.authorizeRead(ctx, account); err != nil {
		return "", err
	}
	page, err := wallet.NewKeeper(ctx.GetStub()).History(account, pageSize, bookmark)
	if err != nil {
		return "", err
	}
	return result(page)
}

// Supply returns minted, burned and circulating coin (evaluate). Caller:
// anyone.
// likr:evaluate
func (w *WalletContract) Supply(ctx *Context) (string, error) {
	report, err := wallet.NewKeeper(ctx.GetStub()).Supply()
	if err != nil {
		return "", err
	}
	return result(report)
}

// Audit recomputes the supply invariant from every coin row (evaluate).
// Caller: auditor or admin.
// likr:evaluate
func (w *WalletContract) Audit(ctx *Context) (string, error) {
	if _, err := ctx.Authorize(access.Auditor, access.Admin); err != nil {
		return "", err
	}
	report, err := wallet.NewKeeper(ctx.GetStub()).Audit()
	if err != nil {
		return "", err
	}
	return result(report)
}

func (w *WalletContract) authorizeRead(ctx *Context, account string) error {
	if err := wallet.CheckHolder("account", account); err != nil {
		return err
	}
	caller, err := ctx.Caller()
	if err != nil {
		return err
	}
	return caller.RequireSelfOr(account, access.Auditor, access.Admin)
}

func parseAccountAndAmount(account, amount string) (money.Amount, error) {
	if !wallet.IsAccountID(account) {
		return money.Amount{}, errs.New(errs.InvalidArgument, "recipient %q is not an account ID", account)
	}
	return money.ParseAmount(amount)
}

// decodeInputs decodes a JSON array of coin IDs.
func decodeInputs(inputs string) ([]string, error) {
	var ids []string
	if err := codec.Decode([]byte(inputs), &ids); err != nil {
		return nil, errs.Wrap(errs.InvalidArgument, err, "inputs must be a JSON array of coin IDs")
	}
	return ids, nil
}

// emitWallet records the keeper's balance changes as business events.
func emitWallet(ctx *Context, k *wallet.Keeper) {
	for _, e := range k.Events() {
		ctx.Emit(e)
	}
}
