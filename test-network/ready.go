package testnetwork

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

var httpClient = &http.Client{Timeout: 2 * time.Second}

// poll calls check every interval until it reports done, the context ends or
// the network's ready timeout passes. On timeout the error says what was
// awaited, the last check error, and the tail of node's log.
func (n *Network) poll(ctx context.Context, what string, node *Node, check func() (bool, error)) error {
	deadline := time.Now().Add(n.opts.ReadyTimeout)
	var last error
	for {
		done, err := check()
		if done {
			return nil
		}
		last = err
		if node != nil && node.Kind != "" && !node.Running() {
			return fmt.Errorf("waiting for %s: %s %w (last check: %v); log tail:\n%s", what, node.Name, errNodeExited, last, node.LogTail(30))
		}
		if time.Now().After(deadline) {
			msg := fmt.Sprintf("timed out after %s waiting for %s (last check: %v)", n.opts.ReadyTimeout, what, last)
			if node != nil {
				msg += fmt.Sprintf("; %s log tail:\n%s", node.Name, node.LogTail(30))
			}
			return fmt.Errorf("%s", msg)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for %s: %w", what, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// waitHealthy waits for a node's /healthz to answer 200.
func (n *Network) waitHealthy(ctx context.Context, node *Node) error {
	return n.poll(ctx, node.Name+" health", node, func() (bool, error) {
		resp, err := httpClient.Get(node.Health)
		if err != nil {
			return false, err
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK, fmt.Errorf("status %s", resp.Status)
	})
}

// waitListening waits until node accepts TCP connections on its listen port.
func (n *Network) waitListening(ctx context.Context, node *Node) error {
	addr := fmt.Sprintf("127.0.0.1:%d", node.Ports["listen"])
	return n.poll(ctx, node.Name+" listening on "+addr, node, func() (bool, error) {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			return false, err
		}
		c.Close()
		return true, nil
	})
}

// metric reads one Prometheus gauge for the channel from a node's
// operations endpoint.
func metric(node *Node, name string) (float64, error) {
	resp, err := httpClient.Get(fmt.Sprintf("http://127.0.0.1:%d/metrics", node.Ports["operations"]))
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	want := name + "{"
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, want) || !strings.Contains(line, `channel="`+ChannelName+`"`) {
			continue
		}
		fields := strings.Fields(line)
		return strconv.ParseFloat(fields[len(fields)-1], 64)
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, fmt.Errorf("%s has no metric %s for channel %s yet", node.Name, name, ChannelName)
}

// Height returns a peer's or orderer's block height on the channel.
func (n *Network) Height(node *Node) (uint64, error) {
	name := "ledger_blockchain_height"
	if node.Kind == KindOrderer {
		// The orderer's ledger height is the committed block number + 1.
		v, err := metric(node, "consensus_etcdraft_committed_block_number")
		return uint64(v) + 1, err
	}
	v, err := metric(node, name)
	return uint64(v), err
}

// IsRaftLeader reports whether the orderer leads the channel's Raft cluster.
func (n *Network) IsRaftLeader(node *Node) bool {
	v, err := metric(node, "consensus_etcdraft_is_leader")
	return err == nil && v == 1
}

// RaftLeader returns the orderer that currently leads, or nil.
func (n *Network) RaftLeader() *Node {
	for _, o := range n.NodesOf(KindOrderer) {
		if o.Running() && n.IsRaftLeader(o) {
			return o
		}
	}
	return nil
}

// WaitRaftLeader waits until some running orderer leads the channel.
func (n *Network) WaitRaftLeader(ctx context.Context) (*Node, error) {
	var leader *Node
	err := n.poll(ctx, "a Raft leader on channel "+ChannelName, nil, func() (bool, error) {
		leader = n.RaftLeader()
		return leader != nil, fmt.Errorf("no orderer reports leadership")
	})
	return leader, err
}

// WaitHeight waits until node's height reaches at least h.
func (n *Network) WaitHeight(ctx context.Context, node *Node, h uint64) error {
	return n.poll(ctx, fmt.Sprintf("%s to reach height %d", node.Name, h), node, func() (bool, error) {
		got, err := n.Height(node)
		if err != nil {
			return false, err
		}
		return got >= h, fmt.Errorf("height %d", got)
	})
}
