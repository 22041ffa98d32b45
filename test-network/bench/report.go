package bench

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"
)

// Report is everything a run measured, as written to dist/bench.
type Report struct {
	Date    string   `json:"date"`
	Mode    string   `json:"mode"`
	Machine Machine  `json:"machine"`
	Channel Channel  `json:"channel"`
	Plan    PlanInfo `json:"plan"`
	// SetupSeconds is the time from nothing to a funded world: network,
	// deployments, enrolment, data.
	SetupSeconds float64 `json:"setupSeconds"`
	Levels       []int   `json:"levels"`
	// PeakLevel is the concurrency of the A/B set, where the goals are
	// judged: the sweep's peak of create-asset goodput.
	PeakLevel int      `json:"peakLevel"`
	Segments  []Result `json:"segments"`
	Ratios    []Ratio  `json:"ratios"`
	// Loaded are the latency runs with the offered load capped at a share
	// of the peak goodput.
	Loaded []Result `json:"loaded"`
	Goals  []Goal   `json:"goals"`
	// Workloads says what each workload does.
	Workloads []WorkloadInfo `json:"workloads"`
}

// WorkloadInfo describes one workload.
type WorkloadInfo struct {
	Name     string `json:"name"`
	Baseline string `json:"baseline,omitempty"`
	Doc      string `json:"doc"`
}

// Machine describes where the run happened.
type Machine struct {
	CPUs        int    `json:"cpus"`
	Model       string `json:"model"`
	LoadBefore  string `json:"loadAverageBefore"` // other work on the machine skews absolute figures, not ratios
	GoVersion   string `json:"goVersion"`
	FabricPeers string `json:"fabric"`
}

// Channel holds the settings that bound throughput and latency.
type Channel struct {
	BatchTimeout      string `json:"batchTimeout"`
	MaxMessageCount   int    `json:"maxMessageCount"`
	AbsoluteMaxBytes  string `json:"absoluteMaxBytes"`
	PreferredMaxBytes string `json:"preferredMaxBytes"`
	Orderers          string `json:"orderers"`
	Peers             string `json:"peers"`
	Endorsement       string `json:"endorsement"`
	StateDatabase     string `json:"stateDatabase"`
}

// PlanInfo is the plan as run.
type PlanInfo struct {
	Sweep     []int    `json:"sweep"`
	SweepSet  []string `json:"sweepSet"`
	Level     int      `json:"level"` // 0: the sweep's knee
	Passes    int      `json:"passes"`
	Warmup    string   `json:"warmup"`
	Measure   string   `json:"measure"`
	LoadShare float64  `json:"loadShare"`
	Only      string   `json:"only,omitempty"`
}

// Ratio is one workload's goodput and CPU cost over its baseline's, at one
// concurrency; the baseline figure is the mean of the baseline segments
// run just before and just after the workload.
type Ratio struct {
	Workload        string  `json:"workload"`
	Concurrency     int     `json:"concurrency"`
	Baseline        string  `json:"baseline"`
	ValidTPS        float64 `json:"validTps"`
	BaselineTPS     float64 `json:"baselineTps"`
	Goodput         float64 `json:"goodputRatio"`
	CPUPerTx        float64 `json:"cpuSecondsPerTx"`
	BaselineCPU     float64 `json:"baselineCpuSecondsPerTx"`
	CPU             float64 `json:"cpuRatio"`
	BaselineSegment []int   `json:"baselineSegments"`
}

// Goal is one performance goal of issue 7 and whether this run met it.
type Goal struct {
	Goal   string `json:"goal"`
	Figure string `json:"figure"`
	Met    bool   `json:"met"`
	// Note says, for a missed goal, what the run's figures point at; the
	// profile behind it is in docs/performance.md.
	Note string `json:"note,omitempty"`
}

// analyse computes the ratios; level is where the goals are judged.
func (rep *Report) analyse(level int) {
	rep.Ratios = nil
	rep.PeakLevel = level
	for i, s := range rep.Segments {
		if s.Baseline == "" {
			continue
		}
		var around []Result
		var segs []int
		for j := i - 1; j >= 0; j-- {
			if b := rep.Segments[j]; b.Workload == s.Baseline && b.Concurrency == s.Concurrency {
				around, segs = append(around, b), append(segs, b.Segment)
				break
			}
		}
		for j := i + 1; j < len(rep.Segments); j++ {
			if b := rep.Segments[j]; b.Workload == s.Baseline && b.Concurrency == s.Concurrency {
				around, segs = append(around, b), append(segs, b.Segment)
				break
			}
		}
		if len(around) == 0 {
			continue
		}
		var tps, cpu float64
		for _, b := range around {
			tps += b.ValidTPS / float64(len(around))
			cpu += b.CPUPerTx["network"] / float64(len(around))
		}
		r := Ratio{Workload: s.Workload, Concurrency: s.Concurrency, Baseline: s.Baseline, ValidTPS: s.ValidTPS,
			BaselineTPS: tps, CPUPerTx: s.CPUPerTx["network"], BaselineCPU: cpu, BaselineSegment: segs}
		if tps > 0 {
			r.Goodput = s.ValidTPS / tps
		}
		if cpu > 0 && r.CPUPerTx > 0 {
			r.CPU = r.CPUPerTx / cpu
		}
		rep.Ratios = append(rep.Ratios, r)
	}
}

// meanTPS is the mean goodput of a workload's segments at a level.
func (rep *Report) meanTPS(workload string, level int) float64 {
	sum, n := 0.0, 0
	for _, s := range rep.Segments {
		if s.Workload == workload && s.Concurrency == level {
			sum += s.ValidTPS
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

// summary aggregates every segment of one workload at one concurrency
// (the sweep's and the A/B set's): the goals are judged on all of them.
type summary struct {
	segments []int
	tps      float64 // mean goodput
	ratio    float64 // mean goodput ratio to the bracketing baseline segments
	baseTPS  float64 // mean baseline goodput around them
	cpu      float64 // mean network CPU-seconds per valid tx
	baseCPU  float64
	cpuRatio float64
	valid    int
	invalid  map[string]int
	failed   map[string]int
	groups   map[string]float64 // mean CPU-seconds per tx by process group
	base     map[string]float64 // the same for the baseline segments around
	others   float64            // mean cores used by other work on the machine
	latency  Percentiles        // endorse latency of the last segment
	baseLat  Percentiles
}

func (rep *Report) summarise(workload string, level int) (summary, bool) {
	sum := summary{invalid: map[string]int{}, failed: map[string]int{}, groups: map[string]float64{}, base: map[string]float64{}}
	phase := "endorse"
	for _, s := range rep.Segments {
		if s.Workload != workload || s.Concurrency != level {
			continue
		}
		if s.Read {
			phase = "total"
		}
		sum.segments = append(sum.segments, s.Segment)
		sum.tps += s.ValidTPS
		sum.valid += s.Valid
		sum.others += s.OtherCores
		for k, v := range s.Invalid {
			sum.invalid[k] += v
		}
		for k, v := range s.Failed {
			sum.failed[k] += v
		}
		for g, v := range s.CPUPerTx {
			sum.groups[g] += v
		}
		sum.latency = s.Latency[phase]
	}
	n := float64(len(sum.segments))
	if n == 0 {
		return sum, false
	}
	sum.tps /= n
	sum.others /= n
	for g := range sum.groups {
		sum.groups[g] /= n
	}
	sum.cpu = sum.groups["network"]
	var ratios []Ratio
	for _, r := range rep.Ratios {
		if r.Workload == workload && r.Concurrency == level {
			ratios = append(ratios, r)
		}
	}
	if len(ratios) > 0 {
		m := float64(len(ratios))
		baseSegs := map[int]bool{}
		for _, r := range ratios {
			sum.ratio += r.Goodput / m
			sum.baseTPS += r.BaselineTPS / m
			sum.baseCPU += r.BaselineCPU / m
			for _, id := range r.BaselineSegment {
				baseSegs[id] = true
			}
		}
		if sum.baseCPU > 0 {
			sum.cpuRatio = sum.cpu / sum.baseCPU
		}
		k := 0.0
		for _, s := range rep.Segments {
			if baseSegs[s.Segment] {
				k++
				for g, v := range s.CPUPerTx {
					sum.base[g] += v
				}
				sum.baseLat = s.Latency[phase]
			}
		}
		for g := range sum.base {
			sum.base[g] /= k
		}
	}
	return sum, true
}

// validShare is valid / (valid + invalid) over the summary's segments;
// refusedShare the share of attempts that never reached a block.
func (s summary) validShare() (valid, refused float64) {
	committed, failed := s.valid, 0
	for _, n := range s.invalid {
		committed += n
	}
	for _, n := range s.failed {
		failed += n
	}
	if committed > 0 {
		valid = float64(s.valid) / float64(committed)
	}
	if committed+failed > 0 {
		refused = float64(failed) / float64(committed+failed)
	}
	return valid, refused
}

// Judge fills in the goals of issue 7 at the A/B level, from every segment
// run there. batchTimeout is the channel's.
func (rep *Report) Judge(batchTimeout time.Duration) {
	level := rep.PeakLevel
	rep.Goals = nil
	add := func(g Goal, s summary) {
		g.Figure += fmt.Sprintf(" at %d in flight (segments %s)", level, segmentList(s.segments))
		if !g.Met {
			g.Note = s.hint()
		}
		rep.Goals = append(rep.Goals, g)
	}
	for _, goal := range []struct {
		workload string
		min      float64
	}{{"place-order/uniform", 0.6}, {"register-product/uniform", 0.8}, {"reward-payout/uniform", 0.8}} {
		if s, ok := rep.summarise(goal.workload, level); ok && s.ratio > 0 {
			add(Goal{Goal: fmt.Sprintf("%s goodput >= %.1fx create-asset's", goal.workload, goal.min),
				Figure: fmt.Sprintf("%.2fx (%.0f vs %.0f tx/s)", s.ratio, s.tps, s.baseTPS), Met: s.ratio >= goal.min}, s)
		}
	}
	for _, w := range []string{"place-order/uniform", "register-product/uniform", "reward-payout/uniform"} {
		if s, ok := rep.summarise(w, level); ok && s.cpuRatio > 0 {
			add(Goal{Goal: fmt.Sprintf("%s CPU-seconds per committed tx <= 1.5x create-asset's", w),
				Figure: fmt.Sprintf("%.2fx (%.2f vs %.2f cpu-ms/tx)", s.cpuRatio, 1000*s.cpu, 1000*s.baseCPU), Met: s.cpuRatio <= 1.5}, s)
		}
	}
	counter, _ := rep.summarise(Counter, level)
	for _, family := range []string{"place-order", "order-lifecycle", "coin-transfer", "reward-payout", "register-product"} {
		hot, ok := rep.summarise(family+"/hot", level)
		if !ok {
			continue
		}
		valid, refused := hot.validShare()
		add(Goal{Goal: family + "/hot >= 99% valid", Met: valid >= 0.99,
			Figure: fmt.Sprintf("%.2f%% of its transactions valid; %.1f%% of attempts refused at endorsement", 100*valid, 100*refused)}, hot)
		if uniform, ok := rep.summarise(family+"/uniform", level); ok && uniform.tps > 0 {
			ratio := hot.tps / uniform.tps
			add(Goal{Goal: family + "/hot goodput >= 0.9x uniform", Met: ratio >= 0.9,
				Figure: fmt.Sprintf("%.2fx (%.0f vs %.0f tx/s)", ratio, hot.tps, uniform.tps)}, hot)
		}
		if counter.tps > 0 {
			ratio := hot.tps / counter.tps
			add(Goal{Goal: family + "/hot goodput >= 50x the naive counter", Met: ratio >= 50,
				Figure: fmt.Sprintf("%.0fx (%.0f vs %.1f tx/s)", ratio, hot.tps, counter.tps)}, hot)
		}
	}
	limit := batchTimeout + 500*time.Millisecond
	for _, l := range rep.Loaded {
		p95 := l.Latency["submitToCommit"].P95
		rep.Goals = append(rep.Goals, Goal{
			Goal: fmt.Sprintf("%s at %.0f%% of peak load: p95 submit-to-commit <= BatchTimeout + 500 ms (%d ms)", l.Workload, 100*rep.Plan.LoadShare, limit.Milliseconds()),
			Figure: fmt.Sprintf("%.0f ms (p50 %.0f, p99 %.0f) at %.0f tx/s offered, %d in flight at most (segment %d)",
				p95, l.Latency["submitToCommit"].P50, l.Latency["submitToCommit"].P99, l.OfferedTPS, l.Concurrency, l.Segment),
			Met: p95 > 0 && p95 <= float64(limit.Milliseconds())})
	}
	for _, w := range []string{"read-balance", "read-order", "read-sales-page"} {
		if s, ok := rep.summarise(w, level); ok && s.ratio > 0 {
			add(Goal{Goal: w + " >= 0.5x the read baseline", Met: s.ratio >= 0.5,
				Figure: fmt.Sprintf("%.2fx (%.0f vs %.0f reads/s)", s.ratio, s.tps, s.baseTPS)}, s)
		}
	}
}

func segmentList(ids []int) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprint(id)
	}
	return strings.Join(parts, ", ")
}

// hint says what a workload's figures point at: its failures, where its
// CPU time went compared with its baseline's, its latency, and how busy
// the rest of the machine was.
func (s summary) hint() string {
	var parts []string
	for _, m := range []map[string]int{s.invalid, s.failed} {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			parts = append(parts, fmt.Sprintf("%d %s", m[k], k))
		}
	}
	if len(s.base) > 0 {
		for _, g := range []string{"peer", "orderer", "chaincode"} {
			parts = append(parts, fmt.Sprintf("%s %.2f vs %.2f cpu-ms/tx", g, 1000*s.groups[g], 1000*s.base[g]))
		}
		parts = append(parts, fmt.Sprintf("p50 latency %.0f ms vs %.0f", s.latency.P50, s.baseLat.P50))
	}
	parts = append(parts, fmt.Sprintf("other work on the machine %.2f cores", s.others))
	return strings.Join(parts, "; ")
}

// Write writes report.json and report.md into dir and returns the
// Markdown.
func (rep *Report) Write(dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	data, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "report.json"), append(data, '\n'), 0o644); err != nil {
		return "", err
	}
	md := rep.Markdown()
	return md, os.WriteFile(filepath.Join(dir, "report.md"), []byte(md), 0o644)
}

// Markdown renders the report: settings, the goals, then every segment.
func (rep *Report) Markdown() string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("# Likr benchmark, %s (%s mode)\n\n", rep.Date, rep.Mode)
	p("Machine: %d CPUs, %s; load average before the run %s; %s; Fabric %s.\n\n", rep.Machine.CPUs, rep.Machine.Model, rep.Machine.LoadBefore, rep.Machine.GoVersion, rep.Machine.FabricPeers)
	c := rep.Channel
	p("Channel: BatchTimeout %s, MaxMessageCount %d, AbsoluteMaxBytes %s, PreferredMaxBytes %s; %s; %s; endorsement %s; state database %s.\n\n",
		c.BatchTimeout, c.MaxMessageCount, c.AbsoluteMaxBytes, c.PreferredMaxBytes, c.Orderers, c.Peers, c.Endorsement, c.StateDatabase)
	p("Plan: sweep of %v over concurrency %v (ran %v); every workload A/B against its baseline at %d in flight (the sweep's knee: the lowest concurrency within 5%% of the best create-asset goodput; the goals are judged there, on every segment run there), %d pass(es); warm-up %s and %s measured per segment; latency goal at %.0f%% of the goodput measured there. Set-up (build, network, deployment, data) took %.0f s.\n\n",
		rep.Plan.SweepSet, rep.Plan.Sweep, rep.Levels, rep.PeakLevel, rep.Plan.Passes, rep.Plan.Warmup, rep.Plan.Measure, 100*rep.Plan.LoadShare, rep.SetupSeconds)
	p("## Goals\n\n| goal | figure | met |\n|---|---|---|\n")
	for _, g := range rep.Goals {
		met := "met"
		if !g.Met {
			met = "**not met**"
			if g.Note != "" {
				met += " (" + g.Note + ")"
			}
		}
		p("| %s | %s | %s |\n", g.Goal, g.Figure, met)
	}
	if len(rep.Plan.Sweep) > 0 {
		p("\n## Sweep\n\nGoodput (valid tx/s, mean of the segments at each concurrency) and p95 submit-to-commit latency.\n\n| in flight |")
		names := rep.sweepNames()
		for _, w := range names {
			p(" %s |", w)
		}
		p("\n|---|%s\n", strings.Repeat("---|", len(names)))
		for _, level := range rep.Levels {
			p("| %d |", level)
			for _, w := range names {
				if sum, ok := rep.summarise(w, level); ok {
					p95 := 0.0
					for _, seg := range rep.Segments {
						if seg.Workload == w && seg.Concurrency == level {
							p95 = max(p95, seg.Latency["submitToCommit"].P95)
						}
					}
					p(" %.1f (%.0f ms) |", sum.tps, p95)
				} else {
					p(" |")
				}
			}
			p("\n")
		}
	}
	p("\n## Throughput, conflicts and cost\n\n")
	p("Goodput is valid commits per second, counted over whole blocks; the ratio is over the mean of the baseline segments run just before and after (A/B). Valid %% is of the transactions that reached a block; attempts refused at endorsement are listed with the invalid ones. CPU is milliseconds of CPU per valid transaction: peers, orderers, chaincode servers, and their sum (network); the client (load generator) is shown apart. Others is the CPU that other work on the machine used meanwhile, in cores.\n\n")
	p("| seg | workload | c | offered/s | valid/s | ratio | valid %% | invalid / refused | endorse p50/p95/p99 ms | submit p50/p95/p99 ms | commit p50/p95/p99 ms | tx/block | tx bytes | cpu-ms/tx peer / orderer / cc / network (client) | cpu ratio | others |\n")
	p("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, s := range append(append([]Result(nil), rep.Segments...), rep.Loaded...) {
		ratio, cpuRatio := "", ""
		for _, r := range rep.Ratios {
			if r.Workload == s.Workload && r.Concurrency == s.Concurrency && s.RateLimit == 0 && r.ValidTPS == s.ValidTPS {
				ratio = fmt.Sprintf("%.2fx", r.Goodput)
				if r.CPU > 0 {
					cpuRatio = fmt.Sprintf("%.2fx", r.CPU)
				}
			}
		}
		name := s.Workload
		if s.RateLimit > 0 {
			name += fmt.Sprintf(" (capped %.0f/s)", s.RateLimit)
		}
		valid := fmt.Sprintf("%.1f", s.ValidTPS)
		if s.Unit != "tx" {
			valid += fmt.Sprintf(" (%.1f %s/s)", s.UnitsPerSecond, s.Unit)
		}
		lat := func(phase string) string {
			l, ok := s.Latency[phase]
			if !ok {
				return ""
			}
			return fmt.Sprintf("%.0f / %.0f / %.0f", l.P50, l.P95, l.P99)
		}
		endorse := lat("endorse")
		if s.Read {
			endorse = lat("total") + " (read)"
		}
		cpu := fmt.Sprintf("%.2f / %.2f / %.2f / %.2f (%.2f)", 1000*s.CPUPerTx["peer"], 1000*s.CPUPerTx["orderer"], 1000*s.CPUPerTx["chaincode"], 1000*s.CPUPerTx["network"], 1000*s.CPUPerTx["client"])
		txPerBlock, txBytes := "", ""
		if !s.Read {
			txPerBlock, txBytes = fmt.Sprintf("%.1f", s.TxPerBlock), fmt.Sprint(s.TxBytes)
		}
		p("| %d | %s | %d | %.1f | %s | %s | %.2f | %s | %s | %s | %s | %s | %s | %s | %s | %.2f |\n",
			s.Segment, name, s.Concurrency, s.OfferedTPS, valid, ratio, 100*s.ValidShare, failures(s), endorse, lat("submit"), lat("commit"), txPerBlock, txBytes, cpu, cpuRatio, s.OtherCores)
	}
	p("\n## Workloads\n\n| workload | baseline | what one transaction does |\n|---|---|---|\n")
	for _, w := range rep.Workloads {
		p("| %s | %s | %s |\n", w.Name, w.Baseline, w.Doc)
	}
	return b.String()
}

// sweepNames are the workloads of the sweep, each once, in plan order.
func (rep *Report) sweepNames() []string {
	var names []string
	seen := map[string]bool{}
	for _, w := range rep.Plan.SweepSet {
		if !seen[w] {
			seen[w] = true
			names = append(names, w)
		}
	}
	return names
}

func failures(s Result) string {
	var parts []string
	for _, m := range []map[string]int{s.Invalid, s.Failed} {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			parts = append(parts, fmt.Sprintf("%s: %d", k, m[k]))
		}
	}
	return strings.Join(parts, ", ")
}

// MachineInfo describes this machine.
func MachineInfo() Machine {
	m := Machine{CPUs: runtime.NumCPU(), GoVersion: runtime.Version()}
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(line, "model name") {
				if i := strings.Index(line, ":"); i > 0 {
					m.Model = strings.TrimSpace(line[i+1:])
					break
				}
			}
		}
	}
	if data, err := os.ReadFile("/proc/loadavg"); err == nil {
		f := strings.Fields(string(data))
		if len(f) >= 3 {
			m.LoadBefore = strings.Join(f[:3], " ")
		}
	}
	return m
}
