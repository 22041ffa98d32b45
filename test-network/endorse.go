package testnetwork

import (
	"context"
	"fmt"
)

// ProbeFunction is an evaluate-only chaincode function every Likr chaincode
// answers for any identity; endorsing it proves the chaincode is reachable.
const ProbeFunction = "config:WhoAmI"

// WaitEndorsable waits until a proposal endorsed through identity's gateway
// collects endorsements from every org the policy needs. The gateway plans
// endorsement from gossip membership, which lags channel creation by
// seconds (see the notes), so a deployed chaincode is not yet usable by a
// submit until this returns.
func (n *Network) WaitEndorsable(ctx context.Context, identity string) error {
	gw, conn, err := n.Gateway(identity)
	if err != nil {
		return err
	}
	defer conn.Close()
	defer gw.Close()
	contract := gw.GetNetwork(ChannelName).GetContract(ChaincodeName)
	return n.poll(ctx, "endorsement of "+ProbeFunction+" by every org", n.Node("chaincode"), func() (bool, error) {
		proposal, err := contract.NewProposal(ProbeFunction)
		if err != nil {
			return false, err
		}
		if _, err := proposal.Endorse(); err != nil {
			return false, fmt.Errorf("%w%s", err, ErrorDetails(err))
		}
		return true, nil
	})
}

// WaitEndorsableByEveryOrg waits, through one identity of each org, until
// that org's gateway collects the endorsements the policy needs: each
// gateway learns the other org's peer from gossip on its own schedule.
func (n *Network) WaitEndorsableByEveryOrg(ctx context.Context) error {
	for _, org := range n.Orgs {
		for _, id := range n.Identities {
			if id.Org == org.Name {
				if err := n.WaitEndorsable(ctx, id.Name); err != nil {
					return err
				}
				break
			}
		}
	}
	return nil
}
