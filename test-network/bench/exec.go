package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"
)

// Helpers for the set-up, which must succeed: each transaction is retried
// a few times (a conflict or a peer a block behind), then it is an error.

// mustRun runs op until it commits valid, at most 5 attempts.
func mustRun(ctx context.Context, op Op) (Outcome, error) {
	var o Outcome
	for attempt := 1; ; attempt++ {
		o = run(ctx, op)
		if o.Valid() {
			return o, nil
		}
		if o.Unknown || attempt == 5 || ctx.Err() != nil {
			what := o.Failure
			if what == "" {
				what = o.Code.String()
			}
			return o, fmt.Errorf("%s %s as %s: %s", op.Chaincode, op.Fn, op.ID.Name, what)
		}
		time.Sleep(time.Duration(attempt) * 100 * time.Millisecond)
	}
}

// mustRunAll runs ops with at most inflight at a time and returns their
// outcomes in order, or the first error.
func mustRunAll(ctx context.Context, ops []Op, inflight int) ([]Outcome, error) {
	out := make([]Outcome, len(ops))
	errs := make([]error, len(ops))
	sem := make(chan struct{}, inflight)
	var wg sync.WaitGroup
	for i, op := range ops {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			out[i], errs[i] = mustRun(ctx, op)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

// jsonString encodes v, which is always encodable (strings, numbers,
// slices and structs of them).
func jsonString(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
