package testnetwork

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"

	"github.com/likrcommerce/likr/test-network/ccpkg"
)

// ChaincodeLabel is the label of Likr's chaincode package.
const ChaincodeLabel = "likr_1.0"

// builderConfigEnv is each peer's CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG: the
// chaincode server address and the peer's TLS client material, which the
// external builder writes into connection.json. Keeping them out of the
// package keeps its ID the same on every run.
func (n *Network) builderConfigEnv() (string, error) {
	dir := n.chaincodeTLSDir()
	values := map[string]string{"address": n.chaincodeAddress()}
	n.extraAddresses(values)
	for key, file := range map[string]string{"client_key": "client.key", "client_cert": "client.crt", "root_cert": "ca.crt"} {
		data, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			return "", err
		}
		values[key] = string(data)
	}
	data, err := json.Marshal(values)
	if err != nil {
		return "", err
	}
	return ccpkg.BuilderConfigEnv + "=" + string(data), nil
}

// WritePackage writes the chaincode package to path and returns its ID.
func WritePackage(path string) (string, error) {
	pkg, err := ccpkg.Package(ChaincodeLabel)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", err
	}
	return ccpkg.ID(ChaincodeLabel, pkg), os.WriteFile(path, pkg, 0o644)
}

var committedSequence = regexp.MustCompile(`Sequence: (\d+)`)

// Deploy installs the chaincode package on every peer, starts the
// chaincode server, approves the definition for each org and commits it
// with the channel's majority endorsement policy. Deploying the same
// package again only makes sure the server runs.
func (n *Network) Deploy(ctx context.Context) error {
	pkgPath := filepath.Join(n.Dir, "chaincode", "likr.tar.gz")
	id, err := WritePackage(pkgPath)
	if err != nil {
		return err
	}
	return n.deploy(ctx, deployment{
		name: ChaincodeName, pkgPath: pkgPath, id: id,
		node: n.Node("chaincode"), binary: n.opts.ChaincodeBinary,
		packageID: &n.PackageID, sequence: &n.Sequence,
	})
}

// deployment is one chaincode to deploy: its name on the channel, its
// package, the node that serves it, and where the network records the
// package ID and sequence it committed.
type deployment struct {
	name, pkgPath, id string
	node              *Node
	binary            string
	packageID         *string
	sequence          *int
}

// deploy installs, approves and commits d's package, and runs its server.
func (n *Network) deploy(ctx context.Context, d deployment) error {
	sequence := 1
	if out, err := n.PeerCLI(ctx, n.Orgs[0], "lifecycle", "chaincode", "querycommitted", "-C", ChannelName, "-n", d.name); err == nil {
		if m := committedSequence.FindSubmatch(out); m != nil {
			current, _ := strconv.Atoi(string(m[1]))
			if *d.packageID == d.id && current == *d.sequence {
				return n.ensureServer(ctx, d.node, d.binary, d.id)
			}
			sequence = current + 1
		}
	}
	*d.packageID, *d.sequence = d.id, sequence
	if err := n.ensureServer(ctx, d.node, d.binary, d.id); err != nil {
		return err
	}
	if err := n.eachOrg(func(org Org) error {
		out, err := n.PeerCLI(ctx, org, "lifecycle", "chaincode", "queryinstalled", "--output", "json")
		if err == nil && regexp.MustCompile(regexp.QuoteMeta(d.id)).Match(out) {
			return nil
		}
		_, err = n.PeerCLI(ctx, org, "lifecycle", "chaincode", "install", d.pkgPath)
		return err
	}); err != nil {
		return err
	}
	definition := []string{"-C", ChannelName, "-n", d.name, "-v", "1.0", "--sequence", strconv.Itoa(sequence)}
	if err := n.eachOrg(func(org Org) error {
		args := append([]string{"lifecycle", "chaincode", "approveformyorg", "--package-id", d.id, "--waitForEvent"}, definition...)
		_, err := n.PeerCLI(ctx, org, append(args, n.OrdererArgs()...)...)
		return err
	}); err != nil {
		return err
	}
	commit := append([]string{"lifecycle", "chaincode", "commit"}, definition...)
	commit = append(commit, n.OrdererArgs()...)
	for _, org := range n.Orgs {
		commit = append(commit, "--peerAddresses", n.PeerAddress(org), "--tlsRootCertFiles", n.PeerTLSCA(org))
	}
	if _, err := n.PeerCLI(ctx, n.Orgs[0], commit...); err != nil {
		return err
	}
	fmt.Fprintf(n.opts.Log, "chaincode %s committed, sequence %d, package %s\n", d.name, sequence, d.id)
	return n.saveState()
}

// ensureServer (re)starts the chaincode server node for package ID id and
// waits until it listens.
func (n *Network) ensureServer(ctx context.Context, node *Node, binary, id string) error {
	if binary == "" && node.Name == "chaincode" {
		return fmt.Errorf("testnetwork: Options.ChaincodeBinary is required to deploy")
	}
	if binary == "" {
		return fmt.Errorf("testnetwork: %s: the extra chaincode's Binary is required to deploy", node.Name)
	}
	node.Binary = binary
	wantEnv := "CHAINCODE_ID=" + id
	if node.Running() {
		for _, e := range node.Env {
			if e == wantEnv {
				return nil
			}
		}
		if err := node.Stop(); err != nil {
			return err
		}
	}
	if err := n.configureNode(node); err != nil {
		return err
	}
	return n.Restart(ctx, node)
}

// eachOrg runs fn for every org in parallel and joins the errors.
func (n *Network) eachOrg(fn func(Org) error) error {
	errs := make([]error, len(n.Orgs))
	var wg sync.WaitGroup
	for i, org := range n.Orgs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = fn(org)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
