package client

import (
	"context"
	"fmt"
	"sync"
	"testing"

	gwclient "github.com/hyperledger/fabric-gateway/pkg/client"
	gatewaypb "github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// gatewayError builds an error as the Fabric gateway sends it: a gRPC
// status whose details hold one message per peer.
func gatewayError(code codes.Code, msg string, peerMessages ...string) error {
	st := status.New(code, msg)
	for i, m := range peerMessages {
		var err error
		st, err = st.WithDetails(&gatewaypb.ErrorDetail{Address: fmt.Sprintf("peer%d:7051", i), MspId: "Org1MSP", Message: m})
		if err != nil {
			panic(err)
		}
	}
	return st.Err()
}

// chaincodeError is an endorsement the chaincode refused, as the gateway
// reports it.
func chaincodeError(message string) error {
	return gatewayError(codes.Aborted, "failed to endorse transaction, see attached details for more info",
		"chaincode response 500, "+message, "chaincode response 500, "+message)
}

// mismatchError is an endorsement whose peers read different versions.
func mismatchError() error {
	return gatewayError(codes.Aborted, "failed to collect enough transaction endorsements, see attached details for more info",
		"ProposalResponsePayloads do not match")
}

// outcome scripts one attempt: the first non-nil error fails its phase;
// without any, the transaction commits with code (VALID by default).
type outcome struct {
	endorseErr, submitErr, statusErr error
	code                             peer.TxValidationCode
}

func invalid(code peer.TxValidationCode) outcome { return outcome{code: code} }

// fakeBackend plays the gateway: evaluate answers with evaluateFn, and the
// n-th proposal plays outcomes[n-1] (a valid commit once they run out).
type fakeBackend struct {
	mu         sync.Mutex
	outcomes   []outcome
	proposals  [][]string // fn and args of every proposal, in order
	evaluateFn func(ctx context.Context, fn string, args []string) ([]byte, error)
	// beforeStatus, when set, runs before every commit status is answered.
	beforeStatus func()
}

func (f *fakeBackend) evaluate(ctx context.Context, fn string, args []string) ([]byte, error) {
	if f.evaluateFn == nil {
		return nil, fmt.Errorf("fake: unexpected evaluate %s", fn)
	}
	return f.evaluateFn(ctx, fn, args)
}

func (f *fakeBackend) propose(fn string, args []string) (proposal, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.proposals = append(f.proposals, append([]string{fn}, args...))
	n := len(f.proposals)
	var o outcome
	if n <= len(f.outcomes) {
		o = f.outcomes[n-1]
	}
	return &fakeTx{id: fmt.Sprintf("tx%d", n), o: o, beforeStatus: f.beforeStatus}, nil
}

func (f *fakeBackend) proposed() [][]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([][]string(nil), f.proposals...)
}

// fakeTx is a proposal, its endorsement and its commit.
type fakeTx struct {
	id           string
	o            outcome
	beforeStatus func()
}

func (t *fakeTx) txID() string { return t.id }

func (t *fakeTx) endorse(context.Context) (endorsement, error) {
	if t.o.endorseErr != nil {
		return nil, t.o.endorseErr
	}
	return t, nil
}

func (t *fakeTx) result() []byte { return []byte("result of " + t.id) }

func (t *fakeTx) submit(context.Context) (commitment, error) {
	if t.o.submitErr != nil {
		return nil, t.o.submitErr
	}
	return t, nil
}

func (t *fakeTx) status(context.Context) (*gwclient.Status, error) {
	if t.beforeStatus != nil {
		t.beforeStatus()
	}
	if t.o.statusErr != nil {
		return nil, t.o.statusErr
	}
	return &gwclient.Status{Code: t.o.code, Successful: t.o.code == peer.TxValidationCode_VALID, TransactionID: t.id, BlockNumber: 7}, nil
}

// fakeClient is a Client over f whose retries do not wait.
func fakeClient(t *testing.T, f *fakeBackend, opts ...Option) *Client {
	t.Helper()
	o, err := newOptions(append([]Option{WithRetry(DefaultMaxAttempts, 0)}, opts...))
	if err != nil {
		t.Fatal(err)
	}
	return newClient(f, o, "0123456789abcdef0123456789abcdef01234567")
}
