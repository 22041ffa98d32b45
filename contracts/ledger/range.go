package ledger

import (
	"slices"
	"unicode/utf8"

	"github.com/likrcommerce/likr/contracts/errs"
)

// QueryRange reads one page of the rows whose composite key starts with
// objectType and attrs and whose NEXT attribute is in [from, to), in key
// order, and returns the bookmark of the next page ("" after the last).
// from "" leaves the range open below and to "" open above. It serves the
// time-range queries of indexes such as "sale~supplier supplier settledAt
// ...". from > to is INVALID_ARGUMENT; from == to is an empty range.
//
// # Bounds
//
// A composite key is U+0000 objectType U+0000 attr1 U+0000 ... attrN U+0000,
// and no attribute may hold U+0000 or U+10FFFF. With P the key of
// (objectType, attrs), a row whose next attribute is a has a key starting
// with P a U+0000, and
//
//	from <= a  exactly when  P from U+0000 <= key
//	a < to     exactly when  key < P to U+0000
//
// because U+0000 sorts below every byte an attribute can hold: when a is a
// proper prefix of to, the key has U+0000 where the bound has a larger byte;
// when a == to, the key starts with the bound. So the range is
// [CreateCompositeKey(objectType, attrs+[from]),
// CreateCompositeKey(objectType, attrs+[to])), and an open end is P below
// and P U+10FFFF above, which is how the shim bounds a partial composite key
// query. An open end must not be built from an empty attribute:
// CreateCompositeKey accepts "" and yields P U+0000, which as an upper bound
// would exclude every row.
//
// # Why not GetStateByRangeWithPagination
//
// The shim refuses range keys that start with U+0000 ("first character of
// the key ... contains a null character", validateSimpleKeys), and every
// composite key does: GetStateByRange* reads simple keys only. So QueryRange
// runs the partial composite key query of (objectType, attrs), whose end key
// is P U+10FFFF, and uses what the peer does with a bookmark
// (core/chaincode/handler.go HandleGetStateByRange): a non-empty bookmark
// replaces the start key, whatever it is. The first page therefore passes
// the lower bound as its bookmark; the upper bound is applied here, cutting
// the page at the first key at or past it. The peer may read up to pageSize
// rows past the end of the range, which only costs time: the range is
// bounded by pageSize like any page.
//
// # Bookmarks
//
// As with QueryPage, the peer starts the scan at any bookmark it is given,
// so a bookmark outside [lower, upper) is INVALID_ARGUMENT (one below
// would read rows before from, and one outside P other parties' rows; every
// string in [P, P U+10FFFF) starts with P). So is one that is not valid
// UTF-8, on which the shim would panic. A returned bookmark always lies in
// the range; it is "" when the next row would be past to.
// likr:evaluate
func QueryRange(st State, objectType string, attrs []string, from, to string, pageSize int32, bookmark string) ([]KV, string, error) {
	if err := CheckPageSize(pageSize); err != nil {
		return nil, "", err
	}
	lower, upper, err := rangeBounds(st, objectType, attrs, from, to)
	if err != nil {
		return nil, "", err
	}
	if bookmark != "" && (!utf8.ValidString(bookmark) || bookmark < lower || bookmark >= upper) {
		return nil, "", errs.New(errs.InvalidArgument, "bookmark does not belong to this query")
	}
	if lower >= upper {
		return []KV{}, "", nil // from == to: nothing to read
	}
	start := bookmark
	if start == "" && from != "" {
		start = lower
	}
	it, meta, err := st.GetStateByPartialCompositeKeyWithPagination(objectType, attrs, pageSize, start)
	if err != nil {
		return nil, "", errs.Wrap(errs.Internal, err, "query %s", objectType)
	}
	defer it.Close()
	rows := []KV{}
	for it.HasNext() {
		kv, err := it.Next()
		if err != nil {
			return nil, "", errs.Wrap(errs.Internal, err, "query %s", objectType)
		}
		if kv.GetKey() >= upper {
			// Keys come in order: every later one is past the range too.
			return rows, "", nil
		}
		rows = append(rows, KV{Key: kv.GetKey(), Value: kv.GetValue()})
	}
	next := meta.GetBookmark()
	if next >= upper {
		next = "" // the next page would start past the range
	}
	return rows, next, nil
}

// rangeBounds returns the start and end keys of QueryRange (see there).
func rangeBounds(st State, objectType string, attrs []string, from, to string) (lower, upper string, err error) {
	prefix, err := st.CreateCompositeKey(objectType, attrs)
	if err != nil {
		return "", "", errs.Wrap(errs.InvalidArgument, err, "query key")
	}
	lower, upper = prefix, prefix+string(utf8.MaxRune)
	// slices.Clip makes append copy, so the caller's attrs stay untouched.
	if from != "" {
		if lower, err = st.CreateCompositeKey(objectType, append(slices.Clip(attrs), from)); err != nil {
			return "", "", errs.Wrap(errs.InvalidArgument, err, "range start")
		}
	}
	if to != "" {
		if upper, err = st.CreateCompositeKey(objectType, append(slices.Clip(attrs), to)); err != nil {
			return "", "", errs.Wrap(errs.InvalidArgument, err, "range end")
		}
	}
	if from != "" && to != "" && from > to {
		return "", "", errs.New(errs.InvalidArgument, "range start %q is after its end %q", from, to)
	}
	return lower, upper, nil
}

// Scan calls fn for every row of QueryRange(objectType, attrs, from, to),
// page by page. It reads at most limit + 1
// rows and is LIMIT_EXCEEDED when there are more than limit: evaluate
// functions that add rows up (balances, totals, ratings, reputations) stay
// bounded whatever the ledger holds.
// likr:evaluate
func Scan(st State, objectType string, attrs []string, from, to string, limit int, fn func(KV) error) error {
	bookmark, rows := "", 0
	for {
		size := MaxPageSize
		if left := limit - rows + 1; left < int(size) {
			size = int32(left) // one row past the bound tells that it is passed
		}
		kvs, next, err := QueryRange(st, objectType, attrs, from, to, size, bookmark)
		if err != nil {
			return err
		}
		rows += len(kvs)
		if rows > limit {
			return errs.New(errs.LimitExceeded, "more than %d %s rows to read", limit, objectType)
		}
		for _, kv := range kvs {
			if err := fn(kv); err != nil {
				return err
			}
		}
		if next == "" || len(kvs) == 0 {
			return nil
		}
		bookmark = next
	}
}
