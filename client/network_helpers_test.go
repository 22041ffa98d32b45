package client_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/client"
	testnetwork "github.com/likrcommerce/likr/test-network"
)

// onNetwork starts a test network for t (stopped when t ends) and returns
// it, a context that ends after timeout, and a dial that connects as a
// fixture identity (closed when t ends).
func onNetwork(t *testing.T, timeout time.Duration, opts ...testnetwork.TestOption) (*testnetwork.Network, context.Context, func(name string, opts ...client.Option) *client.Client) {
	t.Helper()
	n := testnetwork.StartForTest(t, opts...)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	t.Cleanup(cancel)
	dial := func(name string, opts ...client.Option) *client.Client {
		t.Helper()
		p, err := client.LoadProfile(n.ProfilePath(name))
		require.NoError(t, err)
		c, err := client.Dial(ctx, p, opts...)
		require.NoError(t, err)
		t.Cleanup(func() { c.Close() })
		return c
	}
	return n, ctx, dial
}
