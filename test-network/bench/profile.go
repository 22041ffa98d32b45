package bench

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	testnetwork "github.com/likrcommerce/likr/test-network"
)

// EnableProfiling restarts every peer with Go's pprof HTTP service on a
// free local port (peer.profile in core.yaml), so that a run can record
// where the peers spend their CPU during chosen segments. Call it right
// after testnetwork.Start, before deploying. It returns the pprof address
// of each peer by node name.
func EnableProfiling(ctx context.Context, n *testnetwork.Network) (map[string]string, error) {
	addrs := map[string]string{}
	for _, node := range n.NodesOf(testnetwork.KindPeer) {
		addr, err := freeAddress()
		if err != nil {
			return nil, err
		}
		node.Env = append(node.Env, "CORE_PEER_PROFILE_ENABLED=true", "CORE_PEER_PROFILE_LISTENADDRESS="+addr)
		if err := n.Restart(ctx, node); err != nil {
			return nil, fmt.Errorf("restarting %s with profiling: %w", node.Name, err)
		}
		addrs[node.Name] = addr
	}
	return addrs, nil
}

func freeAddress() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// Profiling says which segments to profile and where profiles go.
type Profiling struct {
	Workloads map[string]bool   // workload names
	Peers     map[string]string // node name -> pprof address
	Dir       string
	Log       func(string, ...any)
}

// capture records a CPU profile of every peer over [from, from+d) into
// Dir/<segment>-<workload>-c<lanes>-<peer>.pprof and logs the top of each.
func (p *Profiling) capture(seg int, w string, lanes int, from time.Time, d time.Duration) {
	if p == nil || !p.Workloads[w] {
		return
	}
	time.Sleep(time.Until(from))
	done := make(chan struct{}, len(p.Peers))
	for name, addr := range p.Peers {
		go func() {
			defer func() { done <- struct{}{} }()
			file := filepath.Join(p.Dir, fmt.Sprintf("%03d-%s-c%d-%s.pprof", seg, strings.ReplaceAll(w, "/", "-"), lanes, name))
			if err := fetchProfile(addr, d, file); err != nil {
				p.Log("profile of %s during %s: %v", name, w, err)
				return
			}
			top, err := exec.Command("go", "tool", "pprof", "-top", "-cum", "-nodecount=25", file).CombinedOutput()
			if err != nil {
				p.Log("pprof %s: %v", file, err)
				return
			}
			p.Log("profile of %s during %s (%s):\n%s", name, w, file, top)
		}()
	}
	for range p.Peers {
		<-done
	}
}

func fetchProfile(addr string, d time.Duration, file string) error {
	secs := max(1, int(d.Seconds()))
	resp, err := (&http.Client{Timeout: d + 30*time.Second}).Get(fmt.Sprintf("http://%s/debug/pprof/profile?seconds=%d", addr, secs))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s", resp.Status)
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
