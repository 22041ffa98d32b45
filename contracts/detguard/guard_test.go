package detguard

import (
	"go/token"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestGuardFindsEveryViolation(t *testing.T) {
	fset := token.NewFileSet()
	bad, err := LoadDir(fset, "testdata/bad")
	require.NoError(t, err)
	rules := map[string][]string{}
	for _, f := range Check(fset, []Package{bad}) {
		rules[f.Rule] = append(rules[f.Rule], f.Msg)
	}
	require.Len(t, rules["import"], 2, "math/rand and os: %v", rules["import"])
	require.Len(t, rules["clock"], 1, "time.Now: %v", rules["clock"])
	require.Len(t, rules["concurrency"], 3, "chan, go, select: %v", rules["concurrency"])
	require.Len(t, rules["maprange"], 1)
	require.Len(t, rules["global"], 1, "counter, not ErrSentinel: %v", rules["global"])
	require.Len(t, rules["query"], 2, "a query and a call to an evaluate-only function from submit code: %v", rules["query"])
	require.Contains(t, strings.Join(rules["query"], "\n"), "submitCallsEvaluate calls evaluate-only history")
}

func TestGuardAcceptsCleanCode(t *testing.T) {
	fset := token.NewFileSet()
	clean, err := LoadDir(fset, "testdata/clean")
	require.NoError(t, err)
	require.Empty(t, Check(fset, []Package{clean}))
}

// excluded are the contracts/ packages that never run inside a
// transaction: the server launcher and its command (they read the
// environment and files at start-up), the in-memory test ledger, and this
// guard.
var excluded = map[string]bool{
	"github.com/likrcommerce/likr/contracts/launcher":           true,
	"github.com/likrcommerce/likr/contracts/cmd/likr-chaincode": true,
	"github.com/likrcommerce/likr/contracts/ledger/memledger":   true,
	"github.com/likrcommerce/likr/contracts/detguard":           true,
}

func TestContractCodeKeepsTheRules(t *testing.T) {
	fset := token.NewFileSet()
	pkgs, err := LoadModule(fset, "../..", func(path string) bool {
		return strings.HasPrefix(path, "github.com/likrcommerce/likr/contracts/") && !excluded[path]
	}, "./contracts/...")
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(pkgs), 7, "the guard must see the contract packages")
	var lines []string
	for _, f := range Check(fset, pkgs) {
		lines = append(lines, f.String())
	}
	require.Empty(t, lines, "contract code breaks determinism or ledger rules:\n%s", strings.Join(lines, "\n"))
}
