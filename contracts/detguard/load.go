package detguard

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// LoadModule lists the packages matching patterns, with their
// dependencies, in the module at dir, and parses and type-checks the main
// module's packages for which include returns true.
//
// Imports are read from the compiler's export data, which `go list -export`
// builds (or finds in the build cache). The alternative, type-checking
// every dependency from source (importer "source"), took over a minute for
// the contract packages on a 2-core machine, against about two seconds.
// A package that does not type-check is an error, never skipped: the
// guard cannot judge code whose types it does not know.
func LoadModule(fset *token.FileSet, dir string, include func(importPath string) bool, patterns ...string) ([]Package, error) {
	args := append([]string{"list", "-export", "-deps", "-json=ImportPath,Dir,GoFiles,CgoFiles,IgnoredGoFiles,Export,Module"}, patterns...)
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %w\n%s", err, stderr.String())
	}
	type listed struct {
		ImportPath, Dir, Export           string
		GoFiles, CgoFiles, IgnoredGoFiles []string
		Module                            *struct{ Main bool }
	}
	exports := map[string]string{}
	var targets []listed
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p listed
		if err := dec.Decode(&p); err != nil {
			return nil, fmt.Errorf("go list output: %w", err)
		}
		exports[p.ImportPath] = p.Export
		if p.Module != nil && p.Module.Main && include(p.ImportPath) {
			targets = append(targets, p)
		}
	}
	imp := importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		file := exports[path]
		if file == "" {
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return os.Open(file)
	})
	var pkgs []Package
	for _, t := range targets {
		var files []*ast.File
		for _, name := range t.GoFiles {
			f, err := parser.ParseFile(fset, filepath.Join(t.Dir, name), nil, parser.ParseComments)
			if err != nil {
				return nil, err
			}
			files = append(files, f)
		}
		info := &types.Info{
			Types:      map[ast.Expr]types.TypeAndValue{},
			Defs:       map[*ast.Ident]types.Object{},
			Uses:       map[*ast.Ident]types.Object{},
			Selections: map[*ast.SelectorExpr]*types.Selection{},
		}
		conf := types.Config{Importer: imp}
		if _, err := conf.Check(t.ImportPath, fset, files, info); err != nil {
			return nil, fmt.Errorf("type-checking %s: %w", t.ImportPath, err)
		}
		p := Package{Path: t.ImportPath, Files: files, Info: info}
		for _, name := range append(t.CgoFiles, t.IgnoredGoFiles...) {
			if !strings.HasSuffix(name, "_test.go") {
				p.Skipped = append(p.Skipped, filepath.Join(t.Dir, name))
			}
		}
		pkgs = append(pkgs, p)
	}
	return pkgs, nil
}
