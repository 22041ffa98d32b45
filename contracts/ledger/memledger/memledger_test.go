package memledger

import (
	"errors"
	"testing"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/pkg/cid"
	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/stretchr/testify/require"
)

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

// Fabric: GetState reads the committed state; a transaction's own writes
// become visible only after it commits.
func TestNoReadYourWrites(t *testing.T) {
	l := New()
	put(t, l, "k", "old")
	tx := l.Begin(TxOptions{})
	require.NoError(t, tx.PutState("k", []byte("new")))
	require.NoError(t, tx.PutState("fresh", []byte("x")))
	v, err := tx.GetState("k")
	require.NoError(t, err)
	require.Equal(t, "old", string(v))
	v, err = tx.GetState("fresh")
	require.NoError(t, err)
	require.Nil(t, v)
	require.NoError(t, tx.Commit())
	require.Equal(t, "new", string(l.GetCommitted("k")))
}

// Peer: keys must be non-empty valid UTF-8; an empty value is a delete in
// the read-write set; values are copied.
func TestKeyValidationAndValueSemantics(t *testing.T) {
	l := New()
	tx := l.Begin(TxOptions{})
	require.Error(t, tx.PutState("", []byte("x")))
	require.Error(t, tx.PutState("bad\xff", []byte("x")))
	_, err := tx.GetState("")
	require.Error(t, err)
	value := []byte("abc")
	require.NoError(t, tx.PutState("k", value))
	value[0] = 'X'
	require.NoError(t, tx.Commit())
	require.Equal(t, "abc", string(l.GetCommitted("k")))

	require.NoError(t, l.Run(TxOptions{}, func(stub shim.ChaincodeStubInterface) error { return stub.PutState("k", nil) }))
	require.Nil(t, l.GetCommitted("k"))
}

// Shim: composite keys are "\x00" + type + "\x00" + attr + "\x00"...; no
// U+0000 or U+10FFFF in parts.
func TestCompositeKeys(t *testing.T) {
	tx := New().Begin(TxOptions{})
	key, err := tx.CreateCompositeKey("coin", []string{"alice", "c1"})
	require.NoError(t, err)
	require.Equal(t, "\x00coin\x00alice\x00c1\x00", key)
	typ, attrs, err := tx.SplitCompositeKey(key)
	require.NoError(t, err)
	require.Equal(t, "coin", typ)
	require.Equal(t, []string{"alice", "c1"}, attrs)
	_, err = tx.CreateCompositeKey("coin", []string{"a\x00b"})
	require.Error(t, err)
	_, err = tx.CreateCompositeKey("coin", []string{"a\U0010FFFF"})
	require.Error(t, err)
	_, err = tx.CreateCompositeKey("coin", []string{"\xff"})
	require.Error(t, err)
}

// Peer: pages in key order; the bookmark is where the next page starts and
// is empty after the last page; simple-key ranges skip composite keys.
func TestPaginatedQueries(t *testing.T) {
	l := New()
	tx := l.Begin(TxOptions{})
	for _, id := range []string{"c3", "c1", "c2", "c4", "c5"} {
		k, _ := tx.CreateCompositeKey("coin", []string{"alice", id})
		require.NoError(t, tx.PutState(k, []byte(id)))
	}
	other, _ := tx.CreateCompositeKey("coin", []string{"bob", "c9"})
	require.NoError(t, tx.PutState(other, []byte("c9")))
	require.NoError(t, tx.PutState("a", []byte("1")))
	require.NoError(t, tx.PutState("b", []byte("2")))
	require.NoError(t, tx.Commit())

	var got []string
	bookmark := ""
	pages := 0
	for {
		q := l.Begin(TxOptions{})
		it, meta, err := q.GetStateByPartialCompositeKeyWithPagination("coin", []string{"alice"}, 2, bookmark)
		require.NoError(t, err)
		for it.HasNext() {
			kv, err := it.Next()
			require.NoError(t, err)
			got = append(got, string(kv.Value))
		}
		pages++
		require.LessOrEqual(t, meta.FetchedRecordsCount, int32(2))
		bookmark = meta.Bookmark
		if bookmark == "" {
			break
		}
	}
	require.Equal(t, []string{"c1", "c2", "c3", "c4", "c5"}, got)
	require.Equal(t, 3, pages)

	it, _, err := l.Begin(TxOptions{}).GetStateByRangeWithPagination("", "", 10, "")
	require.NoError(t, err)
	var simple []string
	for it.HasNext() {
		kv, _ := it.Next()
		simple = append(simple, kv.Key)
	}
	require.Equal(t, []string{"a", "b"}, simple)
	_, _, err = l.Begin(TxOptions{}).GetStateByRangeWithPagination("\x00coin", "", 10, "")
	require.Error(t, err)
}

// Peer's transaction simulator: paginated queries only in a read-only
// transaction, and no write after one.
func TestPaginatedQueriesAreReadOnly(t *testing.T) {
	l := New()
	tx := l.Begin(TxOptions{})
	require.NoError(t, tx.PutState("k", []byte("v")))
	_, _, err := tx.GetStateByRangeWithPagination("", "", 10, "")
	require.ErrorContains(t, err, "read-only")

	q := l.Begin(TxOptions{})
	_, _, err = q.GetStateByRangeWithPagination("", "", 10, "")
	require.NoError(t, err)
	require.ErrorContains(t, q.PutState("k", []byte("v")), "Writes are not allowed")
	_, err = q.GetStateByRange("", "")
	require.Error(t, err, "non-paginated range queries are refused")
}

// Peer: history lists committed modifications, newest first.
func TestHistory(t *testing.T) {
	l := New()
	put(t, l, "k", "v1")
	put(t, l, "k", "v2")
	require.NoError(t, l.Run(TxOptions{TxID: "deleter"}, func(stub shim.ChaincodeStubInterface) error { return stub.DelState("k") }))
	it, err := l.Begin(TxOptions{}).GetHistoryForKey("k")
	require.NoError(t, err)
	var mods []string
	for it.HasNext() {
		m, err := it.Next()
		require.NoError(t, err)
		mods = append(mods, m.TxId+":"+string(m.Value))
		if m.TxId == "deleter" {
			require.True(t, m.IsDelete)
		}
	}
	require.Equal(t, []string{"deleter:", "tx000002:v2", "tx000001:v1"}, mods)
}

func TestTransactionMetadata(t *testing.T) {
	l := New()
	when := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	tx := l.Begin(TxOptions{TxID: "abc", Timestamp: when, Transient: map[string][]byte{"k": []byte("v")}, Function: "wallet:Mint", Args: [][]byte{[]byte("a")}})
	require.Equal(t, "abc", tx.GetTxID())
	require.Equal(t, "likr", tx.GetChannelID())
	ts, err := tx.GetTxTimestamp()
	require.NoError(t, err)
	require.True(t, ts.AsTime().Equal(when))
	tr, err := tx.GetTransient()
	require.NoError(t, err)
	tr["k"][0] = 'X'
	again, _ := tx.GetTransient()
	require.Equal(t, "v", string(again["k"]))
	fn, params := tx.GetFunctionAndParameters()
	require.Equal(t, "wallet:Mint", fn)
	require.Equal(t, []string{"a"}, params)

	first, second := l.Begin(TxOptions{}), l.Begin(TxOptions{})
	t1, _ := first.GetTxTimestamp()
	t2, _ := second.GetTxTimestamp()
	require.True(t, t2.AsTime().After(t1.AsTime()), "the ledger clock advances per transaction")
}

// Fabric keeps one event per transaction, the last set; it is visible on
// commit only.
func TestOneEventPerTransaction(t *testing.T) {
	l := New()
	tx := l.Begin(TxOptions{})
	require.Error(t, tx.SetEvent("", nil))
	require.NoError(t, tx.SetEvent("first", []byte("1")))
	require.NoError(t, tx.SetEvent("likr", []byte("2")))
	require.Empty(t, l.Events())
	require.NoError(t, tx.Commit())
	require.Equal(t, []Event{{TxID: tx.GetTxID(), Name: "likr", Payload: []byte("2")}}, l.Events())

	discarded := l.Begin(TxOptions{})
	require.NoError(t, discarded.SetEvent("likr", nil))
	discarded.Discard()
	require.Len(t, l.Events(), 1)
}

// A peer invalidates a transaction whose reads changed before it committed;
// blind writes never conflict.
func TestMVCC(t *testing.T) {
	l := New()
	put(t, l, "hot", "0")
	a, b := l.Begin(TxOptions{}), l.Begin(TxOptions{})
	for _, tx := range []*Tx{a, b} {
		_, err := tx.GetState("hot")
		require.NoError(t, err)
		require.NoError(t, tx.PutState("hot", []byte(tx.GetTxID())))
	}
	require.NoError(t, a.Commit())
	err := b.Commit()
	require.True(t, errors.Is(err, ErrMVCCConflict), "%v", err)
	require.Equal(t, a.GetTxID(), string(l.GetCommitted("hot")), "the conflicting transaction wrote nothing")

	// Reading an absent key that another transaction then creates conflicts too.
	c, d := l.Begin(TxOptions{}), l.Begin(TxOptions{})
	_, _ = c.GetState("new")
	require.NoError(t, c.PutState("x", []byte("1")))
	require.NoError(t, d.PutState("new", []byte("1")))
	require.NoError(t, d.Commit())
	require.ErrorIs(t, c.Commit(), ErrMVCCConflict)

	var blind []*Tx
	for i := 0; i < 32; i++ {
		tx := l.Begin(TxOptions{})
		k, _ := tx.CreateCompositeKey("credit", []string{"acct", tx.GetTxID()})
		require.NoError(t, tx.PutState(k, []byte("1")))
		blind = append(blind, tx)
	}
	for _, tx := range blind {
		require.NoError(t, tx.Commit())
	}
}

func TestDiscardLeavesStateIdentical(t *testing.T) {
	l := New()
	put(t, l, "a", "1")
	before := l.Snapshot()
	require.Error(t, l.Run(TxOptions{}, func(stub shim.ChaincodeStubInterface) error {
		_ = stub.PutState("a", []byte("2"))
		return errors.New("refused")
	}))
	require.Equal(t, before, l.Snapshot())
}

// pkg/cid reads the MSP and the Fabric CA attribute from the creator.
func TestIdentityIsReadableByCid(t *testing.T) {
	id, err := NewIdentity("Org1MSP", "alice", map[string]string{"likr.role": "admin"})
	require.NoError(t, err)
	tx := New().Begin(TxOptions{Creator: id.Creator()})
	ci, err := cid.New(tx)
	require.NoError(t, err)
	msp, err := ci.GetMSPID()
	require.NoError(t, err)
	require.Equal(t, "Org1MSP", msp)
	role, found, err := ci.GetAttributeValue("likr.role")
	require.NoError(t, err)
	require.True(t, found)
	require.Equal(t, "admin", role)
}
