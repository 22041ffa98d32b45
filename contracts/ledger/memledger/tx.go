package memledger

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// Tx is one transaction being simulated: a shim.ChaincodeStubInterface.
// Like a real stub it is used by one goroutine.
type Tx struct {
	l      *Ledger
	opts   TxOptions
	height uint64            // the committed height it reads
	reads  map[string]uint64 // key -> version read, for the MVCC check
	ranges []rangeRead       // range queries, for the phantom check
	writes map[string]Write  // the last write of each key
	event  *Event
	// wrote and paginated are the peer's writePerformed and
	// paginatedQueriesPerformed flags (txmgr/tx_simulator.go).
	wrote, paginated bool
	state            string // "" while open, then committed, discarded or invalidated
}

// rangeRead is what the peer's RangeQueryInfo records: the range scanned
// and the keys and versions it returned.
type rangeRead struct {
	start, end string
	includeEnd bool
	rows       []keyVersion
}

type keyVersion struct {
	key     string
	version uint64
}

var _ shim.ChaincodeStubInterface = (*Tx)(nil)

// open refuses to use a finished transaction, as the peer's query executor
// does after Done().
func (t *Tx) open() error {
	if t.state != "" {
		return fmt.Errorf("memledger: transaction %s is already %s", t.opts.TxID, t.state)
	}
	return nil
}

// checkKey validates a state key. The shim refuses an empty key in PutState
// ("key must not be an empty string"); memledger refuses it everywhere,
// because LevelDB would silently accept a key no transaction can write and
// CouchDB would refuse it. A key that is not valid UTF-8 never reaches a
// peer: proto3 string fields must be UTF-8, so the shim's marshalOrPanic
// panics; memledger returns an error instead.
func checkKey(key string) error {
	if key == "" {
		return errors.New("key must not be an empty string")
	}
	return checkUTF8(key)
}

func checkUTF8(values ...string) error {
	for _, v := range values {
		if !utf8.ValidString(v) {
			return fmt.Errorf("memledger: %q is not valid UTF-8: the shim cannot send it to the peer (proto: string field contains invalid UTF-8)", v)
		}
	}
	return nil
}

// peerError formats an error as the peer's chaincode handler returns it to
// the shim (core/chaincode/handler.go HandleTransaction).
func peerError(msgType, txID, detail string) error {
	return fmt.Errorf("%s failed: transaction ID: %s: txid [%s]: %s", msgType, txID, txID, detail)
}

// GetState returns the value committed when the transaction began, never
// this transaction's own writes, and records the version read.
func (t *Tx) GetState(key string) ([]byte, error) {
	if err := t.open(); err != nil {
		return nil, err
	}
	if err := checkKey(key); err != nil {
		return nil, err
	}
	t.l.mu.Lock()
	v, ver := t.l.valueAt(key, t.height)
	t.l.mu.Unlock()
	t.reads[key] = ver
	return clone(v), nil
}

// GetMultipleStates is GetState for several keys; no keys gives (nil, nil)
// as in the shim.
func (t *Tx) GetMultipleStates(keys ...string) ([][]byte, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	out := make([][]byte, len(keys))
	for i, k := range keys {
		v, err := t.GetState(k)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// PutState buffers a write. An empty value is a delete: the peer's write
// set marks it IsDelete (rwsetutil newKVWrite: len(value) == 0).
func (t *Tx) PutState(key string, value []byte) error {
	if err := t.checkWrite("PUT_STATE", key); err != nil {
		return err
	}
	if len(value) == 0 {
		t.writes[key] = Write{Key: key, IsDelete: true}
		return nil
	}
	t.writes[key] = Write{Key: key, Value: clone(value)}
	return nil
}

// DelState buffers a delete.
func (t *Tx) DelState(key string) error {
	if err := t.checkWrite("DEL_STATE", key); err != nil {
		return err
	}
	t.writes[key] = Write{Key: key, IsDelete: true}
	return nil
}

// checkWrite is the peer's checkWritePrecondition: no write after a
// paginated query.
func (t *Tx) checkWrite(msgType, key string) error {
	if err := t.open(); err != nil {
		return err
	}
	if err := checkKey(key); err != nil {
		return err
	}
	if t.paginated {
		return peerError(msgType, t.opts.TxID, "unsuppored transaction. Transaction has already performed a paginated query. Writes are not allowed")
	}
	t.wrote = true
	return nil
}

// CreateCompositeKey is the shim's own function: "\x00" + objectType +
// "\x00" + each attribute + "\x00", every part valid UTF-8 without U+0000
// or U+10FFFF.
func (t *Tx) CreateCompositeKey(objectType string, attributes []string) (string, error) {
	return shim.CreateCompositeKey(objectType, attributes)
}

// SplitCompositeKey is the shim's inverse of CreateCompositeKey, except that
// a key with no 0x00 after its first byte, on which the shim panics (index
// out of range), is an error.
func (t *Tx) SplitCompositeKey(compositeKey string) (string, []string, error) {
	if len(compositeKey) < 2 || strings.IndexByte(compositeKey[1:], 0) < 0 {
		return "", nil, fmt.Errorf("memledger: %q is not a composite key", compositeKey)
	}
	var stub shim.ChaincodeStub // splitting needs no peer connection
	return stub.SplitCompositeKey(compositeKey)
}

// GetTxID returns the transaction ID.
func (t *Tx) GetTxID() string { return t.opts.TxID }

// GetChannelID returns the channel.
func (t *Tx) GetChannelID() string { return t.opts.ChannelID }

// GetTxTimestamp returns the timestamp the client put in the proposal.
func (t *Tx) GetTxTimestamp() (*timestamppb.Timestamp, error) {
	return timestamppb.New(t.opts.Timestamp), nil
}

// GetCreator returns the serialized identity of the submitter.
func (t *Tx) GetCreator() ([]byte, error) { return clone(t.opts.Creator), nil }

// GetTransient returns a copy of the transient data (nil when none).
func (t *Tx) GetTransient() (map[string][]byte, error) { return cloneMap(t.opts.Transient), nil }

// GetArgs returns Function followed by Args.
func (t *Tx) GetArgs() [][]byte {
	if t.opts.Function == "" && len(t.opts.Args) == 0 {
		return nil
	}
	return append([][]byte{[]byte(t.opts.Function)}, cloneArgs(t.opts.Args)...)
}

// GetStringArgs returns GetArgs as strings.
func (t *Tx) GetStringArgs() []string {
	args := t.GetArgs()
	out := make([]string, 0, len(args))
	for _, a := range args {
		out = append(out, string(a))
	}
	return out
}

// GetFunctionAndParameters splits GetStringArgs as the shim does: ("",
// []string{}) when there are no arguments.
func (t *Tx) GetFunctionAndParameters() (string, []string) {
	args := t.GetStringArgs()
	if len(args) == 0 {
		return "", []string{}
	}
	return args[0], args[1:]
}

// GetArgsSlice returns the arguments concatenated.
func (t *Tx) GetArgsSlice() ([]byte, error) {
	out := []byte{}
	for _, a := range t.GetArgs() {
		out = append(out, a...)
	}
	return out, nil
}

// SetEvent sets the transaction's chaincode event. The shim keeps one per
// transaction: a later call replaces an earlier one.
func (t *Tx) SetEvent(name string, payload []byte) error {
	if err := t.open(); err != nil {
		return err
	}
	if name == "" {
		return errors.New("event name can not be empty string")
	}
	t.event = &Event{TxID: t.opts.TxID, Name: name, Payload: clone(payload)}
	return nil
}

// Event returns the event set so far, if any.
func (t *Tx) Event() (Event, bool) {
	if t.event == nil {
		return Event{}, false
	}
	return Event{TxID: t.event.TxID, Name: t.event.Name, Payload: clone(t.event.Payload)}, true
}

// Writes returns the buffered writes sorted by key, the last write of each
// key only, as in the peer's write set.
func (t *Tx) Writes() []Write {
	out := make([]Write, 0, len(t.writes))
	for _, k := range sortedKeys(t.writes) {
		w := t.writes[k]
		out = append(out, Write{Key: w.Key, Value: clone(w.Value), IsDelete: w.IsDelete})
	}
	return out
}

// Commit validates the transaction against the latest committed state and,
// when valid, applies its writes atomically, appends them to the keys'
// history and publishes its event. It fails with ErrMVCCConflict or
// ErrPhantom, applying nothing, when what it read has changed since it
// began. A transaction commits at most once.
func (t *Tx) Commit() error {
	if err := t.open(); err != nil {
		return err
	}
	return t.l.commit(t)
}

// Discard drops an open transaction; the ledger is unchanged.
func (t *Tx) Discard() {
	if t.state == "" {
		t.state = "discarded"
	}
}
