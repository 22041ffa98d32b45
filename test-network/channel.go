package testnetwork

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
)

// createChannel joins every orderer to the channel through the channel
// participation API, waits for a Raft leader, then joins every peer.
func (n *Network) createChannel(ctx context.Context) error {
	cert, key := n.ordererAdminTLS()
	var wg sync.WaitGroup
	errs := make([]error, len(n.NodesOf(KindOrderer)))
	for i, o := range n.NodesOf(KindOrderer) {
		wg.Add(1)
		go func(i int, o *Node) {
			defer wg.Done()
			_, errs[i] = n.run(ctx, n.opts.Tools.Bin("osnadmin"), nil, "channel", "join",
				"--channelID", ChannelName, "--config-block", n.genesisBlock(),
				"-o", fmt.Sprintf("127.0.0.1:%d", o.Ports["admin"]),
				"--ca-file", n.OrdererTLSCA(), "--client-cert", cert, "--client-key", key)
		}(i, o)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	if _, err := n.WaitRaftLeader(ctx); err != nil {
		return err
	}
	for _, org := range n.Orgs {
		if _, err := n.PeerCLI(ctx, org, "channel", "join", "-b", n.genesisBlock()); err != nil {
			return err
		}
	}
	for _, p := range n.NodesOf(KindPeer) {
		if err := n.WaitHeight(ctx, p, 1); err != nil {
			return err
		}
	}
	return nil
}

// PeerCLIEnv is the environment for the stock `peer` CLI acting as org's
// admin against org's peer.
func (n *Network) PeerCLIEnv(org Org) []string {
	return []string{
		"FABRIC_CFG_PATH=" + n.Peer(org.Name).Dir,
		"CORE_PEER_LOCALMSPID=" + org.MSPID,
		"CORE_PEER_MSPCONFIGPATH=" + n.OrgAdminMSP(org),
		"CORE_PEER_ADDRESS=" + n.PeerAddress(org),
		"CORE_PEER_TLS_ENABLED=true",
		"CORE_PEER_TLS_ROOTCERT_FILE=" + n.PeerTLSCA(org),
	}
}

// OrdererArgs are the peer CLI flags that reach the orderer over TLS.
func (n *Network) OrdererArgs() []string {
	return []string{"-o", n.OrdererAddress(), "--tls", "--cafile", n.OrdererTLSCA()}
}

// PeerCLI runs the stock peer CLI as org's admin.
func (n *Network) PeerCLI(ctx context.Context, org Org, args ...string) ([]byte, error) {
	return n.run(ctx, n.opts.Tools.Bin("peer"), n.PeerCLIEnv(org), args...)
}

// PeerCLIAs runs the peer CLI as an enrolled identity of org instead of the
// org admin (its MSP folder from the Fabric CA).
func (n *Network) PeerCLIAs(ctx context.Context, identity string, args ...string) ([]byte, error) {
	id, err := n.Identity(identity)
	if err != nil {
		return nil, err
	}
	org, _ := n.Org(id.Org)
	env := n.PeerCLIEnv(org)
	env = append(env, "CORE_PEER_MSPCONFIGPATH="+filepath.Join(n.identityDir(identity), "msp"))
	return n.run(ctx, n.opts.Tools.Bin("peer"), env, args...)
}
