// Package memledger is an in-memory ledger that behaves like a Fabric peer,
// for unit tests of Likr's contracts and domain packages. Fabric v2 ships no
// test stub (shimtest is gone), and a naive map-backed fake hides the bugs
// that matter on a real network: reading one's own writes, range queries in
// submit transactions, hot keys that make concurrent transactions fail.
//
// A Tx is a full shim.ChaincodeStubInterface that simulates one transaction
// the way the peer's transaction simulator does:
//
//   - it reads the state committed when it began (a snapshot, as endorsement
//     does), never its own writes;
//   - keys, composite keys and values are validated and encoded as the shim
//     and peer do;
//   - paginated range and partial-composite-key queries use Fabric's
//     bookmarks and are allowed only in a transaction that has not written,
//     after which writes fail with the peer's error;
//   - GetHistoryForKey lists committed modifications newest first;
//   - one chaincode event per transaction, the last SetEvent winning;
//   - Commit validates like the committing peer: it fails with
//     ErrMVCCConflict or ErrPhantom, applying nothing, when a key or range it
//     read has changed since the transaction began. Tests use this to prove
//     that concurrent transactions do not collide on hot keys.
//
// What Likr does not use is refused with an error that names it (see
// unsupported.go): private data, chaincode-to-chaincode calls, CouchDB rich
// queries, state-based endorsement, and non-paginated range queries, which
// the design forbids because they are unbounded.
//
// The same sequence of calls always yields the same bytes (IDs, timestamps,
// state, history, events); only identities (identity.go) use fresh keys.
package memledger

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
)

// ErrMVCCConflict is returned by Commit when a key the transaction read has
// been changed (created, updated or deleted) by a transaction committed since
// it began: Fabric invalidates it with MVCC_READ_CONFLICT.
var ErrMVCCConflict = errors.New("MVCC_READ_CONFLICT")

// ErrPhantom is returned by Commit when the result of a range query the
// transaction ran has changed since it began: Fabric invalidates it with
// PHANTOM_READ_CONFLICT.
var ErrPhantom = errors.New("PHANTOM_READ_CONFLICT")

const (
	// DefaultChannelID is the channel of a transaction that names none.
	DefaultChannelID = "likr"
	// chaincodeName is the namespace query results report.
	chaincodeName = "likr"
	// totalQueryLimit caps the rows of one query whatever its page size, as
	// the peer's ledger.state.totalQueryLimit does (core.yaml default).
	totalQueryLimit = 100000
)

// epoch is where the ledger clock starts: fixed, so runs are reproducible.
var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// Ledger is the committed world state of one channel's chaincode. It is safe
// for concurrent use; a Tx, like a real stub, belongs to one goroutine.
type Ledger struct {
	mu      sync.Mutex
	keys    []string           // every key ever written, sorted, for range scans
	entries map[string][]entry // each key's committed writes, oldest first
	height  uint64             // committed transactions so far
	events  []Event
	clock   time.Time
	begun   int
}

// entry is one committed write of a key.
type entry struct {
	version   uint64 // the height of the commit that wrote it
	txID      string
	timestamp time.Time
	value     []byte // nil for a delete
}

// Event is a committed chaincode event.
type Event struct {
	TxID    string
	Name    string
	Payload []byte
}

// KV is one committed key and its value.
type KV struct {
	Key   string
	Value []byte
}

// Write is a key a transaction wrote, or deleted (IsDelete, Value nil; a
// PutState with an empty value is a delete).
type Write struct {
	Key      string
	Value    []byte
	IsDelete bool
}

// TxOptions describe a transaction. Zero fields get defaults: TxID
// "tx000001", "tx000002"... in Begin order; Timestamp from the ledger clock,
// which then advances one second; ChannelID DefaultChannelID. The
// chaincode's arguments are Function followed by Args, as a client sends
// them; with neither there are none.
type TxOptions struct {
	TxID      string
	Timestamp time.Time
	Creator   []byte
	Transient map[string][]byte
	Function  string
	Args      [][]byte
	ChannelID string
}

// New returns an empty ledger whose clock reads 2026-01-01T00:00:00Z.
func New() *Ledger {
	return &Ledger{entries: map[string][]entry{}, clock: epoch}
}

// Now reads the ledger clock.
func (l *Ledger) Now() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.clock
}

// Advance moves the ledger clock by d.
func (l *Ledger) Advance(d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.clock = l.clock.Add(d)
}

// SetTime sets the ledger clock.
func (l *Ledger) SetTime(t time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.clock = t.UTC()
}

// Begin starts a transaction simulated against the state committed now.
func (l *Ledger) Begin(opts TxOptions) *Tx {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.begun++
	if opts.TxID == "" {
		opts.TxID = fmt.Sprintf("tx%06d", l.begun)
	}
	if opts.Timestamp.IsZero() {
		opts.Timestamp = l.clock
		l.clock = l.clock.Add(time.Second)
	}
	if opts.ChannelID == "" {
		opts.ChannelID = DefaultChannelID
	}
	// The transaction keeps its own copies: a caller reusing its slices
	// must not change a transaction in flight.
	opts.Creator = clone(opts.Creator)
	opts.Transient = cloneMap(opts.Transient)
	opts.Args = cloneArgs(opts.Args)
	return &Tx{
		l:      l,
		opts:   opts,
		height: l.height,
		reads:  map[string]uint64{},
		writes: map[string]Write{},
	}
}

// Run begins a transaction, calls fn with it, and commits it when fn returns
// nil; otherwise it discards it. It returns fn's error or Commit's.
func (l *Ledger) Run(opts TxOptions, fn func(stub shim.ChaincodeStubInterface) error) error {
	tx := l.Begin(opts)
	if err := fn(tx); err != nil {
		tx.Discard()
		return err
	}
	return tx.Commit()
}

// GetCommitted returns the committed value of key, or nil.
func (l *Ledger) GetCommitted(key string) []byte {
	l.mu.Lock()
	defer l.mu.Unlock()
	v, _ := l.valueAt(key, l.height)
	return clone(v)
}

// Snapshot returns the committed state sorted by key, so that tests can
// compare two states byte for byte.
func (l *Ledger) Snapshot() []KV {
	l.mu.Lock()
	defer l.mu.Unlock()
	rows, _ := l.scan("", "", false, l.height, -1)
	out := make([]KV, len(rows))
	for i, r := range rows {
		out[i] = KV{Key: r.key, Value: clone(r.value)}
	}
	return out
}

// Events returns the committed chaincode events in commit order.
func (l *Ledger) Events() []Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]Event, len(l.events))
	for i, e := range l.events {
		out[i] = Event{TxID: e.TxID, Name: e.Name, Payload: clone(e.Payload)}
	}
	return out
}

// valueAt returns key's value and version as of height h; version 0 means
// absent, as a nil version does in the peer's read set.
func (l *Ledger) valueAt(key string, h uint64) ([]byte, uint64) {
	es := l.entries[key]
	for i := len(es) - 1; i >= 0; i-- {
		if es[i].version <= h {
			if es[i].value == nil {
				return nil, 0
			}
			return es[i].value, es[i].version
		}
	}
	return nil, 0
}

// row is a live key found by a scan.
type row struct {
	key     string
	value   []byte
	version uint64
}

// scan returns, in byte order, up to limit (all when negative) keys live at
// height h in [start, end), or [start, end] when includeEnd; an empty end
// is unbounded. next is the first live key after the rows, "" when there is
// none: what the peer's LevelDB scanner returns as the bookmark.
func (l *Ledger) scan(start, end string, includeEnd bool, h uint64, limit int) (rows []row, next string) {
	i, _ := slices.BinarySearch(l.keys, start)
	for ; i < len(l.keys); i++ {
		k := l.keys[i]
		if end != "" && (k > end || (k == end && !includeEnd)) {
			break
		}
		v, ver := l.valueAt(k, h)
		if ver == 0 {
			continue
		}
		if limit >= 0 && len(rows) == limit {
			return rows, k
		}
		rows = append(rows, row{key: k, value: v, version: ver})
	}
	return rows, ""
}

// commit validates t against the latest state, as the committing peer does,
// and applies it atomically when it is valid.
func (l *Ledger) commit(t *Tx) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range sortedKeys(t.reads) {
		if _, now := l.valueAt(k, l.height); now != t.reads[k] {
			t.state = "invalidated"
			return fmt.Errorf("memledger: transaction %s is invalid: %w: key %q changed after it was read", t.opts.TxID, ErrMVCCConflict, k)
		}
	}
	for _, r := range t.ranges {
		if now, _ := l.scan(r.start, r.end, r.includeEnd, l.height, -1); !sameVersions(now, r.rows) {
			t.state = "invalidated"
			return fmt.Errorf("memledger: transaction %s is invalid: %w: the range [%q, %q] changed after it was read", t.opts.TxID, ErrPhantom, r.start, r.end)
		}
	}
	l.height++
	for _, k := range sortedKeys(t.writes) {
		if _, known := l.entries[k]; !known {
			i, _ := slices.BinarySearch(l.keys, k)
			l.keys = slices.Insert(l.keys, i, k)
		}
		l.entries[k] = append(l.entries[k], entry{
			version: l.height, txID: t.opts.TxID, timestamp: t.opts.Timestamp, value: t.writes[k].Value,
		})
	}
	if t.event != nil {
		l.events = append(l.events, *t.event)
	}
	t.state = "committed"
	return nil
}

// sameVersions says whether a range still holds the keys and versions read.
func sameVersions(now []row, read []keyVersion) bool {
	if len(now) != len(read) {
		return false
	}
	for i := range now {
		if now[i].key != read[i].key || now[i].version != read[i].version {
			return false
		}
	}
	return true
}

func clone(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append([]byte{}, b...)
}

func cloneArgs(args [][]byte) [][]byte {
	if args == nil {
		return nil
	}
	out := make([][]byte, len(args))
	for i, a := range args {
		out[i] = clone(a)
	}
	return out
}

func cloneMap(m map[string][]byte) map[string][]byte {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string][]byte, len(m))
	for k, v := range m {
		out[k] = clone(v)
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
