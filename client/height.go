package client

import (
	"context"
	"errors"
	"fmt"
	"time"

	gwclient "github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/protobuf/proto"
)

// heightPoll is how often WaitForBlock asks the peer for its height.
const heightPoll = 25 * time.Millisecond

// heightReader is a backend that can read its peer's ledger height.
type heightReader interface {
	height(ctx context.Context) (uint64, error)
}

// WaitForBlock returns once the gateway's peer has committed block (the
// Block of another client's Receipt), or when ctx ends.
//
// A write has committed on its writer's gateway peer when it returns, but
// another org's peer may still be a block behind: a client of that org
// that endorses right away may see the state before the write (and a
// buyer's ConfirmDelivery just after the seller's ShipOrder be refused as
// INVALID_STATE). Waiting for the writer's block first gives a session
// that spans clients its order.
func (c *Client) WaitForBlock(ctx context.Context, block uint64) error {
	hr, ok := c.backend.(heightReader)
	if !ok {
		return errors.New("client: this backend cannot read the peer's height")
	}
	for {
		h, err := hr.height(ctx)
		if err != nil {
			return fmt.Errorf("client: reading the peer's height: %w", err)
		}
		if h > block { // the height counts blocks 0..h-1
			return nil
		}
		if err := sleep(ctx, heightPoll); err != nil {
			return fmt.Errorf("client: waiting for block %d (peer at %d): %w", block, h, err)
		}
	}
}

// height asks the gateway's peer for the channel's height through the
// system chaincode qscc.
func (g gateway) height(ctx context.Context) (uint64, error) {
	out, err := g.network.GetContract("qscc").EvaluateWithContext(ctx, "GetChainInfo", gwclient.WithArguments(g.network.Name()))
	if err != nil {
		return 0, err
	}
	var info common.BlockchainInfo
	if err := proto.Unmarshal(out, &info); err != nil {
		return 0, fmt.Errorf("decoding qscc GetChainInfo: %w", err)
	}
	return info.GetHeight(), nil
}
