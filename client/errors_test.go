package client

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/likrcommerce/likr/contracts/errs"
)

func TestCodedErrorComesFromThePerPeerDetails(t *testing.T) {
	for name, tc := range map[string]struct {
		err    error
		code   errs.Code
		detail string
	}{
		"endorsement refused by the chaincode": {
			err: chaincodeError("FORBIDDEN: requires role admin"), code: errs.Forbidden, detail: "requires role admin",
		},
		"evaluate, whose top-level message also carries it": {
			err: gatewayError(codes.Unknown, "evaluate call to endorser returned error: chaincode response 500, NOT_FOUND: coin x not found",
				"chaincode response 500, NOT_FOUND: coin x not found"),
			code: errs.NotFound, detail: "coin x not found",
		},
		"a gateway error already wrapped by fabric-gateway and by us": {
			err:  &ended{chaincodeError("INSUFFICIENT_FUNDS: inputs hold 5, need 10"), context.DeadlineExceeded},
			code: errs.InsufficientFunds, detail: "inputs hold 5, need 10",
		},
	} {
		t.Run(name, func(t *testing.T) {
			coded, ok := CodedError(tc.err)
			require.True(t, ok)
			require.Equal(t, tc.code, coded.Code)
			require.Equal(t, tc.detail, coded.Detail)
		})
	}
	require.NotContains(t, chaincodeError("FORBIDDEN: x").Error(), "FORBIDDEN", "the premise: the top-level message lacks the code")
}

func TestCodedErrorIsAbsentWithoutACode(t *testing.T) {
	for name, err := range map[string]error{
		"nil":               nil,
		"payload mismatch":  mismatchError(),
		"no gRPC status":    errors.New("dial tcp: connection refused"),
		"peer unavailable":  gatewayError(codes.Unavailable, "no peers available", "connection refused"),
		"code in a word":    gatewayError(codes.Internal, "stream terminated by RST_STREAM with error code: INTERNAL_ERROR"),
		"lowercase mention": gatewayError(codes.Aborted, "failed", "chaincode response 500, forbidden: nope"),
	} {
		t.Run(name, func(t *testing.T) {
			_, ok := CodedError(err)
			require.False(t, ok)
		})
	}
}

func TestAWriteRefusedByTheChaincodeIsTypedAndNotRetried(t *testing.T) {
	gwErr := chaincodeError("FORBIDDEN: requires role admin; caller abc of Org1MSP has role consumer")
	f := &fakeBackend{outcomes: []outcome{{endorseErr: gwErr}}}
	c := fakeClient(t, f)

	_, err := c.Submit(context.Background(), "wallet:Mint", "abc", "10")

	require.ErrorIs(t, err, errs.ErrForbidden)
	require.NotErrorIs(t, err, errs.ErrNotFound)
	var coded *errs.Error
	require.ErrorAs(t, err, &coded)
	require.Equal(t, errs.Forbidden, coded.Code)
	require.Equal(t, "requires role admin; caller abc of Org1MSP has role consumer", coded.Detail)
	var endorseErr *EndorseError
	require.ErrorAs(t, err, &endorseErr)
	require.Equal(t, "tx1", endorseErr.TxID)
	require.Equal(t, 1, endorseErr.Attempt)
	require.Equal(t, "wallet:Mint", endorseErr.Function)
	var txErr *TxError
	require.ErrorAs(t, err, &txErr)
	require.Equal(t, PhaseEndorse, txErr.Phase)
	require.ErrorIs(t, err, gwErr, "the gateway's error stays in the chain")
	require.Equal(t, codes.Aborted, status.Code(err))
	require.EqualError(t, err, "endorse wallet:Mint (tx tx1, attempt 1): FORBIDDEN: requires role admin; caller abc of Org1MSP has role consumer (gateway: Aborted)")

	require.Len(t, f.proposed(), 1)
	require.Equal(t, Stats{Submits: 1, Failed: 1, Attempts: 1}, c.Stats())
}

func TestAReadRefusedByTheChaincodeIsAnEvaluateError(t *testing.T) {
	f := &fakeBackend{evaluateFn: func(context.Context, string, []string) ([]byte, error) {
		return nil, gatewayError(codes.Unknown, "evaluate call to endorser returned error: chaincode response 500, FORBIDDEN: not yours",
			"chaincode response 500, FORBIDDEN: not yours")
	}}
	_, err := fakeClient(t, f).Balance(context.Background(), "someone")
	require.ErrorIs(t, err, errs.ErrForbidden)
	var evalErr *EvaluateError
	require.ErrorAs(t, err, &evalErr)
	require.Equal(t, "wallet:Balance", evalErr.Function)
	require.Equal(t, PhaseEvaluate, evalErr.Phase)
}

func TestEachPhaseFailsWithItsOwnType(t *testing.T) {
	unavailable := gatewayError(codes.Unavailable, "no orderers could successfully process transaction")
	for name, tc := range map[string]struct {
		o     outcome
		check func(t *testing.T, err error)
	}{
		"endorse": {outcome{endorseErr: unavailable}, func(t *testing.T, err error) {
			var e *EndorseError
			require.ErrorAs(t, err, &e)
		}},
		"submit": {outcome{submitErr: unavailable}, func(t *testing.T, err error) {
			var e *SubmitError
			require.ErrorAs(t, err, &e)
			require.Equal(t, "tx1", e.TxID)
		}},
		"commit status": {outcome{statusErr: unavailable}, func(t *testing.T, err error) {
			var e *CommitStatusError
			require.ErrorAs(t, err, &e)
		}},
		"commit": {invalid(peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE), func(t *testing.T, err error) {
			var e *CommitError
			require.ErrorAs(t, err, &e)
			require.Equal(t, peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE, e.Code)
			require.EqualError(t, err, "commit wallet:Burn (tx tx1, attempt 1): failed validation: ENDORSEMENT_POLICY_FAILURE")
		}},
	} {
		t.Run(name, func(t *testing.T) {
			f := &fakeBackend{outcomes: []outcome{tc.o}}
			c := fakeClient(t, f)
			_, err := c.Submit(context.Background(), "wallet:Burn", "5", `["c1"]`)
			require.Error(t, err)
			tc.check(t, err)
			var coded *errs.Error
			require.False(t, errors.As(err, &coded), "no code where the chaincode sent none")
			require.Len(t, f.proposed(), 1, "not retried")
		})
	}
}

func TestAPhaseTimeoutIsADeadlineExceeded(t *testing.T) {
	f := &fakeBackend{evaluateFn: func(ctx context.Context, _ string, _ []string) ([]byte, error) {
		<-ctx.Done()
		return nil, status.FromContextError(ctx.Err()).Err()
	}}
	c := fakeClient(t, f, WithTimeouts(Timeouts{Evaluate: 20 * time.Millisecond}))
	start := time.Now()
	_, err := c.Supply(context.Background())
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.Equal(t, codes.DeadlineExceeded, status.Code(err))
	require.Less(t, time.Since(start), 5*time.Second)
}

// The deadline travels with the gRPC call, and the gateway's side may end
// it first: the status DEADLINE_EXCEEDED arrives while the client's own
// context has not expired yet. It is a timeout all the same.
func TestAGatewaySideDeadlineIsADeadlineExceeded(t *testing.T) {
	f := &fakeBackend{evaluateFn: func(context.Context, string, []string) ([]byte, error) {
		return nil, status.Error(codes.DeadlineExceeded, "context deadline exceeded")
	}}
	c := fakeClient(t, f)
	_, err := c.Supply(context.Background())
	require.ErrorIs(t, err, context.DeadlineExceeded)
	var evalErr *EvaluateError
	require.ErrorAs(t, err, &evalErr)
}
