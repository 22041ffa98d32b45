package client

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestOptionDefaults(t *testing.T) {
	o, err := newOptions(nil)
	require.NoError(t, err)
	require.Equal(t, options{
		channel: "likr", chaincode: "likr", timeouts: DefaultTimeouts(),
		maxAttempts: DefaultMaxAttempts, backoff: DefaultBackoff,
	}, o)
	for name, d := range map[string]time.Duration{
		"dial": o.timeouts.Dial, "evaluate": o.timeouts.Evaluate, "endorse": o.timeouts.Endorse,
		"submit": o.timeouts.Submit, "commit status": o.timeouts.CommitStatus,
	} {
		require.Positive(t, d, name)
	}
}

func TestOptionsSetWhatTheyName(t *testing.T) {
	o, err := newOptions([]Option{
		WithChannel("mychannel"), WithChaincode("basic"), WithRetry(7, time.Second),
		WithTimeouts(Timeouts{Endorse: 3 * time.Second, CommitStatus: 9 * time.Second}),
	})
	require.NoError(t, err)
	want := DefaultTimeouts()
	want.Endorse, want.CommitStatus = 3*time.Second, 9*time.Second
	require.Equal(t, options{channel: "mychannel", chaincode: "basic", timeouts: want, maxAttempts: 7, backoff: time.Second}, o)
}

func TestBadOptionsFailDial(t *testing.T) {
	for name, tc := range map[string]struct {
		opt  Option
		want string
	}{
		"no attempts":      {WithRetry(0, time.Second), "at least 1 attempt"},
		"negative backoff": {WithRetry(3, -time.Second), "negative retry backoff"},
		"negative timeout": {WithTimeouts(Timeouts{Submit: -1}), "negative submit timeout"},
		"empty channel":    {WithChannel(""), "empty channel"},
		"empty chaincode":  {WithChaincode(""), "empty chaincode"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := newOptions([]Option{WithChannel("ok"), tc.opt})
			require.ErrorContains(t, err, tc.want)
			c, err := Dial(context.Background(), Profile{}, tc.opt)
			require.Nil(t, c)
			require.ErrorContains(t, err, tc.want, "Dial checks options before anything else")
		})
	}
}
