package memledger

import (
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
)

// Composite keys built by a Tx are the shim's, and SplitCompositeKey gives
// back the parts of every key CreateCompositeKey accepts.
func FuzzCompositeKeyRoundTrip(f *testing.F) {
	f.Add("coin", "alice", "c1")
	f.Add("", "", "")
	f.Add("é", "a\x00b", "\U0010FFFF")
	tx := New().Begin(TxOptions{})
	f.Fuzz(func(t *testing.T, typ, a, b string) {
		got, err := tx.CreateCompositeKey(typ, []string{a, b})
		want, wantErr := shim.CreateCompositeKey(typ, []string{a, b})
		if got != want || (err == nil) != (wantErr == nil) {
			t.Fatalf("CreateCompositeKey = %q, %v; the shim gives %q, %v", got, err, want, wantErr)
		}
		if err != nil {
			return
		}
		gotType, attrs, err := tx.SplitCompositeKey(got)
		if err != nil || gotType != typ || len(attrs) != 2 || attrs[0] != a || attrs[1] != b {
			t.Fatalf("SplitCompositeKey(%q) = %q, %q, %v", got, gotType, attrs, err)
		}
	})
}

// SplitCompositeKey never panics, whatever the key (the shim's does).
func FuzzSplitCompositeKeyNeverPanics(f *testing.F) {
	for _, seed := range []string{"", "\x00", "plain", "\x00coin", "\x00coin\x00a\x00", "a\x00b\x00"} {
		f.Add(seed)
	}
	tx := New().Begin(TxOptions{})
	f.Fuzz(func(t *testing.T, key string) {
		_, _, _ = tx.SplitCompositeKey(key)
	})
}
