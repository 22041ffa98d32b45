package client

import (
	"fmt"
	"strings"

	gatewaypb "github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/grpc/status"

	"github.com/likrcommerce/likr/contracts/errs"
)

// Phase is the step of a call that failed.
type Phase string

// The phases: a read is one evaluate; a write is endorse, submit, commit
// status and commit, once per attempt.
const (
	PhaseEvaluate     Phase = "evaluate"
	PhaseEndorse      Phase = "endorse"
	PhaseSubmit       Phase = "submit"
	PhaseCommitStatus Phase = "commit status"
	PhaseCommit       Phase = "commit"
)

// TxError is what the error of every phase carries. Its chain holds the
// chaincode's coded error, if there was one, so errors.Is(err,
// errs.ErrForbidden) and errors.As(err, &codedErr) work, and the gateway's
// own error, so errors.As to fabric-gateway's *client.EndorseError and
// status.Code(err) work too. errors.As(err, &txErr) finds it whatever the
// phase.
type TxError struct {
	Phase    Phase
	Function string // the transaction name, e.g. "wallet:Transfer"
	TxID     string // empty when the failure came before one was assigned
	Attempt  int    // the write attempt that failed (1 for the first); 0 for a read
	// Err is the gateway's error; for PhaseCommit, the validation failure.
	Err   error
	coded *errs.Error
}

func newTxError(phase Phase, fn, txID string, attempt int, err error) *TxError {
	e := &TxError{Phase: phase, Function: fn, TxID: txID, Attempt: attempt, Err: err}
	// Only a proposal runs chaincode, so only these phases carry its errors.
	if phase == PhaseEvaluate || phase == PhaseEndorse {
		e.coded, _ = CodedError(err)
	}
	return e
}

func (e *TxError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", e.Phase, e.Function)
	if e.TxID != "" {
		fmt.Fprintf(&b, " (tx %s, attempt %d)", e.TxID, e.Attempt)
	}
	if e.coded != nil {
		// The gateway's message repeats the chaincode's or says nothing
		// more; its status code is what it adds.
		fmt.Fprintf(&b, ": %v (gateway: %s)", e.coded, status.Code(e.Err))
	} else {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	return b.String()
}

// Unwrap returns the coded error (when the chaincode sent one) and the
// gateway's error.
func (e *TxError) Unwrap() []error {
	if e.coded == nil {
		return []error{e.Err}
	}
	return []error{e.coded, e.Err}
}

// As lets errors.As(err, &txErr) find the TxError inside any phase error.
func (e *TxError) As(target any) bool {
	if t, ok := target.(**TxError); ok {
		*t = e
		return true
	}
	return false
}

// EvaluateError is a failed read.
type EvaluateError struct{ *TxError }

// EndorseError is a failed endorsement: the chaincode refused (a coded
// error), the endorsing peers disagreed, or no peer answered.
type EndorseError struct{ *TxError }

// SubmitError is a failure to hand an endorsed transaction to the
// orderers. The transaction may or may not have been ordered, so it is
// never retried.
type SubmitError struct{ *TxError }

// CommitStatusError is a failure to learn a submitted transaction's
// outcome; the transaction may still commit.
type CommitStatusError struct{ *TxError }

// CommitError is a transaction that was ordered but failed validation, for
// example with MVCC_READ_CONFLICT; it wrote nothing.
type CommitError struct {
	*TxError
	Code peer.TxValidationCode
}

func newCommitError(fn, txID string, attempt int, code peer.TxValidationCode) *CommitError {
	return &CommitError{newTxError(PhaseCommit, fn, txID, attempt, invalidTx(code)), code}
}

// invalidTx is the cause of a CommitError.
type invalidTx peer.TxValidationCode

func (c invalidTx) Error() string {
	return "failed validation: " + peer.TxValidationCode(c).String()
}

// CodedError recovers the chaincode's coded error from an error returned
// by fabric-gateway. The top-level message of an endorsement failure does
// not include the chaincode's message; the per-peer details do, so they are
// searched first. Every call of this package already does this; it is
// exported for code that calls fabric-gateway directly.
func CodedError(err error) (*errs.Error, bool) {
	if err == nil {
		return nil, false
	}
	for _, msg := range gatewayMessages(err) {
		if e, ok := errs.Parse(msg); ok {
			return e, true
		}
	}
	return nil, false
}

// gatewayMessages returns the per-peer messages of a gateway error, then
// its top-level message.
func gatewayMessages(err error) []string {
	st := status.Convert(err)
	var msgs []string
	for _, d := range st.Details() {
		if detail, ok := d.(*gatewaypb.ErrorDetail); ok {
			msgs = append(msgs, detail.GetMessage())
		}
	}
	return append(msgs, st.Message())
}
