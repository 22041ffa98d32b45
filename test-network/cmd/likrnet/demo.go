package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/fixtures"
	testnetwork "github.com/likrcommerce/likr/test-network"
)

// demo plays the story through the gateway with the fixture identities,
// printing each step. It grows with the contracts.
func (c *cli) demo(ctx context.Context) error {
	n, err := c.load()
	if err != nil {
		return err
	}
	step := 0
	say := func(format string, args ...any) {
		step++
		fmt.Printf("\n%d. %s\n", step, fmt.Sprintf(format, args...))
	}
	call := func(identity, fn string, submit bool, args ...string) (map[string]any, error) {
		gw, conn, err := n.Gateway(identity)
		if err != nil {
			return nil, err
		}
		defer conn.Close()
		defer gw.Close()
		contract := gw.GetNetwork(testnetwork.ChannelName).GetContract(testnetwork.ChaincodeName)
		var out []byte
		if submit {
			out, err = contract.SubmitTransaction(fn, args...)
		} else {
			out, err = contract.EvaluateTransaction(fn, args...)
		}
		if err != nil {
			return nil, fmt.Errorf("%s as %s: %w%s", fn, identity, err, testnetwork.ErrorDetails(err))
		}
		var v map[string]any
		if len(out) > 0 {
			if err := json.Unmarshal(out, &v); err != nil {
				return nil, fmt.Errorf("%s: %w", fn, err)
			}
		}
		return v, nil
	}

	fmt.Println("Likr demo on a Fabric network of native processes on 127.0.0.1")
	fmt.Printf("channel %q, chaincode %q (package %s)\n", testnetwork.ChannelName, testnetwork.ChaincodeName, n.PackageID)

	say("The platform admin initialises the configuration (once)")
	if cfg, err := call("admin", "config:Get", false); err == nil {
		fmt.Printf("   already initialised: operator %s, platform fee %v bps\n", cfg["operatorMsp"], cfg["platformFeeBps"])
	} else {
		if _, err := call("admin", "config:Init", true, demoConfig); err != nil {
			return err
		}
		fmt.Println("   config:Init committed")
	}

	say("Every certificate comes from its org's Fabric CA; a likr.role attribute counts only from an MSP the config trusts for it")
	ids, err := fixtures.Identities()
	if err != nil {
		return err
	}
	for _, id := range ids {
		who, err := call(id.Name, "config:WhoAmI", false)
		if err != nil {
			return err
		}
		fmt.Printf("   %-12s %s  role %-10s (certificate says %q)  account %s\n", id.Name, who["mspId"], who["role"], who["claimedRole"], who["account"])
	}

	say("A consumer without a role tries to change the configuration")
	_, err = call("minji", "config:Update", true, demoConfig)
	fmt.Printf("   refused: %s\n", firstCode(err))

	say("The admin mints coin for Minji; anyone may read the supply")
	minji, err := call("minji", "config:WhoAmI", false)
	if err != nil {
		return err
	}
	if _, err := call("admin", "wallet:Mint", true, minji["account"].(string), "100000"); err != nil {
		return err
	}
	bal, err := call("minji", "wallet:Balance", false, minji["account"].(string))
	if err != nil {
		return err
	}
	supply, err := call("minji", "wallet:Supply", false)
	if err != nil {
		return err
	}
	fmt.Printf("   Minji's balance %v; supply %v\n", bal["balance"], compact(supply))
	fmt.Println("\ndone: the network keeps running; `make status` shows it, `make network-down` stops it.")
	return nil
}

// demoConfig is the configuration the demo initialises: Org1 runs the
// platform (admins, auditors, moderators); Org2 hosts brands and sellers.
const demoConfig = `{"operatorMsp":"Org1MSP","trusted":{"admin":["Org1MSP"],"auditor":["Org1MSP"],"moderator":["Org1MSP"],"supplier":["Org2MSP"],"seller":["Org2MSP"]},"platformFeeBps":500,"supplyCap":"1000000000000","autoReleaseSeconds":604800,"disputeTimeoutSeconds":1209600,"stockShards":16}`

// firstCode picks the chaincode's coded message out of a gateway error.
func firstCode(err error) string {
	if err == nil {
		return "(no error)"
	}
	if coded, ok := errs.Parse(err.Error()); ok {
		return coded.Error()
	}
	return err.Error()
}

func compact(v any) string {
	data, _ := json.Marshal(v)
	return string(data)
}
