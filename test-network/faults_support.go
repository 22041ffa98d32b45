package testnetwork

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
)

// What fault-injection tests (test-network/faults) need beyond starting,
// stopping and pausing nodes: where a peer keeps which part of its ledger,
// a new Raft leader, every node at one height, a restarted node caught up
// (and a restarted orderer back in its Raft cluster), and an identity's
// profile pointed at another org's gateway peer.

// PeerLedgerDir is the folder of a peer's ledgers: CORE_PEER_FILESYSTEMPATH
// plus Fabric's fixed "ledgersData". In it, chains holds the block files
// (the ledger itself); stateLeveldb, historyLeveldb, bookkeeper,
// configHistory and pvtdataStore are derived from the blocks.
func (n *Network) PeerLedgerDir(peer *Node) string {
	return filepath.Join(peer.Dir, "data", "ledgersData")
}

// PeerStateDBDir is a peer's world state database (LevelDB). A peer whose
// state database is missing when it starts rebuilds it by replaying the
// blocks in chains.
func (n *Network) PeerStateDBDir(peer *Node) string {
	return filepath.Join(n.PeerLedgerDir(peer), "stateLeveldb")
}

// PeerBlockStoreDir is where a peer's block files live.
func (n *Network) PeerBlockStoreDir(peer *Node) string {
	return filepath.Join(n.PeerLedgerDir(peer), "chains")
}

// RaftFollowers returns the running orderers other than leader.
func (n *Network) RaftFollowers(leader *Node) []*Node {
	var out []*Node
	for _, o := range n.NodesOf(KindOrderer) {
		if o != leader && o.Running() {
			out = append(out, o)
		}
	}
	return out
}

// WaitNewRaftLeader waits until a running orderer other than old leads the
// channel. An old leader that is frozen (SIGSTOP) still reports itself as
// leader until it thaws, so it is excluded by name, not by its metric.
func (n *Network) WaitNewRaftLeader(ctx context.Context, old *Node) (*Node, error) {
	var leader *Node
	err := n.poll(ctx, "a Raft leader other than "+old.Name, nil, func() (bool, error) {
		for _, o := range n.NodesOf(KindOrderer) {
			if o != old && o.Running() && n.IsRaftLeader(o) {
				leader = o
				return true, nil
			}
		}
		return false, fmt.Errorf("no orderer but %s reports leadership", old.Name)
	})
	return leader, err
}

// WaitSameHeight waits until every running peer and orderer reports the
// same channel height, and returns it. Call it when no transaction is in
// flight; under load the heights keep moving and it times out.
func (n *Network) WaitSameHeight(ctx context.Context) (uint64, error) {
	var height uint64
	err := n.poll(ctx, "every peer and orderer at one height", nil, func() (bool, error) {
		heights, err := n.Heights(ctx)
		if err != nil {
			return false, err
		}
		height = 0
		same := true
		for _, h := range heights {
			if height != 0 && h != height {
				same = false
			}
			height = max(height, h)
		}
		if !same {
			return false, fmt.Errorf("heights differ: %s", formatHeights(heights))
		}
		return true, nil
	})
	return height, err
}

// WaitCaughtUp waits until node's height reaches the highest height the
// other running peers and orderers have when it is called, and returns
// that height.
func (n *Network) WaitCaughtUp(ctx context.Context, node *Node) (uint64, error) {
	var target uint64
	for _, other := range n.Nodes {
		if other == node || (other.Kind != KindPeer && other.Kind != KindOrderer) || !other.Running() {
			continue
		}
		h, err := n.LedgerHeight(ctx, other)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", other.Name, err)
		}
		target = max(target, h)
	}
	return target, n.poll(ctx, fmt.Sprintf("%s to catch up to height %d", node.Name, target), node, func() (bool, error) {
		h, err := n.LedgerHeight(ctx, node)
		if err != nil {
			return false, err
		}
		return h >= target, fmt.Errorf("height %d", h)
	})
}

// Heights returns the channel height of every running peer and orderer, by
// node name.
func (n *Network) Heights(ctx context.Context) (map[string]uint64, error) {
	heights := map[string]uint64{}
	for _, node := range n.Nodes {
		if (node.Kind != KindPeer && node.Kind != KindOrderer) || !node.Running() {
			continue
		}
		h, err := n.LedgerHeight(ctx, node)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", node.Name, err)
		}
		heights[node.Name] = h
	}
	return heights, nil
}

// LedgerHeight is a peer's or orderer's channel height. It reads the
// node's metric (Height) and, when the node has not published it (a
// restarted node publishes its height only when it next writes a block),
// asks the node itself: `peer channel getinfo` as the org's admin, or the
// orderer's channel participation API.
func (n *Network) LedgerHeight(ctx context.Context, node *Node) (uint64, error) {
	h, err := n.Height(node)
	if err == nil {
		return h, nil
	}
	var out []byte
	switch node.Kind {
	case KindPeer:
		org, _ := n.Org(node.Org)
		if out, err = n.PeerCLI(ctx, org, "channel", "getinfo", "-c", ChannelName); err != nil {
			return 0, err
		}
		const prefix = "Blockchain info: "
		if i := bytes.Index(out, []byte(prefix)); i >= 0 {
			out = out[i+len(prefix):]
		}
	case KindOrderer:
		cert, key := n.ordererAdminTLS()
		if out, err = n.run(ctx, n.opts.Tools.Bin("osnadmin"), nil, "channel", "list", "--channelID", ChannelName,
			"-o", fmt.Sprintf("127.0.0.1:%d", node.Ports["admin"]),
			"--ca-file", n.OrdererTLSCA(), "--client-cert", cert, "--client-key", key); err != nil {
			return 0, err
		}
		// osnadmin prints the HTTP status line before the JSON body.
		if i := bytes.IndexByte(out, '{'); i >= 0 {
			out = out[i:]
		}
	default:
		return 0, fmt.Errorf("%s has no ledger", node.Name)
	}
	var info struct {
		Height *uint64 `json:"height"`
	}
	if err := json.NewDecoder(bytes.NewReader(out)).Decode(&info); err != nil || info.Height == nil {
		return 0, fmt.Errorf("%s: no height in %q", node.Name, tail(string(out), 3))
	}
	return *info.Height, nil
}

func formatHeights(heights map[string]uint64) string {
	var parts []string
	for name, h := range heights {
		parts = append(parts, fmt.Sprintf("%s=%d", name, h))
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}

// ProfileAt is identity's profile with org's peer as its gateway, so a
// test can read the same thing as the same caller through each org's peer
// and compare. A gateway evaluates on its own org's peers first.
func (n *Network) ProfileAt(identity string, org Org) (Profile, error) {
	p, err := n.Profile(identity)
	if err != nil {
		return Profile{}, err
	}
	p.PeerEndpoint, p.PeerTLSCA = n.PeerAddress(org), n.PeerTLSCA(org)
	return p, nil
}

// WaitOrdererRejoined waits until a restarted orderer takes part in the
// channel's Raft cluster again: its chain has followed a leader since the
// process started (its consensus_etcdraft_leader_changes counter, which
// starts at zero with every process) and its height has reached the
// others'. Height alone proves nothing for an orderer: it publishes the
// height of its block store as soon as it starts, whether or not its Raft
// chain works.
func (n *Network) WaitOrdererRejoined(ctx context.Context, o *Node) error {
	if o.Kind != KindOrderer {
		return fmt.Errorf("%s is not an orderer", o.Name)
	}
	if err := n.poll(ctx, o.Name+" to follow a Raft leader", o, func() (bool, error) {
		v, err := metric(o, "consensus_etcdraft_leader_changes")
		if err != nil {
			return false, err
		}
		return v >= 1, fmt.Errorf("%v leader changes since start", v)
	}); err != nil {
		return err
	}
	_, err := n.WaitCaughtUp(ctx, o)
	return err
}
