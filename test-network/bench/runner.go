package bench

import (
	"context"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/peer"

	testnetwork "github.com/likrcommerce/likr/test-network"
)

// Runner runs segments: one workload at one concurrency (lanes) for a
// warm-up and a measured window, optionally with the offered load capped.
type Runner struct {
	Env     *Env
	World   *World
	Warmup  time.Duration
	Measure time.Duration
	// Profiling, when set, records peer CPU profiles of chosen segments.
	Profiling *Profiling
	procs     map[string][]int // process group -> PIDs
	blocks    *blockLog
	seg       int
}

// NewRunner starts following the channel's blocks (for transactions per
// block) and finds the network's processes (for CPU time).
func NewRunner(ctx context.Context, env *Env, w *World, warmup, measure time.Duration) (*Runner, error) {
	r := &Runner{Env: env, World: w, Warmup: warmup, Measure: measure, procs: map[string][]int{}}
	for _, node := range env.Net.Nodes {
		switch {
		case node.Kind == testnetwork.KindPeer:
			r.procs["peer"] = append(r.procs["peer"], node.PID)
		case node.Kind == testnetwork.KindOrderer:
			r.procs["orderer"] = append(r.procs["orderer"], node.PID)
		case node.Kind == testnetwork.KindChaincode:
			r.procs["chaincode"] = append(r.procs["chaincode"], node.PID)
		}
	}
	r.procs["client"] = []int{os.Getpid()}
	bl, err := followBlocks(ctx, w.admin)
	if err != nil {
		return nil, err
	}
	r.blocks = bl
	return r, nil
}

// Percentiles of a latency, in milliseconds.
type Percentiles struct {
	P50 float64 `json:"p50"`
	P95 float64 `json:"p95"`
	P99 float64 `json:"p99"`
}

// Result is what one segment measured.
type Result struct {
	Segment     int    `json:"segment"`
	Workload    string `json:"workload"`
	Family      string `json:"family,omitempty"`
	Variant     string `json:"variant,omitempty"`
	Baseline    string `json:"baseline,omitempty"`
	Read        bool   `json:"read,omitempty"`
	Unit        string `json:"unit"`
	Concurrency int    `json:"concurrency"`
	// RateLimit caps the offered load (transactions per second); 0 is a
	// closed loop, every lane starting its next transaction at once.
	RateLimit float64   `json:"rateLimit,omitempty"`
	Start     time.Time `json:"start"`
	Seconds   float64   `json:"seconds"`
	// OfferedTPS counts transactions (proposals, or reads) started per
	// second; ValidTPS those that committed valid (or read) per second,
	// the goodput; UnitsPerSecond completed units (orders through
	// settlement for the lifecycle, else transactions).
	OfferedTPS     float64 `json:"offeredTps"`
	ValidTPS       float64 `json:"validTps"`
	UnitsPerSecond float64 `json:"unitsPerSecond"`
	Valid          int     `json:"valid"`
	// Invalid counts transactions that committed invalid, by validation
	// code; Failed those that never reached a block, by phase and reason.
	Invalid map[string]int `json:"invalid,omitempty"`
	Failed  map[string]int `json:"failed,omitempty"`
	// ValidShare is the share of the transactions that reached a block
	// that are valid: valid / (valid + invalid). RefusedShare is the share
	// of attempts that never reached one: failed / (valid + invalid +
	// failed), mostly endorsements refused because the two orgs' peers
	// were at different heights (a client endorses those again).
	ValidShare   float64 `json:"validShare"`
	RefusedShare float64 `json:"refusedShare"`
	// Latency by phase: endorse, submit, commit, submitToCommit (submit +
	// commit: the orderer's and the validating peer's share), total
	// (proposal to commit status, or a read's round trip); valid
	// transactions only.
	Latency map[string]Percentiles `json:"latencyMs"`
	// TxBytes is the mean size of the workload's endorsed transactions:
	// what the orderers replicate and every peer validates and stores.
	TxBytes    int     `json:"txBytes,omitempty"`
	Blocks     int     `json:"blocks"`
	TxPerBlock float64 `json:"txPerBlock"`
	// CPUPerTx is CPU-seconds per valid transaction, by process group
	// (peer: both peers; orderer: the three orderers; chaincode: both
	// chaincode servers; client: this load generator) and network (peer +
	// orderer + chaincode).
	CPUPerTx map[string]float64 `json:"cpuSecondsPerTx"`
	// CPUCores is the CPU time the network used per second of the window:
	// how many of the machine's cores it kept busy. OtherCores is what
	// everything else on the machine used meanwhile (not the network, not
	// this load generator): other work skews absolute figures.
	CPUCores   float64 `json:"cpuCores"`
	OtherCores float64 `json:"otherCores"`
}

// record is one finished transaction of a segment.
type record struct {
	o    Outcome
	step string
}

// Segment runs workload w with lanes concurrent lanes: Warmup, then
// Measure counted, then it waits for the transactions in flight. rate > 0
// caps the offered load at rate transactions per second.
func (r *Runner) Segment(ctx context.Context, w Workload, lanes int, rate float64) Result {
	r.seg++
	seg := r.seg
	start := time.Now()
	from := start.Add(r.Warmup)
	to := from.Add(r.Measure)

	var tokens chan struct{}
	if rate > 0 {
		tokens = make(chan struct{}, 4)
		go issueTokens(tokens, rate, to)
	}
	var cpuFrom, cpuTo map[string]float64
	var busyFrom, busyTo float64
	var cpuWG sync.WaitGroup
	cpuWG.Add(2)
	go func() {
		defer cpuWG.Done()
		r.Profiling.capture(seg, w.Name, lanes, from, r.Measure)
	}()
	go func() {
		defer cpuWG.Done()
		time.Sleep(time.Until(from))
		cpuFrom, busyFrom = r.cpu(), machineBusy()
		time.Sleep(time.Until(to))
		cpuTo, busyTo = r.cpu(), machineBusy()
	}()

	records := make([][]record, lanes)
	var wg sync.WaitGroup
	for l := range lanes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lane := w.Lane(seg, l, lanes)
			for time.Now().Before(to) && ctx.Err() == nil {
				if tokens != nil {
					select {
					case <-tokens:
					case <-time.After(time.Until(to)):
						continue
					}
				}
				op, ok := lane.Next()
				if !ok {
					time.Sleep(50 * time.Millisecond)
					continue
				}
				o := run(ctx, op)
				lane.Done(op, o)
				o.Result, o.Events = nil, nil
				records[l] = append(records[l], record{o, op.Step})
			}
		}()
	}
	wg.Wait()
	cpuWG.Wait()
	res := Result{
		Segment: seg, Workload: w.Name, Family: w.Family, Variant: w.Variant, Baseline: w.Baseline,
		Read: w.Read, Unit: w.Unit, Concurrency: lanes, RateLimit: rate, Start: start,
		Invalid: map[string]int{}, Failed: map[string]int{}, Latency: map[string]Percentiles{}, CPUPerTx: map[string]float64{},
	}
	// The window. Transactions commit a block at a time, so a window of
	// fixed time would count a whole block more or less by chance. For
	// writes it is aligned to blocks: from the first block the window saw
	// to its last, counting the transactions of the blocks after the first
	// up to the last (by the block number each commit status names).
	win := window{from: from, to: to}
	if !w.Read {
		win = r.blocks.window(from, to)
		res.Blocks = int(win.last - win.first)
	}
	secs := win.to.Sub(win.from).Seconds()
	res.Seconds = secs
	lat := map[string][]time.Duration{}
	offered, txs := 0, 0
	sizeSum, sizes := 0, 0
	for _, rs := range records {
		for _, rec := range rs {
			o := rec.o
			if !o.Start.Before(win.from) && o.Start.Before(win.to) {
				offered++
			}
			if !win.holds(o, w.Read) {
				continue
			}
			if o.TxBytes > 0 {
				sizeSum, sizes = sizeSum+o.TxBytes, sizes+1
			}
			switch {
			case o.Valid():
				res.Valid++
				if w.Read {
					lat["total"] = append(lat["total"], o.Evaluate)
					continue
				}
				lat["endorse"] = append(lat["endorse"], o.Endorse)
				lat["submit"] = append(lat["submit"], o.Submit)
				lat["commit"] = append(lat["commit"], o.Commit)
				lat["submitToCommit"] = append(lat["submitToCommit"], o.Submit+o.Commit)
				lat["total"] = append(lat["total"], o.End.Sub(o.Start))
			case o.Committed:
				res.Invalid[o.Code.String()]++
			default:
				key := o.Failure
				if rec.step != "" {
					key = rec.step + " " + key
				}
				res.Failed[key]++
			}
			if o.Committed {
				txs++
			}
		}
	}
	if secs <= 0 {
		return res
	}
	res.OfferedTPS = float64(offered) / secs
	res.ValidTPS = float64(res.Valid) / secs
	res.UnitsPerSecond = res.ValidTPS
	if w.Unit == "order" {
		// An order is three transactions (place, ship, confirm); in a
		// steady state a third of the goodput is orders settled.
		res.UnitsPerSecond = res.ValidTPS / 3
	}
	if sizes > 0 {
		res.TxBytes = sizeSum / sizes
	}
	if res.Blocks > 0 {
		res.TxPerBlock = float64(txs) / float64(res.Blocks)
	}
	committed, failed := res.Valid, 0
	for _, n := range res.Invalid {
		committed += n
	}
	for _, n := range res.Failed {
		failed += n
	}
	if committed > 0 {
		res.ValidShare = float64(res.Valid) / float64(committed)
	}
	if committed+failed > 0 {
		res.RefusedShare = float64(failed) / float64(committed+failed)
	}
	for phase, ds := range lat {
		res.Latency[phase] = percentiles(ds)
	}
	// CPU: the rate at which each group used CPU over the measured time,
	// over the goodput.
	measured := to.Sub(from).Seconds()
	network, ours := 0.0, 0.0
	for group := range r.procs {
		rate := (cpuTo[group] - cpuFrom[group]) / measured
		ours += rate
		if group != "client" {
			network += rate
		}
		if res.ValidTPS > 0 {
			res.CPUPerTx[group] = rate / res.ValidTPS
		}
	}
	if res.ValidTPS > 0 {
		res.CPUPerTx["network"] = network / res.ValidTPS
	}
	res.CPUCores = network
	res.OtherCores = max(0, (busyTo-busyFrom)/measured-ours)
	return res
}

// window is the part of a segment that counts.
type window struct {
	from, to    time.Time
	first, last uint64 // blocks: those after first up to last count
	blocks      bool
}

// holds reports whether an outcome counts: a committed transaction by its
// block, anything else (a read, a failure) by when it ended.
func (win window) holds(o Outcome, read bool) bool {
	if win.blocks && o.Committed && !read {
		return o.Block > win.first && o.Block <= win.last
	}
	return !o.End.Before(win.from) && o.End.Before(win.to)
}

// issueTokens lets rate transactions per second start, until the end.
// Tokens nobody takes are dropped: a capped load never bursts to catch up.
func issueTokens(tokens chan<- struct{}, rate float64, end time.Time) {
	const tick = 2 * time.Millisecond
	t := time.NewTicker(tick)
	defer t.Stop()
	credit := 0.0
	last := time.Now()
	for now := range t.C {
		if now.After(end) {
			return
		}
		credit += rate * now.Sub(last).Seconds()
		last = now
		for credit >= 1 && offer(tokens) {
			credit--
		}
		credit = math.Min(credit, 1)
	}
}

// offer hands out one token if a lane is waiting for it.
func offer(tokens chan<- struct{}) bool {
	select {
	case tokens <- struct{}{}:
		return true
	default:
		return false
	}
}

func percentiles(ds []time.Duration) Percentiles {
	if len(ds) == 0 {
		return Percentiles{}
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	at := func(q float64) float64 {
		i := int(math.Ceil(q*float64(len(ds)))) - 1
		i = max(0, min(i, len(ds)-1))
		return float64(ds[i].Microseconds()) / 1000
	}
	return Percentiles{P50: at(0.50), P95: at(0.95), P99: at(0.99)}
}

// cpu returns the CPU-seconds (user + system) each process group has used
// so far, from /proc/PID/stat (clock ticks of 1/100 s on Linux).
func (r *Runner) cpu() map[string]float64 {
	out := map[string]float64{}
	for group, pids := range r.procs {
		for _, pid := range pids {
			out[group] += procCPU(pid)
		}
	}
	return out
}

// machineBusy returns the CPU-seconds all cores have spent busy since
// boot (user, nice, system, irq, softirq; not idle, I/O wait or time
// stolen by the hypervisor), from /proc/stat.
func machineBusy() float64 {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(data), "\n")
	fields := strings.Fields(line)
	if len(fields) < 8 || fields[0] != "cpu" {
		return 0
	}
	busy := 0.0
	for i, f := range fields[1:] {
		if i == 3 || i == 4 || i == 7 { // idle, iowait, steal
			continue
		}
		if i >= 8 { // guest time is counted in user already
			break
		}
		v, _ := strconv.ParseFloat(f, 64)
		busy += v
	}
	return busy / 100
}

func procCPU(pid int) float64 {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0
	}
	fields := strings.Fields(s[i+1:])
	if len(fields) < 13 {
		return 0
	}
	// After the command: state is field 3; utime and stime are 14 and 15.
	utime, _ := strconv.ParseFloat(fields[11], 64)
	stime, _ := strconv.ParseFloat(fields[12], 64)
	return (utime + stime) / 100
}

// blockLog remembers when each block reached the gateway's peer and how
// many transactions it held.
type blockLog struct {
	mu     sync.Mutex
	blocks []blockSeen
}

type blockSeen struct {
	at     time.Time
	number uint64
	txs    int
}

func followBlocks(ctx context.Context, id *Identity) (*blockLog, error) {
	events, err := id.gw.GetNetwork(testnetwork.ChannelName).FilteredBlockEvents(ctx)
	if err != nil {
		return nil, fmt.Errorf("following blocks: %w", err)
	}
	bl := &blockLog{}
	go func() {
		for b := range events {
			bl.add(b)
		}
	}()
	return bl, nil
}

func (bl *blockLog) add(b *peer.FilteredBlock) {
	bl.mu.Lock()
	defer bl.mu.Unlock()
	bl.blocks = append(bl.blocks, blockSeen{time.Now(), b.GetNumber(), len(b.GetFilteredTransactions())})
}

// window returns the block-aligned window of [from, to): from the first
// block seen in it to the last. With fewer than two blocks it is the time
// window itself.
func (bl *blockLog) window(from, to time.Time) window {
	bl.mu.Lock()
	defer bl.mu.Unlock()
	var in []blockSeen
	for _, b := range bl.blocks {
		if !b.at.Before(from) && b.at.Before(to) {
			in = append(in, b)
		}
	}
	if len(in) < 2 {
		return window{from: from, to: to}
	}
	first, last := in[0], in[len(in)-1]
	return window{from: first.at, to: last.at, first: first.number, last: last.number, blocks: true}
}
