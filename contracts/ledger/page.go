package ledger

import (
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
// page ("" after the last): QueryRange without bounds on the next
// attribute. These two are the only entry points for range reads, which
// Fabric allows only in read-only transactions.
//
// The peer makes a non-empty bookmark the start key of the scan, whatever
// it is, so a forged bookmark could start it among another prefix's keys: a
// bookmark outside the queried prefix is INVALID_ARGUMENT. So is one that is
// not valid UTF-8, on which the shim would panic and crash the chaincode.
// likr:evaluate
func QueryPage(st State, objectType string, attrs []string, pageSize int32, bookmark string) ([]KV, string, error) {
	return QueryRange(st, objectType, attrs, "", "", pageSize, bookmark)
}
