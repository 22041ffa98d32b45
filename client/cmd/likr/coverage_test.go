package main

import (
	"flag"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// chaincodeTransactions reads, from the chaincode's source, every contract
// New registers and every transaction of each: the exported methods of its
// type that take the transaction *Context first.
func chaincodeTransactions(t *testing.T) (contracts []string, txs []string) {
	t.Helper()
	files, err := filepath.Glob("../../../contracts/chaincode/*.go")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	fset := token.NewFileSet()
	names := map[string]string{} // type -> contract name
	methods := map[string][]string{}
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, 0)
		require.NoError(t, err)
		ast.Inspect(f, func(n ast.Node) bool {
			// {"config", &ConfigContract{}} in New.
			if lit, ok := n.(*ast.CompositeLit); ok && len(lit.Elts) == 2 {
				name, ok1 := lit.Elts[0].(*ast.BasicLit)
				ref, ok2 := lit.Elts[1].(*ast.UnaryExpr)
				if ok1 && ok2 && name.Kind == token.STRING {
					if inner, ok := ref.X.(*ast.CompositeLit); ok {
						if typ, ok := inner.Type.(*ast.Ident); ok && strings.HasSuffix(typ.Name, "Contract") {
							contract, err := strconv.Unquote(name.Value)
							require.NoError(t, err)
							names[typ.Name] = contract
							contracts = append(contracts, contract)
						}
					}
				}
			}
			fn, ok := n.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || !fn.Name.IsExported() || len(fn.Type.Params.List) == 0 {
				return true
			}
			star, ok := fn.Recv.List[0].Type.(*ast.StarExpr)
			if !ok {
				return true
			}
			recv, _ := star.X.(*ast.Ident)
			first, ok := fn.Type.Params.List[0].Type.(*ast.StarExpr)
			if !ok || recv == nil {
				return true
			}
			if ctx, ok := first.X.(*ast.Ident); ok && ctx.Name == "Context" {
				methods[recv.Name] = append(methods[recv.Name], fn.Name.Name)
			}
			return true
		})
	}
	for typ, contract := range names {
		for _, m := range methods[typ] {
			txs = append(txs, contract+":"+m)
		}
	}
	slices.Sort(txs)
	return contracts, txs
}

// TestEveryContractHasAGroup holds the CLI to the chaincode: each contract
// has a group of its name, every transaction is called by some command, and
// every transaction a command names exists.
func TestEveryContractHasAGroup(t *testing.T) {
	contracts, txs := chaincodeTransactions(t)
	require.Len(t, contracts, 9, "the chaincode's contracts, as New lists them")
	require.Greater(t, len(txs), 60)

	for _, c := range contracts {
		g := findGroup(c)
		require.NotNil(t, g, "no command group for contract %s", c)
		require.Equal(t, c, g.contract)
	}
	called := map[string]bool{}
	for _, g := range groups {
		for _, cmd := range g.commands {
			for _, tx := range cmd.tx {
				require.True(t, slices.Contains(txs, tx), "%s calls %s, which the chaincode does not have", cmd.path(), tx)
				called[tx] = true
			}
		}
	}
	var missing []string
	for _, tx := range txs {
		if !called[tx] {
			missing = append(missing, tx)
		}
	}
	require.Empty(t, missing, "transactions no command calls")
}

// TestEveryCommandIsWellFormed checks what help and parsing rely on: unique
// names, a summary, flags that register without clashing with the global
// ones, and argument counts that match the usage.
func TestEveryCommandIsWellFormed(t *testing.T) {
	seen := map[string]bool{}
	for _, g := range groups {
		require.False(t, seen[g.name], "group %s twice", g.name)
		seen[g.name] = true
		for _, cmd := range g.commands {
			require.False(t, seen[cmd.path()], "%s twice", cmd.path())
			seen[cmd.path()] = true
			require.NotEmpty(t, cmd.summary, cmd.path())
			require.Equal(t, g.name, cmd.group)
			// Registering the globals after the command's flags, as
			// dispatch does, panics on a clash.
			require.NotPanics(t, func() {
				fs := flag.NewFlagSet(cmd.path(), flag.ContinueOnError)
				cmd.setup(fs)
				new(globals).register(fs)
			}, cmd.path())
			if cmd.maxArgs == 0 {
				require.Empty(t, cmd.args, "%s takes no arguments but shows %q", cmd.path(), cmd.args)
			} else {
				require.NotEmpty(t, cmd.args, "%s takes arguments but shows none", cmd.path())
			}
			require.True(t, cmd.maxArgs < 0 || cmd.minArgs <= cmd.maxArgs, cmd.path())
		}
	}
}
