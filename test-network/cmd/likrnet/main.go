// Command likrnet runs Likr's native Fabric network for the make targets:
//
//	likrnet binaries   build missing Fabric binaries and Likr's own
//	likrnet up         start the network (detached) in .likr/network
//	likrnet deploy     package, install, approve and commit the chaincode
//	likrnet status     nodes, ports, PIDs and block heights
//	likrnet env        peer CLI environment per org admin, and identity profiles
//	likrnet package    write the chaincode package to dist/ and print its ID
//	likrnet down       stop every node and remove the network's data
//	likrnet demo       play the story through the gateway, printed
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	testnetwork "github.com/likrcommerce/likr/test-network"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	root := fs.String("root", ".", "repository root")
	dir := fs.String("dir", "", "network folder (default ROOT/.likr/network)")
	out := fs.String("out", "", "package output path for `package` (default ROOT/dist/likr.tar.gz)")
	_ = fs.Parse(os.Args[2:])

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	repo, err := testnetwork.RepoRoot(*root)
	if err != nil {
		fail(err)
	}
	cli := &cli{repo: repo, tools: testnetwork.ToolsIn(filepath.Join(repo, ".likr")), dir: *dir}
	if cli.dir == "" {
		cli.dir = filepath.Join(repo, ".likr", "network")
	}
	commands := map[string]func(context.Context) error{
		"binaries": cli.binaries, "up": cli.up, "deploy": cli.deploy, "status": cli.status,
		"env": cli.env, "down": cli.down, "demo": cli.demo,
		"package": func(context.Context) error { return cli.pkg(*out) },
	}
	cmd, ok := commands[os.Args[1]]
	if !ok {
		usage()
	}
	if err := cmd(ctx); err != nil {
		fail(err)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: likrnet binaries|up|deploy|status|env|package|down|demo [-root DIR] [-dir DIR] [-out FILE]")
	os.Exit(2)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "likrnet:", err)
	os.Exit(1)
}

type cli struct {
	repo, dir string
	tools     testnetwork.Tools
}

func (c *cli) binaries(ctx context.Context) error {
	start := time.Now()
	if err := c.tools.EnsureBuilt(ctx, os.Stderr); err != nil {
		return err
	}
	if err := c.tools.BuildLikr(ctx, c.repo, os.Stderr); err != nil {
		return err
	}
	fmt.Printf("binaries ready in %s (%s)\n", c.tools.BinDir, time.Since(start).Round(time.Millisecond))
	return nil
}

func (c *cli) up(ctx context.Context) error {
	if _, err := os.Stat(filepath.Join(c.dir, "network.json")); err == nil {
		fmt.Println("network already up in", c.dir)
		return nil
	}
	if err := c.binaries(ctx); err != nil {
		return err
	}
	if err := os.RemoveAll(c.dir); err != nil {
		return err
	}
	start := time.Now()
	n, err := testnetwork.Start(ctx, testnetwork.Options{
		Dir: c.dir, Tools: c.tools, Detached: true, Log: os.Stdout,
		ChaincodeBinary: c.tools.Bin(testnetwork.ChaincodeBinaryName),
		BuilderBinary:   c.tools.Bin(testnetwork.BuilderBinaryName),
	})
	if err != nil {
		return err
	}
	fmt.Printf("network up in %s: %d nodes, ports %d-%d, data in %s\n",
		time.Since(start).Round(time.Millisecond), len(n.Nodes), n.PortBase, n.PortBase+63, c.dir)
	return nil
}

func (c *cli) load() (*testnetwork.Network, error) {
	n, err := testnetwork.Load(c.dir, c.tools)
	if err != nil {
		return nil, fmt.Errorf("%w (run `make network-up` first)", err)
	}
	n.SetLog(os.Stdout)
	n.SetChaincodeBinaries(c.tools.Bin(testnetwork.ChaincodeBinaryName), c.tools.Bin(testnetwork.BuilderBinaryName))
	return n, nil
}

func (c *cli) deploy(ctx context.Context) error {
	if err := c.tools.BuildLikr(ctx, c.repo, os.Stderr); err != nil {
		return err
	}
	n, err := c.load()
	if err != nil {
		return err
	}
	start := time.Now()
	if err := n.Deploy(ctx); err != nil {
		return err
	}
	if err := n.WaitEndorsableByEveryOrg(ctx); err != nil {
		return err
	}
	fmt.Printf("deployed %s in %s\n", n.PackageID, time.Since(start).Round(time.Millisecond))
	return nil
}

func (c *cli) status(context.Context) error {
	n, err := c.load()
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "NODE\tKIND\tORG\tPID\tSTATE\tPORTS\tHEIGHT")
	for _, s := range n.Summary() {
		state, height := "stopped", "-"
		if s.Running {
			state = "running"
		}
		if s.Kind == testnetwork.KindPeer || s.Kind == testnetwork.KindOrderer {
			if s.HeightErr == nil {
				height = fmt.Sprint(s.Height)
			} else if s.Running {
				height = "?"
			}
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%s\t%s\t%s\n", s.Name, s.Kind, s.Org, s.PID, state, portList(s.Ports), height)
	}
	if n.PackageID != "" {
		fmt.Fprintf(w, "\nchaincode %s sequence %d package %s\n", testnetwork.ChaincodeName, n.Sequence, n.PackageID)
	}
	return w.Flush()
}

// portList prints ports as "listen=7050 admin=7053", in name order.
func portList(ports map[string]int) string {
	names := make([]string, 0, len(ports))
	for name := range ports {
		names = append(names, name)
	}
	sort.Strings(names)
	for i, name := range names {
		names[i] = fmt.Sprintf("%s=%d", name, ports[name])
	}
	return strings.Join(names, " ")
}

func (c *cli) env(context.Context) error {
	n, err := c.load()
	if err != nil {
		return err
	}
	for _, org := range n.Orgs {
		fmt.Printf("# peer CLI as %s admin\n", org.Name)
		fmt.Printf("export PATH=%s:$PATH\n", c.tools.BinDir)
		for _, e := range n.PeerCLIEnv(org) {
			fmt.Printf("export %s\n", e)
		}
		fmt.Printf("export ORDERER_ARGS=%q\n\n", strings.Join(n.OrdererArgs(), " "))
	}
	fmt.Println("# identity profiles (likr --profile NAME)")
	for _, id := range n.Identities {
		role := id.Role
		if role == "" {
			role = "consumer"
		}
		fmt.Printf("%-12s %-5s %-10s %s\n", id.Name, id.Org, role, n.ProfilePath(id.Name))
	}
	return nil
}

func (c *cli) pkg(out string) error {
	if out == "" {
		out = filepath.Join(c.repo, "dist", "likr.tar.gz")
	}
	id, err := testnetwork.WritePackage(out)
	if err != nil {
		return err
	}
	fmt.Printf("wrote %s\npackage ID %s\n", out, id)
	return nil
}

func (c *cli) down(context.Context) error {
	n, err := testnetwork.Load(c.dir, c.tools)
	if err != nil {
		fmt.Println("no network running in", c.dir)
		return nil
	}
	if err := n.Stop(); err != nil {
		return err
	}
	fmt.Println("network stopped; removing", c.dir)
	return os.RemoveAll(c.dir)
}
