package wallet

import (
	"encoding/json"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/money"
)

// Bounds on what one call may touch.
const (
	// MaxInputs bounds the coins one debit spends; a holder with many small
	// coins merges them first (Merge), in steps of at most MaxInputs.
	MaxInputs = 100
	// maxCoinIDLen bounds a coin ID: a transaction ID, '.', six digits.
	maxCoinIDLen = maxTxIDLen + 1 + 6
)

// Direction tells whether a history entry added to or took from a balance.
type Direction string

// The two directions.
const (
	In  Direction = "in"
	Out Direction = "out"
)

// HistoryEntry is one movement of a holder's balance.
type HistoryEntry struct {
	TxID         string       `json:"txId"`
	Time         string       `json:"time"` // RFC 3339, UTC, from the transaction timestamp
	Kind         string       `json:"kind"`
	Amount       money.Amount `json:"amount"`
	Direction    Direction    `json:"direction"`
	Counterparty string       `json:"counterparty,omitempty"`
}

// Credit adds a new coin of amount to holder, records the movement and
// returns the coin's ID. It reads nothing, so concurrent credits to one
// holder never conflict. kind says why (e.g. "transfer", "order.release");
// counterparty is the other holder, or empty.
func (k *Keeper) Credit(holder string, amount money.Amount, kind, counterparty string) (coinID string, err error) {
	if err := checkMovement(holder, amount, kind, counterparty); err != nil {
		return "", err
	}
	return k.credit(holder, amount, kind, counterparty)
}

// Debit takes amount from holder by spending the coins named in inputs
// (IDs from a Coins query), writes any excess back to holder as one change
// coin, records the movement and returns the change. It reads only the input
// coins: an unknown coin, or one held by someone else, is NOT_FOUND; inputs
// worth less than amount are INSUFFICIENT_FUNDS.
func (k *Keeper) Debit(holder string, inputs []string, amount money.Amount, kind, counterparty string) (change money.Amount, err error) {
	if err := checkMovement(holder, amount, kind, counterparty); err != nil {
		return change, err
	}
	p, err := k.planSpend(holder, inputs, amount)
	if err != nil {
		return change, err
	}
	if _, err := k.debit(p, kind, []leg{{counterparty, amount}}); err != nil {
		return change, err
	}
	return p.change, nil
}

// Merge replaces the coins named in inputs (at least two) with one coin of
// their sum and returns its ID. The balance and history do not change; it
// exists so that a holder with many small coins (a popular seller receiving
// many blind credits) can pay amounts that need more than MaxInputs coins.
func (k *Keeper) Merge(holder string, inputs []string) (coinID string, err error) {
	if err := CheckHolder("holder", holder); err != nil {
		return "", err
	}
	if len(inputs) < 2 {
		return "", errs.New(errs.InvalidArgument, "merge needs at least two coins, got %d", len(inputs))
	}
	var nothing money.Amount
	p, err := k.planSpend(holder, inputs, nothing)
	if err != nil {
		return "", err
	}
	return k.debit(p, "", nil)
}

// credit writes a coin and a history row for an already checked movement.
func (k *Keeper) credit(holder string, amount money.Amount, kind, counterparty string) (string, error) {
	id, err := k.putCoin(holder, amount)
	if err != nil {
		return "", err
	}
	if err := k.putHistory(holder, In, amount, kind, counterparty); err != nil {
		return "", err
	}
	k.record(Event{Type: EventCredit, Holder: holder, Amount: amount, Kind: kind, Counterparty: counterparty, Coin: id})
	return id, nil
}

// spendPlan is a checked debit: everything read, nothing written yet.
type spendPlan struct {
	holder string
	inputs []string
	keys   []string     // coin keys of inputs
	amount money.Amount // to pay; zero for a merge
	change money.Amount // sum of inputs - amount
}

// leg is one payment of a debit: who receives how much.
type leg struct {
	to     string
	amount money.Amount
}

// planSpend validates inputs and reads them. It writes nothing, so a refused
// debit leaves the ledger and the Keeper as they were.
func (k *Keeper) planSpend(holder string, inputs []string, amount money.Amount) (spendPlan, error) {
	if len(inputs) == 0 {
		return spendPlan{}, errs.New(errs.InvalidArgument, "inputs: name at least one coin to spend")
	}
	if len(inputs) > MaxInputs {
		return spendPlan{}, errs.New(errs.LimitExceeded, "inputs: %d coins, at most %d per call; merge coins first", len(inputs), MaxInputs)
	}
	p := spendPlan{holder: holder, inputs: inputs, keys: make([]string, len(inputs)), amount: amount}
	seen := make(map[string]bool, len(inputs))
	for i, id := range inputs {
		if err := checkCoinID(id); err != nil {
			return spendPlan{}, err
		}
		if seen[id] {
			return spendPlan{}, errs.New(errs.InvalidArgument, "inputs: coin %s named twice", id)
		}
		seen[id] = true
		key, err := k.key(coinType, holder, id)
		if err != nil {
			return spendPlan{}, err
		}
		p.keys[i] = key
	}
	var sum money.Amount
	for i, key := range p.keys {
		v, err := k.readCoin(holder, inputs[i], key)
		if err != nil {
			return spendPlan{}, err
		}
		if sum, err = sum.Add(v); err != nil {
			return spendPlan{}, errs.Wrap(errs.Internal, err, "sum of inputs")
		}
	}
	change, err := sum.Sub(amount)
	if err != nil {
		return spendPlan{}, errs.New(errs.InsufficientFunds, "inputs of %s hold %s, need %s", holder, sum, amount)
	}
	p.change = change
	// Load the transaction's ID and time now: failing later would leave
	// the inputs deleted.
	if _, err := k.txn(); err != nil {
		return spendPlan{}, err
	}
	return p, nil
}

// readCoin returns the amount of an unspent, committed coin of holder.
func (k *Keeper) readCoin(holder, id, key string) (v money.Amount, err error) {
	if k.spent[key] {
		return v, errs.New(errs.NotFound, "coin %s of %s was already spent in this transaction", id, holder)
	}
	if k.created[key] {
		return v, errs.New(errs.InvalidState, "coin %s of %s was created in this transaction and can be spent once it commits", id, holder)
	}
	b, err := k.st.GetState(key)
	if err != nil {
		return v, errs.Wrap(errs.Internal, err, "read coin %s", id)
	}
	if b == nil {
		return v, errs.New(errs.NotFound, "coin %s of %s not found (spent, or not held by %s)", id, holder, holder)
	}
	return decodeAmount(b, "coin "+id+" of "+holder)
}

// debit carries out a plan: it deletes the inputs, writes the change coin,
// one history row per leg, and the event, and returns the change coin's ID
// (empty when there is no change). A plan without legs is a merge.
func (k *Keeper) debit(p spendPlan, kind string, legs []leg) (changeID string, err error) {
	for _, key := range p.keys {
		if err := k.st.DelState(key); err != nil {
			return "", errs.Wrap(errs.Internal, err, "delete coin")
		}
		k.spent[key] = true
	}
	if !p.change.IsZero() {
		if changeID, err = k.putCoin(p.holder, p.change); err != nil {
			return "", err
		}
	}
	for _, l := range legs {
		if err := k.putHistory(p.holder, Out, l.amount, kind, l.to); err != nil {
			return "", err
		}
	}
	ev := Event{Type: EventDebit, Holder: p.holder, Amount: p.amount, Kind: kind, Coin: changeID, Spent: append([]string(nil), p.inputs...)}
	switch len(legs) {
	case 0:
		ev.Type, ev.Amount = EventMerge, p.change
	case 1:
		ev.Counterparty = legs[0].to
	}
	k.record(ev)
	return changeID, nil
}

// putCoin writes a new coin of holder and returns its ID.
func (k *Keeper) putCoin(holder string, amount money.Amount) (string, error) {
	tx, err := k.txn()
	if err != nil {
		return "", err
	}
	id := tx.id + "." + k.nextSeq()
	key, err := k.key(coinType, holder, id)
	if err != nil {
		return "", err
	}
	if err := k.put(key, amountValue{amount}); err != nil {
		return "", err
	}
	k.created[key] = true
	return id, nil
}

// putHistory writes one history row of holder.
func (k *Keeper) putHistory(holder string, dir Direction, amount money.Amount, kind, counterparty string) error {
	tx, err := k.txn()
	if err != nil {
		return err
	}
	key, err := k.key(historyType, holder, tx.stamp, tx.id, k.nextSeq())
	if err != nil {
		return err
	}
	return k.put(key, HistoryEntry{TxID: tx.id, Time: tx.stamp, Kind: kind, Amount: amount, Direction: dir, Counterparty: counterparty})
}

// checkCoinID accepts IDs that putCoin could have made: 1-maxCoinIDLen
// characters of [A-Za-z0-9._-]. Anything else could only be NOT_FOUND, but
// control characters and U+0000 must be refused as INVALID_ARGUMENT.
func checkCoinID(id string) error {
	if id == "" || len(id) > maxCoinIDLen || !idChars(id) {
		return errs.New(errs.InvalidArgument, "coin ID %q must be 1-%d characters of [A-Za-z0-9._-]", id, maxCoinIDLen)
	}
	return nil
}

// idChars reports whether s is non-empty and uses only [A-Za-z0-9._-].
func idChars(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return s != ""
}

// decodeAmount decodes a stored {"amount":"N"} value. The rows are the
// wallet's own, so encoding/json suffices (the strict request decoder made
// Balance and Audit several times slower); money.Amount still refuses
// anything but a canonical decimal. Every stored amount (coin, burn,
// minted total) is positive, so zero means corruption. what names the row
// in the error.
func decodeAmount(b []byte, what string) (money.Amount, error) {
	var v amountValue
	if err := json.Unmarshal(b, &v); err != nil {
		return v.Amount, errs.Wrap(errs.Internal, err, "stored %s is corrupt", what)
	}
	if v.Amount.IsZero() {
		return v.Amount, errs.New(errs.Internal, "stored %s is zero", what)
	}
	return v.Amount, nil
}
