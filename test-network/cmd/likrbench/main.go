// Command likrbench is `make bench`: it starts its own Fabric network of
// native processes (three Raft orderers, one peer per org, majority
// endorsement), deploys likr and the calibration chaincode likrcal beside
// it, prepares data, and drives the gateways with many transactions in
// flight. Every Likr workload is measured between two segments of its
// baseline at the same concurrency, and reported as a ratio to it, with
// conflicts by validation code, latency by phase, transactions per block
// and CPU time per committed transaction of peers, orderers and chaincode.
//
//	likrbench [-mode quick|full] [-out DIR] [-batch-timeout D] [-only a,b]
//
// The mode defaults to $BENCH, else full (about ten minutes on two cores);
// quick takes about two. Results go to DIR/report.json and DIR/report.md
// (default dist/bench) and the Markdown is printed.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	testnetwork "github.com/likrcommerce/likr/test-network"
	"github.com/likrcommerce/likr/test-network/bench"
)

// The channel's batch settings for the bench. BatchTimeout bounds how long
// a transaction waits for its block at low load; at high load blocks close
// on size first. MaxMessageCount and the byte limits are the network's
// (test-network's configtx).
const (
	defaultBatchTimeout = 250 * time.Millisecond
	maxMessageCount     = 500
)

func main() {
	mode := flag.String("mode", os.Getenv("BENCH"), "quick or full (default $BENCH, else full)")
	out := flag.String("out", "", "output folder (default ROOT/dist/bench)")
	root := flag.String("root", ".", "repository root")
	batchTimeout := flag.Duration("batch-timeout", defaultBatchTimeout, "the channel's BatchTimeout")
	only := flag.String("only", "", "comma-separated workload name prefixes to run (with their baselines), for profiling")
	profile := flag.String("profile", "", "comma-separated workload names whose segments get CPU profiles of the peers (into OUT/profiles)")
	keep := flag.Bool("keep", false, "leave the network running after the run (stop it with Ctrl-C)")
	levels := flag.String("levels", "", "comma-separated concurrencies of the sweep, replacing the mode's (\"none\": no sweep)")
	level := flag.Int("level", -1, "concurrency of the A/B set (0: the sweep's peak), replacing the mode's")
	warmup := flag.Duration("warmup", 0, "warm-up per segment, replacing the mode's")
	measure := flag.Duration("measure", 0, "measured time per segment, replacing the mode's")
	passes := flag.Int("passes", 0, "passes of the A/B set, replacing the mode's")
	flag.Parse()
	plan, err := bench.PlanFor(*mode)
	if err == nil && *levels != "" {
		plan.Sweep = nil
		for _, f := range strings.Split(*levels, ",") {
			if f == "none" {
				break
			}
			var l int
			if _, err = fmt.Sscan(f, &l); err != nil || l < 1 {
				err = fmt.Errorf("-levels: %q is not a concurrency", f)
				break
			}
			plan.Sweep = append(plan.Sweep, l)
		}
		if len(plan.SweepSet) == 0 {
			full, _ := bench.PlanFor("full")
			plan.SweepSet = full.SweepSet
		}
	}
	if *level >= 0 {
		plan.Level = *level
	}
	if *warmup > 0 {
		plan.Warmup = *warmup
	}
	if *measure > 0 {
		plan.Measure = *measure
	}
	if *passes > 0 {
		plan.Passes = *passes
	}
	if *only != "" {
		plan.Only = strings.Split(*only, ",")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "likrbench:", err)
		os.Exit(2)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var profiled []string
	if *profile != "" {
		profiled = strings.Split(*profile, ",")
	}
	if err := run(ctx, plan, *out, *root, *batchTimeout, profiled, *keep); err != nil {
		fmt.Fprintln(os.Stderr, "likrbench:", err)
		os.Exit(1)
	}
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}

func run(ctx context.Context, plan bench.Plan, out, root string, batchTimeout time.Duration, profiled []string, keep bool) error {
	repo, err := testnetwork.RepoRoot(root)
	if err != nil {
		return err
	}
	if out == "" {
		out = filepath.Join(repo, "dist", "bench")
	}
	machine := bench.MachineInfo()
	started := time.Now()

	tools := testnetwork.ToolsIn(filepath.Join(repo, ".likr"))
	if err := tools.EnsureBuilt(ctx, os.Stderr); err != nil {
		return err
	}
	// The bench runs its own copies of the chaincode servers, so a rebuild
	// by someone else never replaces what the network executes.
	binDir, err := os.MkdirTemp("", "likr-bench-bin-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(binDir)
	own := testnetwork.Tools{BinDir: binDir, ConfigDir: tools.ConfigDir}
	if err := own.BuildLikr(ctx, repo, os.Stderr); err != nil {
		return err
	}
	calibration := own.Bin("likr-calibration")
	build := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", calibration, "./contracts/cmd/likr-calibration")
	build.Dir, build.Stdout, build.Stderr = repo, os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("building likr-calibration: %w", err)
	}

	ids, err := bench.Identities()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "likr-bench-net-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	logf("starting the network in %s (BatchTimeout %s, plan %s)", dir, batchTimeout, plan.Mode)
	startCtx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	n, err := testnetwork.Start(startCtx, testnetwork.Options{
		Dir: dir, Tools: tools, Log: logWriter{}, Identities: ids, BatchTimeout: batchTimeout,
		ChaincodeBinary: own.Bin(testnetwork.ChaincodeBinaryName), BuilderBinary: own.Bin(testnetwork.BuilderBinaryName),
		Extra: []testnetwork.ExtraChaincode{{Name: bench.CalibrationChaincode, Binary: calibration}},
	})
	if n != nil {
		defer func() {
			if keep {
				logf("network left running in %s; Ctrl-C stops it", dir)
				<-ctx.Done()
			}
			if err := n.Stop(); err != nil {
				logf("stopping the network: %v", err)
			}
		}()
	}
	if err != nil {
		return err
	}
	var profiling *bench.Profiling
	if len(profiled) > 0 {
		peers, err := bench.EnableProfiling(startCtx, n)
		if err != nil {
			return err
		}
		profiling = &bench.Profiling{Workloads: map[string]bool{}, Peers: peers, Dir: filepath.Join(out, "profiles"), Log: logf}
		for _, w := range profiled {
			profiling.Workloads[w] = true
		}
	}
	if err := n.Deploy(startCtx); err != nil {
		return err
	}
	if err := n.DeployExtra(startCtx, bench.CalibrationChaincode); err != nil {
		return err
	}
	if err := n.WaitEndorsable(startCtx, "admin"); err != nil {
		return err
	}
	if err := n.WaitChaincodeEndorsable(startCtx, "admin", bench.CalibrationChaincode, "calibration:NoOp"); err != nil {
		return err
	}
	env, err := bench.NewEnv(n)
	if err != nil {
		return err
	}
	defer env.Close()
	world, err := bench.Setup(ctx, env, plan.MaxLanes(), logf)
	if err != nil {
		return err
	}
	runner, err := bench.NewRunner(ctx, env, world, plan.Warmup, plan.Measure)
	if err != nil {
		return err
	}
	runner.Profiling = profiling
	setup := time.Since(started)
	rep, err := bench.Execute(ctx, runner, plan, logf)
	if err != nil {
		return err
	}
	rep.Date = started.UTC().Format("2006-01-02 15:04 UTC")
	rep.Machine = machine
	rep.Machine.FabricPeers = testnetwork.FabricVersion + " (Fabric main after v2.5.0)"
	rep.SetupSeconds = setup.Seconds()
	rep.Channel = bench.Channel{
		BatchTimeout: batchTimeout.String(), MaxMessageCount: maxMessageCount, AbsoluteMaxBytes: "10 MB", PreferredMaxBytes: "2 MB",
		Orderers: "3 etcdraft orderers", Peers: "1 peer per org, 2 orgs, gossip leader election", Endorsement: "MAJORITY of 2 orgs (both)",
		StateDatabase: "LevelDB",
	}
	rep.Plan = bench.PlanInfo{Sweep: plan.Sweep, SweepSet: plan.SweepSet, Level: plan.Level, Passes: plan.Passes, Warmup: plan.Warmup.String(), Measure: plan.Measure.String(), LoadShare: plan.LoadShare, Only: strings.Join(plan.Only, ",")}
	rep.Judge(batchTimeout)
	md, err := rep.Write(out)
	if err != nil {
		return err
	}
	fmt.Println(md)
	logf("wrote %s and %s in %s", filepath.Join(out, "report.md"), filepath.Join(out, "report.json"), time.Since(started).Round(time.Second))
	return nil
}

// logWriter sends the network's progress lines to the log.
type logWriter struct{}

func (logWriter) Write(p []byte) (int, error) {
	logf("%s", strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
