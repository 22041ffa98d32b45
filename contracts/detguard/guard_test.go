package detguard

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// fixtureAllow is the allowlist of the fixture module in testdata/.
var fixtureAllow = Allowlist{
	Globals: map[string]string{
		"example.com/fixtures/bad.allowedTable": "shows that writes stay refused",
		"example.com/fixtures/clean.table":      "shows an excused declaration",
	},
	MapRanges: map[string]string{"example.com/fixtures/clean.sortedByHand": "sorts what it collects"},
}

// loadFixtures type-checks testdata/, a module of its own, through the
// same loader as the real check.
func loadFixtures(t *testing.T) (*token.FileSet, []Package) {
	t.Helper()
	fset := token.NewFileSet()
	pkgs, err := LoadModule(fset, "testdata", func(string) bool { return true }, "./...")
	require.NoError(t, err)
	require.Len(t, pkgs, 3, "bad, clean and store")
	return fset, pkgs
}

var wantRE = regexp.MustCompile(`^// want( "[a-z]+")+$`)

// wants reads the `// want "rule" ...` comments of the fixtures as
// "file:line rule" entries, one per expected finding.
func wants(t *testing.T, fset *token.FileSet, pkgs []Package) []string {
	t.Helper()
	var out []string
	for _, p := range pkgs {
		for _, f := range p.Files {
			for _, group := range f.Comments {
				for _, c := range group.List {
					if !strings.HasPrefix(c.Text, "// want") {
						continue
					}
					require.Regexp(t, wantRE, c.Text, "malformed want comment at %s", fset.Position(c.Pos()))
					pos := fset.Position(c.Pos())
					for _, rule := range strings.Fields(strings.TrimPrefix(c.Text, "// want")) {
						out = append(out, fmt.Sprintf("%s:%d %s", relative(pos.Filename), pos.Line, strings.Trim(rule, `"`)))
					}
				}
			}
		}
	}
	return out
}

func relative(path string) string {
	return filepath.Join(filepath.Base(filepath.Dir(path)), filepath.Base(path))
}

func got(findings []Finding) []string {
	out := make([]string, len(findings))
	for i, f := range findings {
		out[i] = fmt.Sprintf("%s:%d %s", relative(f.Pos.Filename), f.Pos.Line, f.Rule)
	}
	return out
}

// TestFixtures asserts that the guard finds exactly the violations the
// fixtures mark, with the right rule on the right line, and nothing in the
// clean packages.
func TestFixtures(t *testing.T) {
	fset, pkgs := loadFixtures(t)
	findings := Check(fset, pkgs, fixtureAllow)

	want := append(wants(t, fset, pkgs), "bad/ignored.go:1 build")
	for _, rule := range []string{"import", "clock", "concurrency", "global", "maprange", "query", "unpaginated", "couchdb", "float", "build"} {
		require.Contains(t, strings.Join(want, "\n"), " "+rule, "the fixtures must exercise rule %s", rule)
	}
	g := got(findings)
	slices.Sort(want)
	slices.Sort(g)
	require.Equal(t, want, g, "findings:\n%s", findingList(findings))
	for _, f := range findings {
		require.Contains(t, f.Pos.Filename, filepath.Join("testdata", "bad"), "clean code has a finding: %s", f)
	}
}

// TestAllowlist asserts that the allowlist is what excuses the listed
// declarations, and that an entry excusing nothing is a finding.
func TestAllowlist(t *testing.T) {
	fset, pkgs := loadFixtures(t)

	without := findingList(Check(fset, pkgs, Allowlist{}))
	require.Regexp(t, `clean/clean.go:\d+:\d+: \[global\] package-level variable table `, without, "clean.table without its entry")
	require.Regexp(t, `clean/clean.go:\d+:\d+: \[maprange\] range over a map in sortedByHand`, without, "clean.sortedByHand without its entry")

	stale := fixtureAllow
	stale.Globals = map[string]string{"example.com/fixtures/clean.gone": "no longer exists"}
	stale.MapRanges = map[string]string{
		"example.com/fixtures/clean.sortedByHand": "still used",
		"example.com/fixtures/clean.sortedKeys":   "never ranges over a map",
	}
	var msgs []string
	for _, f := range Check(fset, pkgs, stale) {
		if f.Rule == "allowlist" {
			msgs = append(msgs, f.Msg)
		}
	}
	require.Equal(t, []string{
		"global entry example.com/fixtures/clean.gone excuses nothing: remove it",
		"maprange entry example.com/fixtures/clean.sortedKeys excuses nothing: remove it",
	}, msgs)
}

func TestDirective(t *testing.T) {
	for text, want := range map[string]bool{
		"//likr:evaluate":                   true,
		"// likr:evaluate":                  true,
		"// likr:evaluate (reads history)":  true,
		"// likr:evaluated":                 false,
		"// see likr:evaluate":              false,
		"// Balance is likr:evaluate-only.": false,
	} {
		t.Run(text, func(t *testing.T) {
			f, err := parser.ParseFile(token.NewFileSet(), "f.go", "package p\n\n// F does things.\n"+text+"\nfunc F() {}\n", parser.ParseComments)
			require.NoError(t, err)
			require.Equal(t, want, hasDirective(f.Decls[0].(*ast.FuncDecl).Doc, EvaluateDirective))
		})
	}
}

// excluded are the packages under contracts/ that are not contract code,
// with the reason. Everything else of the module that contracts/ reaches
// is checked, including packages added later.
var excluded = map[string]string{
	"github.com/likrcommerce/likr/contracts/launcher":             "runs once at process start, before any transaction: reads the environment and TLS files",
	"github.com/likrcommerce/likr/contracts/cmd/likr-chaincode":   "the server's main: signals and a goroutine around the launcher, outside any transaction",
	"github.com/likrcommerce/likr/contracts/cmd/likr-calibration": "the calibration server's main (make bench): reads the environment for the launcher, outside any transaction",
	"github.com/likrcommerce/likr/contracts/ledger/memledger":     "an in-memory ledger for tests, never linked into the chaincode",
	"github.com/likrcommerce/likr/contracts/detguard":             "this guard, a test tool that runs go list",
}

const module = "github.com/likrcommerce/likr/"

// TestContractCodeKeepsTheRules is the guard itself: every package of the
// module that contracts/ reaches, except the exclusions, has no finding.
func TestContractCodeKeepsTheRules(t *testing.T) {
	fset := token.NewFileSet()
	var listed []string
	pkgs, err := LoadModule(fset, "../..", func(path string) bool {
		listed = append(listed, path)
		_, skip := excluded[path]
		return !skip
	}, "./contracts/...")
	require.NoError(t, err)
	for path := range excluded {
		require.Contains(t, listed, path, "stale exclusion")
	}
	var checked []string
	for _, p := range pkgs {
		checked = append(checked, p.Path)
	}
	require.Contains(t, checked, module+"contracts/chaincode", "the guard must see the chaincode")

	if findings := Check(fset, pkgs, Likr); len(findings) > 0 {
		t.Fatalf("contract code breaks the determinism or ledger rules (see package detguard's doc):\n%s", findingList(findings))
	}
}

// TestExclusionsStayOutOfTransactions backs the exclusions' reasons: the
// test-only packages are not linked into the chaincode binary at all.
func TestExclusionsStayOutOfTransactions(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", "./contracts/cmd/likr-chaincode")
	cmd.Dir = "../.."
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, stderr.String())
	deps := strings.Fields(string(out))
	require.NotContains(t, deps, module+"contracts/ledger/memledger")
	require.NotContains(t, deps, module+"contracts/detguard")
}

func findingList(findings []Finding) string {
	var b strings.Builder
	for _, f := range findings {
		b.WriteString(f.String() + "\n")
	}
	return b.String()
}
