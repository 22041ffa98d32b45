package ledger_test

import (
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/ledger/memledger"
)

// aliceRows are alice's "ev" rows in key order, named "next/last" by their
// last two attributes ("b/" is the row whose key ends at "b"). They probe
// the bound cases: an empty attribute, attributes that are prefixes of one
// another, and a key that ends at the bounded attribute.
var aliceRows = []string{"/x", "a/x", "ab/x", "abc/x", "b/", "b/x", "ba/x", "c/x"}

// seedRange commits aliceRows, plus rows of parties whose names start like
// alice's or sort next to it and of another object type, all with next
// attributes inside every range the tests ask for, so a leak shows.
func seedRange(t *testing.T) *memledger.Ledger {
	t.Helper()
	l := memledger.New()
	type row struct {
		objectType string
		attrs      []string
	}
	var rows []row
	for _, name := range aliceRows {
		next, last := splitName(name)
		attrs := []string{"alice", next}
		if last != "" {
			attrs = append(attrs, last)
		}
		rows = append(rows, row{"ev", attrs})
	}
	for _, party := range []string{"alic", "alice2", "alicf", "bob", ""} {
		for _, next := range []string{"", "a", "ab", "b", "c"} {
			rows = append(rows, row{"ev", []string{party, next, "x"}})
		}
	}
	rows = append(rows, row{"eve", []string{"alice", "b", "x"}}, row{"e", []string{"alice", "b", "x"}})
	require.NoError(t, l.Run(memledger.TxOptions{}, func(stub shim.ChaincodeStubInterface) error {
		for _, r := range rows {
			k, err := stub.CreateCompositeKey(r.objectType, r.attrs)
			if err != nil {
				return err
			}
			name := r.attrs[1] + "/"
			if len(r.attrs) > 2 {
				name += r.attrs[2]
			}
			if r.objectType != "ev" || r.attrs[0] != "alice" {
				name = "LEAK " + r.objectType + " " + r.attrs[0] + " " + name
			}
			if err := stub.PutState(k, []byte(name)); err != nil {
				return err
			}
		}
		return nil
	}))
	return l
}

func splitName(name string) (next, last string) {
	for i := range len(name) {
		if name[i] == '/' {
			return name[:i], name[i+1:]
		}
	}
	return name, ""
}

// rangeKey is the composite key of alice's row name.
func rangeKey(t *testing.T, name string) string {
	t.Helper()
	next, last := splitName(name)
	attrs := []string{"alice", next}
	if last != "" {
		attrs = append(attrs, last)
	}
	k, err := shim.CreateCompositeKey("ev", attrs)
	require.NoError(t, err)
	return k
}

// walk reads the whole range page by page and returns the rows and the
// number of pages.
func walk(t *testing.T, l *memledger.Ledger, from, to string, size int32) ([]string, int) {
	t.Helper()
	got, bookmark, pages := []string{}, "", 0
	for {
		rows, next, err := ledger.QueryRange(l.Begin(memledger.TxOptions{}), "ev", []string{"alice"}, from, to, size, bookmark)
		require.NoError(t, err, "range [%q, %q) page %d", from, to, pages)
		require.NotNil(t, rows, "a page is a list, never null")
		require.LessOrEqual(t, len(rows), int(size))
		got = append(got, values(rows)...)
		pages++
		if next == "" {
			return got, pages
		}
		require.Len(t, rows, int(size), "only a full page has a next page")
		bookmark = next
	}
}

func TestQueryRangeBounds(t *testing.T) {
	l := seedRange(t)
	for _, c := range []struct {
		from, to string
		want     []string
	}{
		{"", "", aliceRows},
		{"ab", "b", []string{"ab/x", "abc/x"}},            // from inclusive, to exclusive
		{"a", "ab", []string{"a/x"}},                      // "ab" is not below "ab", "abc" is past it
		{"abc", "ba", []string{"abc/x", "b/", "b/x"}},     // a key ending at the attribute counts
		{"", "a", []string{"/x"}},                         // an empty attribute is the least
		{"", "b", []string{"/x", "a/x", "ab/x", "abc/x"}}, // open below
		{"b", "", []string{"b/", "b/x", "ba/x", "c/x"}},   // open above
		{"a", "", []string{"a/x", "ab/x", "abc/x", "b/", "b/x", "ba/x", "c/x"}},
		{"bb", "", []string{"c/x"}},
		{"ab", "ab", []string{}},     // empty range
		{"d", "", []string{}},        // past every row
		{"", "\x01", []string{"/x"}}, // the least possible non-empty bound
		{"c", "c\x01", []string{"c/x"}},
	} {
		got, _ := walk(t, l, c.from, c.to, ledger.MaxPageSize)
		require.Equal(t, c.want, got, "range [%q, %q)", c.from, c.to)
	}
}

func TestQueryRangePaginates(t *testing.T) {
	l := seedRange(t)
	for _, c := range []struct {
		from, to string
		size     int32
		want     []string
		pages    int
	}{
		// The third page ends at "ba/x" with "c/x" next: past the range,
		// so its bookmark is "" rather than a fourth, empty page.
		{"a", "c", 2, []string{"a/x", "ab/x", "abc/x", "b/", "b/x", "ba/x"}, 3},
		{"a", "c", 1, []string{"a/x", "ab/x", "abc/x", "b/", "b/x", "ba/x"}, 6},
		{"a", "c", 4, []string{"a/x", "ab/x", "abc/x", "b/", "b/x", "ba/x"}, 2},
		{"", "", 3, aliceRows, 3},
		{"b", "", 2, []string{"b/", "b/x", "ba/x", "c/x"}, 2},
		{"", "b", 3, []string{"/x", "a/x", "ab/x", "abc/x"}, 2},
	} {
		got, pages := walk(t, l, c.from, c.to, c.size)
		require.Equal(t, c.want, got, "range [%q, %q) by %d", c.from, c.to, c.size)
		require.Equal(t, c.pages, pages, "range [%q, %q) by %d", c.from, c.to, c.size)
	}

	// A bookmark is the first key of the next page.
	rows, next, err := ledger.QueryRange(l.Begin(memledger.TxOptions{}), "ev", []string{"alice"}, "a", "c", 2, "")
	require.NoError(t, err)
	require.Equal(t, []string{"a/x", "ab/x"}, values(rows))
	require.Equal(t, rangeKey(t, "abc/x"), next)
}

// The peer starts the scan at any bookmark: one below from would read rows
// before the range, one at or past to rows after it, one outside the prefix
// other parties' rows.
func TestQueryRangeRefusesBookmarksOutsideTheRange(t *testing.T) {
	l := seedRange(t)
	bob, err := shim.CreateCompositeKey("ev", []string{"bob", "ab", "x"})
	require.NoError(t, err)
	alice2, err := shim.CreateCompositeKey("ev", []string{"alice2", "ab", "x"})
	require.NoError(t, err)
	prefix, err := shim.CreateCompositeKey("ev", []string{"alice"})
	require.NoError(t, err)
	for _, c := range []struct {
		from, to, bookmark string
	}{
		{"ab", "b", rangeKey(t, "a/x")},   // below from
		{"ab", "b", rangeKey(t, "b/")},    // at to
		{"ab", "b", rangeKey(t, "ba/x")},  // past to
		{"ab", "b", prefix + "ab"},        // below from: "ab" without its separator
		{"", "", bob},                     // another party
		{"", "", alice2},                  // a party whose name extends alice's
		{"", "", prefix[:len(prefix)-1]},  // the prefix without its separator
		{"", "", prefix + "\U0010FFFF"},   // the end of the prefix
		{"", "", "\x00"},                  // the whole composite key space
		{"", "", "\x00ev\x00"},            // every party
		{"", "", "zzz"},                   // simple keys
		{"", "", prefix + "a\xff"},        // not UTF-8: the shim would panic
		{"ab", "ab", rangeKey(t, "ab/x")}, // an empty range has no bookmark
	} {
		rows, next, err := ledger.QueryRange(l.Begin(memledger.TxOptions{}), "ev", []string{"alice"}, c.from, c.to, 10, c.bookmark)
		require.ErrorIs(t, err, errs.ErrInvalidArgument, "range [%q, %q) bookmark %q", c.from, c.to, c.bookmark)
		require.Nil(t, rows)
		require.Empty(t, next)
	}
	// Bookmarks inside the range, even ones no page returned, are fine.
	for bookmark, want := range map[string][]string{
		rangeKey(t, "ab/x"): {"ab/x", "abc/x"},
		rangeKey(t, "abc/"): {"abc/x"},
		prefix + "abz":      {},
	} {
		rows, next, err := ledger.QueryRange(l.Begin(memledger.TxOptions{}), "ev", []string{"alice"}, "ab", "b", 10, bookmark)
		require.NoError(t, err, "bookmark %q", bookmark)
		require.Equal(t, want, values(rows), "bookmark %q", bookmark)
		require.Empty(t, next)
	}
}

func TestQueryRangeRefusesBadArguments(t *testing.T) {
	l := seedRange(t)
	for _, c := range []struct {
		name, objectType string
		attrs            []string
		from, to         string
		size             int32
	}{
		{"page size 0", "ev", []string{"alice"}, "", "", 0},
		{"negative page size", "ev", []string{"alice"}, "", "", -1},
		{"page size too large", "ev", []string{"alice"}, "", "", ledger.MaxPageSize + 1},
		{"from after to", "ev", []string{"alice"}, "b", "a", 10},
		{"from after to, to a prefix of from", "ev", []string{"alice"}, "ab", "a", 10},
		{"U+0000 in from", "ev", []string{"alice"}, "a\x00", "", 10},
		{"U+10FFFF in to", "ev", []string{"alice"}, "", "\U0010FFFF", 10},
		{"invalid UTF-8 in from", "ev", []string{"alice"}, "\xff", "", 10},
		{"U+0000 in an attribute", "ev", []string{"al\x00ice"}, "", "", 10},
		{"U+10FFFF in the object type", "ev\U0010FFFF", nil, "", "", 10},
	} {
		rows, next, err := ledger.QueryRange(l.Begin(memledger.TxOptions{}), c.objectType, c.attrs, c.from, c.to, c.size, "")
		require.ErrorIs(t, err, errs.ErrInvalidArgument, c.name)
		require.Nil(t, rows, c.name)
		require.Empty(t, next, c.name)
	}
}

// Without attrs the range bounds the first attribute, across every party.
func TestQueryRangeOnTheFirstAttribute(t *testing.T) {
	l := seedRange(t)
	rows, next, err := ledger.QueryRange(l.Begin(memledger.TxOptions{}), "ev", nil, "alice", "alice2", 100, "")
	require.NoError(t, err)
	require.Equal(t, aliceRows, values(rows))
	require.Empty(t, next)
}

func TestQueryRangeLeavesTheCallersAttrsAlone(t *testing.T) {
	l := seedRange(t)
	backing := []string{"alice", "sentinel"}
	_, _, err := ledger.QueryRange(l.Begin(memledger.TxOptions{}), "ev", backing[:1], "a", "b", 10, "")
	require.NoError(t, err)
	require.Equal(t, []string{"alice", "sentinel"}, backing)
}

// Fabric refuses a paginated query in a transaction that has written; that
// is a programming error, not the caller's.
func TestQueryRangeInAWritingTransactionIsInternal(t *testing.T) {
	tx := seedRange(t).Begin(memledger.TxOptions{})
	require.NoError(t, tx.PutState("k", []byte("v")))
	_, _, err := ledger.QueryRange(tx, "ev", []string{"alice"}, "a", "b", 10, "")
	require.ErrorIs(t, err, errs.ErrInternal)
}

// The shim's range query takes simple keys only, which is why QueryRange
// runs a partial composite key query instead; this pins that fact.
func TestRangeQueriesCannotTakeCompositeKeys(t *testing.T) {
	tx := seedRange(t).Begin(memledger.TxOptions{})
	start := rangeKey(t, "a/x")
	_, _, err := tx.GetStateByRangeWithPagination(start, start+"\U0010FFFF", 10, "")
	require.ErrorContains(t, err, "null character")
}
