// Package memledger is an in-memory ledger that behaves like a Fabric peer,
// for unit tests of Likr's contracts and domain packages (shimtest no longer
// exists in Fabric v2). A Tx is a full shim.ChaincodeStubInterface:
//
//   - no read-your-writes: GetState returns the committed value, never this
//     transaction's own writes;
//   - composite keys with the shim's own encoding and validation;
//   - paginated range and partial-composite-key queries with Fabric's
//     bookmarks, allowed only in a transaction that has not written (and a
//     write after one fails), as the peer's transaction simulator rules;
//   - key history, transaction ID and timestamp, transient data, creator;
//   - one chaincode event per transaction (the last SetEvent wins), visible
//     once the transaction commits;
//   - Commit applies a transaction's writes atomically and fails with
//     ErrMVCCConflict, applying nothing, when a key it read has changed
//     since, so tests can prove that concurrent transactions do not collide.
//
// Stub features Likr does not use (private data, chaincode-to-chaincode
// calls, rich queries, state-based endorsement, non-paginated range
// queries, which the design forbids in submit transactions) return an error.
package memledger

import (
	"errors"
	"fmt"
	"sort"
	"time"
	"unicode/utf8"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/queryresult"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// ErrMVCCConflict is returned by Commit when a key the transaction read was
// changed by a transaction committed after the read.
var ErrMVCCConflict = errors.New("MVCC_READ_CONFLICT")

// Ledger is the committed world state of one channel and chaincode.
type Ledger struct {
	state   map[string]version
	history map[string][]*queryresult.KeyModification
	events  []Event
	clock   time.Time
	txCount int
	commits uint64
}

type version struct {
	value []byte
	num   uint64 // the commit that wrote it
}

// Event is a committed chaincode event.
type Event struct {
	TxID    string
	Name    string
	Payload []byte
}

// KV is one committed key and value.
type KV struct {
	Key   string
	Value []byte
}

// Write is one key a transaction wrote or deleted.
type Write struct {
	Key      string
	Value    []byte
	IsDelete bool
}

// New returns an empty ledger whose clock starts at 2026-01-01T00:00:00Z.
func New() *Ledger {
	return &Ledger{
		state:   map[string]version{},
		history: map[string][]*queryresult.KeyModification{},
		clock:   time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
	}
}

// Advance moves the ledger clock forward.
func (l *Ledger) Advance(d time.Duration) { l.clock = l.clock.Add(d) }

// SetTime sets the ledger clock.
func (l *Ledger) SetTime(t time.Time) { l.clock = t.UTC() }

// Now is the ledger clock.
func (l *Ledger) Now() time.Time { return l.clock }

// TxOptions describe a transaction. Zero fields get defaults: a unique,
// deterministic TxID, the ledger clock (which then advances a second), and
// channel "likr".
type TxOptions struct {
	TxID      string
	Timestamp time.Time
	Creator   []byte
	Transient map[string][]byte
	Function  string
	Args      [][]byte
	ChannelID string
}

// Begin starts a transaction simulated against the committed state.
func (l *Ledger) Begin(opts TxOptions) *Tx {
	l.txCount++
	if opts.TxID == "" {
		opts.TxID = fmt.Sprintf("tx%06d", l.txCount)
	}
	if opts.Timestamp.IsZero() {
		opts.Timestamp = l.clock
		l.clock = l.clock.Add(time.Second)
	}
	if opts.ChannelID == "" {
		opts.ChannelID = "likr"
	}
	return &Tx{l: l, opts: opts, reads: map[string]uint64{}, writes: map[string]*Write{}}
}

// Run begins a transaction, calls fn with it, and commits it when fn
// returns nil; otherwise it discards it and returns fn's error.
func (l *Ledger) Run(opts TxOptions, fn func(stub shim.ChaincodeStubInterface) error) error {
	tx := l.Begin(opts)
	if err := fn(tx); err != nil {
		tx.Discard()
		return err
	}
	return tx.Commit()
}

// GetCommitted returns a committed value, or nil.
func (l *Ledger) GetCommitted(key string) []byte { return clone(l.state[key].value) }

// Snapshot returns the committed state sorted by key: two ledgers that went
// through the same calls have equal snapshots.
func (l *Ledger) Snapshot() []KV {
	out := make([]KV, 0, len(l.state))
	for _, k := range sortedKeys(l.state) {
		out = append(out, KV{Key: k, Value: clone(l.state[k].value)})
	}
	return out
}

// Events returns the committed chaincode events in commit order.
func (l *Ledger) Events() []Event { return append([]Event(nil), l.events...) }

// Tx is one transaction: a shim.ChaincodeStubInterface.
type Tx struct {
	l         *Ledger
	opts      TxOptions
	reads     map[string]uint64 // key -> commit number read (0: absent)
	writes    map[string]*Write
	event     *Event
	paginated bool
	done      bool
}

var _ shim.ChaincodeStubInterface = (*Tx)(nil)

func validKey(key string) error {
	if key == "" {
		return errors.New("key must not be an empty string")
	}
	if !utf8.ValidString(key) {
		return fmt.Errorf("invalid key [%x]: key must be a valid UTF8 string", key)
	}
	return nil
}

// GetState returns the committed value (no read-your-writes) and records
// the version read for the MVCC check.
func (t *Tx) GetState(key string) ([]byte, error) {
	if err := validKey(key); err != nil {
		return nil, err
	}
	v, ok := t.l.state[key]
	if ok {
		t.reads[key] = v.num
	} else {
		t.reads[key] = 0
	}
	return clone(v.value), nil
}

// GetMultipleStates reads several keys.
func (t *Tx) GetMultipleStates(keys ...string) ([][]byte, error) {
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

// PutState buffers a write; an empty value is a delete, as in the peer's
// read-write set.
func (t *Tx) PutState(key string, value []byte) error {
	if err := t.checkWrite(key); err != nil {
		return err
	}
	t.writes[key] = &Write{Key: key, Value: clone(value), IsDelete: len(value) == 0}
	return nil
}

// DelState buffers a delete.
func (t *Tx) DelState(key string) error {
	if err := t.checkWrite(key); err != nil {
		return err
	}
	t.writes[key] = &Write{Key: key, IsDelete: true}
	return nil
}

func (t *Tx) checkWrite(key string) error {
	if err := validKey(key); err != nil {
		return err
	}
	if t.paginated {
		return fmt.Errorf("txid [%s]: the transaction has already performed a paginated query. Writes are not allowed", t.opts.TxID)
	}
	return nil
}

// CreateCompositeKey uses the shim's own encoding and validation.
func (t *Tx) CreateCompositeKey(objectType string, attributes []string) (string, error) {
	return shim.CreateCompositeKey(objectType, attributes)
}

// SplitCompositeKey is the inverse of CreateCompositeKey.
func (t *Tx) SplitCompositeKey(compositeKey string) (string, []string, error) {
	var stub shim.ChaincodeStub // splitting is pure; it needs no peer connection
	return stub.SplitCompositeKey(compositeKey)
}

// GetStateByRangeWithPagination scans simple keys in [startKey, endKey).
func (t *Tx) GetStateByRangeWithPagination(startKey, endKey string, pageSize int32, bookmark string) (shim.StateQueryIteratorInterface, *peer.QueryResponseMetadata, error) {
	for _, k := range []string{startKey, endKey} {
		if k != "" && k[0] == 0 {
			return nil, nil, fmt.Errorf("first character of the key [%s] contains a null character which is not allowed", k)
		}
	}
	if startKey == "" {
		startKey = "\x01" // the shim's substitute: simple keys only
	}
	return t.paginate(startKey, endKey, pageSize, bookmark)
}

// GetStateByPartialCompositeKeyWithPagination scans composite keys with the
// given prefix.
func (t *Tx) GetStateByPartialCompositeKeyWithPagination(objectType string, keys []string, pageSize int32, bookmark string) (shim.StateQueryIteratorInterface, *peer.QueryResponseMetadata, error) {
	start, err := shim.CreateCompositeKey(objectType, keys)
	if err != nil {
		return nil, nil, err
	}
	return t.paginate(start, start+string(utf8.MaxRune), pageSize, bookmark)
}

// paginate implements the peer's paginated range query: the bookmark is the
// key the page starts at, and the metadata's bookmark is the first key of
// the next page, empty after the last one.
func (t *Tx) paginate(start, end string, pageSize int32, bookmark string) (shim.StateQueryIteratorInterface, *peer.QueryResponseMetadata, error) {
	if pageSize <= 0 {
		return nil, nil, fmt.Errorf("pageSize must be greater than zero")
	}
	if len(t.writes) > 0 {
		return nil, nil, fmt.Errorf("txid [%s]: paginated queries are supported only on a read-only transaction", t.opts.TxID)
	}
	t.paginated = true
	if bookmark != "" && bookmark > start {
		start = bookmark
	}
	var rows []*queryresult.KV
	next := ""
	for _, k := range sortedKeys(t.l.state) {
		if k < start || (end != "" && k >= end) {
			continue
		}
		if int32(len(rows)) == pageSize {
			next = k
			break
		}
		rows = append(rows, &queryresult.KV{Namespace: "likr", Key: k, Value: clone(t.l.state[k].value)})
	}
	return &iterator[*queryresult.KV]{items: rows}, &peer.QueryResponseMetadata{FetchedRecordsCount: int32(len(rows)), Bookmark: next}, nil
}

// GetHistoryForKey returns the committed modifications of key, newest first
// as the peer's history database does.
func (t *Tx) GetHistoryForKey(key string) (shim.HistoryQueryIteratorInterface, error) {
	if err := validKey(key); err != nil {
		return nil, err
	}
	h := t.l.history[key]
	mods := make([]*queryresult.KeyModification, len(h))
	for i := range h {
		mods[i] = h[len(h)-1-i]
	}
	return &iterator[*queryresult.KeyModification]{items: mods}, nil
}

// GetTxID returns the transaction ID.
func (t *Tx) GetTxID() string { return t.opts.TxID }

// GetChannelID returns the channel.
func (t *Tx) GetChannelID() string { return t.opts.ChannelID }

// GetTxTimestamp returns the transaction's timestamp.
func (t *Tx) GetTxTimestamp() (*timestamppb.Timestamp, error) {
	return timestamppb.New(t.opts.Timestamp), nil
}

// GetCreator returns the serialized identity that submitted the transaction.
func (t *Tx) GetCreator() ([]byte, error) { return clone(t.opts.Creator), nil }

// GetTransient returns a copy of the transient data.
func (t *Tx) GetTransient() (map[string][]byte, error) {
	out := make(map[string][]byte, len(t.opts.Transient))
	for k, v := range t.opts.Transient {
		out[k] = clone(v)
	}
	return out, nil
}

// GetArgs returns the function name and arguments.
func (t *Tx) GetArgs() [][]byte {
	return append([][]byte{[]byte(t.opts.Function)}, t.opts.Args...)
}

// GetStringArgs returns GetArgs as strings.
func (t *Tx) GetStringArgs() []string {
	var out []string
	for _, a := range t.GetArgs() {
		out = append(out, string(a))
	}
	return out
}

// GetFunctionAndParameters splits GetStringArgs.
func (t *Tx) GetFunctionAndParameters() (string, []string) {
	args := t.GetStringArgs()
	return args[0], args[1:]
}

// GetArgsSlice returns the arguments concatenated.
func (t *Tx) GetArgsSlice() ([]byte, error) {
	var out []byte
	for _, a := range t.GetArgs() {
		out = append(out, a...)
	}
	return out, nil
}

// SetEvent sets the transaction's event; Fabric keeps only the last one.
func (t *Tx) SetEvent(name string, payload []byte) error {
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
	return *t.event, true
}

// Writes returns the buffered writes sorted by key.
func (t *Tx) Writes() []Write {
	out := make([]Write, 0, len(t.writes))
	for _, k := range sortedKeys(t.writes) {
		w := *t.writes[k]
		w.Value = clone(w.Value)
		out = append(out, w)
	}
	return out
}

// Commit validates the reads and applies the writes atomically.
func (t *Tx) Commit() error {
	if t.done {
		return errors.New("memledger: transaction already committed or discarded")
	}
	t.done = true
	for _, k := range sortedKeys(t.reads) {
		if t.l.state[k].num != t.reads[k] {
			return fmt.Errorf("%w: key %q changed after transaction %s read it", ErrMVCCConflict, k, t.opts.TxID)
		}
	}
	t.l.commits++
	stamp := timestamppb.New(t.opts.Timestamp)
	for _, k := range sortedKeys(t.writes) {
		w := t.writes[k]
		if w.IsDelete {
			delete(t.l.state, k)
		} else {
			t.l.state[k] = version{value: clone(w.Value), num: t.l.commits}
		}
		t.l.history[k] = append(t.l.history[k], &queryresult.KeyModification{
			TxId: t.opts.TxID, Value: clone(w.Value), Timestamp: stamp, IsDelete: w.IsDelete,
		})
	}
	if t.event != nil {
		t.l.events = append(t.l.events, *t.event)
	}
	return nil
}

// Discard drops the transaction; the ledger is unchanged.
func (t *Tx) Discard() { t.done = true }

func clone(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append([]byte{}, b...)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// iterator walks a query result; it serves both state and history queries.
type iterator[T any] struct {
	items []T
	pos   int
}

func (it *iterator[T]) HasNext() bool { return it.pos < len(it.items) }
func (it *iterator[T]) Close() error  { return nil }
func (it *iterator[T]) Next() (T, error) {
	var zero T
	if !it.HasNext() {
		return zero, errors.New("no more results")
	}
	it.pos++
	return it.items[it.pos-1], nil
}

// unsupported is the error of stub features Likr does not use.
func unsupported(what string) error {
	return fmt.Errorf("memledger: %s is not supported", what)
}
