package testnetwork

import (
	"context"
	"embed"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
)

// The Fabric and Fabric CA versions the network runs. The Go module proxy
// refuses version listing for hyperledger modules, so these are exact
// pseudo-versions; the committed tools/*.mod and tools/*.sum pin every
// transitive module and its checksum, so a build is reproducible.
const (
	FabricVersion   = "v1.4.0-rc1.0.20230405174026-695dd57e01c2" // Fabric main just after v2.5.0
	FabricCAVersion = "v1.5.15"
)

//go:embed tools/fabric.mod tools/fabric.sum tools/fabric-ca.mod tools/fabric-ca.sum
var toolModules embed.FS

// toolSet is one wrapper module whose commands are built into the bin folder.
// Each lives in its own module because Fabric and Fabric CA pull in the old
// fabric-protos-go, which must never enter Likr's own module graph.
type toolSet struct {
	name     string // tools/<name>.mod and .sum
	module   string // the module that holds the commands
	version  string
	commands []string // package paths of the commands
	cgo      bool
}

var toolSets = []toolSet{
	{
		name: "fabric", module: "github.com/hyperledger/fabric", version: FabricVersion,
		commands: []string{"cmd/peer", "cmd/orderer", "cmd/configtxgen", "cmd/osnadmin", "cmd/cryptogen"},
	},
	{
		name: "fabric-ca", module: "github.com/hyperledger/fabric-ca", version: FabricCAVersion,
		commands: []string{"cmd/fabric-ca-server", "cmd/fabric-ca-client"},
		cgo:      true, // fabric-ca-server links sqlite3
	},
}

// FabricBinaries names every Fabric binary the network needs.
func FabricBinaries() []string {
	var names []string
	for _, ts := range toolSets {
		names = append(names, ts.binaries()...)
	}
	return names
}

// Tools says where the built binaries and Fabric's sample configuration live.
type Tools struct {
	BinDir    string // peer, orderer, ... and Likr's own binaries
	ConfigDir string // core.yaml and orderer.yaml from the pinned Fabric module
}

// ToolsIn returns the layout under root (the repository's .likr folder).
func ToolsIn(root string) Tools {
	return Tools{BinDir: filepath.Join(root, "bin"), ConfigDir: filepath.Join(root, "fabric-config")}
}

// Bin returns the path of a binary in BinDir.
func (t Tools) Bin(name string) string { return filepath.Join(t.BinDir, name) }

// EnsureBuilt builds every missing Fabric binary from Go modules and copies
// Fabric's sample configuration, reusing what is present. A version stamp
// beside the binaries triggers a rebuild when a pin changes.
func (t Tools) EnsureBuilt(ctx context.Context, log io.Writer) error {
	// Test packages run in parallel: one builds, the others wait for it.
	unlock, err := lockFile(filepath.Join(filepath.Dir(t.BinDir), ".build.lock"))
	if err != nil {
		return err
	}
	defer unlock()
	for _, ts := range toolSets {
		if err := t.ensureToolSet(ctx, ts, log); err != nil {
			return err
		}
	}
	return t.ensureSampleConfig(ctx, log)
}

func (t Tools) stampPath(ts toolSet) string {
	return filepath.Join(t.BinDir, "."+ts.name+".version")
}

func (t Tools) present(ts toolSet) bool {
	stamp, err := os.ReadFile(t.stampPath(ts))
	if err != nil || strings.TrimSpace(string(stamp)) != ts.version {
		return false
	}
	return allExist(t.BinDir, ts.binaries())
}

func (t Tools) buildDir(ts toolSet) string {
	return filepath.Join(filepath.Dir(t.BinDir), "build", ts.name)
}

// writeWrapperModule lays out the wrapper module: the pinned go.mod and
// go.sum, and a tools.go importing the commands so the module graph keeps
// them.
func (t Tools) writeWrapperModule(ts toolSet) (string, error) {
	dir := t.buildDir(ts)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	for _, f := range []struct{ from, to string }{{ts.name + ".mod", "go.mod"}, {ts.name + ".sum", "go.sum"}} {
		data, err := toolModules.ReadFile("tools/" + f.from)
		if err != nil {
			return "", err
		}
		if err := os.WriteFile(filepath.Join(dir, f.to), data, 0o644); err != nil {
			return "", err
		}
	}
	var src strings.Builder
	src.WriteString("//go:build tools\n\npackage tools\n\nimport (\n")
	for _, c := range ts.commands {
		fmt.Fprintf(&src, "\t_ %q\n", ts.module+"/"+c)
	}
	src.WriteString(")\n")
	return dir, os.WriteFile(filepath.Join(dir, "tools.go"), []byte(src.String()), 0o644)
}

func (t Tools) ensureToolSet(ctx context.Context, ts toolSet, log io.Writer) error {
	if t.present(ts) {
		return nil
	}
	dir, err := t.writeWrapperModule(ts)
	if err != nil {
		return fmt.Errorf("preparing %s build: %w", ts.name, err)
	}
	if err := os.MkdirAll(t.BinDir, 0o755); err != nil {
		return err
	}
	args := []string{"build", "-trimpath", "-o", t.BinDir + string(filepath.Separator)}
	for _, c := range ts.commands {
		args = append(args, ts.module+"/"+c)
	}
	fmt.Fprintf(log, "building %s %s (%s) ...\n", ts.module, ts.version, strings.Join(ts.binaries(), ", "))
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	if ts.cgo {
		cmd.Env = append(cmd.Env, "CGO_ENABLED=1")
	}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("building %s binaries: %w", ts.name, err)
	}
	return os.WriteFile(t.stampPath(ts), []byte(ts.version+"\n"), 0o644)
}

// binaries names the binaries one tool set produces.
func (ts toolSet) binaries() []string {
	names := make([]string, len(ts.commands))
	for i, c := range ts.commands {
		names[i] = filepath.Base(c)
	}
	return names
}

// ensureSampleConfig copies core.yaml and orderer.yaml of the pinned Fabric
// module: peers and orderers start from them and get everything else from
// environment variables.
func (t Tools) ensureSampleConfig(ctx context.Context, log io.Writer) error {
	files := []string{"core.yaml", "orderer.yaml"}
	if allExist(t.ConfigDir, files) {
		return nil
	}
	fabric := toolSets[0]
	dir, err := t.writeWrapperModule(fabric)
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, "go", "list", "-m", "-f", "{{.Dir}}", fabric.module)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("locating the fabric module: %w", err)
	}
	src := filepath.Join(strings.TrimSpace(string(out)), "sampleconfig")
	if err := os.MkdirAll(t.ConfigDir, 0o755); err != nil {
		return err
	}
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(t.ConfigDir, f), data, 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(log, "copied Fabric sample configuration to %s\n", t.ConfigDir)
	return nil
}

func allExist(dir string, names []string) bool {
	for _, n := range names {
		if _, err := os.Stat(filepath.Join(dir, n)); err != nil {
			return false
		}
	}
	return true
}

// Likr's own binaries the network runs.
const (
	ChaincodeBinaryName = "likr-chaincode"
	BuilderBinaryName   = "likr-ccaas-builder"
)

// BuildLikr builds the chaincode server and the external builder from the
// repository at repoRoot into BinDir. Go's build cache makes a rebuild of
// unchanged code take a moment, so this always runs: a stale chaincode
// binary would test old code.
func (t Tools) BuildLikr(ctx context.Context, repoRoot string, log io.Writer) error {
	if err := os.MkdirAll(t.BinDir, 0o755); err != nil {
		return err
	}
	// Build beside and rename into place: a running chaincode server keeps
	// its old file, and no reader ever sees a half-written binary.
	tmp, err := os.MkdirTemp(t.BinDir, ".likr-build-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", tmp+string(filepath.Separator),
		"./contracts/cmd/"+ChaincodeBinaryName, "./test-network/cmd/"+BuilderBinaryName)
	cmd.Dir = repoRoot
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("building Likr binaries: %w", err)
	}
	for _, name := range []string{ChaincodeBinaryName, BuilderBinaryName} {
		if err := os.Rename(filepath.Join(tmp, name), t.Bin(name)); err != nil {
			return err
		}
	}
	return nil
}

// lockFile takes an exclusive flock on path, waiting for it.
func lockFile(path string) (unlock func(), err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return func() { f.Close() }, nil
}

// RepoRoot finds the repository root (the folder holding go.mod) from dir
// upwards.
func RepoRoot(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above %s", dir)
		}
		dir = parent
	}
}
