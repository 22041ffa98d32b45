package testnetwork_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/stretchr/testify/require"

	testnetwork "github.com/likrcommerce/likr/test-network"
)

// One network serves the subtests: starting one takes seconds, and each
// subtest leaves the network running for the next.
func TestNetwork(t *testing.T) {
	n := testnetwork.StartForTest(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	t.Run("chaincode reads the likr.role attribute and refuses a caller without it", func(t *testing.T) {
		before := evaluate(t, n, "admin", "config:WhoAmI")
		require.Equal(t, "admin", before["claimedRole"])
		require.Equal(t, "consumer", before["role"], "no role counts before the config trusts an MSP")

		_, err := submit(t, n, "minji", "config:Init", initRequest(t))
		require.Error(t, err)
		require.Contains(t, errorText(err), "FORBIDDEN")

		_, err = submit(t, n, "admin", "config:Init", initRequest(t))
		require.NoError(t, err, errorText(err))
		cfg := evaluate(t, n, "minji", "config:Get")
		require.Equal(t, "Org1MSP", cfg["operatorMsp"])

		who := evaluate(t, n, "admin", "config:WhoAmI")
		require.Equal(t, "admin", who["role"], "whoami: %v", who)
		require.Equal(t, "Org1MSP", who["mspId"])
		require.Regexp(t, "^[0-9a-f]{40}$", who["account"])
		require.Equal(t, "consumer", evaluate(t, n, "minji", "config:WhoAmI")["role"])

		// The same admin-only transaction: refused without the role, accepted with it.
		_, err = submit(t, n, "minji", "config:Update", initRequest(t))
		require.Contains(t, errorText(err), "FORBIDDEN")
		_, err = submit(t, n, "admin", "config:Update", initRequest(t))
		require.NoError(t, err, errorText(err))
	})

	t.Run("an admin attribute from an org not trusted for admin is refused", func(t *testing.T) {
		who := evaluate(t, n, "rogue-admin", "config:WhoAmI")
		require.Equal(t, "admin", who["claimedRole"])
		require.Equal(t, "consumer", who["role"])
		_, err := submit(t, n, "rogue-admin", "wallet:Mint", who["account"].(string), "1000")
		require.Error(t, err)
		require.Contains(t, errorText(err), "FORBIDDEN")
	})

	t.Run("the stock peer CLI invokes and queries the same chaincode", func(t *testing.T) {
		org1, _ := n.Org("Org1")
		org2, _ := n.Org("Org2")
		who := evaluate(t, n, "minji", "config:WhoAmI")
		args, err := json.Marshal(map[string][]string{"Args": {"wallet:Mint", who["account"].(string), "2500"}})
		require.NoError(t, err)
		invoke := append([]string{"chaincode", "invoke", "-C", testnetwork.ChannelName, "-n", testnetwork.ChaincodeName,
			"-c", string(args), "--waitForEvent",
			"--peerAddresses", n.PeerAddress(org1), "--tlsRootCertFiles", n.PeerTLSCA(org1),
			"--peerAddresses", n.PeerAddress(org2), "--tlsRootCertFiles", n.PeerTLSCA(org2)}, n.OrdererArgs()...)
		out, err := n.PeerCLIAs(ctx, "admin", invoke...)
		require.NoError(t, err)
		require.Contains(t, string(out), "status:200")

		query := fmt.Sprintf(`{"Args":["wallet:Balance","%s"]}`, who["account"])
		out, err = n.PeerCLIAs(ctx, "minji", "chaincode", "query", "-C", testnetwork.ChannelName, "-n", testnetwork.ChaincodeName, "-c", query)
		require.NoError(t, err)
		require.Contains(t, string(out), "2500")
	})

	t.Run("32 concurrent credits to one account all commit valid", func(t *testing.T) {
		admin, seller := evaluate(t, n, "admin", "config:WhoAmI")["account"].(string), evaluate(t, n, "seller", "config:WhoAmI")["account"].(string)
		const credits = 32
		for i := 0; i < credits; i++ {
			_, err := submit(t, n, "admin", "wallet:Mint", admin, "10")
			require.NoError(t, err, errorText(err))
		}
		var coins []string
		page := map[string]any{}
		for bookmark := ""; ; bookmark = page["bookmark"].(string) {
			page = evaluate(t, n, "admin", "wallet:Coins", admin, "100", bookmark)
			for _, c := range page["coins"].([]any) {
				coins = append(coins, c.(map[string]any)["id"].(string))
			}
			if page["bookmark"] == "" {
				break
			}
		}
		require.Len(t, coins, credits)
		before := evaluate(t, n, "seller", "wallet:Balance", seller)["balance"].(string)

		payer := contract(t, n, "admin")
		commits := make([]*client.Commit, credits)
		for i, coin := range coins {
			_, commit, err := payer.SubmitAsync("wallet:Transfer", client.WithArguments(seller, "10", `["`+coin+`"]`))
			require.NoError(t, err, errorText(err))
			commits[i] = commit
		}
		conflicts := 0
		for _, commit := range commits {
			status, err := commit.Status()
			require.NoError(t, err)
			if !status.Successful {
				conflicts++
				t.Logf("transaction %s invalid: %s", status.TransactionID, status.Code)
			}
		}
		t.Logf("%d concurrent credits to one account: %d MVCC/phantom conflicts", credits, conflicts)
		require.Zero(t, conflicts)
		after := evaluate(t, n, "seller", "wallet:Balance", seller)["balance"].(string)
		require.Equal(t, addDecimal(t, before, credits*10), after)
		audit := evaluate(t, n, "auditor", "wallet:Audit")
		require.Equal(t, true, audit["ok"], "audit: %v", audit)
	})

	t.Run("a killed orderer does not stop commits and catches up after restart", func(t *testing.T) {
		leader, err := n.WaitRaftLeader(ctx)
		require.NoError(t, err)
		var victim *testnetwork.Node
		for _, o := range n.NodesOf(testnetwork.KindOrderer) {
			if o != leader {
				victim = o
				break
			}
		}
		require.NoError(t, victim.Kill())
		require.False(t, victim.Running())

		who := evaluate(t, n, "seller", "config:WhoAmI")
		_, err = submit(t, n, "admin", "wallet:Mint", who["account"].(string), "700")
		require.NoError(t, err, errorText(err))
		target, err := n.Height(leader)
		require.NoError(t, err)

		require.NoError(t, n.Restart(ctx, victim))
		require.NoError(t, n.WaitHeight(ctx, victim, target))
		for _, p := range n.NodesOf(testnetwork.KindPeer) {
			require.NoError(t, n.WaitHeight(ctx, p, target))
		}
	})

	t.Run("a paused peer blocks endorsement until it resumes", func(t *testing.T) {
		peer := n.Peer("Org2")
		require.NoError(t, peer.Pause())
		paused := contract(t, n, "admin")
		proposal, err := paused.NewProposal(testnetwork.ProbeFunction)
		require.NoError(t, err)
		pauseCtx, cancelPause := context.WithTimeout(ctx, 3*time.Second)
		_, err = proposal.EndorseWithContext(pauseCtx)
		cancelPause()
		require.Error(t, err, "the majority policy needs Org2's frozen peer")
		require.NoError(t, peer.Resume())
		require.NoError(t, n.WaitEndorsable(ctx, "admin"))
	})

	t.Run("the chaincode server and a CA restart with their state", func(t *testing.T) {
		cc := n.Node("chaincode")
		require.NoError(t, cc.Kill())
		_, err := contract(t, n, "minji").EvaluateTransaction("config:Get")
		require.Error(t, err, "no chaincode server is listening")
		require.NoError(t, n.Restart(ctx, cc))
		require.NoError(t, n.WaitEndorsable(ctx, "admin"))
		require.Equal(t, "Org1MSP", evaluate(t, n, "minji", "config:Get")["operatorMsp"])

		ca := n.Node("ca.org1")
		require.NoError(t, ca.Stop())
		require.NoError(t, n.Restart(ctx, ca))
		require.True(t, ca.Running())
	})

	t.Run("deploying the same package again keeps the package ID", func(t *testing.T) {
		before := n.PackageID
		require.NoError(t, n.Deploy(ctx))
		require.Equal(t, before, n.PackageID)
		_, err := os.Stat(filepath.Join(n.Dir, "chaincode", "likr.tar.gz"))
		require.NoError(t, err)
	})
}

func contract(t *testing.T, n *testnetwork.Network, identity string) *client.Contract {
	t.Helper()
	gw, conn, err := n.Gateway(identity)
	require.NoError(t, err)
	t.Cleanup(func() { gw.Close(); conn.Close() })
	return gw.GetNetwork(testnetwork.ChannelName).GetContract(testnetwork.ChaincodeName)
}

func evaluate(t *testing.T, n *testnetwork.Network, identity, fn string, args ...string) map[string]any {
	t.Helper()
	out, err := contract(t, n, identity).EvaluateTransaction(fn, args...)
	require.NoError(t, err, errorText(err))
	var v map[string]any
	require.NoError(t, json.Unmarshal(out, &v), string(out))
	return v
}

func submit(t *testing.T, n *testnetwork.Network, identity, fn string, args ...string) ([]byte, error) {
	t.Helper()
	return contract(t, n, identity).SubmitTransaction(fn, args...)
}

// errorText includes the per-peer details, where the chaincode's message is.
func errorText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error() + testnetwork.ErrorDetails(err)
}

func addDecimal(t *testing.T, a string, b int) string {
	t.Helper()
	v, err := strconv.ParseUint(a, 10, 64)
	require.NoError(t, err)
	return strconv.FormatUint(v+uint64(b), 10)
}

func initRequest(t *testing.T) string {
	t.Helper()
	req := map[string]any{
		"operatorMsp": "Org1MSP",
		"trusted": map[string][]string{
			"admin": {"Org1MSP"}, "auditor": {"Org1MSP"}, "moderator": {"Org1MSP"},
			"supplier": {"Org2MSP"}, "seller": {"Org2MSP"},
		},
		"platformFeeBps":        500,
		"supplyCap":             "1000000000000",
		"autoReleaseSeconds":    604800,
		"disputeTimeoutSeconds": 1209600,
		"stockShards":           16,
	}
	data, err := json.Marshal(req)
	require.NoError(t, err)
	return strings.TrimSpace(string(data))
}
