package wallet

import (
	"fmt"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/money"
)

// Object types of the composite keys (see the package doc).
const (
	coinType    = "coin"
	historyType = "whist"
	burnType    = "burn"
	mintedType  = "minted"
)

// Keeper moves money within one transaction. See the package doc for why
// there must be exactly one per transaction.
type Keeper struct {
	st ledger.State
	tx *txInfo // loaded by the first write

	// seq numbers the rows this transaction creates (coins, burns, history).
	seq int
	// spent and created hold the coin keys this transaction deleted and
	// wrote. Fabric's GetState does not see them, so Debit consults these
	// to refuse a double spend inside the transaction.
	spent   map[string]bool
	created map[string]bool
	// minted is the minted total this transaction wrote, if any, so that a
	// second Mint in the same transaction adds to it instead of to the
	// stale committed value.
	minted *money.Amount

	events []Event
	sink   ledger.Emitter // also receives each event, when set
}

type txInfo struct {
	id    string
	stamp string // ledger.TimeLayout
}

// NewKeeper returns the Keeper of the transaction st.
func NewKeeper(st ledger.State) *Keeper {
	return &Keeper{st: st, spent: map[string]bool{}, created: map[string]bool{}}
}

// EventType tells which balance change an Event records.
type EventType string

// The event types, stable: clients match on them.
const (
	EventCredit EventType = "wallet.credit"
	EventDebit  EventType = "wallet.debit"
	EventMerge  EventType = "wallet.merge"
)

// Event records one balance change, for the transaction's chaincode event.
type Event struct {
	Type   EventType    `json:"type"`
	Holder string       `json:"holder"`
	Amount money.Amount `json:"amount"` // credited, debited, or (merge) merged
	Kind   string       `json:"kind,omitempty"`
	// Counterparty is the other side; empty for mint, burn, merge and for
	// the payer's side of a batch (the recipients' credits follow it).
	Counterparty string `json:"counterparty,omitempty"`
	// Coin is the coin written: the credited coin, or the change (debit)
	// or merged (merge) coin; empty when a debit leaves no change.
	Coin string `json:"coin,omitempty"`
	// Spent lists the coins a debit or merge deleted, in input order.
	Spent []string `json:"spent,omitempty"`
}

// ReportTo makes the Keeper pass each balance change to ev as it happens,
// so that the transaction's business events keep the order in which money
// and business state changed. It returns k.
func (k *Keeper) ReportTo(ev ledger.Emitter) *Keeper {
	k.sink = ev
	return k
}

// record keeps a balance change and reports it.
func (k *Keeper) record(e Event) {
	k.events = append(k.events, e)
	if k.sink != nil {
		k.sink.Emit(e)
	}
}

// Events returns the balance changes of this transaction so far, in order.
func (k *Keeper) Events() []Event {
	return append([]Event(nil), k.events...)
}

// maxTxIDLen bounds the transaction ID inside coin IDs. Fabric's are 64 hex
// characters.
const maxTxIDLen = 100

// txn returns the transaction ID and time, read once from the stub.
func (k *Keeper) txn() (*txInfo, error) {
	if k.tx != nil {
		return k.tx, nil
	}
	id := k.st.GetTxID()
	if len(id) > maxTxIDLen || !idChars(id) {
		return nil, errs.New(errs.Internal, "transaction ID %q cannot name coins", id)
	}
	t, err := ledger.TxTime(k.st)
	if err != nil {
		return nil, err
	}
	k.tx = &txInfo{id: id, stamp: ledger.Stamp(t)}
	return k.tx, nil
}

// nextSeq returns the next row number of this transaction. Six digits keep
// rows of one transaction sorted; no transaction creates a million rows.
func (k *Keeper) nextSeq() string {
	s := fmt.Sprintf("%06d", k.seq)
	k.seq++
	return s
}

// key builds a composite key; its attributes are validated before, so an
// error here is a bug.
func (k *Keeper) key(objectType string, attrs ...string) (string, error) {
	key, err := k.st.CreateCompositeKey(objectType, attrs)
	if err != nil {
		return "", errs.Wrap(errs.Internal, err, "build %s key", objectType)
	}
	return key, nil
}

// put writes v as JSON under key.
func (k *Keeper) put(key string, v any) error { return ledger.PutJSON(k.st, key, v) }

// amountValue is the stored value of coin, burn and minted rows.
type amountValue struct {
	Amount money.Amount `json:"amount"`
}
