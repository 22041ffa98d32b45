package memledger

import (
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/queryresult"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/types/known/timestamppb"
)

const (
	compositeKeyNamespace = "\x00"
	// emptyKeySubstitute is the shim's start key for a simple-key range
	// with no start: it skips the composite keys, which begin with 0x00.
	emptyKeySubstitute = "\x01"
	// maxRune ends the range of a partial composite key, as in the shim.
	maxRune = string(utf8.MaxRune)
)

// GetStateByRangeWithPagination returns a page of the simple keys in
// [startKey, endKey) in byte order; an empty startKey or endKey leaves that
// side open, but composite keys are never included.
func (t *Tx) GetStateByRangeWithPagination(startKey, endKey string, pageSize int32, bookmark string) (shim.StateQueryIteratorInterface, *peer.QueryResponseMetadata, error) {
	if startKey == "" {
		startKey = emptyKeySubstitute
	}
	for _, k := range []string{startKey, endKey} {
		if k != "" && k[0] == compositeKeyNamespace[0] {
			return nil, nil, fmt.Errorf("first character of the key [%s] contains a null character which is not allowed", k)
		}
	}
	return t.page(startKey, endKey, pageSize, bookmark)
}

// GetStateByPartialCompositeKeyWithPagination returns a page of the
// composite keys that start with objectType and keys.
func (t *Tx) GetStateByPartialCompositeKeyWithPagination(objectType string, keys []string, pageSize int32, bookmark string) (shim.StateQueryIteratorInterface, *peer.QueryResponseMetadata, error) {
	start, err := shim.CreateCompositeKey(objectType, keys)
	if err != nil {
		return nil, nil, err
	}
	return t.page(start, start+maxRune, pageSize, bookmark)
}

// GetAllStatesCompositeKeyWithPagination returns a page of all composite
// keys.
func (t *Tx) GetAllStatesCompositeKeyWithPagination(pageSize int32, bookmark string) (shim.StateQueryIteratorInterface, *peer.QueryResponseMetadata, error) {
	return t.page(compositeKeyNamespace, compositeKeyNamespace+maxRune, pageSize, bookmark)
}

// page runs a paginated range query as the peer does
// (core/chaincode/handler.go HandleGetStateByRange, txmgr/tx_simulator.go,
// statedb/stateleveldb):
//
//   - a non-empty bookmark replaces the start key, whatever it is, and the
//     end key still bounds the scan;
//   - at most pageSize rows, or totalQueryLimit when pageSize is not
//     positive or larger;
//   - the response bookmark is the first key of the next page, "" when the
//     scan reached the end;
//   - only in a transaction that has not written, and no write after it;
//   - the range read is recorded and checked for phantoms at commit.
func (t *Tx) page(start, end string, pageSize int32, bookmark string) (shim.StateQueryIteratorInterface, *peer.QueryResponseMetadata, error) {
	if err := t.open(); err != nil {
		return nil, nil, err
	}
	if err := checkUTF8(start, end, bookmark); err != nil {
		return nil, nil, err
	}
	if pageSize == 0 && bookmark == "" {
		// The peer reads such metadata as no pagination at all
		// (isMetadataSetForPagination) and runs an unbounded range query.
		return nil, nil, unsupported("a paginated query with page size 0 and no bookmark (the peer runs it as a non-paginated range query)")
	}
	if t.wrote {
		return nil, nil, peerError("GET_STATE_BY_RANGE", t.opts.TxID, "unsuppored transaction. Paginated queries are supported only in a read-only transaction")
	}
	t.paginated = true
	if bookmark != "" {
		start = bookmark
	}
	limit := totalQueryLimit
	if pageSize > 0 && pageSize < totalQueryLimit {
		limit = int(pageSize)
	}
	t.l.mu.Lock()
	rows, next := t.l.scan(start, end, false, t.height, limit)
	t.l.mu.Unlock()

	read := rangeRead{start: start, end: end}
	if len(rows) == limit {
		// The peer stopped before exhausting the iterator, so the range it
		// records ends at the last key returned, inclusive.
		read.end, read.includeEnd = rows[len(rows)-1].key, true
	}
	kvs := make([]*queryresult.KV, len(rows))
	for i, r := range rows {
		read.rows = append(read.rows, keyVersion{key: r.key, version: r.version})
		kvs[i] = &queryresult.KV{Namespace: chaincodeName, Key: r.key, Value: clone(r.value)}
	}
	t.ranges = append(t.ranges, read)
	meta := &peer.QueryResponseMetadata{FetchedRecordsCount: int32(len(rows)), Bookmark: next}
	return &iterator[*queryresult.KV]{items: kvs}, meta, nil
}

// GetHistoryForKey returns the committed modifications of key, newest first
// as Fabric v2 returns them (history/query_executer.go), each with the
// writer's transaction ID and timestamp. Like the peer it records nothing
// for validation.
func (t *Tx) GetHistoryForKey(key string) (shim.HistoryQueryIteratorInterface, error) {
	if err := t.open(); err != nil {
		return nil, err
	}
	if err := checkKey(key); err != nil {
		return nil, err
	}
	t.l.mu.Lock()
	es := t.l.entries[key]
	var mods []*queryresult.KeyModification
	for i := len(es) - 1; i >= 0; i-- {
		if es[i].version > t.height {
			continue
		}
		mods = append(mods, &queryresult.KeyModification{
			TxId:      es[i].txID,
			Value:     clone(es[i].value),
			Timestamp: timestamppb.New(es[i].timestamp),
			IsDelete:  es[i].value == nil,
		})
	}
	t.l.mu.Unlock()
	return &iterator[*queryresult.KeyModification]{items: mods}, nil
}

// iterator holds a query's whole result, as a paginated peer response does.
type iterator[T any] struct {
	items  []T
	closed bool
}

func (it *iterator[T]) HasNext() bool { return !it.closed && len(it.items) > 0 }

func (it *iterator[T]) Next() (T, error) {
	var zero T
	if it.closed {
		return zero, errors.New("memledger: iterator is closed")
	}
	if len(it.items) == 0 {
		return zero, errors.New("no such key") // the shim's error past the end
	}
	next := it.items[0]
	it.items = it.items[1:]
	return next, nil
}

func (it *iterator[T]) Close() error {
	it.closed, it.items = true, nil
	return nil
}
