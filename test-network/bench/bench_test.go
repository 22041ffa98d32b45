package bench

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// The bench's arithmetic, without a network: what counts in a window, how
// ratios are bracketed, where the knee of a sweep is, and how a lane's
// coins follow its transactions.

func TestPercentiles(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		out := make([]time.Duration, len(v))
		for i, x := range v {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}
	tests := []struct {
		name string
		in   []time.Duration
		want Percentiles
	}{
		{"none", nil, Percentiles{}},
		{"one", ms(7), Percentiles{7, 7, 7}},
		{"hundred", ms(seq(1, 100)...), Percentiles{50, 95, 99}},
		{"unsorted", ms(30, 10, 20), Percentiles{20, 30, 30}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, percentiles(tc.in))
		})
	}
}

func seq(from, to int) []int {
	var out []int
	for i := from; i <= to; i++ {
		out = append(out, i)
	}
	return out
}

func TestKnee(t *testing.T) {
	tests := []struct {
		name    string
		levels  []int
		goodput []float64
		want    int
	}{
		{"still rising: the last", []int{8, 32, 128}, []float64{25, 90, 250}, 128},
		{"flat at the top: the lowest within 5%", []int{8, 32, 128, 256}, []float64{25, 90, 300, 310}, 128},
		{"falling after a peak", []int{32, 128, 256}, []float64{90, 300, 200}, 128},
		{"nothing", nil, nil, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, knee(tc.levels, tc.goodput, 0.05))
		})
	}
}

func TestBlockWindow(t *testing.T) {
	t0 := time.Unix(1000, 0)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	bl := &blockLog{}
	for i, ms := range []int{100, 400, 700, 1000, 1300} {
		bl.blocks = append(bl.blocks, blockSeen{at: at(ms), number: uint64(10 + i), txs: 50})
	}
	win := bl.window(at(300), at(1200))
	require.True(t, win.blocks)
	require.Equal(t, uint64(11), win.first)
	require.Equal(t, uint64(13), win.last)
	require.Equal(t, 600*time.Millisecond, win.to.Sub(win.from))

	valid := func(block uint64) Outcome {
		return Outcome{Committed: true, Code: peer.TxValidationCode_VALID, Block: block, End: at(5000)}
	}
	require.False(t, win.holds(valid(11), false), "the first block opens the window; its transactions were counted before")
	require.True(t, win.holds(valid(12), false))
	require.True(t, win.holds(valid(13), false))
	require.False(t, win.holds(valid(14), false))
	failed := Outcome{Failure: "endorse: x", End: at(800)}
	require.True(t, win.holds(failed, false), "a failure counts by when it ended")
	failed.End = at(1100)
	require.False(t, win.holds(failed, false))

	few := bl.window(at(1250), at(2000))
	require.False(t, few.blocks, "one block is no window: time decides")
	require.Equal(t, at(1250), few.from)
}

func TestAnalyseBracketsEachWorkload(t *testing.T) {
	seg := func(n int, workload, baseline string, tps, cpu float64) Result {
		return Result{Segment: n, Workload: workload, Baseline: baseline, Concurrency: 128, ValidTPS: tps,
			CPUPerTx: map[string]float64{"network": cpu}}
	}
	rep := &Report{Segments: []Result{
		seg(1, CreateAsset, "", 300, 0.005),
		seg(2, "place-order/uniform", CreateAsset, 150, 0.010),
		seg(3, "place-order/hot", CreateAsset, 140, 0.010),
		seg(4, CreateAsset, "", 200, 0.005),
		seg(5, "read-order", ReadAsset, 100, 0.001),
	}}
	rep.analyse(128)
	require.Len(t, rep.Ratios, 2, "a workload without its baseline around has no ratio")
	r := rep.Ratios[0]
	require.Equal(t, "place-order/uniform", r.Workload)
	require.Equal(t, []int{1, 4}, r.BaselineSegment, "the baseline segments just before and after")
	require.InDelta(t, 250, r.BaselineTPS, 1e-9)
	require.InDelta(t, 0.6, r.Goodput, 1e-9)
	require.InDelta(t, 2.0, r.CPU, 1e-9)
	require.Equal(t, []int{1, 4}, rep.Ratios[1].BaselineSegment)
}

func TestCoinsFollowTheirTransactions(t *testing.T) {
	const holder = "buyer"
	event := `[{"type":"wallet.debit","holder":"buyer","coin":"tx9.000000"},{"type":"wallet.credit","holder":"escrow","coin":"tx9.000001"}]`
	valid := Outcome{Committed: true, Code: peer.TxValidationCode_VALID, Events: []byte(event)}
	invalid := Outcome{Committed: true, Code: peer.TxValidationCode_MVCC_READ_CONFLICT}
	refused := Outcome{Failure: "endorse: chaincode NOT_FOUND"}
	unknown := Outcome{Failure: "status: deadline", Unknown: true}
	exact := Outcome{Committed: true, Code: peer.TxValidationCode_VALID, Events: []byte(`[{"type":"wallet.debit","holder":"buyer"}]`)}
	tests := []struct {
		name string
		o    Outcome
		want []string
	}{
		{"valid: the change replaces the coin, at the back", valid, []string{"b", "tx9.000000"}},
		{"invalid: the coin is still there, at the back", invalid, []string{"b", "a"}},
		{"refused: the same", refused, []string{"b", "a"}},
		{"may have committed: the coin is given up", unknown, []string{"b"}},
		{"spent exactly: no change", exact, []string{"b"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := &coins{holder: holder, queue: []string{"a", "b"}}
			coin, ok := c.next()
			require.True(t, ok)
			require.Equal(t, "a", coin)
			c.settle(tc.o)
			require.Equal(t, tc.want, c.queue)
		})
	}
	empty := &coins{holder: holder}
	_, ok := empty.next()
	require.False(t, ok)
}

func TestReason(t *testing.T) {
	withDetail := func(code codes.Code, msg, detail string) error {
		st, err := status.New(code, msg).WithDetails(&gateway.ErrorDetail{Address: "127.0.0.1:7051", MspId: "Org1MSP", Message: detail})
		require.NoError(t, err)
		return st.Err()
	}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"a deadline", fmt.Errorf("endorse: %w", context.DeadlineExceeded), "deadline"},
		{"the chaincode's code from the peer's detail", withDetail(codes.Aborted, "failed to endorse transaction", "chaincode response 500, NOT_FOUND: coin tx1.000000"), "chaincode NOT_FOUND"},
		{"peers at different heights", withDetail(codes.Aborted, "failed to collect enough transaction endorsements", "ProposalResponsePayloads do not match"), "peers disagree (different heights)"},
		{"otherwise the gRPC code", status.Error(codes.Unavailable, "connection refused"), "Unavailable"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, reason(tc.err))
		})
	}
}

func TestABSequenceBracketsEveryWorkload(t *testing.T) {
	all := func(string) bool { return true }
	first := abSequence(0, all)
	require.Equal(t, []string{NoOp, Counter,
		CreateAsset, "place-order/uniform", "place-order/hot",
		CreateAsset, "order-lifecycle/uniform", "order-lifecycle/hot",
		CreateAsset, "coin-transfer/uniform", "coin-transfer/hot",
		CreateAsset, "reward-payout/uniform", "reward-payout/hot",
		CreateAsset, "register-product/uniform", "register-product/hot",
		CreateAsset,
		ReadAsset, "read-balance", "read-order",
		ReadAsset, "read-sales-page",
		ReadAsset}, first)
	second := abSequence(1, all)
	require.Equal(t, []string{NoOp, Counter,
		CreateAsset, "register-product/hot", "register-product/uniform"}, second[:5], "the second pass runs backwards")
	for _, seq := range [][]string{first, second} {
		for i, name := range seq {
			if name == NoOp || name == Counter || name == CreateAsset || name == ReadAsset {
				continue
			}
			base := CreateAsset
			if strings.HasPrefix(name, "read-") {
				base = ReadAsset
			}
			require.Contains(t, seq[:i], base, "%s has its baseline before it", name)
			require.Contains(t, seq[i+1:], base, "%s has its baseline after it", name)
		}
	}
	only := abSequence(0, func(name string) bool {
		return name == CreateAsset || name == ReadAsset || strings.HasPrefix(name, "place-order")
	})
	require.Equal(t, []string{CreateAsset, "place-order/uniform", "place-order/hot", CreateAsset}, only)
}
