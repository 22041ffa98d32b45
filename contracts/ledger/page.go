package ledger

import (
	"strings"

	"github.com/likrcommerce/likr/contracts/errs"
)

// MaxPageSize bounds every paginated query, so one evaluate call reads a
// bounded number of rows whatever the caller asks for.
const MaxPageSize int32 = 100

// KV is one row of a query page.
type KV struct {
	Key   string
	Value []byte
}

// CheckPageSize accepts 1..MaxPageSize.
func CheckPageSize(n int32) error {
	if n < 1 || n > MaxPageSize {
		return errs.New(errs.InvalidArgument, "page size %d must be between 1 and %d", n, MaxPageSize)
	}
	return nil
}

// QueryPage reads one page of the rows whose composite key starts with
// objectType and attrs, and returns the bookmark of the next page ("" after
// the last). It is the one entry point for range reads, which Fabric allows
// only in evaluate (read-only) transactions.
//
// In Fabric the bookmark becomes the start key of the scan, so a forged
// bookmark could start it inside another object type's keys; a bookmark
// outside the queried prefix is therefore INVALID_ARGUMENT.
// likr:evaluate
func QueryPage(st State, objectType string, attrs []string, pageSize int32, bookmark string) ([]KV, string, error) {
	if err := CheckPageSize(pageSize); err != nil {
		return nil, "", err
	}
	prefix, err := st.CreateCompositeKey(objectType, attrs)
	if err != nil {
		return nil, "", errs.Wrap(errs.InvalidArgument, err, "query key")
	}
	if bookmark != "" && !strings.HasPrefix(bookmark, prefix) {
		return nil, "", errs.New(errs.InvalidArgument, "bookmark does not belong to this query")
	}
	it, meta, err := st.GetStateByPartialCompositeKeyWithPagination(objectType, attrs, pageSize, bookmark)
	if err != nil {
		return nil, "", errs.Wrap(errs.Internal, err, "query %s", objectType)
	}
	defer it.Close()
	var rows []KV
	for it.HasNext() {
		kv, err := it.Next()
		if err != nil {
			return nil, "", errs.Wrap(errs.Internal, err, "query %s", objectType)
		}
		rows = append(rows, KV{Key: kv.Key, Value: kv.Value})
	}
	next := ""
	if meta != nil {
		next = meta.GetBookmark()
	}
	return rows, next, nil
}
