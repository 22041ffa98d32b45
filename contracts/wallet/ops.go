package wallet

import (
	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/money"
)

// The kinds of movement this package writes. Other domain packages name
// their own (e.g. "order.escrow").
const (
	KindMint          = "mint"
	KindTransfer      = "transfer"
	KindBatchTransfer = "batch_transfer"
	KindBurn          = "burn"
)

// MaxRecipients bounds a batch transfer.
const MaxRecipients = 100

// Mint creates amount new coins for to. The total ever minted may not exceed
// maxSupply (the cap from config): LIMIT_EXCEEDED otherwise. It reads and
// writes the minted key, which only Mint touches (admin-only and rare).
func (k *Keeper) Mint(to string, amount money.Amount, maxSupply money.Amount) error {
	if err := checkMovement(to, amount, KindMint, ""); err != nil {
		return err
	}
	key, err := k.key(mintedType)
	if err != nil {
		return err
	}
	minted, err := k.mintedTotal(key)
	if err != nil {
		return err
	}
	total, err := minted.Add(amount)
	if err != nil {
		return errs.New(errs.Overflow, "minting %s on top of %s exceeds the largest amount", amount, minted)
	}
	if maxSupply.LT(total) {
		return errs.New(errs.LimitExceeded, "minting %s would bring the minted total to %s, above the cap of %s", amount, total, maxSupply)
	}
	// Fail before the first write if the transaction cannot name coins.
	if _, err := k.txn(); err != nil {
		return err
	}
	if err := k.put(key, amountValue{total}); err != nil {
		return err
	}
	k.minted = &total
	_, err = k.credit(to, amount, KindMint, "")
	return err
}

// mintedTotal returns the minted total, as this transaction last wrote it or
// else as committed (zero before the first mint).
func (k *Keeper) mintedTotal(key string) (minted money.Amount, err error) {
	if k.minted != nil {
		return *k.minted, nil
	}
	b, err := k.st.GetState(key)
	if err != nil {
		return minted, errs.Wrap(errs.Internal, err, "read minted total")
	}
	if b == nil {
		return minted, nil
	}
	return decodeAmount(b, "minted total")
}

// Transfer pays amount from from's inputs to to.
func (k *Keeper) Transfer(from string, inputs []string, to string, amount money.Amount) error {
	// Check the payee before the debit writes anything.
	if err := checkMovement(to, amount, KindTransfer, from); err != nil {
		return err
	}
	if _, err := k.Debit(from, inputs, amount, KindTransfer, to); err != nil {
		return err
	}
	_, err := k.credit(to, amount, KindTransfer, from)
	return err
}

// BatchTransfer pays amountEach to every recipient from from's inputs. The
// total is count x amountEach by checked multiplication, so an overflowing
// batch (BeautyChain's batchOverflow) is OVERFLOW and writes nothing. At
// most MaxRecipients distinct recipients, none of them from.
func (k *Keeper) BatchTransfer(from string, inputs []string, recipients []string, amountEach money.Amount) error {
	if len(recipients) == 0 {
		return errs.New(errs.InvalidArgument, "recipients: name at least one")
	}
	if len(recipients) > MaxRecipients {
		return errs.New(errs.LimitExceeded, "recipients: %d, at most %d per batch", len(recipients), MaxRecipients)
	}
	total, err := amountEach.MulUint(uint64(len(recipients)))
	if err != nil {
		return errs.New(errs.Overflow, "%d recipients x %s exceeds the largest amount", len(recipients), amountEach)
	}
	if err := checkMovement(from, total, KindBatchTransfer, ""); err != nil {
		return err
	}
	legs := make([]leg, len(recipients))
	seen := make(map[string]bool, len(recipients))
	for i, r := range recipients {
		if err := checkMovement(r, amountEach, KindBatchTransfer, from); err != nil {
			return err
		}
		if seen[r] {
			return errs.New(errs.InvalidArgument, "recipients: %s named twice", r)
		}
		seen[r] = true
		legs[i] = leg{r, amountEach}
	}
	p, err := k.planSpend(from, inputs, total)
	if err != nil {
		return err
	}
	if _, err := k.debit(p, KindBatchTransfer, legs); err != nil {
		return err
	}
	for _, l := range legs {
		if _, err := k.credit(l.to, l.amount, KindBatchTransfer, from); err != nil {
			return err
		}
	}
	return nil
}

// Burn destroys amount of from's inputs (change goes back to from) and
// records it in a blind burn row, so concurrent burns never conflict.
func (k *Keeper) Burn(from string, inputs []string, amount money.Amount) error {
	if _, err := k.Debit(from, inputs, amount, KindBurn, ""); err != nil {
		return err
	}
	tx, err := k.txn()
	if err != nil {
		return err
	}
	key, err := k.key(burnType, tx.id, k.nextSeq())
	if err != nil {
		return err
	}
	return k.put(key, amountValue{amount})
}
