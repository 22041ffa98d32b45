package client

import (
	"context"
	"fmt"
	"strconv"

	"github.com/likrcommerce/likr/contracts/money"
)

// The result types below mirror the JSON of package contracts/wallet
// (wire_test.go holds them to it). They are not imported from there:
// contracts/wallet links the chaincode shim, which registers a global
// -peer.address flag in every program that imports it.

// Coin is an unspent coin; a payment names the coins it spends.
type Coin struct {
	ID     string       `json:"id"`
	Amount money.Amount `json:"amount"`
}

// CoinPage is one page of an account's coins, in coin ID order.
type CoinPage struct {
	Coins    []Coin `json:"coins"`
	Bookmark string `json:"bookmark"` // empty on the last page
}

// HistoryEntry is one movement of an account's balance.
type HistoryEntry struct {
	TxID         string       `json:"txId"`
	Time         string       `json:"time"` // RFC 3339, UTC, the transaction's timestamp
	Kind         string       `json:"kind"` // "mint", "transfer", "batch_transfer", "burn", ...
	Amount       money.Amount `json:"amount"`
	Direction    string       `json:"direction"` // "in" or "out"
	Counterparty string       `json:"counterparty,omitempty"`
}

// HistoryPage is one page of an account's history, oldest first.
type HistoryPage struct {
	Entries  []HistoryEntry `json:"entries"`
	Bookmark string         `json:"bookmark"` // empty on the last page
}

// SupplyReport is the money supply.
type SupplyReport struct {
	Minted      money.Amount `json:"minted"`
	Burned      money.Amount `json:"burned"`
	Circulating money.Amount `json:"circulating"` // minted - burned
}

// AuditReport is the check of the supply invariant: all coins together
// (balances, escrow, reserves, pools) equal minted - burned.
type AuditReport struct {
	Minted         money.Amount `json:"minted"`
	Burned         money.Amount `json:"burned"`
	Held           money.Amount `json:"held"`           // all coins
	HeldByAccounts money.Amount `json:"heldByAccounts"` // coins of accounts
	HeldBySystem   money.Amount `json:"heldBySystem"`   // coins of escrow, reserves and pools
	Coins          int          `json:"coins"`
	Holders        int          `json:"holders"`
	OK             bool         `json:"ok"`
	Issues         []string     `json:"issues,omitempty"` // the first problems found
}

// MaxPageSize is the largest page the contracts return.
const MaxPageSize int32 = 100

// PageRequest asks for one page of a list. The zero value asks for the
// first page of MaxPageSize entries; pass the previous page's Bookmark for
// the next.
type PageRequest struct {
	Size     int32 // 1..MaxPageSize; 0 means MaxPageSize
	Bookmark string
}

func (p PageRequest) args() []string {
	size := p.Size
	if size == 0 {
		size = MaxPageSize
	}
	return []string{strconv.FormatInt(int64(size), 10), p.Bookmark}
}

// Mint creates amount new coins for account to (wallet:Mint). Caller:
// admin; the total ever minted stays within the config's supply cap
// (LIMIT_EXCEEDED).
func (c *Client) Mint(ctx context.Context, to string, amount money.Amount) (Receipt, error) {
	return c.Submit(ctx, "wallet:Mint", to, amount.String())
}

// Transfer pays amount from the caller's coins to account to
// (wallet:Transfer). Unless WithInputs names the coins, the client picks
// them (see PayOption).
func (c *Client) Transfer(ctx context.Context, to string, amount money.Amount, opts ...PayOption) (Receipt, error) {
	return c.pay(ctx, "wallet:Transfer", amount, opts, to, amount.String())
}

// BatchTransfer pays amountEach to every recipient from the caller's coins
// (wallet:BatchTransfer). count x amountEach is checked first: OVERFLOW,
// never a wrapped total.
func (c *Client) BatchTransfer(ctx context.Context, recipients []string, amountEach money.Amount, opts ...PayOption) (Receipt, error) {
	total, err := amountEach.MulUint(uint64(len(recipients)))
	if err != nil {
		return Receipt{}, fmt.Errorf("wallet:BatchTransfer: %w", err)
	}
	return c.pay(ctx, "wallet:BatchTransfer", total, opts, jsonList(recipients), amountEach.String())
}

// Burn destroys amount of the caller's coins (wallet:Burn).
func (c *Client) Burn(ctx context.Context, amount money.Amount, opts ...PayOption) (Receipt, error) {
	return c.pay(ctx, "wallet:Burn", amount, opts, amount.String())
}

// Merge joins the caller's coins named by coinIDs (at least two, at most
// MaxInputs, from Coins) into one coin (wallet:Merge); the balance does not
// change. An account that received many small credits merges them so that
// a payment needs fewer than MaxInputs coins.
func (c *Client) Merge(ctx context.Context, coinIDs ...string) (Receipt, error) {
	var nothing money.Amount
	return c.pay(ctx, "wallet:Merge", nothing, []PayOption{WithInputs(coinIDs...)})
}

// Balance returns an account's balance (wallet:Balance). Caller: the
// account itself, auditors and admins.
func (c *Client) Balance(ctx context.Context, account string) (money.Amount, error) {
	v, err := evaluateJSON[struct {
		Balance money.Amount `json:"balance"`
	}](ctx, c, "wallet:Balance", account)
	return v.Balance, err
}

// Coins returns one page of an account's unspent coins (wallet:Coins).
// Caller: the account itself, auditors and admins.
func (c *Client) Coins(ctx context.Context, account string, page PageRequest) (CoinPage, error) {
	return evaluateJSON[CoinPage](ctx, c, "wallet:Coins", append([]string{account}, page.args()...)...)
}

// History returns one page of an account's movements, oldest first
// (wallet:History). Caller: the account itself, auditors and admins.
func (c *Client) History(ctx context.Context, account string, page PageRequest) (HistoryPage, error) {
	return evaluateJSON[HistoryPage](ctx, c, "wallet:History", append([]string{account}, page.args()...)...)
}

// Supply returns minted, burned and circulating coin (wallet:Supply).
func (c *Client) Supply(ctx context.Context) (SupplyReport, error) {
	return evaluateJSON[SupplyReport](ctx, c, "wallet:Supply")
}

// Audit recomputes the supply invariant from every coin (wallet:Audit).
// Caller: auditor or admin.
func (c *Client) Audit(ctx context.Context) (AuditReport, error) {
	return evaluateJSON[AuditReport](ctx, c, "wallet:Audit")
}
