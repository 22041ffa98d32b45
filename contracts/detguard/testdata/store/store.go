// Package store stands in for contracts/ledger: a stub interface and the
// one evaluate-only pagination helper. It follows every rule.
package store

// Iterator is a query result.
type Iterator interface{ Close() error }

// State is the part of the shim's stub the fixtures use.
type State interface {
	PutState(key string, value []byte) error
	GetStateByRange(startKey, endKey string) (Iterator, error)
	GetStateByPartialCompositeKeyWithPagination(objectType string, keys []string, pageSize int32, bookmark string) (Iterator, string, error)
	GetHistoryForKey(key string) (Iterator, error)
	GetQueryResultWithPagination(query string, pageSize int32, bookmark string) (Iterator, string, error)
}

// Page reads one page of objectType rows and returns the next bookmark.
//
//likr:evaluate
func Page(st State, objectType, bookmark string) (string, error) {
	it, next, err := st.GetStateByPartialCompositeKeyWithPagination(objectType, nil, 10, bookmark)
	if err != nil {
		return "", err
	}
	return next, it.Close()
}

// Keeper reads through a State.
type Keeper struct{ st State }

// Balance is an evaluate-only method.
//
//likr:evaluate
func (k *Keeper) Balance() (string, error) { return Page(k.st, "coin", "") }
