package client

import (
	"context"
	"errors"
	"fmt"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Receipt describes a committed write.
type Receipt struct {
	TxID     string
	Block    uint64
	Attempts int    // endorsements it took: 1 unless a conflict forced a retry
	Result   []byte // what the chaincode function returned
}

// Evaluate runs a read-only transaction on the gateway's peers and returns
// its result; nothing is ordered or committed. Typed reads use it; call it
// directly for a function this package has no method for. A failure is an
// *EvaluateError.
func (c *Client) Evaluate(ctx context.Context, fn string, args ...string) ([]byte, error) {
	out, err := inPhase(ctx, c.opts.timeouts.Evaluate, func(ctx context.Context) ([]byte, error) {
		return c.backend.evaluate(ctx, fn, args)
	})
	if err != nil {
		return nil, &EvaluateError{newTxError(PhaseEvaluate, fn, "", 0, err)}
	}
	return out, nil
}

// Submit runs a write: it endorses, submits and waits for the commit. When
// the transaction loses a conflict (MVCC_READ_CONFLICT,
// PHANTOM_READ_CONFLICT, or endorsing peers at different heights) it is
// endorsed again as a new transaction, up to the attempts of WithRetry. A
// failure is an *EndorseError, *SubmitError, *CommitStatusError or
// *CommitError of the last attempt. Typed writes use it; call it directly
// for a function this package has no method for.
func (c *Client) Submit(ctx context.Context, fn string, args ...string) (Receipt, error) {
	return c.submit(ctx, fn, func(context.Context) ([]string, func(error), error) {
		return args, func(error) {}, nil
	})
}

// prepareFunc returns the arguments of one attempt of a write, and a func
// to call with the attempt's error once it is over. A payment picks its
// coins here, afresh for every attempt.
type prepareFunc func(ctx context.Context) (args []string, done func(error), err error)

func (c *Client) submit(ctx context.Context, fn string, prepare prepareFunc) (Receipt, error) {
	c.stats.submits.Add(1)
	r, err := c.retry(ctx, fn, prepare)
	if err != nil {
		c.stats.failed.Add(1)
		return Receipt{}, err
	}
	c.stats.committed.Add(1)
	return r, nil
}

// retry makes attempts until one commits, one fails other than by a
// conflict, the attempts run out or ctx ends.
func (c *Client) retry(ctx context.Context, fn string, prepare prepareFunc) (Receipt, error) {
	for n := 1; ; n++ {
		args, done, err := prepare(ctx)
		if err != nil {
			return Receipt{}, err
		}
		c.stats.attempts.Add(1)
		r, err := c.attempt(ctx, fn, args, n)
		done(err)
		if err == nil {
			return r, nil
		}
		kind := classify(err)
		if kind == noConflict {
			return Receipt{}, err
		}
		c.stats.conflicts[kind].Add(1)
		if n >= c.opts.maxAttempts {
			return Receipt{}, err
		}
		c.stats.retries.Add(1)
		if werr := sleep(ctx, backoff(c.opts.backoff, n)); werr != nil {
			return Receipt{}, fmt.Errorf("%w (retry abandoned: %w)", err, werr)
		}
	}
}

// attempt endorses, submits and awaits the commit of one transaction, each
// phase under its own timeout.
func (c *Client) attempt(ctx context.Context, fn string, args []string, n int) (Receipt, error) {
	t := c.opts.timeouts
	p, err := c.backend.propose(fn, args)
	if err != nil {
		return Receipt{}, &EndorseError{newTxError(PhaseEndorse, fn, "", n, err)}
	}
	txID := p.txID()
	tx, err := inPhase(ctx, t.Endorse, p.endorse)
	if err != nil {
		return Receipt{}, &EndorseError{newTxError(PhaseEndorse, fn, txID, n, err)}
	}
	commit, err := inPhase(ctx, t.Submit, tx.submit)
	if err != nil {
		return Receipt{}, &SubmitError{newTxError(PhaseSubmit, fn, txID, n, err)}
	}
	status, err := inPhase(ctx, t.CommitStatus, commit.status)
	if err != nil {
		return Receipt{}, &CommitStatusError{newTxError(PhaseCommitStatus, fn, txID, n, err)}
	}
	if !status.Successful {
		return Receipt{}, newCommitError(fn, txID, n, status.Code)
	}
	return Receipt{TxID: txID, Block: status.BlockNumber, Attempts: n, Result: tx.result()}, nil
}

// inPhase runs one gateway call under a phase timeout. When the deadline
// or a cancel ended the call, the context's error joins the gateway's, so
// errors.Is(err, context.DeadlineExceeded) holds. So it does when the
// deadline, propagated over gRPC, fired on the gateway's side first: the
// call then ends with the status DEADLINE_EXCEEDED before ctx reports it.
func inPhase[T any](ctx context.Context, timeout time.Duration, call func(context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	v, err := call(ctx)
	switch {
	case err == nil:
	case ctx.Err() != nil && !errors.Is(err, ctx.Err()):
		err = &ended{err, ctx.Err()}
	case status.Code(err) == codes.DeadlineExceeded && !errors.Is(err, context.DeadlineExceeded):
		err = &ended{err, context.DeadlineExceeded}
	}
	return v, err
}

// ended is a gateway error caused by the end of its context. Its message
// is the gateway's.
type ended struct{ err, ctxErr error }

func (e *ended) Error() string   { return e.err.Error() }
func (e *ended) Unwrap() []error { return []error{e.err, e.ctxErr} }
