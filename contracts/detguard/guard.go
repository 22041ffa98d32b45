// Package detguard checks contract code for Fabric's determinism and ledger
// rules. Every peer that endorses a transaction runs the same call on the
// same state, and the endorsements only match if every peer writes the
// same bytes; and range and history reads are only trustworthy in
// evaluate (read-only) transactions. A test in this package runs Check over
// the contract packages and fails on any finding.
//
// # Rules
//
//	import       no math/rand, math/rand/v2, crypto/rand, os, os/exec, os/signal, os/user,
//	             net, net/http, io/ioutil, syscall, unsafe, plugin
//	clock        no time.Now, Since, Until, Sleep, After, AfterFunc, Tick, NewTimer,
//	             NewTicker (the host clock); no time.Local, time.LoadLocation or
//	             Time.Local (the host time zone); time.Unix, UnixMilli and UnixMicro
//	             only directly followed by .UTC(), since they return host-local time
//	concurrency  no go statements, select, channel types, sends or receives
//	global       no package-level variables, except error sentinels (a name Err* or
//	             err*, a type implementing error, initialised by a call such as
//	             errors.New or errs.New, or by &T{...}), interface assertions
//	             (var _ I = ...), and the variables of Allowlist.Globals; and no
//	             assignment to any package-level variable, of any package
//	maprange     no range over a map, and no maps.Keys, maps.Values or maps.All
//	             except directly inside slices.Sorted*, maps.Collect or maps.Insert,
//	             and no reflect.Value.MapKeys or MapRange: Go randomises map order.
//	             Functions in Allowlist.MapRanges are exempt
//	query        range, history and rich queries (GetStateByRange*,
//	             GetStateByPartialCompositeKey*, GetHistoryForKey, GetQueryResult*,
//	             GetPrivateDataByRange, GetPrivateDataByPartialCompositeKey,
//	             GetPrivateDataQueryResult) only in evaluate-only functions; an
//	             evaluate-only function may be used only by evaluate-only functions,
//	             and must not write (PutState, DelState, SetEvent and the like)
//	unpaginated  no GetStateByRange, GetStateByPartialCompositeKey or their private
//	             data forms: every scan is bounded by a page size
//	couchdb      no GetQueryResult* or GetPrivateDataQueryResult: rich queries need
//	             CouchDB, and Likr runs on LevelDB, Fabric's default
//	float        no floating-point arithmetic: compilers fuse multiply-add on some
//	             architectures (arm64) and not others (amd64), so peers on different
//	             hardware could compute different results
//	build        no contract file left out of the build by build constraints or cgo:
//	             it cannot be checked, and code that differs by platform differs
//	             between peers
//	allowlist    no Allowlist entry that excuses nothing
//
// # Evaluate-only functions
//
// A function is evaluate-only when its doc comment has a line that is the
// directive likr:evaluate, written "//likr:evaluate" or "// likr:evaluate",
// optionally followed by a space and a reason. Clients must call such
// transactions with evaluate, never submit. Raw range and history reads are
// allowed only inside evaluate-only functions, and the shared pagination
// helper ledger.QueryPage is itself evaluate-only, so every path to a range
// read is marked from the transaction down. The mark is checked across
// packages: a function that calls, or takes the value of, an evaluate-only
// function must be evaluate-only too.
//
// # What is checked
//
// The test checks the non-test files of every package of the module that
// ./contracts/... reaches, except the packages its exclusion list names,
// each with the reason it is not contract code; a package added later is
// checked without anyone remembering to add it. Packages are type-checked,
// and one that does not type-check fails the test rather than being skipped.
//
// # Limits
//
// The guard reads code, it does not run it. Query and write methods are
// recognised by name, whatever their receiver; the evaluate-only mark does
// not follow calls through interface methods or function values handed on
// by an evaluate-only function; and a write to a package-level variable
// through a pointer copied from it is not seen.
package detguard

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"sort"
	"strconv"
	"strings"
)

// Finding is one rule broken at one place.
type Finding struct {
	Pos  token.Position
	Rule string
	Msg  string
}

func (f Finding) String() string { return fmt.Sprintf("%s: [%s] %s", f.Pos, f.Rule, f.Msg) }

// EvaluateDirective marks a function as evaluate-only.
const EvaluateDirective = "likr:evaluate"

// Allowlist names the exceptions to the global and maprange rules, each
// with the reason it is safe. Keys are full names: "import/path.Var" for
// variables, and types.Func.FullName for functions, "import/path.F" or
// "(*import/path.T).M".
type Allowlist struct {
	Globals   map[string]string
	MapRanges map[string]string
}

// Likr is the allowlist of the Likr contract packages. Keep it short: each
// entry is an exception to a determinism rule that a reviewer has to trust.
var Likr = Allowlist{
	Globals: map[string]string{
		"github.com/likrcommerce/likr/contracts/codec.unmarshalerType":     "a reflect.Type computed once at start-up and never written",
		"github.com/likrcommerce/likr/contracts/codec.textUnmarshalerType": "a reflect.Type computed once at start-up and never written",
	},
	MapRanges: map[string]string{
		"(*github.com/likrcommerce/likr/contracts/codec.checker).structFields": "copies one map into another, which comes out the same in any order",
		"github.com/likrcommerce/likr/contracts/codec.caseHint":                "keeps the least matching name, the same in any order",
	},
}

var forbiddenImports = map[string]string{
	"math/rand":    "randomness",
	"math/rand/v2": "randomness",
	"crypto/rand":  "randomness",
	"os":           "the host's files and environment",
	"os/exec":      "other programs",
	"os/signal":    "process signals",
	"os/user":      "the host's users",
	"net":          "the network",
	"net/http":     "the network",
	"io/ioutil":    "the host's files",
	"syscall":      "the operating system",
	"unsafe":       "memory layout",
	"plugin":       "code loaded at run time",
}

// hostTime are the time package's functions and variables that depend on
// the host, with what they depend on.
var hostTime = map[string]string{
	"Now": "reads the host clock", "Since": "reads the host clock", "Until": "reads the host clock",
	"Sleep": "waits on the host clock", "After": "waits on the host clock", "AfterFunc": "waits on the host clock",
	"Tick": "waits on the host clock", "NewTimer": "waits on the host clock", "NewTicker": "waits on the host clock",
	"Local": "is the host's time zone", "LoadLocation": "reads the host's time zone database",
}

// localUnix are the time functions that return host-local times.
var localUnix = map[string]bool{"Unix": true, "UnixMilli": true, "UnixMicro": true}

// Query methods of the shim's stub, by rule.
var (
	rangeReads = map[string]bool{
		"GetStateByRange": true, "GetStateByRangeWithPagination": true,
		"GetStateByPartialCompositeKey": true, "GetStateByPartialCompositeKeyWithPagination": true,
		"GetHistoryForKey": true, "GetQueryResult": true, "GetQueryResultWithPagination": true,
		"GetPrivateDataByRange": true, "GetPrivateDataByPartialCompositeKey": true, "GetPrivateDataQueryResult": true,
	}
	unboundedReads = map[string]bool{
		"GetStateByRange": true, "GetStateByPartialCompositeKey": true,
		"GetPrivateDataByRange": true, "GetPrivateDataByPartialCompositeKey": true,
	}
	richQueries = map[string]bool{
		"GetQueryResult": true, "GetQueryResultWithPagination": true, "GetPrivateDataQueryResult": true,
	}
	writes = map[string]bool{
		"PutState": true, "DelState": true, "PutPrivateData": true, "DelPrivateData": true,
		"PurgePrivateData": true, "SetEvent": true, "SetStateValidationParameter": true,
		"SetPrivateDataValidationParameter": true,
	}
)

// mapIterators are the maps functions whose sequences follow map order,
// and orderFreeSinks the functions whose result is the same whatever order
// such a sequence has when it is passed to them directly.
var (
	mapIterators   = map[string]bool{"maps.Keys": true, "maps.Values": true, "maps.All": true}
	orderFreeSinks = map[string]bool{
		"slices.Sorted": true, "slices.SortedFunc": true, "slices.SortedStableFunc": true,
		"maps.Collect": true, "maps.Insert": true,
	}
)

// Package is one type-checked package.
type Package struct {
	Path  string
	Files []*ast.File
	Info  *types.Info
	// Skipped are the package's non-test files that the build leaves out
	// on this platform (build constraints, cgo), so they were not checked.
	Skipped []string
}

// Check applies every rule to pkgs and returns the findings in position
// order. pkgs must hold every package whose evaluate-only functions the
// others use, since the directive is read from source.
func Check(fset *token.FileSet, pkgs []Package, allow Allowlist) []Finding {
	c := &checker{fset: fset, allow: allow, evaluate: map[string]bool{}, used: map[string]bool{}}
	for _, p := range pkgs {
		for _, f := range p.Files {
			for _, d := range f.Decls {
				if fd, ok := d.(*ast.FuncDecl); ok && hasDirective(fd.Doc, EvaluateDirective) {
					if fn, ok := p.Info.Defs[fd.Name].(*types.Func); ok {
						c.evaluate[fn.Origin().FullName()] = true
					}
				}
			}
		}
	}
	for _, p := range pkgs {
		c.info = p.Info
		for _, f := range p.Files {
			c.file(f)
		}
		for _, path := range p.Skipped {
			c.out = append(c.out, Finding{Pos: token.Position{Filename: path, Line: 1}, Rule: "build",
				Msg: "file left out of the build on this platform (build constraints or cgo), so it is not checked; contract code must build the same on every peer"})
		}
	}
	c.staleEntries()
	sort.SliceStable(c.out, func(i, j int) bool {
		a, b := c.out[i].Pos, c.out[j].Pos
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	return c.out
}

func hasDirective(doc *ast.CommentGroup, directive string) bool {
	if doc == nil {
		return false
	}
	for _, c := range doc.List {
		text, ok := strings.CutPrefix(c.Text, "//")
		if !ok {
			continue
		}
		text = strings.TrimSpace(text)
		if text == directive || strings.HasPrefix(text, directive+" ") {
			return true
		}
	}
	return false
}

type checker struct {
	fset     *token.FileSet
	allow    Allowlist
	evaluate map[string]bool // full names of evaluate-only functions
	used     map[string]bool // "global KEY" and "maprange KEY" of entries that excused a finding
	info     *types.Info
	out      []Finding
}

// scope is the declaration being checked.
type scope struct {
	name     string // for messages
	key      string // the function's full name; "" at package level
	evaluate bool
	mapRange bool // listed in Allowlist.MapRanges
}

func (c *checker) add(n ast.Node, rule, format string, args ...any) {
	c.out = append(c.out, Finding{Pos: c.fset.Position(n.Pos()), Rule: rule, Msg: fmt.Sprintf(format, args...)})
}

func (c *checker) file(f *ast.File) {
	for _, imp := range f.Imports {
		path, err := strconv.Unquote(imp.Path.Value)
		if err != nil {
			continue // cannot happen in a parsed file
		}
		if why, ok := forbiddenImports[path]; ok {
			c.add(imp, "import", "contract code must not import %s (%s)", path, why)
		}
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.GenDecl:
			if d.Tok == token.VAR {
				for _, spec := range d.Specs {
					c.packageVar(spec.(*ast.ValueSpec))
				}
			}
			c.inspect(d, scope{name: "package scope"})
		case *ast.FuncDecl:
			s := scope{name: d.Name.Name, evaluate: hasDirective(d.Doc, EvaluateDirective)}
			if fn, ok := c.info.Defs[d.Name].(*types.Func); ok {
				s.key = fn.Origin().FullName()
				_, s.mapRange = c.allow.MapRanges[s.key]
			}
			c.inspect(d, s)
		}
	}
}

// packageVar applies the global rule to one var declaration.
func (c *checker) packageVar(spec *ast.ValueSpec) {
	for i, name := range spec.Names {
		obj, _ := c.info.Defs[name].(*types.Var)
		if obj == nil {
			continue // cannot happen in a type-checked package
		}
		if name.Name == "_" {
			if spec.Type != nil && types.IsInterface(c.info.TypeOf(spec.Type)) {
				continue
			}
			c.add(name, "global", "var _ without an interface type runs code at start-up; only interface assertions (var _ I = ...) are allowed")
			continue
		}
		key := obj.Pkg().Path() + "." + name.Name
		if _, ok := c.allow.Globals[key]; ok {
			c.used["global "+key] = true
			continue
		}
		if len(spec.Values) == len(spec.Names) && isSentinel(obj, spec.Values[i]) {
			continue
		}
		c.add(name, "global", "package-level variable %s is state shared by every transaction the process runs", name.Name)
	}
}

var errorType = types.Universe.Lookup("error").Type().Underlying().(*types.Interface)

// isSentinel accepts an error sentinel: a name Err* or err*, a type that
// implements error, and a value made by a call or &T{...}.
func isSentinel(obj *types.Var, value ast.Expr) bool {
	if !strings.HasPrefix(obj.Name(), "Err") && !strings.HasPrefix(obj.Name(), "err") {
		return false
	}
	if !types.Implements(obj.Type(), errorType) {
		return false
	}
	switch v := ast.Unparen(value).(type) {
	case *ast.CallExpr:
		return true
	case *ast.UnaryExpr:
		_, lit := ast.Unparen(v.X).(*ast.CompositeLit)
		return v.Op == token.AND && lit
	}
	return false
}

// inspect applies the rules that look inside declarations.
func (c *checker) inspect(root ast.Node, s scope) {
	// Calls whose place makes them acceptable, found at their parent,
	// which ast.Inspect visits first.
	fine := map[*ast.CallExpr]bool{}
	ast.Inspect(root, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.GoStmt:
			c.add(n, "concurrency", "go statement in %s", s.name)
		case *ast.SelectStmt:
			c.add(n, "concurrency", "select in %s", s.name)
		case *ast.ChanType:
			c.add(n, "concurrency", "channel type in %s", s.name)
		case *ast.SendStmt:
			c.add(n, "concurrency", "channel send in %s", s.name)
		case *ast.UnaryExpr:
			if n.Op == token.ARROW {
				c.add(n, "concurrency", "channel receive in %s", s.name)
			}
		case *ast.RangeStmt:
			// Without key or value every iteration is alike, so order
			// cannot show.
			if t := c.info.TypeOf(n.X); t != nil && !(isBlank(n.Key) && isBlank(n.Value)) {
				if _, ok := t.Underlying().(*types.Map); ok {
					c.mapOrder(n, s, "range over a map")
				}
			}
		case *ast.CallExpr:
			if len(n.Args) > 0 && orderFreeSinks[c.funcName(n.Fun)] {
				if arg, ok := ast.Unparen(n.Args[0]).(*ast.CallExpr); ok {
					fine[arg] = true
				}
			}
			if sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok && sel.Sel.Name == "UTC" {
				if inner, ok := ast.Unparen(sel.X).(*ast.CallExpr); ok {
					fine[inner] = true
				}
			}
			c.call(n, s, fine[n])
		case *ast.SelectorExpr:
			c.selector(n, s)
		case *ast.Ident:
			c.evaluateUse(n, s)
		case *ast.AssignStmt:
			if n.Tok != token.DEFINE {
				for _, lhs := range n.Lhs {
					c.globalWrite(lhs, s)
				}
			}
			if len(n.Lhs) == 1 && isFloat(c.info.TypeOf(n.Lhs[0])) && n.Tok != token.ASSIGN && n.Tok != token.DEFINE {
				c.add(n, "float", "floating-point %s in %s", n.Tok, s.name)
			}
		case *ast.IncDecStmt:
			c.globalWrite(n.X, s)
			if isFloat(c.info.TypeOf(n.X)) {
				c.add(n, "float", "floating-point %s in %s", n.Tok, s.name)
			}
		case *ast.BinaryExpr:
			switch n.Op {
			case token.ADD, token.SUB, token.MUL, token.QUO:
				if tv := c.info.Types[n]; tv.Value == nil && isFloat(tv.Type) {
					c.add(n, "float", "floating-point %s in %s", n.Op, s.name)
				}
			}
		}
		return true
	})
}

// call applies the rules about calls to package functions; fine says the
// call's place makes it acceptable.
func (c *checker) call(n *ast.CallExpr, s scope, fine bool) {
	name := c.funcName(n.Fun)
	if mapIterators[name] && !fine {
		c.mapOrder(n, s, name+" outside slices.Sorted, maps.Collect or maps.Insert")
	}
	if p, f, _ := strings.Cut(name, "."); p == "time" && localUnix[f] && !fine {
		c.add(n, "clock", "%s returns host-local time in %s: follow it with .UTC()", name, s.name)
	}
}

// funcName returns "pkgpath.Name" for a function of an imported package
// named by fun, or "".
func (c *checker) funcName(fun ast.Expr) string {
	fun = ast.Unparen(fun)
	switch f := fun.(type) { // explicit instantiation: maps.Keys[M]
	case *ast.IndexExpr:
		fun = f.X
	case *ast.IndexListExpr:
		fun = f.X
	}
	sel, ok := ast.Unparen(fun).(*ast.SelectorExpr)
	if !ok {
		return ""
	}
	if fn, ok := c.info.Uses[sel.Sel].(*types.Func); ok && fn.Pkg() != nil && c.info.Selections[sel] == nil {
		return fn.Pkg().Path() + "." + fn.Name()
	}
	return ""
}

// selector applies the rules about named package members and methods.
func (c *checker) selector(n *ast.SelectorExpr, s scope) {
	if sel := c.info.Selections[n]; sel != nil {
		obj := sel.Obj()
		if _, isMethod := obj.(*types.Func); !isMethod {
			return
		}
		name := obj.Name()
		pkg := ""
		if obj.Pkg() != nil {
			pkg = obj.Pkg().Path()
		}
		switch {
		case pkg == "time" && name == "Local":
			c.add(n, "clock", "Time.Local converts to the host's time zone in %s", s.name)
		case pkg == "reflect" && (name == "MapKeys" || name == "MapRange"):
			c.mapOrder(n, s, "reflect.Value."+name)
		}
		if rangeReads[name] && !s.evaluate {
			c.add(n, "query", "%s in %s, which is not evaluate-only (add the %s directive and call it only with evaluate)", name, s.name, EvaluateDirective)
		}
		if unboundedReads[name] {
			c.add(n, "unpaginated", "%s in %s reads without a page bound: use the WithPagination form through ledger.QueryPage", name, s.name)
		}
		if richQueries[name] {
			c.add(n, "couchdb", "%s in %s is a rich query, which needs CouchDB; Likr runs on LevelDB", name, s.name)
		}
		if writes[name] && s.evaluate {
			c.add(n, "query", "%s in evaluate-only %s: its writes would never commit", name, s.name)
		}
		return
	}
	if obj, ok := c.info.Uses[n.Sel]; ok && obj.Pkg() != nil && obj.Pkg().Path() == "time" {
		if why, ok := hostTime[obj.Name()]; ok {
			c.add(n, "clock", "time.%s %s, in %s: use the transaction timestamp", obj.Name(), why, s.name)
		}
	}
}

// evaluateUse flags a use of an evaluate-only function by one that is not.
func (c *checker) evaluateUse(id *ast.Ident, s scope) {
	if s.evaluate {
		return
	}
	if fn, ok := c.info.Uses[id].(*types.Func); ok && c.evaluate[fn.Origin().FullName()] {
		c.add(id, "query", "%s uses evaluate-only %s but lacks the %s directive", s.name, fn.Name(), EvaluateDirective)
	}
}

// mapOrder reports map-order iteration unless the function is exempt.
func (c *checker) mapOrder(n ast.Node, s scope, what string) {
	if s.mapRange {
		c.used["maprange "+s.key] = true
		return
	}
	c.add(n, "maprange", "%s in %s: map order is random", what, s.name)
}

// globalWrite flags an assignment whose target is, or is inside, a
// package-level variable.
func (c *checker) globalWrite(lhs ast.Expr, s scope) {
	for {
		switch e := ast.Unparen(lhs).(type) {
		case *ast.Ident:
			if v, ok := c.info.Uses[e].(*types.Var); ok && v.Pkg() != nil && v.Parent() == v.Pkg().Scope() {
				c.add(e, "global", "%s writes package-level variable %s", s.name, v.Name())
			}
			return
		case *ast.SelectorExpr:
			if _, qualified := c.info.Uses[identOf(e.X)].(*types.PkgName); qualified {
				lhs = e.Sel
			} else {
				lhs = e.X
			}
		case *ast.IndexExpr:
			lhs = e.X
		case *ast.StarExpr:
			lhs = e.X
		default:
			return
		}
	}
}

func isBlank(e ast.Expr) bool {
	id := identOf(e)
	return e == nil || id != nil && id.Name == "_"
}

func identOf(e ast.Expr) *ast.Ident {
	id, _ := ast.Unparen(e).(*ast.Ident)
	return id
}

func isFloat(t types.Type) bool {
	if t == nil {
		return false
	}
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&(types.IsFloat|types.IsComplex) != 0
}

// staleEntries reports allowlist entries that excused nothing.
func (c *checker) staleEntries() {
	for _, kind := range []struct {
		prefix  string
		entries map[string]string
	}{{"global ", c.allow.Globals}, {"maprange ", c.allow.MapRanges}} {
		keys := make([]string, 0, len(kind.entries))
		for k := range kind.entries {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if !c.used[kind.prefix+k] {
				c.out = append(c.out, Finding{Pos: token.Position{Filename: "detguard allowlist"}, Rule: "allowlist",
					Msg: fmt.Sprintf("%sentry %s excuses nothing: remove it", kind.prefix, k)})
			}
		}
	}
}
