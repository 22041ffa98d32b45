// Package clean follows every rule; the guard must find nothing here.
package clean

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"time"

	"example.com/fixtures/store"
)

type codedError struct{ code string }

func (e *codedError) Error() string { return e.code }

// Error sentinels.
var (
	ErrEmpty   = errors.New("empty")
	ErrWrapped = fmt.Errorf("wrapped: %w", ErrEmpty)
	ErrCoded   = &codedError{code: "NOT_FOUND"}
)

var _ error = (*codedError)(nil)

// table is in the test's allowlist.
var table = [...]string{"a"}

// half is computed exactly by the compiler.
const half = 1.0 / 2

func sortedKeys(m map[string]int) []string { return slices.Sorted(maps.Keys(m)) }

// sortedByHand is in the test's allowlist.
func sortedByHand(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func copyMap(m map[string]int) map[string]int { return maps.Collect(maps.All(m)) }

func size(m map[string]int) (n int) {
	for range m {
		n++
	}
	return n
}

func deadline(ts time.Time, d time.Duration) (time.Time, string) {
	return ts.Add(d), time.Unix(ts.Unix(), 0).UTC().Format(time.RFC3339)
}

func integer(a, b uint64) uint64 { return a*b + uint64(half*4) + uint64(len(table)) }

// Page is evaluate-only, so it may use the pagination helper.
//
//likr:evaluate
func Page(st store.State, bookmark string) (string, error) {
	return store.Page(st, "coin", bookmark)
}

// Total calls another evaluate-only function.
// likr:evaluate (the spaced form, with a reason, counts too)
func Total(st store.State) (string, error) { return Page(st, "") }

// History reads a key's history.
//
//likr:evaluate
func History(st store.State) error {
	it, err := st.GetHistoryForKey("k")
	if err != nil {
		return err
	}
	return it.Close()
}
