package faults_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/likrcommerce/likr/client"
	"github.com/likrcommerce/likr/contracts/errs"
)

// Pacing of each load buyer: a steady load, well below what the network
// takes on two cores, so that what changes during a fault is the fault.
const (
	pause         = 100 * time.Millisecond // between a buyer's orders
	errorPause    = 250 * time.Millisecond // after a failed one, doubling while they fail
	maxErrorPause = 2 * time.Second
	settleOne     = 4 // every settleOne-th acknowledged order is shipped and confirmed
)

// load is the steady load: each load buyer places orders one after the
// other with a unique ID; a settler ships and confirms some of them. It
// records every acknowledged order, every failure by class, and the orders
// whose outcome the client could not know (a submit or commit status that
// failed or timed out), which resolve resolves afterwards.
type load struct {
	w       *world
	stopped chan struct{}
	wg      sync.WaitGroup
	settle  chan settleJob
	started time.Time

	mu        sync.Mutex
	acks      []ack
	failures  map[string]*failure
	uncertain map[client.OrderRef]*buyer
	settled   int
}

type ack struct {
	ref        client.OrderRef
	start, end time.Time
}

type settleJob struct {
	b   *buyer
	ref client.OrderRef
}

// failure is one class of error the load saw.
type failure struct {
	count       int
	first, last time.Time
	sample      string
	// timeout: errors.Is(err, context.DeadlineExceeded), the client's
	// promise for a phase that ran out of time.
	timeout bool
	// deadline: a gRPC DeadlineExceeded status without that promise: the
	// gateway's copy of the deadline fired and its answer came before the
	// client's own timer did.
	deadline bool
}

// startLoad starts the load; stop it with stop.
func (w *world) startLoad(t *testing.T) *load {
	l := &load{
		w: w, stopped: make(chan struct{}), settle: make(chan settleJob, 1024), started: time.Now(),
		failures: map[string]*failure{}, uncertain: map[client.OrderRef]*buyer{},
	}
	for _, b := range w.load {
		l.wg.Add(1)
		go l.buy(b)
	}
	l.wg.Add(1)
	go l.settler()
	// A test that fails before it stops the load must not leave it running
	// into the next fault.
	t.Cleanup(func() { l.halt() })
	return l
}

func (l *load) buy(b *buyer) {
	defer l.wg.Done()
	n := 0
	backoff := errorPause
	for !l.done() {
		ref := client.OrderRef{Buyer: b.c.Account(), ID: b.nextID(b.name)}
		start := time.Now()
		_, _, err := b.c.PlaceOrder(l.w.ctx, client.PlaceOrderRequest{ID: ref.ID, Listing: l.w.steady, Quantity: 1})
		if err != nil {
			// A buyer whose orders fail backs off, as an application
			// would: each failed submit also holds its coins back for a
			// minute (client.SpentCoinMemory).
			l.fail("place", err, ref, b)
			l.wait(backoff)
			backoff = min(2*backoff, maxErrorPause)
			continue
		}
		backoff = errorPause
		l.acked(ref, start)
		if n++; n%settleOne == 0 {
			select {
			case l.settle <- settleJob{b, ref}:
			default:
			}
		}
		l.wait(pause)
	}
}

// settler ships and confirms orders: settlements write sales records and
// daily totals, which Reconcile checks.
func (l *load) settler() {
	defer l.wg.Done()
	for {
		var job settleJob
		select {
		case <-l.stopped:
			return
		case job = <-l.settle:
		}
		if _, _, err := l.w.seller.ShipOrder(l.w.ctx, job.ref, client.ShipOrderRequest{Carrier: "CJ", Tracking: job.ref.ID}); err != nil {
			l.fail("ship", err, client.OrderRef{}, nil)
			continue
		}
		if _, _, err := job.b.c.ConfirmDelivery(l.w.ctx, job.ref); err != nil {
			l.fail("confirm", err, client.OrderRef{}, nil)
			continue
		}
		l.mu.Lock()
		l.settled++
		l.mu.Unlock()
	}
}

func (l *load) done() bool {
	select {
	case <-l.stopped:
		return true
	default:
		return false
	}
}

func (l *load) wait(d time.Duration) {
	select {
	case <-l.stopped:
	case <-time.After(d):
	}
}

func (l *load) acked(ref client.OrderRef, start time.Time) {
	l.w.ack(ref)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.acks = append(l.acks, ack{ref, start, time.Now()})
}

// fail records an error of op. A placement whose outcome is unknown is
// kept for resolve.
func (l *load) fail(op string, err error, ref client.OrderRef, b *buyer) {
	class := op + ": " + errorClass(err)
	l.mu.Lock()
	defer l.mu.Unlock()
	f := l.failures[class]
	if f == nil {
		f = &failure{first: time.Now(), sample: err.Error(), timeout: errors.Is(err, context.DeadlineExceeded)}
		f.deadline = !f.timeout && grpcDeadline(err)
		l.failures[class] = f
	}
	f.count++
	f.last = time.Now()
	if b != nil && outcomeUnknown(err) {
		l.uncertain[ref] = b
	}
}

// halt stops the buyers and waits for their calls in flight (each bounded
// by the client's timeouts).
func (l *load) halt() {
	select {
	case <-l.stopped:
	default:
		close(l.stopped)
	}
	l.wg.Wait()
}

// stop halts the load and returns what it saw.
func (l *load) stop() loadReport {
	l.halt()
	l.mu.Lock()
	defer l.mu.Unlock()
	r := loadReport{acks: append([]ack(nil), l.acks...), failures: map[string]failure{}, settled: l.settled, uncertain: map[client.OrderRef]*buyer{}}
	for k, v := range l.failures {
		r.failures[k] = *v
	}
	for k, v := range l.uncertain {
		r.uncertain[k] = v
	}
	r.duration = time.Since(l.started)
	return r
}

// loadReport is what a load saw.
type loadReport struct {
	duration  time.Duration
	acks      []ack
	failures  map[string]failure
	uncertain map[client.OrderRef]*buyer
	settled   int
}

// acksBetween counts the orders placed (started and acknowledged) in
// [from, to).
func (r loadReport) acksBetween(from, to time.Time) int {
	n := 0
	for _, a := range r.acks {
		if !a.start.Before(from) && a.end.Before(to) {
			n++
		}
	}
	return n
}

// recovery is how long after t the first order started at or after t was
// acknowledged; false if none was.
func (r loadReport) recovery(t time.Time) (time.Duration, bool) {
	best := time.Duration(-1)
	for _, a := range r.acks {
		if !a.start.Before(t) {
			if d := a.end.Sub(t); best < 0 || d < best {
				best = d
			}
		}
	}
	return best, best >= 0
}

// awaitAck waits until an order started at or after since is acknowledged,
// or timeout passes; it reports whether one was.
func (l *load) awaitAck(since time.Time, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		l.mu.Lock()
		for _, a := range l.acks {
			if !a.start.Before(since) {
				l.mu.Unlock()
				return true
			}
		}
		l.mu.Unlock()
		time.Sleep(100 * time.Millisecond)
	}
	return false
}

// failed counts the failures of every class.
func (r loadReport) failed() int {
	n := 0
	for _, f := range r.failures {
		n += f.count
	}
	return n
}

// timeouts counts the failures that were timeouts: reported as
// context.DeadlineExceeded, or only as a gRPC DeadlineExceeded status (the
// second count).
func (r loadReport) timeouts() (reported, grpcOnly int) {
	for _, f := range r.failures {
		if f.timeout {
			reported += f.count
		}
		if f.deadline {
			grpcOnly += f.count
		}
	}
	return reported, grpcOnly
}

// grpcDeadline reports whether the gateway's error in err's chain has the
// gRPC status DeadlineExceeded.
func grpcDeadline(err error) bool {
	var txErr *client.TxError
	if errors.As(err, &txErr) {
		err = txErr.Err
	}
	return status.Code(err) == codes.DeadlineExceeded
}

// log writes the report, one line per error class.
func (r loadReport) log(t *testing.T, fault string) {
	t.Helper()
	reported, grpcOnly := r.timeouts()
	t.Logf("RESULT %s: load ran %s: %d orders acknowledged, %d settled, %d failures (%d timeouts, %d more only as gRPC DeadlineExceeded), %d uncertain",
		fault, r.duration.Round(100*time.Millisecond), len(r.acks), r.settled, r.failed(), reported, grpcOnly, len(r.uncertain))
	classes := make([]string, 0, len(r.failures))
	for k := range r.failures {
		classes = append(classes, k)
	}
	sort.Strings(classes)
	for _, k := range classes {
		f := r.failures[k]
		t.Logf("RESULT %s:   %4d x %s (%s..%s): %s", fault, f.count, k,
			f.first.Format("15:04:05.0"), f.last.Format("15:04:05.0"), shorten(f.sample, 400))
	}
}

// resolve settles the orders whose outcome the client could not know, the
// way an application must: it places each again with the same ID. An
// order that had committed is ALREADY_EXISTS (nothing is written twice);
// one that had not is placed now. Either way it exists exactly once, and
// is acknowledged. Call it once the network is whole again.
func (w *world) resolve(t *testing.T, r loadReport) (committed, placed int) {
	t.Helper()
	refs := make([]client.OrderRef, 0, len(r.uncertain))
	for ref := range r.uncertain {
		refs = append(refs, ref)
	}
	sort.Slice(refs, func(i, j int) bool { return refs[i].ID < refs[j].ID })
	// Fresh clients: the load's hold back the coins of every failed submit
	// for a minute, and a buyer may have none left to pay with.
	fresh := map[*buyer]*client.Client{}
	for _, ref := range refs {
		b := r.uncertain[ref]
		if fresh[b] == nil {
			fresh[b] = w.dial(t, b.name, "", client.WithTimeouts(loadTimeouts))
		}
		var err error
		for try := 1; try <= 5; try++ {
			_, _, err = fresh[b].PlaceOrder(w.ctx, client.PlaceOrderRequest{ID: ref.ID, Listing: w.steady, Quantity: 1})
			if !outcomeUnknown(err) {
				break
			}
			t.Logf("resolving %s: outcome unknown again (%v); trying again", ref.ID, err)
			time.Sleep(time.Second)
		}
		switch {
		case err == nil:
			placed++
		case errors.Is(err, errs.ErrAlreadyExists):
			committed++
		default:
			require.NoError(t, err, "resolving uncertain order %s", ref.ID)
		}
		w.ack(ref)
	}
	return committed, placed
}

// outcomeUnknown reports whether a failed write may still have committed:
// its endorsement succeeded and then its submit or commit status failed.
func outcomeUnknown(err error) bool {
	var submitErr *client.SubmitError
	var statusErr *client.CommitStatusError
	return errors.As(err, &submitErr) || errors.As(err, &statusErr)
}

// errorClass names what kind of error err is: the failed phase, then the
// chaincode's code, "timeout", the validation code or the gRPC code. A
// gRPC DeadlineExceeded that the client did not report as
// context.DeadlineExceeded is "DeadlineExceeded", to tell them apart.
func errorClass(err error) string {
	var txErr *client.TxError
	phase := "prepare"
	if errors.As(err, &txErr) {
		phase = string(txErr.Phase)
	}
	var coded *errs.Error
	var commitErr *client.CommitError
	switch {
	case errors.As(err, &coded):
		return phase + " " + string(coded.Code)
	case errors.Is(err, context.DeadlineExceeded):
		return phase + " timeout"
	case errors.As(err, &commitErr):
		return phase + " " + commitErr.Code.String()
	case txErr != nil:
		return phase + " " + status.Code(txErr.Err).String()
	}
	return phase + " " + status.Code(err).String()
}

func shorten(s string, n int) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}

// fmtDur rounds a duration for the report.
func fmtDur(d time.Duration) string { return fmt.Sprint(d.Round(10 * time.Millisecond)) }
