package testnetwork

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"

	"github.com/hyperledger/fabric-gateway/pkg/client"

	"github.com/likrcommerce/likr/test-network/ccpkg"
)

// ExtraChaincode is a chaincode served beside likr on the same channel by a
// server of its own, deployed with DeployExtra: the benchmark's calibration
// chaincode (likrcal) is one. Its server reads the launcher's environment
// variables as likr-chaincode does, with the same TLS material.
type ExtraChaincode struct {
	// Name is the chaincode's name on the channel; its package label is
	// Name + "_1.0". Lowercase letters and digits, starting with a letter.
	Name string `json:"name"`
	// Binary is the chaincode server.
	Binary string `json:"binary"`
	// PackageID and Sequence are what DeployExtra committed.
	PackageID string `json:"packageId,omitempty"`
	Sequence  int    `json:"sequence,omitempty"`
}

var extraName = regexp.MustCompile(`^[a-z][a-z0-9]*$`)

// checkExtra refuses extra chaincodes whose names are invalid, repeated or
// likr's own.
func checkExtra(extra []ExtraChaincode) error {
	seen := map[string]bool{ChaincodeName: true}
	for _, x := range extra {
		if !extraName.MatchString(x.Name) {
			return fmt.Errorf("testnetwork: extra chaincode name %q: use lowercase letters and digits, starting with a letter", x.Name)
		}
		if seen[x.Name] {
			return fmt.Errorf("testnetwork: chaincode name %q used twice", x.Name)
		}
		seen[x.Name] = true
	}
	return nil
}

// ExtraServerNode names the node that serves extra chaincode name.
func ExtraServerNode(name string) string { return "chaincode-" + name }

// extraAddressKey is the builder config value that holds the server
// address of extra chaincode name; its package's connection.json names it.
func extraAddressKey(name string) string { return "address_" + name }

// ExtraLabel is the package label of extra chaincode name.
func ExtraLabel(name string) string { return name + "_1.0" }

// planExtra adds a server node per extra chaincode of the options.
func (n *Network) planExtra(add func(*Node)) {
	for _, x := range n.opts.Extra {
		n.Extra = append(n.Extra, &x)
		add(&Node{
			Name: ExtraServerNode(x.Name), Kind: KindChaincode, Binary: x.Binary,
			Dir:   filepath.Join(n.Dir, ExtraServerNode(x.Name)),
			Ports: map[string]int{"listen": n.ports.take()},
		})
	}
}

// extraAddresses adds each extra server's address to a peer's builder
// configuration values.
func (n *Network) extraAddresses(values map[string]string) {
	for _, x := range n.Extra {
		if node := n.Node(ExtraServerNode(x.Name)); node != nil {
			values[extraAddressKey(x.Name)] = fmt.Sprintf("127.0.0.1:%d", node.Ports["listen"])
		}
	}
}

// servedPackageID is the package ID a chaincode server node serves.
func (n *Network) servedPackageID(node *Node) string {
	for _, x := range n.Extra {
		if node.Name == ExtraServerNode(x.Name) {
			return x.PackageID
		}
	}
	return n.PackageID
}

// Chaincode returns the extra chaincode called name.
func (n *Network) Chaincode(name string) (*ExtraChaincode, error) {
	for _, x := range n.Extra {
		if x.Name == name {
			return x, nil
		}
	}
	return nil, fmt.Errorf("testnetwork: no extra chaincode %q (declare it in Options.Extra)", name)
}

// WriteExtraPackage writes the package of extra chaincode name to path and
// returns its ID. Like likr's, it holds only a connection.json template, so
// it is the same on every run; its address placeholder is its own.
func WriteExtraPackage(path, name string) (string, error) {
	conn := ccpkg.ConnectionTemplate
	conn.Address = "{{." + extraAddressKey(name) + "}}"
	pkg, err := ccpkg.PackageWith(ExtraLabel(name), conn)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", err
	}
	return ccpkg.ID(ExtraLabel(name), pkg), os.WriteFile(path, pkg, 0o644)
}

// DeployExtra deploys extra chaincode name as Deploy deploys likr: install
// on every peer, start its server, approve for each org, commit with the
// channel's majority endorsement policy.
func (n *Network) DeployExtra(ctx context.Context, name string) error {
	x, err := n.Chaincode(name)
	if err != nil {
		return err
	}
	pkgPath := filepath.Join(n.Dir, ExtraServerNode(name), name+".tar.gz")
	id, err := WriteExtraPackage(pkgPath, name)
	if err != nil {
		return err
	}
	return n.deploy(ctx, deployment{
		name: name, pkgPath: pkgPath, id: id,
		node: n.Node(ExtraServerNode(name)), binary: x.Binary,
		packageID: &x.PackageID, sequence: &x.Sequence,
	})
}

// WaitChaincodeEndorsable is WaitEndorsable for any chaincode of the
// channel: it waits until a proposal of fn (with args) to chaincode,
// endorsed through identity's gateway, collects endorsements from every org
// the policy needs.
func (n *Network) WaitChaincodeEndorsable(ctx context.Context, identity, chaincode, fn string, args ...string) error {
	gw, conn, err := n.Gateway(identity)
	if err != nil {
		return err
	}
	defer conn.Close()
	defer gw.Close()
	server := n.Node("chaincode")
	if chaincode != ChaincodeName {
		server = n.Node(ExtraServerNode(chaincode))
	}
	contract := gw.GetNetwork(ChannelName).GetContract(chaincode)
	return n.poll(ctx, "endorsement of "+chaincode+" "+fn+" by every org", server, func() (bool, error) {
		proposal, err := contract.NewProposal(fn, client.WithArguments(args...))
		if err != nil {
			return false, err
		}
		if _, err := proposal.Endorse(); err != nil {
			return false, fmt.Errorf("%w%s", err, ErrorDetails(err))
		}
		return true, nil
	})
}
