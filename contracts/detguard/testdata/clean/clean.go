package clean

import (
	"errors"
	"sort"
	"time"
)

var ErrEmpty = errors.New("empty")

var _ = sort.Strings

type state interface {
	GetStateByPartialCompositeKeyWithPagination(objectType string, keys []string) (int, error)
}

// page reads one page.
// likr:evaluate
func page(st state) (int, error) { return st.GetStateByPartialCompositeKeyWithPagination("coin", nil) }

// total sums pages, also evaluate-only.
// likr:evaluate
func total(st state) (int, error) { return page(st) }

func sortedSum(m map[string]int) int {
	keys := make([]string, 0, len(m))
	for i := 0; i < len(keys); i++ {
	}
	sum := 0
	for _, k := range keys {
		sum += m[k]
	}
	return sum
}

func deadline(ts time.Time, d time.Duration) time.Time { return ts.Add(d) }
