package main

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/likrcommerce/likr/client"
	"github.com/likrcommerce/likr/contracts/access"
)

// Where identities come from. A test network (make network-up, or a test
// that keeps its folder) writes one profile per fixture identity to
// NETWORK/profiles/NAME.json; --profile NAME picks one of them. A real
// network's identity is a profile file of the same format anywhere
// (--profile-file), and @name in arguments then means the profile NAME.json
// beside it.

// networkFolder is where the make targets keep the test network, under the
// repository root.
const networkFolder = ".likr/network"

// system is what the CLI reads from the process: tests replace it.
type system struct {
	getenv     func(string) string
	getwd      func() (string, error)
	executable func() (string, error)
}

func osSystem() system {
	return system{getenv: os.Getenv, getwd: os.Getwd, executable: os.Executable}
}

// networkDir finds the test network's folder: --network, else
// $LIKR_NETWORK, else .likr/network in the working folder or the nearest
// folder above it that has one, else the network beside the likr binary
// when it runs from .likr/bin. When none exists it returns where the make
// targets would put it, for the error message.
func networkDir(flagValue string, sys system) string {
	if flagValue != "" {
		return flagValue
	}
	if env := sys.getenv("LIKR_NETWORK"); env != "" {
		return env
	}
	wd, err := sys.getwd()
	if err == nil {
		for dir := wd; ; {
			if isDir(filepath.Join(dir, networkFolder)) {
				return filepath.Join(dir, networkFolder)
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				break
			}
			dir = parent
		}
	}
	if exe, err := sys.executable(); err == nil {
		if beside := filepath.Join(filepath.Dir(exe), "..", "network"); filepath.Base(filepath.Dir(exe)) == "bin" && isDir(beside) {
			return filepath.Clean(beside)
		}
	}
	if err == nil {
		return filepath.Join(wd, networkFolder)
	}
	return networkFolder
}

func isDir(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.IsDir()
}

// directory is a folder of profiles: it resolves @name to an account and
// names the accounts it knows in tables.
type directory struct {
	dir    string
	hint   string // how to get one, for errors: a test network's folder is made by make network-up
	loaded bool
	byName map[string]string // profile name -> account
	names  map[string]string // account -> profile name
}

func newDirectory(dir, hint string) *directory {
	return &directory{dir: dir, hint: hint}
}

// profilePath is the file of profile name.
func (d *directory) profilePath(name string) string {
	return filepath.Join(d.dir, name+".json")
}

// profile loads profile name, with an error that lists the names there
// are when there is none of that name.
func (d *directory) profile(name string) (client.Profile, error) {
	if name == "" || strings.ContainsAny(name, `/\`) || name == "." || name == ".." {
		return client.Profile{}, usagef("%q is not a profile name", name)
	}
	p, err := client.LoadProfile(d.profilePath(name))
	if errors.Is(err, fs.ErrNotExist) {
		known := d.list()
		if len(known) == 0 {
			return client.Profile{}, fmt.Errorf("no profile %q: %s has no profiles%s", name, d.dir, d.hint)
		}
		return client.Profile{}, usagef("no profile %q in %s; there are: %s", name, d.dir, strings.Join(known, ", "))
	}
	return p, err
}

// list returns the names of the profiles in the folder, sorted.
func (d *directory) list() []string {
	files, _ := filepath.Glob(filepath.Join(d.dir, "*.json"))
	var names []string
	for _, f := range files {
		names = append(names, strings.TrimSuffix(filepath.Base(f), ".json"))
	}
	slices.Sort(names)
	return names
}

// account resolves profile name to its account ID.
func (d *directory) account(name string) (string, error) {
	d.load()
	if a, ok := d.byName[name]; ok {
		return a, nil
	}
	p, err := d.profile(name)
	if err != nil {
		return "", err
	}
	return profileAccount(p)
}

// name returns the profile name of an account, if the folder has it.
func (d *directory) name(account string) (string, bool) {
	d.load()
	n, ok := d.names[account]
	return n, ok
}

// load reads every profile of the folder once; unreadable ones are left
// out (account reports their error when asked by name).
func (d *directory) load() {
	if d.loaded {
		return
	}
	d.loaded = true
	d.byName, d.names = map[string]string{}, map[string]string{}
	for _, name := range d.list() {
		p, err := client.LoadProfile(d.profilePath(name))
		if err != nil {
			continue
		}
		a, err := profileAccount(p)
		if err != nil {
			continue
		}
		d.byName[name] = a
		if _, dup := d.names[a]; !dup {
			d.names[a] = name
		}
	}
}

// profileAccount computes a profile's account offline, from its MSP ID and
// certificate, with the derivation the chaincode uses (package access,
// which the client library uses for Client.Account too).
func profileAccount(p client.Profile) (string, error) {
	data, err := os.ReadFile(p.CertPath)
	if err != nil {
		return "", err
	}
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "CERTIFICATE" {
		return "", fmt.Errorf("%s holds no PEM certificate", p.CertPath)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return "", fmt.Errorf("%s: %w", p.CertPath, err)
	}
	return access.AccountID(p.MSPID, cert), nil
}

// isAccountID reports whether s is an account ID: 40 lowercase hex digits.
func isAccountID(s string) bool {
	if len(s) != access.AccountIDLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
