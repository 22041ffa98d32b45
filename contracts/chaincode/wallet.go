package chaincode

import (
	"github.com/likrcommerce/likr/contracts/access"
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/contracts/wallet"
)

// WalletContract is the `wallet` contract. A payer is always the caller;
// payments name the caller's coins to spend (inputs: a JSON array of coin
// IDs, which wallet:Coins lists), so a payment reads only the payer's own
// rows and a credit is a blind write.
type WalletContract struct{ base }

// GetEvaluateTransactions tags the read-only transactions in the metadata.
func (w *WalletContract) GetEvaluateTransactions() []string {
	return []string{"Balance", "Coins", "History", "Supply", "Audit"}
}

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
	if err := checkRecipient(to); err != nil {
		return err
	}
	value, err := money.ParseAmount(amount)
	if err != nil {
		return err
	}
	return ctx.Wallet().Mint(to, value, cfg.SupplyCap)
}

// Transfer pays amount from the caller's inputs to an account (submit).
// Caller: anyone, from its own coins.
func (w *WalletContract) Transfer(ctx *Context, to, amount, inputs string) error {
	if err := checkRecipient(to); err != nil {
		return err
	}
	value, err := money.ParseAmount(amount)
	if err != nil {
		return err
	}
	return spend(ctx, inputs, func(k *wallet.Keeper, payer string, coins []string) error {
		return k.Transfer(payer, coins, to, value)
	})
}

// BatchTransfer pays amountEach to every recipient (a JSON array of
// accounts) from the caller's inputs; count x amount is checked before
// anything moves (submit). Caller: anyone, from its own coins.
func (w *WalletContract) BatchTransfer(ctx *Context, recipients, amountEach, inputs string) error {
	to, err := decodeRecipients(recipients)
	if err != nil {
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

// Burn destroys amount of the caller's coins (submit). Caller: anyone, its
// own coins.
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
// account that received many credits consolidates them. Caller: anyone,
// its own coins.
func (w *WalletContract) Merge(ctx *Context, inputs string) error {
	return spend(ctx, inputs, func(k *wallet.Keeper, payer string, coins []string) error {
		_, err := k.Merge(payer, coins)
		return err
	})
}

// spend runs a payment whose payer is always the caller: it decodes the
// caller's input coins (a JSON array of coin IDs) and lets move spend them
// with the transaction's keeper.
func spend(ctx *Context, inputs string, move func(k *wallet.Keeper, payer string, coins []string) error) error {
	caller, err := ctx.Authorize(access.Anyone)
	if err != nil {
		return err
	}
	var coins []string
	if err := decodeArg("inputs", inputs, &coins); err != nil {
		return err
	}
	return move(ctx.Wallet(), caller.Account, coins)
}

// Balance returns an account's balance (evaluate). Caller: the account
// itself, auditors and admins.
// likr:evaluate
func (w *WalletContract) Balance(ctx *Context, account string) (string, error) {
	if err := authorizeAccountRead(ctx, account); err != nil {
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
func (w *WalletContract) Coins(ctx *Context, account, pageSize, bookmark string) (string, error) {
	if err := authorizeAccountRead(ctx, account); err != nil {
		return "", err
	}
	size, err := parsePageSize(pageSize)
	if err != nil {
		return "", err
	}
	page, err := wallet.NewKeeper(ctx.GetStub()).Coins(account, size, bookmark)
	if err != nil {
		return "", err
	}
	return result(page)
}

// History lists an account's movements, oldest first, a page at a time
// (evaluate). Caller: the account itself, auditors and admins.
// likr:evaluate
func (w *WalletContract) History(ctx *Context, account, pageSize, bookmark string) (string, error) {
	if err := authorizeAccountRead(ctx, account); err != nil {
		return "", err
	}
	size, err := parsePageSize(pageSize)
	if err != nil {
		return "", err
	}
	page, err := wallet.NewKeeper(ctx.GetStub()).History(account, size, bookmark)
	if err != nil {
		return "", err
	}
	return result(page)
}

// Supply returns minted, burned and circulating coin (evaluate). Caller:
// anyone.
// likr:evaluate
func (w *WalletContract) Supply(ctx *Context) (string, error) {
	if _, err := ctx.Authorize(access.Anyone); err != nil {
		return "", err
	}
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
	if _, err := ctx.Authorize(access.AnyOf(access.Auditor, access.Admin)); err != nil {
		return "", err
	}
	report, err := wallet.NewKeeper(ctx.GetStub()).Audit()
	if err != nil {
		return "", err
	}
	return result(report)
}

// authorizeAccountRead admits reads of a holder's money by the holder
// itself, auditors and admins. Only auditors and admins can read a system
// holder (escrow, reserves, pools), which is nobody's own account.
func authorizeAccountRead(ctx *Context, account string) error {
	if err := wallet.CheckHolder("account", account); err != nil {
		return err
	}
	_, err := ctx.Authorize(access.SelfOr(account, access.Auditor, access.Admin))
	return err
}

// checkRecipient accepts only account IDs as payees: system holders
// (escrow, reserves, pools) are credited by the domain packages that own
// them, never by a user's payment or a mint.
func checkRecipient(to string) error { return wallet.CheckAccount("recipient", to) }
