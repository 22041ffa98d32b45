// Package detguard checks contract code for the Fabric determinism and
// ledger rules of the design: every peer that endorses a transaction must
// compute the same writes, and range and history reads belong in evaluate
// (read-only) transactions. A test in this package runs the check over
// contracts/ and fails on any finding.
//
// Rules:
//
//	import      no math/rand, crypto/rand, os, os/exec, net, net/http, io/ioutil, syscall, unsafe
//	clock       no time.Now, Since, Until, Sleep, After, AfterFunc, Tick, NewTimer, NewTicker
//	concurrency no go statements, select, or channels
//	global      no package-level variables except error sentinels (Err*), compile-time
//	            assertions (var _ = ...) and the explicit allowlist below
//	maprange    no range over a map (Go randomises the order), except in functions whose doc
//	            carries "likr:orderfree" because their result cannot depend on the order
//	query       range, history and rich queries (GetStateByRange*, GetStateByPartialCompositeKey*,
//	            GetHistoryForKey, GetQueryResult*, and ledger.QueryPage, the one shared entry
//	            point) only in functions whose doc comment carries the directive
//	            "likr:evaluate"; a function that calls such a function must carry it too
package detguard

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"sort"
	"strings"
)

// Finding is one rule broken at one place.
type Finding struct {
	Pos  token.Position
	Rule string
	Msg  string
}

func (f Finding) String() string { return fmt.Sprintf("%s: [%s] %s", f.Pos, f.Rule, f.Msg) }

// Directives in a function's doc comment.
const (
	// EvaluateDirective marks a function as evaluate-only.
	EvaluateDirective = "likr:evaluate"
	// OrderFreeDirective marks a function whose map ranges cannot change
	// its result (building another map, taking a minimum).
	OrderFreeDirective = "likr:orderfree"
)

var forbiddenImports = map[string]bool{
	"math/rand": true, "math/rand/v2": true, "crypto/rand": true, "os": true, "os/exec": true,
	"net": true, "net/http": true, "io/ioutil": true, "syscall": true, "unsafe": true,
}

var clockCalls = map[string]bool{
	"Now": true, "Since": true, "Until": true, "Sleep": true, "After": true, "AfterFunc": true,
	"Tick": true, "NewTimer": true, "NewTicker": true,
}

var queryMethods = map[string]bool{
	"GetStateByRange": true, "GetStateByRangeWithPagination": true,
	"GetStateByPartialCompositeKey": true, "GetStateByPartialCompositeKeyWithPagination": true,
	"GetHistoryForKey": true, "GetQueryResult": true, "GetQueryResultWithPagination": true,
	"QueryPage": true,
}

// allowedGlobals are package-level variables that are set once and never
// written, with the reason.
var allowedGlobals = map[string]string{
	"unmarshalerType":     "codec: a reflect.Type constant",
	"textUnmarshalerType": "codec: a reflect.Type constant",
}

// Package is one type-checked package.
type Package struct {
	Path  string
	Files []*ast.File
	Info  *types.Info
}

// Check applies every rule to pkgs, which together must hold every
// function a checked function calls with the evaluate directive.
func Check(fset *token.FileSet, pkgs []Package) []Finding {
	evaluate := map[*types.Func]bool{}
	for _, p := range pkgs {
		for _, f := range p.Files {
			for _, d := range f.Decls {
				if fd, ok := d.(*ast.FuncDecl); ok && hasDirective(fd.Doc, EvaluateDirective) {
					if obj, ok := p.Info.Defs[fd.Name].(*types.Func); ok {
						evaluate[obj.Origin()] = true
					}
				}
			}
		}
	}
	var out []Finding
	for _, p := range pkgs {
		for _, f := range p.Files {
			out = append(out, checkFile(fset, p.Info, f, evaluate)...)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Pos.String() < out[j].Pos.String() })
	return out
}

func hasDirective(doc *ast.CommentGroup, directive string) bool {
	if doc == nil {
		return false
	}
	for _, c := range doc.List {
		if strings.Contains(c.Text, directive) {
			return true
		}
	}
	return false
}

func checkFile(fset *token.FileSet, info *types.Info, f *ast.File, evaluate map[*types.Func]bool) []Finding {
	var out []Finding
	add := func(n ast.Node, rule, format string, args ...any) {
		out = append(out, Finding{Pos: fset.Position(n.Pos()), Rule: rule, Msg: fmt.Sprintf(format, args...)})
	}
	for _, imp := range f.Imports {
		path := strings.Trim(imp.Path.Value, `"`)
		if forbiddenImports[path] {
			add(imp, "import", "contract code must not import %s", path)
		}
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.GenDecl:
			if d.Tok != token.VAR {
				continue
			}
			for _, spec := range d.Specs {
				for _, name := range spec.(*ast.ValueSpec).Names {
					if name.Name == "_" || strings.HasPrefix(name.Name, "Err") || strings.HasPrefix(name.Name, "err") || allowedGlobals[name.Name] != "" {
						continue
					}
					add(name, "global", "package-level variable %s is mutable state shared by transactions", name.Name)
				}
			}
		case *ast.FuncDecl:
			if d.Body != nil {
				out = append(out, checkFunc(fset, info, d, evaluate)...)
			}
		}
	}
	return out
}

func checkFunc(fset *token.FileSet, info *types.Info, fd *ast.FuncDecl, evaluate map[*types.Func]bool) []Finding {
	var out []Finding
	add := func(n ast.Node, rule, format string, args ...any) {
		out = append(out, Finding{Pos: fset.Position(n.Pos()), Rule: rule, Msg: fmt.Sprintf(format, args...)})
	}
	isEvaluate := hasDirective(fd.Doc, EvaluateDirective)
	orderFree := hasDirective(fd.Doc, OrderFreeDirective)
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.GoStmt:
			add(n, "concurrency", "go statement in %s", fd.Name.Name)
		case *ast.SelectStmt:
			add(n, "concurrency", "select in %s", fd.Name.Name)
		case *ast.ChanType:
			add(n, "concurrency", "channel in %s", fd.Name.Name)
		case *ast.RangeStmt:
			if t := info.TypeOf(n.X); t != nil && !orderFree {
				if _, ok := t.Underlying().(*types.Map); ok {
					add(n, "maprange", "range over a map in %s: iteration order is random", fd.Name.Name)
				}
			}
		case *ast.CallExpr:
			sel, ok := n.Fun.(*ast.SelectorExpr)
			if !ok {
				if id, ok := n.Fun.(*ast.Ident); ok {
					checkCallee(info, id, n, fd, isEvaluate, evaluate, add)
				}
				return true
			}
			if pkg, ok := info.Uses[identOf(sel.X)].(*types.PkgName); ok && pkg.Imported().Path() == "time" && clockCalls[sel.Sel.Name] {
				add(n, "clock", "time.%s in %s: use the transaction timestamp", sel.Sel.Name, fd.Name.Name)
			}
			if queryMethods[sel.Sel.Name] && !isEvaluate {
				add(n, "query", "%s in %s, which lacks the %s directive", sel.Sel.Name, fd.Name.Name, EvaluateDirective)
			}
			checkCallee(info, sel.Sel, n, fd, isEvaluate, evaluate, add)
		}
		return true
	})
	return out
}

// checkCallee flags a call from a non-evaluate function to an evaluate one.
func checkCallee(info *types.Info, id *ast.Ident, call ast.Node, fd *ast.FuncDecl, isEvaluate bool, evaluate map[*types.Func]bool, add func(ast.Node, string, string, ...any)) {
	if isEvaluate {
		return
	}
	if fn, ok := info.Uses[id].(*types.Func); ok && evaluate[fn.Origin()] {
		add(call, "query", "%s calls evaluate-only %s but lacks the %s directive", fd.Name.Name, fn.Name(), EvaluateDirective)
	}
}

func identOf(e ast.Expr) *ast.Ident {
	id, _ := e.(*ast.Ident)
	return id
}
