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
)

// LoadModule lists the packages matching patterns in dir with `go list`,
// and parses and type-checks those for which include returns true, using
// the compiler's export data for their imports.
func LoadModule(fset *token.FileSet, dir string, include func(importPath string) bool, patterns ...string) ([]Package, error) {
	args := append([]string{"list", "-export", "-deps", "-json=ImportPath,Dir,GoFiles,Export,DepOnly"}, patterns...)
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %w\n%s", err, stderr.String())
	}
	type listed struct {
		ImportPath, Dir, Export string
		GoFiles                 []string
		DepOnly                 bool
	}
	exports := map[string]string{}
	var targets []listed
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p listed
		if err := dec.Decode(&p); err != nil {
			return nil, err
		}
		exports[p.ImportPath] = p.Export
		if !p.DepOnly && include(p.ImportPath) {
			targets = append(targets, p)
		}
	}
	imp := importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		file, ok := exports[path]
		if !ok || file == "" {
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return os.Open(file)
	})
	var pkgs []Package
	for _, t := range targets {
		paths := make([]string, len(t.GoFiles))
		for i, f := range t.GoFiles {
			paths[i] = filepath.Join(t.Dir, f)
		}
		p, err := typeCheck(fset, imp, t.ImportPath, paths)
		if err != nil {
			return nil, err
		}
		pkgs = append(pkgs, p)
	}
	return pkgs, nil
}

// LoadDir parses and type-checks the .go files of one folder that imports
// only the standard library (the guard's own fixtures).
func LoadDir(fset *token.FileSet, dir string) (Package, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return Package{}, err
	}
	return typeCheck(fset, importer.ForCompiler(fset, "source", nil), dir, paths)
}

func typeCheck(fset *token.FileSet, imp types.Importer, path string, files []string) (Package, error) {
	var parsed []*ast.File
	for _, f := range files {
		file, err := parser.ParseFile(fset, f, nil, parser.ParseComments)
		if err != nil {
			return Package{}, err
		}
		parsed = append(parsed, file)
	}
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Defs: map[*ast.Ident]types.Object{}, Uses: map[*ast.Ident]types.Object{}}
	conf := types.Config{Importer: imp}
	if _, err := conf.Check(path, fset, parsed, info); err != nil {
		// A package that does not type-check cannot be judged: fail loudly.
		return Package{}, fmt.Errorf("type-checking %s: %w", path, err)
	}
	return Package{Path: path, Files: parsed, Info: info}, nil
}
