package client

import (
	"errors"
	"fmt"
	"time"
)

// Option configures Dial. An option with a bad value makes Dial fail.
type Option func(*options) error

// Timeouts bound each phase of a call. Each phase gets its own deadline
// inside the caller's context, so a slow commit cannot eat the time of the
// next attempt's endorsement.
type Timeouts struct {
	Dial         time.Duration // until the peer's connection is ready
	Evaluate     time.Duration // one read
	Endorse      time.Duration // collecting the endorsements of one attempt
	Submit       time.Duration // handing one endorsed transaction to the orderers
	CommitStatus time.Duration // waiting for one transaction's commit
}

// DefaultTimeouts are the timeouts Dial uses unless WithTimeouts changes
// them (the same per-phase figures as fabric-gateway's samples).
func DefaultTimeouts() Timeouts {
	return Timeouts{
		Dial:         10 * time.Second,
		Evaluate:     5 * time.Second,
		Endorse:      15 * time.Second,
		Submit:       5 * time.Second,
		CommitStatus: time.Minute,
	}
}

// Defaults of the other options.
const (
	DefaultChannel     = "likr"
	DefaultChaincode   = "likr"
	DefaultMaxAttempts = 5
	DefaultBackoff     = 50 * time.Millisecond
)

type options struct {
	channel     string
	chaincode   string
	timeouts    Timeouts
	maxAttempts int
	backoff     time.Duration
}

func newOptions(opts []Option) (options, error) {
	o := options{
		channel: DefaultChannel, chaincode: DefaultChaincode, timeouts: DefaultTimeouts(),
		maxAttempts: DefaultMaxAttempts, backoff: DefaultBackoff,
	}
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return options{}, err
		}
	}
	return o, nil
}

// WithChannel sets the channel (default "likr").
func WithChannel(name string) Option {
	return func(o *options) error {
		if name == "" {
			return errors.New("client: empty channel name")
		}
		o.channel = name
		return nil
	}
}

// WithChaincode sets the chaincode name (default "likr").
func WithChaincode(name string) Option {
	return func(o *options) error {
		if name == "" {
			return errors.New("client: empty chaincode name")
		}
		o.chaincode = name
		return nil
	}
}

// WithTimeouts overrides the per-phase timeouts; zero fields keep their
// defaults and a negative one is an error.
func WithTimeouts(t Timeouts) Option {
	return func(o *options) error {
		for _, f := range []struct {
			name string
			set  time.Duration
			dst  *time.Duration
		}{
			{"dial", t.Dial, &o.timeouts.Dial},
			{"evaluate", t.Evaluate, &o.timeouts.Evaluate},
			{"endorse", t.Endorse, &o.timeouts.Endorse},
			{"submit", t.Submit, &o.timeouts.Submit},
			{"commit status", t.CommitStatus, &o.timeouts.CommitStatus},
		} {
			if f.set < 0 {
				return fmt.Errorf("client: negative %s timeout %s", f.name, f.set)
			}
			if f.set > 0 {
				*f.dst = f.set
			}
		}
		return nil
	}
}

// WithRetry sets how a write that loses a conflict is retried: at most
// maxAttempts endorsements in all (1 turns retrying off), waiting about
// backoff before the second, twice that before the third, and so on up to
// 32 x backoff, each wait jittered so that clients that collided do not
// collide again in step.
func WithRetry(maxAttempts int, backoff time.Duration) Option {
	return func(o *options) error {
		if maxAttempts < 1 {
			return fmt.Errorf("client: retry needs at least 1 attempt, got %d", maxAttempts)
		}
		if backoff < 0 {
			return fmt.Errorf("client: negative retry backoff %s", backoff)
		}
		o.maxAttempts, o.backoff = maxAttempts, backoff
		return nil
	}
}
