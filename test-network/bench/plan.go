package bench

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Plan is what a run measures: a concurrency sweep of the baselines and
// the headline workload, then every workload A/B against its baseline at
// one concurrency, then the latency runs at a share of peak goodput.
type Plan struct {
	Mode string
	// Sweep are the concurrencies of the sweep, in order; at each, the
	// SweepSet runs. The sweep stops after a level at which the
	// create-asset baseline's goodput did not rise by MinGain over the
	// level before: the pipeline is saturated.
	Sweep    []int
	SweepSet []string
	MinGain  float64
	// Passes is how many times the A/B set runs (in alternating order).
	Passes int
	// Level is the concurrency of the A/B set; 0 takes the sweep's knee:
	// the lowest concurrency whose create-asset goodput is within MinGain
	// of the sweep's best (more in flight only adds latency there).
	Level   int
	Warmup  time.Duration
	Measure time.Duration
	// Only, when set, keeps the workloads whose names start with one of
	// these (and their baselines), for a partial run while profiling.
	Only []string
	// LoadShare is the share of peak goodput at which the latency goal is
	// measured (0.7).
	LoadShare float64
}

// PlanFor returns the plan of a mode: quick (about two minutes: the A/B
// set once at 128 in flight) or full (about nine: the sweep 8, 32, 128,
// 256, 512 until goodput stops rising, then the A/B set twice at the
// knee).
func PlanFor(mode string) (Plan, error) {
	switch mode {
	case "quick":
		return Plan{Mode: mode, Level: 128, Passes: 1, Warmup: time.Second, Measure: 3 * time.Second, LoadShare: 0.7}, nil
	case "full", "":
		return Plan{Mode: "full", Sweep: []int{8, 32, 128, 256, 512},
			SweepSet: []string{CreateAsset, "place-order/uniform", "place-order/hot", CreateAsset, Counter, NoOp},
			MinGain:  0.05, Passes: 2, Warmup: 2 * time.Second, Measure: 4 * time.Second, LoadShare: 0.7}, nil
	}
	return Plan{}, fmt.Errorf("unknown bench mode %q: quick or full", mode)
}

// MaxLanes is the most lanes the plan may run, which the world must fund.
func (p Plan) MaxLanes() int {
	m := p.Level
	for _, l := range p.Sweep {
		m = max(m, l)
	}
	return m
}

// The A/B set: each group of workloads runs right after a segment of its
// baseline, and a last baseline segment closes each kind, so that every
// workload is bracketed by baseline segments measured just before and just
// after it (its ratio uses their mean). The references (the pipeline's
// ceiling and the naive control) run first.
var (
	references  = []string{NoOp, Counter}
	writeGroups = [][]string{
		{"place-order/uniform", "place-order/hot"},
		{"order-lifecycle/uniform", "order-lifecycle/hot"},
		{"coin-transfer/uniform", "coin-transfer/hot"},
		{"reward-payout/uniform", "reward-payout/hot"},
		{"register-product/uniform", "register-product/hot"},
	}
	readGroups = [][]string{
		{"read-balance", "read-order"},
		{"read-sales-page"},
	}
)

// abSequence is the order of one pass of the A/B set. Odd passes run the
// groups, and the workloads in each, in reverse, so that over two passes
// drift on the machine (other work starting or ending) weighs on every
// workload alike.
func abSequence(pass int, keep func(string) bool) []string {
	seq := []string{}
	for _, name := range references {
		if keep(name) {
			seq = append(seq, name)
		}
	}
	kind := func(baseline string, groups [][]string) {
		ran := false
		for i := range groups {
			g := groups[i]
			if pass%2 == 1 {
				g = groups[len(groups)-1-i]
			}
			var names []string
			for j := range g {
				name := g[j]
				if pass%2 == 1 {
					name = g[len(g)-1-j]
				}
				if keep(name) {
					names = append(names, name)
				}
			}
			if len(names) > 0 {
				seq = append(append(seq, baseline), names...)
				ran = true
			}
		}
		if ran {
			seq = append(seq, baseline)
		}
	}
	kind(CreateAsset, writeGroups)
	kind(ReadAsset, readGroups)
	return seq
}

// Execute runs the plan and returns the report.
func Execute(ctx context.Context, r *Runner, p Plan, log func(string, ...any)) (*Report, error) {
	rep := &Report{Mode: p.Mode}
	byName := map[string]Workload{}
	for _, w := range Workloads(r.World) {
		byName[w.Name] = w
		rep.Workloads = append(rep.Workloads, WorkloadInfo{Name: w.Name, Baseline: w.Baseline, Doc: w.Doc})
	}
	keep := func(name string) bool {
		if len(p.Only) == 0 || name == CreateAsset || name == ReadAsset {
			return true
		}
		for _, prefix := range p.Only {
			if strings.HasPrefix(name, prefix) {
				return true
			}
		}
		return false
	}
	segment := func(name string, lanes int, rate float64) (Result, error) {
		if ctx.Err() != nil {
			return Result{}, ctx.Err()
		}
		if lanes > r.World.Lanes() {
			return Result{}, fmt.Errorf("%d lanes exceed the %d the world was funded for", lanes, r.World.Lanes())
		}
		res := r.Segment(ctx, byName[name], lanes, rate)
		log("%s", res.Line())
		if rate > 0 {
			rep.Loaded = append(rep.Loaded, res)
		} else {
			rep.Segments = append(rep.Segments, res)
		}
		return res, nil
	}

	prev := 0.0
	var swept []int
	var goodput []float64
	for _, lanes := range p.Sweep {
		rep.Levels = append(rep.Levels, lanes)
		sum, n := 0.0, 0
		for _, name := range p.SweepSet {
			if !keep(name) {
				continue
			}
			res, err := segment(name, lanes, 0)
			if err != nil {
				return rep, err
			}
			if name == CreateAsset {
				sum, n = sum+res.ValidTPS, n+1
			}
		}
		got := sum / float64(max(n, 1))
		swept, goodput = append(swept, lanes), append(goodput, got)
		if prev > 0 && got < prev*(1+p.MinGain) {
			log("sweep: create-asset %.0f tx/s at %d in flight is not %.0f%% above %.0f: saturated", got, lanes, 100*p.MinGain, prev)
			break
		}
		prev = got
	}
	level := p.Level
	if level == 0 {
		level = knee(swept, goodput, p.MinGain)
	}
	if level == 0 {
		return rep, fmt.Errorf("no concurrency for the A/B set: give a level or a sweep")
	}
	log("A/B set at %d in flight", level)
	if !contains(rep.Levels, level) {
		rep.Levels = append(rep.Levels, level)
	}
	for pass := range max(p.Passes, 1) {
		for _, name := range abSequence(pass, keep) {
			if _, err := segment(name, level, 0); err != nil {
				return rep, err
			}
		}
	}
	rep.analyse(level)
	// Latency with the offered load capped at LoadShare of the goodput
	// just measured at this level.
	for _, name := range []string{CreateAsset, "place-order/uniform"} {
		if !keep(name) {
			continue
		}
		if tps := rep.meanTPS(name, level); tps > 0 {
			if _, err := segment(name, level, p.LoadShare*tps); err != nil {
				return rep, err
			}
		}
	}
	return rep, nil
}

// knee returns the lowest level whose goodput is within gain of the best.
func knee(levels []int, goodput []float64, gain float64) int {
	best := 0.0
	for _, g := range goodput {
		best = max(best, g)
	}
	for i, l := range levels {
		if goodput[i] >= best/(1+gain) {
			return l
		}
	}
	return 0
}

func contains(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// Line is a one-line summary of a result for the progress log.
func (r Result) Line() string {
	s := fmt.Sprintf("%-26s c=%-3d", r.Workload, r.Concurrency)
	if r.RateLimit > 0 {
		s += fmt.Sprintf(" cap=%.0f/s", r.RateLimit)
	}
	s += fmt.Sprintf(" offered %6.1f/s valid %6.1f/s (%.1f%% valid, %.1f%% refused)", r.OfferedTPS, r.ValidTPS, 100*r.ValidShare, 100*r.RefusedShare)
	if r.Unit != "tx" {
		s += fmt.Sprintf(" %.1f %s/s", r.UnitsPerSecond, r.Unit)
	}
	if r.Read {
		s += fmt.Sprintf(" p50/p95 %.0f/%.0f ms", r.Latency["total"].P50, r.Latency["total"].P95)
	} else {
		s += fmt.Sprintf(" endorse p95 %.0f ms, submit->commit p50/p95 %.0f/%.0f ms, %.1f tx/block, %d B/tx",
			r.Latency["endorse"].P95, r.Latency["submitToCommit"].P50, r.Latency["submitToCommit"].P95, r.TxPerBlock, r.TxBytes)
	}
	if cpu, ok := r.CPUPerTx["network"]; ok {
		s += fmt.Sprintf(", %.2f cpu-ms/tx", 1000*cpu)
	}
	s += fmt.Sprintf(", others %.2f cores", r.OtherCores)
	for k, v := range r.Invalid {
		s += fmt.Sprintf(" [%s %d]", k, v)
	}
	for k, v := range r.Failed {
		s += fmt.Sprintf(" [%s %d]", k, v)
	}
	return s
}
