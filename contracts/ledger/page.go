package ledger

import (
	"strings"
	"unicode/utf8"

	"github.com/likrcommerce/likr/contracts/errs"
)

// MaxPageSize bounds every paginated query, so that one evaluate call reads
// a bounded number of rows whatever the caller asks for. 100 rows keep a
// response small next to gRPC's message limits and far below the peer's
// totalQueryLimit (100000 by default), which would otherwise cut a page
// short.
const MaxPageSize int32 = 100

// KV is one row of a query page.
type KV struct {
	Key   string
	Value []byte
}

// CheckPageSize accepts 1..MaxPageSize. Zero is refused too: the peer reads
// page size 0 without a bookmark as no pagination at all.
func CheckPageSize(n int32) error {
	if n < 1 || n > MaxPageSize {
		return errs.New(errs.InvalidArgument, "page size %d must be between 1 and %d", n, MaxPageSize)
	}
	return nil
}

// QueryPage reads one page of the rows whose composite key starts with
// objectType and attrs, in key order, and returns the bookmark of the next
// page ("" after the last). It is the one entry point for range reads,
// which Fabric allows only in read-only transactions.
//
// The peer makes a non-empty bookmark the start key of the scan, whatever
// it is, so a forged bookmark could start it among another prefix's keys: a
// bookmark outside the queried prefix is INVALID_ARGUMENT. So is one that is
// not valid UTF-8, on which the shim would panic and crash the chaincode.
// likr:evaluate
func QueryPage(st State, objectType string, attrs []string, pageSize int32, bookmark string) ([]KV, string, error) {
	if err := CheckPageSize(pageSize); err != nil {
		return nil, "", err
	}
	prefix, err := st.CreateCompositeKey(objectType, attrs)
	if err != nil {
		return nil, "", errs.Wrap(errs.InvalidArgument, err, "query key")
	}
	if bookmark != "" && (!strings.HasPrefix(bookmark, prefix) || !utf8.ValidString(bookmark)) {
		return nil, "", errs.New(errs.InvalidArgument, "bookmark does not belong to this query")
	}
	it, meta, err := st.GetStateByPartialCompositeKeyWithPagination(objectType, attrs, pageSize, bookmark)
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
		rows = append(rows, KV{Key: kv.GetKey(), Value: kv.GetValue()})
	}
	return rows, meta.GetBookmark(), nil
}
