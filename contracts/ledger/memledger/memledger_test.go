package memledger

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/queryresult"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"
)

// put commits one transaction writing the key/value pairs kv.
func put(t *testing.T, l *Ledger, kv ...string) {
	t.Helper()
	require.NoError(t, l.Run(TxOptions{}, func(stub shim.ChaincodeStubInterface) error {
		for i := 0; i < len(kv); i += 2 {
			if err := stub.PutState(kv[i], []byte(kv[i+1])); err != nil {
				return err
			}
		}
		return nil
	}))
}

// keysOf drains a state iterator into its keys.
func keysOf(t *testing.T, it shim.StateQueryIteratorInterface) []string {
	t.Helper()
	keys := []string{}
	for it.HasNext() {
		kv, err := it.Next()
		require.NoError(t, err)
		keys = append(keys, kv.Key)
	}
	require.NoError(t, it.Close())
	return keys
}

// ck builds a composite key or fails the test.
func ck(t *testing.T, objectType string, attrs ...string) string {
	t.Helper()
	k, err := shim.CreateCompositeKey(objectType, attrs)
	require.NoError(t, err)
	return k
}

// Fabric: GetState reads the committed state (shim interfaces.go: "GetState
// doesn't consider data modified by PutState that has not been committed").
func TestGetStateDoesNotSeeOwnWrites(t *testing.T) {
	l := New()
	put(t, l, "k", "old", "gone", "x")
	tx := l.Begin(TxOptions{})
	require.NoError(t, tx.PutState("k", []byte("new")))
	require.NoError(t, tx.PutState("fresh", []byte("x")))
	require.NoError(t, tx.DelState("gone"))
	got, err := tx.GetMultipleStates("k", "fresh", "gone")
	require.NoError(t, err)
	require.Equal(t, [][]byte{[]byte("old"), nil, []byte("x")}, got)
	require.NoError(t, tx.Commit())
	require.Equal(t, "new", string(l.GetCommitted("k")))
	require.Equal(t, "x", string(l.GetCommitted("fresh")))
	require.Nil(t, l.GetCommitted("gone"))
}

// Fabric endorses against the state committed when simulation runs: a
// transaction begun before another commits does not see that commit.
func TestTransactionReadsTheStateCommittedWhenItBegan(t *testing.T) {
	l := New()
	put(t, l, "k", "v1")
	early := l.Begin(TxOptions{})
	put(t, l, "k", "v2", "k2", "new")
	v, err := early.GetState("k")
	require.NoError(t, err)
	require.Equal(t, "v1", string(v))
	it, _, err := early.GetStateByRangeWithPagination("", "", 10, "")
	require.NoError(t, err)
	require.Equal(t, []string{"k"}, keysOf(t, it))
	hist, err := early.GetHistoryForKey("k")
	require.NoError(t, err)
	require.True(t, hist.HasNext())
	m, err := hist.Next()
	require.NoError(t, err)
	require.Equal(t, "v1", string(m.Value))
	require.False(t, hist.HasNext())
}

// Shim: PutState refuses "" with "key must not be an empty string";
// memledger refuses it for every key argument.
func TestKeyMustNotBeEmpty(t *testing.T) {
	tx := New().Begin(TxOptions{})
	require.EqualError(t, tx.PutState("", []byte("x")), "key must not be an empty string")
	require.EqualError(t, tx.DelState(""), "key must not be an empty string")
	_, err := tx.GetState("")
	require.EqualError(t, err, "key must not be an empty string")
	_, err = tx.GetHistoryForKey("")
	require.EqualError(t, err, "key must not be an empty string")
	require.Empty(t, tx.Writes())
}

// Protobuf refuses to marshal a proto3 string that is not UTF-8, so the
// shim (marshalOrPanic) cannot send such a key: it panics. memledger
// returns an error instead.
func TestKeyMustBeValidUTF8(t *testing.T) {
	_, err := proto.Marshal(&peer.PutState{Key: "bad\xff"})
	require.ErrorContains(t, err, "invalid UTF-8", "the premise: the real shim cannot send this key")

	tx := New().Begin(TxOptions{})
	require.ErrorContains(t, tx.PutState("bad\xff", []byte("x")), "not valid UTF-8")
	require.ErrorContains(t, tx.DelState("bad\xff"), "not valid UTF-8")
	_, err = tx.GetState("bad\xff")
	require.ErrorContains(t, err, "not valid UTF-8")
	_, err = tx.GetHistoryForKey("bad\xff")
	require.ErrorContains(t, err, "not valid UTF-8")
	_, _, err = tx.GetStateByRangeWithPagination("a", "b\xff", 10, "")
	require.ErrorContains(t, err, "not valid UTF-8")
	_, _, err = tx.GetStateByRangeWithPagination("a", "b", 10, "a\xff")
	require.ErrorContains(t, err, "not valid UTF-8")
	require.Empty(t, tx.Writes())
}

// Fabric's write set marks a write with an empty value as a delete
// (rwsetutil newKVWrite: IsDelete: len(value) == 0), and the committer
// deletes the key (fabric PR #2305).
func TestEmptyValueIsADelete(t *testing.T) {
	for name, value := range map[string][]byte{"nil": nil, "empty": {}} {
		t.Run(name, func(t *testing.T) {
			l := New()
			put(t, l, "k", "v")
			tx := l.Begin(TxOptions{})
			require.NoError(t, tx.PutState("k", value))
			require.Equal(t, []Write{{Key: "k", IsDelete: true}}, tx.Writes())
			require.NoError(t, tx.Commit())
			require.Nil(t, l.GetCommitted("k"))
			require.Empty(t, l.Snapshot())
			it, err := l.Begin(TxOptions{}).GetHistoryForKey("k")
			require.NoError(t, err)
			m, err := it.Next()
			require.NoError(t, err)
			require.True(t, m.IsDelete)
		})
	}
}

// A peer receives a copy of the value over gRPC; the caller's slice and
// the ledger's bytes must never alias.
func TestValuesAreCopied(t *testing.T) {
	l := New()
	tx := l.Begin(TxOptions{})
	value := []byte("abc")
	require.NoError(t, tx.PutState("k", value))
	value[0] = 'X'
	tx.Writes()[0].Value[1] = 'X'
	require.NoError(t, tx.Commit())
	require.Equal(t, "abc", string(l.GetCommitted("k")))

	read, err := l.Begin(TxOptions{}).GetState("k")
	require.NoError(t, err)
	read[0] = 'X'
	l.GetCommitted("k")[0] = 'X'
	l.Snapshot()[0].Value[0] = 'X'
	require.Equal(t, "abc", string(l.GetCommitted("k")))
}

// Shim CreateCompositeKey: "\x00" + objectType + "\x00" + each attribute +
// "\x00"; the object type may be empty (it is validated like an attribute).
func TestCompositeKeyEncoding(t *testing.T) {
	tx := New().Begin(TxOptions{})
	for _, tc := range []struct {
		typ   string
		attrs []string
		want  string
	}{
		{"coin", []string{"alice", "c1"}, "\x00coin\x00alice\x00c1\x00"},
		{"coin", nil, "\x00coin\x00"},
		{"coin", []string{""}, "\x00coin\x00\x00"},
		{"", nil, "\x00\x00"},
		{"é", []string{"ü"}, "\x00é\x00ü\x00"},
	} {
		got, err := tx.CreateCompositeKey(tc.typ, tc.attrs)
		require.NoError(t, err)
		require.Equal(t, tc.want, got)
	}
}

// Shim validateCompositeKeyAttribute: object type and attributes must be
// valid UTF-8 without U+0000 or U+10FFFF.
func TestCompositeKeyValidation(t *testing.T) {
	tx := New().Begin(TxOptions{})
	for _, bad := range []string{"a\x00b", "a\U0010FFFF", "\xff"} {
		_, err := tx.CreateCompositeKey("coin", []string{"ok", bad})
		require.Error(t, err, "attribute %q", bad)
		_, err = tx.CreateCompositeKey(bad, nil)
		require.Error(t, err, "object type %q", bad)
		_, _, err = tx.GetStateByPartialCompositeKeyWithPagination("coin", []string{bad}, 10, "")
		require.Error(t, err, "query attribute %q", bad)
	}
}

// Shim SplitCompositeKey inverts CreateCompositeKey; where the shim would
// panic (no 0x00 after the first byte), memledger returns an error.
func TestSplitCompositeKeyIsTheInverse(t *testing.T) {
	tx := New().Begin(TxOptions{})
	key := ck(t, "coin", "alice", "", "c1")
	typ, attrs, err := tx.SplitCompositeKey(key)
	require.NoError(t, err)
	require.Equal(t, "coin", typ)
	require.Equal(t, []string{"alice", "", "c1"}, attrs)
	for _, notComposite := range []string{"", "\x00", "plain", "\x00coin"} {
		_, _, err := tx.SplitCompositeKey(notComposite)
		require.Error(t, err, "%q", notComposite)
	}
}

// Peer (statedb/stateleveldb): range scans return keys in byte order from
// startKey inclusive to endKey exclusive; an empty endKey is unbounded.
func TestRangeIsInByteOrderWithExclusiveEnd(t *testing.T) {
	l := New()
	put(t, l, "b", "1", "a", "1", "B", "1", "é", "1", "aa", "1", "c", "1")
	page := func(start, end string) []string {
		it, _, err := l.Begin(TxOptions{}).GetStateByRangeWithPagination(start, end, 10, "")
		require.NoError(t, err)
		return keysOf(t, it)
	}
	require.Equal(t, []string{"B", "a", "aa", "b", "c", "é"}, page("", ""))
	require.Equal(t, []string{"a", "aa"}, page("a", "b"))
	require.Equal(t, []string{"aa", "b", "c", "é"}, page("aa", ""))
	require.Empty(t, page("c", "a"), "start after end")
}

// Shim: a simple-key range with no start begins at "\x01", so it never
// returns composite keys, and a start or end key beginning with 0x00 is
// refused ("first character of the key [...] contains a null character").
func TestSimpleKeyRangeExcludesCompositeKeys(t *testing.T) {
	l := New()
	put(t, l, ck(t, "coin", "alice"), "1", "a", "1", "\x01x", "1")
	tx := l.Begin(TxOptions{})
	it, _, err := tx.GetStateByRangeWithPagination("", "", 10, "")
	require.NoError(t, err)
	require.Equal(t, []string{"\x01x", "a"}, keysOf(t, it))
	_, _, err = tx.GetStateByRangeWithPagination("\x00coin", "", 10, "")
	require.ErrorContains(t, err, "contains a null character which is not allowed")
	_, _, err = tx.GetStateByRangeWithPagination("a", "\x00", 10, "")
	require.ErrorContains(t, err, "contains a null character which is not allowed")
}

// Peer: a partial composite key query covers [prefix, prefix+U+10FFFF):
// every key that extends the prefix, and nothing else.
func TestPartialCompositeKeyQueryCoversThePrefix(t *testing.T) {
	l := New()
	put(t, l, ck(t, "coin", "alice", "1"), "1", ck(t, "coin", "alice", "2"), "1", ck(t, "coin", "alicex", "1"), "1",
		ck(t, "coin", "bob", "1"), "1", ck(t, "coinx", "alice", "1"), "1", "coin", "1")
	tx := l.Begin(TxOptions{})
	it, _, err := tx.GetStateByPartialCompositeKeyWithPagination("coin", []string{"alice"}, 10, "")
	require.NoError(t, err)
	require.Equal(t, []string{ck(t, "coin", "alice", "1"), ck(t, "coin", "alice", "2")}, keysOf(t, it))
	it, _, err = tx.GetAllStatesCompositeKeyWithPagination(10, "")
	require.NoError(t, err)
	require.Len(t, keysOf(t, it), 5, "all composite keys, no simple key")
}

// Peer (query_response_generator.go, stateleveldb kvScanner
// GetBookmarkAndClose): a page holds pageSize rows, FetchedRecordsCount
// counts them, and the bookmark is the key the next page starts at, empty
// once the scan reached the end, also when the last page is exactly full.
func TestBookmarkIsTheFirstKeyOfTheNextPage(t *testing.T) {
	l := New()
	for i := 1; i <= 6; i++ {
		put(t, l, ck(t, "coin", "alice", fmt.Sprint(i)), "v")
	}
	type page struct {
		keys     []string
		count    int32
		bookmark string
	}
	read := func(size int32, bookmark string) page {
		it, meta, err := l.Begin(TxOptions{}).GetStateByPartialCompositeKeyWithPagination("coin", []string{"alice"}, size, bookmark)
		require.NoError(t, err)
		return page{keysOf(t, it), meta.FetchedRecordsCount, meta.Bookmark}
	}
	key := func(i int) string { return ck(t, "coin", "alice", fmt.Sprint(i)) }
	require.Equal(t, page{[]string{key(1), key(2), key(3), key(4)}, 4, key(5)}, read(4, ""))
	require.Equal(t, page{[]string{key(5), key(6)}, 2, ""}, read(4, key(5)))
	require.Equal(t, page{[]string{key(4), key(5), key(6)}, 3, ""}, read(3, key(4)), "a full last page has no bookmark")
	require.Equal(t, page{[]string{}, 0, ""}, read(3, key(6)+"\x01"))
}

// Peer (handler.go HandleGetStateByRange): a non-empty bookmark replaces the
// start key unchecked, so a forged bookmark starts the scan outside the
// queried prefix; ledger.QueryPage must refuse such bookmarks.
func TestBookmarkReplacesTheStartKey(t *testing.T) {
	l := New()
	put(t, l, ck(t, "coin", "aaron", "1"), "secret", ck(t, "coin", "alice", "1"), "mine")
	it, _, err := l.Begin(TxOptions{}).GetStateByPartialCompositeKeyWithPagination("coin", []string{"alice"}, 10, ck(t, "coin"))
	require.NoError(t, err)
	require.Equal(t, []string{ck(t, "coin", "aaron", "1"), ck(t, "coin", "alice", "1")}, keysOf(t, it))
}

// Peer (handler.go calculateTotalReturnLimit, isMetadataSetForPagination):
// a negative page size, or 0 with a bookmark, reads up to totalQueryLimit
// rows, as does a page size above it; 0 without a bookmark is a
// non-paginated query, which memledger refuses.
func TestPageSizeOutsideOneToTotalQueryLimit(t *testing.T) {
	l := New()
	for i := 0; i <= totalQueryLimit; i++ { // one more than the limit
		k := fmt.Sprintf("k%06d", i)
		l.keys = append(l.keys, k)
		l.entries[k] = []entry{{version: 1, txID: "bulk", value: []byte("v")}}
	}
	l.height = 1
	for _, tc := range []struct {
		size     int32
		bookmark string
	}{{-1, ""}, {0, "k000000"}, {totalQueryLimit + 1, ""}} {
		_, meta, err := l.Begin(TxOptions{}).GetStateByRangeWithPagination("", "", tc.size, tc.bookmark)
		require.NoError(t, err)
		require.Equal(t, int32(totalQueryLimit), meta.FetchedRecordsCount, "page size %d", tc.size)
		require.Equal(t, fmt.Sprintf("k%06d", totalQueryLimit), meta.Bookmark)
	}
	_, _, err := l.Begin(TxOptions{}).GetStateByRangeWithPagination("", "", 0, "")
	require.ErrorContains(t, err, "memledger: a paginated query with page size 0 and no bookmark")
}

// Peer (txmgr/tx_simulator.go checkBeforePaginatedQueries,
// checkPaginatedQueryPerformed): paginated queries only in a transaction
// that has not written, and no write after one; the handler prefixes the
// message type and transaction ID.
func TestPaginatedQueriesOnlyInReadOnlyTransactions(t *testing.T) {
	l := New()
	tx := l.Begin(TxOptions{TxID: "w"})
	require.NoError(t, tx.PutState("k", []byte("v")))
	_, _, err := tx.GetStateByRangeWithPagination("", "", 10, "")
	require.EqualError(t, err, "GET_STATE_BY_RANGE failed: transaction ID: w: txid [w]: unsuppored transaction. Paginated queries are supported only in a read-only transaction")
	_, _, err = tx.GetStateByPartialCompositeKeyWithPagination("coin", nil, 10, "")
	require.Error(t, err)

	q := l.Begin(TxOptions{TxID: "q"})
	_, _, err = q.GetStateByPartialCompositeKeyWithPagination("coin", nil, 10, "")
	require.NoError(t, err)
	require.EqualError(t, q.PutState("k", []byte("v")), "PUT_STATE failed: transaction ID: q: txid [q]: unsuppored transaction. Transaction has already performed a paginated query. Writes are not allowed")
	require.EqualError(t, q.DelState("k"), "DEL_STATE failed: transaction ID: q: txid [q]: unsuppored transaction. Transaction has already performed a paginated query. Writes are not allowed")
	require.Empty(t, q.Writes())
}

// Likr's design: range queries only paginated; the non-paginated stub
// methods are refused rather than silently unbounded.
func TestNonPaginatedRangeQueriesAreRefused(t *testing.T) {
	tx := New().Begin(TxOptions{})
	_, err := tx.GetStateByRange("", "")
	require.ErrorContains(t, err, "memledger: GetStateByRange (non-paginated range query) is not supported")
	_, err = tx.GetStateByPartialCompositeKey("coin", nil)
	require.ErrorContains(t, err, "memledger: GetStateByPartialCompositeKey (non-paginated range query) is not supported")
}

// Peer (history/query_executer.go, FAB-16303): GetHistoryForKey returns
// committed modifications newest first, each with the writer's TxId, Value,
// Timestamp and IsDelete; uncommitted or invalid transactions leave none.
func TestHistoryIsNewestFirst(t *testing.T) {
	l := New()
	t1 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	require.NoError(t, l.Run(TxOptions{TxID: "a", Timestamp: t1}, func(s shim.ChaincodeStubInterface) error { return s.PutState("k", []byte("v1")) }))
	require.NoError(t, l.Run(TxOptions{TxID: "b", Timestamp: t1.Add(time.Hour)}, func(s shim.ChaincodeStubInterface) error { return s.PutState("k", []byte("v2")) }))
	stale := l.Begin(TxOptions{TxID: "stale"})
	_, _ = stale.GetState("k")
	require.NoError(t, stale.PutState("k", []byte("lost")))
	require.NoError(t, l.Run(TxOptions{TxID: "c", Timestamp: t1.Add(2 * time.Hour)}, func(s shim.ChaincodeStubInterface) error { return s.DelState("k") }))
	require.ErrorIs(t, stale.Commit(), ErrMVCCConflict)
	discarded := l.Begin(TxOptions{TxID: "discarded"})
	require.NoError(t, discarded.PutState("k", []byte("never")))
	discarded.Discard()

	it, err := l.Begin(TxOptions{}).GetHistoryForKey("k")
	require.NoError(t, err)
	var got []*queryresult.KeyModification
	for it.HasNext() {
		m, err := it.Next()
		require.NoError(t, err)
		got = append(got, m)
	}
	require.Len(t, got, 3)
	for i, want := range []struct {
		tx       string
		value    string
		at       time.Time
		isDelete bool
	}{{"c", "", t1.Add(2 * time.Hour), true}, {"b", "v2", t1.Add(time.Hour), false}, {"a", "v1", t1, false}} {
		require.Equal(t, want.tx, got[i].TxId)
		require.Equal(t, want.value, string(got[i].Value))
		require.True(t, got[i].Timestamp.AsTime().Equal(want.at), "%s at %v", want.tx, got[i].Timestamp.AsTime())
		require.Equal(t, want.isDelete, got[i].IsDelete)
	}
}

// Shim: GetTxID, GetChannelID, GetTxTimestamp, GetCreator, GetTransient and
// the arguments come from the proposal, here from TxOptions.
func TestTransactionMetadataComesFromOptions(t *testing.T) {
	l := New()
	when := time.Date(2026, 5, 1, 12, 0, 0, 5, time.UTC)
	creator := []byte("creator")
	transient := map[string][]byte{"k": []byte("v")}
	tx := l.Begin(TxOptions{TxID: "abc", Timestamp: when, Creator: creator, Transient: transient, ChannelID: "other",
		Function: "wallet:Mint", Args: [][]byte{[]byte("a"), []byte("b")}})
	creator[0], transient["k"][0] = 'X', 'X' // the transaction keeps its own copies
	require.Equal(t, "abc", tx.GetTxID())
	require.Equal(t, "other", tx.GetChannelID())
	ts, err := tx.GetTxTimestamp()
	require.NoError(t, err)
	require.True(t, ts.AsTime().Equal(when))
	gotCreator, err := tx.GetCreator()
	require.NoError(t, err)
	require.Equal(t, "creator", string(gotCreator))
	tr, err := tx.GetTransient()
	require.NoError(t, err)
	require.Equal(t, map[string][]byte{"k": []byte("v")}, tr)
	tr["k"][0] = 'X'
	again, _ := tx.GetTransient()
	require.Equal(t, "v", string(again["k"]), "GetTransient returns a copy")

	require.Equal(t, [][]byte{[]byte("wallet:Mint"), []byte("a"), []byte("b")}, tx.GetArgs())
	require.Equal(t, []string{"wallet:Mint", "a", "b"}, tx.GetStringArgs())
	fn, params := tx.GetFunctionAndParameters()
	require.Equal(t, "wallet:Mint", fn)
	require.Equal(t, []string{"a", "b"}, params)
	slice, err := tx.GetArgsSlice()
	require.NoError(t, err)
	require.Equal(t, "wallet:Mintab", string(slice))

	none := l.Begin(TxOptions{})
	fn, params = none.GetFunctionAndParameters()
	require.Equal(t, "", fn)
	require.Equal(t, []string{}, params, "the shim's empty parameters")
	require.Empty(t, none.GetArgs())
	c, err := none.GetCreator()
	require.NoError(t, err)
	require.Nil(t, c)
}

// Defaults make runs reproducible: sequential transaction IDs, channel
// "likr", and a ledger clock from 2026-01-01T00:00:00Z that advances one
// second per Begin that takes its time, and can be moved.
func TestDefaultsAreDeterministic(t *testing.T) {
	l := New()
	stamp := func(tx *Tx) time.Time {
		ts, err := tx.GetTxTimestamp()
		require.NoError(t, err)
		return ts.AsTime()
	}
	first := l.Begin(TxOptions{})
	require.Equal(t, "tx000001", first.GetTxID())
	require.Equal(t, "likr", first.GetChannelID())
	require.Equal(t, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), stamp(first))
	given := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	require.Equal(t, given, stamp(l.Begin(TxOptions{Timestamp: given})))
	second := l.Begin(TxOptions{})
	require.Equal(t, "tx000003", second.GetTxID())
	require.Equal(t, time.Date(2026, 1, 1, 0, 0, 1, 0, time.UTC), stamp(second), "a given timestamp does not move the clock")
	l.Advance(time.Hour)
	require.Equal(t, time.Date(2026, 1, 1, 1, 0, 2, 0, time.UTC), stamp(l.Begin(TxOptions{})))
	l.SetTime(time.Date(2027, 6, 1, 0, 0, 0, 0, time.FixedZone("x", 3600)))
	require.Equal(t, time.Date(2027, 5, 31, 23, 0, 0, 0, time.UTC), l.Now())
	require.Equal(t, time.Date(2027, 5, 31, 23, 0, 0, 0, time.UTC), stamp(l.Begin(TxOptions{})))
}

// Shim SetEvent: "event name can not be empty string".
func TestEventNameMustNotBeEmpty(t *testing.T) {
	tx := New().Begin(TxOptions{})
	require.EqualError(t, tx.SetEvent("", []byte("x")), "event name can not be empty string")
	_, ok := tx.Event()
	require.False(t, ok)
}

// Shim SetEvent overwrites the transaction's one chaincode event: the last
// call wins.
func TestLastSetEventWins(t *testing.T) {
	l := New()
	tx := l.Begin(TxOptions{})
	require.NoError(t, tx.SetEvent("first", []byte("1")))
	payload := []byte("2")
	require.NoError(t, tx.SetEvent("likr", payload))
	payload[0] = 'X'
	ev, ok := tx.Event()
	require.True(t, ok)
	require.Equal(t, Event{TxID: tx.GetTxID(), Name: "likr", Payload: []byte("2")}, ev)
	require.NoError(t, tx.Commit())
	require.Equal(t, []Event{ev}, l.Events())
}

// Fabric delivers chaincode events of valid committed transactions only.
func TestEventIsPublishedOnlyOnCommit(t *testing.T) {
	l := New()
	put(t, l, "k", "0")
	tx := l.Begin(TxOptions{})
	require.NoError(t, tx.SetEvent("committed", nil))
	require.Empty(t, l.Events(), "not before commit")

	discarded := l.Begin(TxOptions{})
	require.NoError(t, discarded.SetEvent("discarded", nil))
	discarded.Discard()

	invalid := l.Begin(TxOptions{})
	_, _ = invalid.GetState("k")
	require.NoError(t, invalid.SetEvent("invalid", nil))
	put(t, l, "k", "1")
	require.ErrorIs(t, invalid.Commit(), ErrMVCCConflict)

	require.NoError(t, tx.Commit())
	require.Equal(t, []Event{{TxID: tx.GetTxID(), Name: "committed"}}, l.Events())
}

// Fabric: a committed transaction's writes are visible to every transaction
// simulated after it, all at once.
func TestCommitMakesWritesVisibleToLaterTransactions(t *testing.T) {
	l := New()
	tx := l.Begin(TxOptions{})
	require.NoError(t, tx.PutState("a", []byte("1")))
	require.NoError(t, tx.PutState("b", []byte("2")))
	require.Empty(t, l.Snapshot(), "nothing visible before commit")
	require.NoError(t, tx.Commit())
	require.Equal(t, []KV{{"a", []byte("1")}, {"b", []byte("2")}}, l.Snapshot())
	got, err := l.Begin(TxOptions{}).GetMultipleStates("a", "b")
	require.NoError(t, err)
	require.Equal(t, [][]byte{[]byte("1"), []byte("2")}, got)
}

// Fabric applies nothing of an unendorsed or invalidated transaction: state,
// history and events stay byte-identical.
func TestDiscardedOrFailedTransactionLeavesStateIdentical(t *testing.T) {
	l := New()
	put(t, l, "a", "1")
	type view struct {
		state   []KV
		events  []Event
		history string
	}
	look := func() view {
		it, err := l.Begin(TxOptions{}).GetHistoryForKey("a")
		require.NoError(t, err)
		var h string
		for it.HasNext() {
			m, _ := it.Next()
			b, err := proto.MarshalOptions{Deterministic: true}.Marshal(m)
			require.NoError(t, err)
			h += string(b)
		}
		return view{l.Snapshot(), l.Events(), h}
	}
	before := look()
	require.EqualError(t, l.Run(TxOptions{}, func(s shim.ChaincodeStubInterface) error {
		_ = s.PutState("a", []byte("2"))
		_ = s.PutState("b", []byte("2"))
		_ = s.SetEvent("e", nil)
		return fmt.Errorf("refused")
	}), "refused")
	require.Equal(t, before, look())

	conflicting := l.Begin(TxOptions{})
	_, _ = conflicting.GetState("a")
	require.NoError(t, conflicting.PutState("b", []byte("3")))
	require.NoError(t, conflicting.SetEvent("e", nil))
	put(t, l, "a", "1") // same value, new version
	before = look()
	require.ErrorIs(t, conflicting.Commit(), ErrMVCCConflict)
	require.Equal(t, before, look())
}

// Fabric's validator (validation/validator.go validateKVRead) invalidates a
// transaction whose read version differs from the committed one: the
// second of two transactions reading and writing one key fails.
func TestMVCCConflictOnChangedRead(t *testing.T) {
	l := New()
	put(t, l, "hot", "0")
	a, b := l.Begin(TxOptions{}), l.Begin(TxOptions{})
	for _, tx := range []*Tx{a, b} {
		_, err := tx.GetState("hot")
		require.NoError(t, err)
		require.NoError(t, tx.PutState("hot", []byte(tx.GetTxID())))
		require.NoError(t, tx.PutState("side-"+tx.GetTxID(), []byte("x")))
	}
	require.NoError(t, a.Commit())
	err := b.Commit()
	require.ErrorIs(t, err, ErrMVCCConflict)
	require.ErrorContains(t, err, `key "hot"`)
	require.Equal(t, a.GetTxID(), string(l.GetCommitted("hot")))
	require.Nil(t, l.GetCommitted("side-"+b.GetTxID()), "the invalid transaction applied nothing")
	require.ErrorContains(t, b.Commit(), "already invalidated")

	// A delete changes the version too.
	c := l.Begin(TxOptions{})
	_, _ = c.GetState("hot")
	require.NoError(t, l.Run(TxOptions{}, func(s shim.ChaincodeStubInterface) error { return s.DelState("hot") }))
	require.ErrorIs(t, c.Commit(), ErrMVCCConflict)
}

// The read set records a nil version for an absent key; the key's creation
// since then is a conflict, its creation and deletion is not (the version
// is nil again).
func TestMVCCConflictWhenAbsentKeyIsCreated(t *testing.T) {
	l := New()
	reader := l.Begin(TxOptions{})
	v, err := reader.GetState("new")
	require.NoError(t, err)
	require.Nil(t, v)
	put(t, l, "new", "1")
	require.ErrorIs(t, reader.Commit(), ErrMVCCConflict)

	again := l.Begin(TxOptions{})
	_, _ = again.GetState("temp")
	put(t, l, "temp", "1")
	require.NoError(t, l.Run(TxOptions{}, func(s shim.ChaincodeStubInterface) error { return s.DelState("temp") }))
	require.NoError(t, again.Commit())
}

// Fabric validates reads only: writes without a read never conflict, which
// is how Likr avoids hot keys (blind credit rows).
func TestBlindWritesNeverConflict(t *testing.T) {
	l := New()
	var txs []*Tx
	for range 32 {
		tx := l.Begin(TxOptions{})
		require.NoError(t, tx.PutState("payee", []byte(tx.GetTxID())))
		require.NoError(t, tx.PutState(ck(t, "credit", "payee", tx.GetTxID()), []byte("1")))
		txs = append(txs, tx)
	}
	for _, tx := range txs {
		require.NoError(t, tx.Commit())
	}
	require.Len(t, l.Snapshot(), 33)
	require.Equal(t, txs[31].GetTxID(), string(l.GetCommitted("payee")), "last committed write wins")
}

// Fabric's validator (validateRangeQuery, rangeQueryResultsValidator)
// re-runs each range query at commit and invalidates the transaction with
// PHANTOM_READ_CONFLICT when its keys or versions changed. A full page
// records the range up to its last key only.
func TestPhantomReadConflict(t *testing.T) {
	l := New()
	put(t, l, ck(t, "coin", "alice", "1"), "1", ck(t, "coin", "alice", "3"), "1", ck(t, "coin", "alice", "5"), "1")
	query := func(size int32) *Tx {
		tx := l.Begin(TxOptions{})
		_, _, err := tx.GetStateByPartialCompositeKeyWithPagination("coin", []string{"alice"}, size, "")
		require.NoError(t, err)
		return tx
	}

	inserted, updated, unaffected, afterPage := query(10), query(10), query(10), query(2)
	put(t, l, ck(t, "coin", "bob", "1"), "1") // outside the range
	require.NoError(t, unaffected.Commit())
	put(t, l, ck(t, "coin", "alice", "4"), "1") // after the 2-row page's last key
	require.NoError(t, afterPage.Commit())
	require.ErrorIs(t, inserted.Commit(), ErrPhantom)

	put(t, l, ck(t, "coin", "alice", "1"), "2")
	require.ErrorIs(t, updated.Commit(), ErrPhantom)
}

// The shim's iterators: HasNext, Next ("no such key" past the end), Close.
func TestIteratorsFollowTheShimContract(t *testing.T) {
	l := New()
	put(t, l, "a", "1", "b", "2")
	it, _, err := l.Begin(TxOptions{}).GetStateByRangeWithPagination("", "", 10, "")
	require.NoError(t, err)
	require.True(t, it.HasNext())
	kv, err := it.Next()
	require.NoError(t, err)
	require.Equal(t, "likr", kv.Namespace)
	require.Equal(t, "a", kv.Key)
	require.Equal(t, "1", string(kv.Value))
	require.NoError(t, it.Close())
	require.False(t, it.HasNext())
	_, err = it.Next()
	require.Error(t, err)

	hist, err := l.Begin(TxOptions{}).GetHistoryForKey("a")
	require.NoError(t, err)
	_, err = hist.Next()
	require.NoError(t, err)
	require.False(t, hist.HasNext())
	_, err = hist.Next()
	require.EqualError(t, err, "no such key")
}

// Writes lists the write set: sorted by key, the last write of a key only.
func TestWritesAreSortedAndLastWins(t *testing.T) {
	tx := New().Begin(TxOptions{})
	require.NoError(t, tx.PutState("b", []byte("1")))
	require.NoError(t, tx.PutState("a", []byte("1")))
	require.NoError(t, tx.DelState("b"))
	require.NoError(t, tx.PutState("a", []byte("2")))
	require.Equal(t, []Write{{Key: "a", Value: []byte("2")}, {Key: "b", IsDelete: true}}, tx.Writes())
}

// The peer's query executor refuses use after Done(); a committed or
// discarded transaction likewise refuses every ledger call.
func TestFinishedTransactionIsUnusable(t *testing.T) {
	l := New()
	committed := l.Begin(TxOptions{})
	require.NoError(t, committed.Commit())
	discarded := l.Begin(TxOptions{})
	discarded.Discard()
	for _, tx := range []*Tx{committed, discarded} {
		require.Error(t, tx.PutState("k", []byte("v")))
		require.Error(t, tx.DelState("k"))
		_, err := tx.GetState("k")
		require.Error(t, err)
		_, _, err = tx.GetStateByRangeWithPagination("", "", 1, "")
		require.Error(t, err)
		_, err = tx.GetHistoryForKey("k")
		require.Error(t, err)
		require.Error(t, tx.SetEvent("e", nil))
		require.Error(t, tx.Commit())
	}
	require.Empty(t, l.Snapshot())
}

// Stub features Likr does not use fail loudly, never panic.
func TestUnsupportedMethodsReturnErrors(t *testing.T) {
	l := New()
	tx := l.Begin(TxOptions{})
	errs := map[string]error{}
	_, errs["GetQueryResult"] = tx.GetQueryResult("{}")
	_, _, errs["GetQueryResultWithPagination"] = tx.GetQueryResultWithPagination("{}", 1, "")
	errs["SetStateValidationParameter"] = tx.SetStateValidationParameter("k", nil)
	_, errs["GetStateValidationParameter"] = tx.GetStateValidationParameter("k")
	_, errs["GetPrivateData"] = tx.GetPrivateData("c", "k")
	_, errs["GetMultiplePrivateData"] = tx.GetMultiplePrivateData("c", "k")
	_, errs["GetPrivateDataHash"] = tx.GetPrivateDataHash("c", "k")
	errs["PutPrivateData"] = tx.PutPrivateData("c", "k", []byte("v"))
	errs["DelPrivateData"] = tx.DelPrivateData("c", "k")
	errs["PurgePrivateData"] = tx.PurgePrivateData("c", "k")
	errs["SetPrivateDataValidationParameter"] = tx.SetPrivateDataValidationParameter("c", "k", nil)
	_, errs["GetPrivateDataValidationParameter"] = tx.GetPrivateDataValidationParameter("c", "k")
	_, errs["GetPrivateDataByRange"] = tx.GetPrivateDataByRange("c", "", "")
	_, errs["GetPrivateDataByPartialCompositeKey"] = tx.GetPrivateDataByPartialCompositeKey("c", "t", nil)
	_, errs["GetPrivateDataQueryResult"] = tx.GetPrivateDataQueryResult("c", "{}")
	_, errs["GetBinding"] = tx.GetBinding()
	_, errs["GetSignedProposal"] = tx.GetSignedProposal()
	for name, err := range errs {
		require.ErrorContains(t, err, "memledger: "+name, name)
		require.ErrorContains(t, err, "is not supported", name)
	}
	resp := tx.InvokeChaincode("other", nil, "")
	require.Equal(t, int32(shim.ERROR), resp.Status)
	require.Contains(t, resp.Message, "memledger: InvokeChaincode is not supported")
	require.Nil(t, tx.GetDecorations())
	tx.StartWriteBatch()
	require.NoError(t, tx.PutState("k", []byte("v")))
	require.NoError(t, tx.FinishWriteBatch())
	require.NoError(t, tx.Commit())
	require.Equal(t, "v", string(l.GetCommitted("k")), "write batches change nothing")
}

// Determinism: the same calls give the same bytes, whatever Go's map order.
func TestSameCallsGiveSameBytes(t *testing.T) {
	run := func() string {
		l := New()
		for i := range 20 {
			require.NoError(t, l.Run(TxOptions{Transient: map[string][]byte{"a": {1}, "b": {2}}}, func(s shim.ChaincodeStubInterface) error {
				for j := range 5 {
					if err := s.PutState(ck(t, "row", fmt.Sprint((i*7+j)%13)), []byte(fmt.Sprint(i, j))); err != nil {
						return err
					}
				}
				return s.SetEvent("e", []byte(fmt.Sprint(i)))
			}))
		}
		tx := l.Begin(TxOptions{})
		it, meta, err := tx.GetStateByPartialCompositeKeyWithPagination("row", nil, 5, "")
		require.NoError(t, err)
		hist, err := tx.GetHistoryForKey(ck(t, "row", "3"))
		require.NoError(t, err)
		out := fmt.Sprintf("%q %q %q %d", l.Snapshot(), l.Events(), keysOf(t, it), meta.FetchedRecordsCount)
		for hist.HasNext() {
			m, _ := hist.Next()
			b, err := proto.MarshalOptions{Deterministic: true}.Marshal(m)
			require.NoError(t, err)
			out += fmt.Sprintf(" %x", b)
		}
		return out
	}
	first := run()
	for range 5 {
		require.Equal(t, first, run())
	}
}

// A Ledger may serve transactions from several goroutines (run with -race).
func TestLedgerIsSafeForConcurrentUse(t *testing.T) {
	l := New()
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() {
			errs[i] = l.Run(TxOptions{}, func(s shim.ChaincodeStubInterface) error {
				if _, err := s.GetState("shared"); err != nil {
					return err
				}
				return s.PutState(fmt.Sprint("k", i), []byte("v"))
			})
		})
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	require.Len(t, l.Snapshot(), len(errs))
	require.Equal(t, "tx000009", l.Begin(TxOptions{}).GetTxID(), "every Begin got its own ID")
}
