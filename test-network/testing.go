package testnetwork

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/likrcommerce/likr/fixtures"
)

// StartForTest builds what is missing, starts a network in a temporary
// folder, deploys the chaincode and waits until it endorses. The network
// is stopped when the test ends, whether it passed, failed or panicked;
// node logs are kept in the test's temp folder and their tails printed on
// failure.
func StartForTest(t testing.TB, opts ...TestOption) *Network {
	t.Helper()
	if testing.Short() {
		t.Skip("starts a Fabric network; not in -short mode")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	repo, err := RepoRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	tools := ToolsIn(filepath.Join(repo, ".likr"))
	if err := tools.EnsureBuilt(ctx, testLog{t}); err != nil {
		t.Fatal(err)
	}
	// Each test network runs its own copy of Likr's binaries, so a parallel
	// rebuild never replaces what a running network executes.
	own := Tools{BinDir: t.TempDir(), ConfigDir: tools.ConfigDir}
	if err := own.BuildLikr(ctx, repo, testLog{t}); err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "likr-net-")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	o := Options{
		Dir: dir, Tools: tools, Log: testLog{t},
		ChaincodeBinary: own.Bin(ChaincodeBinaryName), BuilderBinary: own.Bin(BuilderBinaryName),
	}
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			t.Fatal(err)
		}
	}
	n, err := Start(ctx, o)
	t.Cleanup(func() {
		if n != nil {
			if t.Failed() {
				for _, node := range n.Nodes {
					t.Logf("--- %s log tail ---\n%s", node.Name, node.LogTail(15))
				}
			}
			if err := n.Stop(); err != nil {
				t.Errorf("stopping network: %v", err)
			}
		}
		os.RemoveAll(dir)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Deploy(ctx); err != nil {
		t.Fatal(err)
	}
	if err := n.WaitEndorsableByEveryOrg(ctx); err != nil {
		t.Fatal(err)
	}
	t.Logf("network up and chaincode endorsable in %s", time.Since(start).Round(time.Millisecond))
	return n
}

// TestOption changes the network StartForTest starts.
type TestOption func(*Options) error

// WithExtraIdentities enrolls ids as well as the fixture identities, for a
// test that needs many callers (concurrent buyers).
func WithExtraIdentities(ids ...fixtures.Identity) TestOption {
	return func(o *Options) error {
		if o.Identities == nil {
			fixed, err := fixtures.Identities()
			if err != nil {
				return err
			}
			o.Identities = fixed
		}
		o.Identities = append(o.Identities, ids...)
		return nil
	}
}

type testLog struct{ t testing.TB }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Helper()
	l.t.Log(string(p))
	return len(p), nil
}
