package config

import (
	"strings"
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/access"
	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger/memledger"
)

const valid = `{"operatorMsp":"Org1MSP","trusted":{"admin":["Org1MSP"],"supplier":["Org2MSP"],"seller":["Org2MSP"],"moderator":[],"auditor":["Org1MSP"]},"platformFeeBps":500,"supplyCap":"1000","autoReleaseSeconds":60,"disputeTimeoutSeconds":120,"stockShards":16}`

func TestDecodeValidates(t *testing.T) {
	c, err := Decode([]byte(valid))
	require.NoError(t, err)
	require.True(t, c.Trusts(access.Seller, "Org2MSP"))
	require.False(t, c.Trusts(access.Admin, "Org2MSP"))

	bad := map[string]string{
		"operator not trusted for admin": `"admin":["Org1MSP"]` + "|" + `"admin":["Org2MSP"]`,
		"duplicate MSP":                  `"seller":["Org2MSP"]` + "|" + `"seller":["Org2MSP","Org2MSP"]`,
		"fee above 100%":                 `"platformFeeBps":500` + "|" + `"platformFeeBps":10001`,
		"zero cap":                       `"supplyCap":"1000"` + "|" + `"supplyCap":"0"`,
		"cap as number":                  `"supplyCap":"1000"` + "|" + `"supplyCap":1000`,
		"zero timeout":                   `"autoReleaseSeconds":60` + "|" + `"autoReleaseSeconds":0`,
		"too many shards":                `"stockShards":16` + "|" + `"stockShards":257`,
		"unknown field":                  `"stockShards":16` + "|" + `"stockShards":16,"extra":1`,
		"bad MSP ID":                     `"operatorMsp":"Org1MSP"` + "|" + `"operatorMsp":"Org1\u0000"`,
	}
	for name, edit := range bad {
		old, replacement, _ := strings.Cut(edit, "|")
		require.Contains(t, valid, old, name)
		doc := strings.Replace(valid, old, replacement, 1)
		_, err := Decode([]byte(doc))
		require.ErrorIs(t, err, errs.ErrInvalidArgument, name)
	}
}

func TestInitOnceAndUpdateKeepsTheCallerAdmin(t *testing.T) {
	l := memledger.New()
	cfg, err := Decode([]byte(valid))
	require.NoError(t, err)
	admin := access.Caller{MSPID: "Org1MSP", ClaimedRole: "admin", Role: access.Admin}
	run := func(fn func(shim.ChaincodeStubInterface) error) error { return l.Run(memledger.TxOptions{}, fn) }

	require.ErrorIs(t, run(func(st shim.ChaincodeStubInterface) error {
		return Init(st, access.Caller{MSPID: "Org2MSP", ClaimedRole: "admin"}, cfg)
	}), errs.ErrForbidden)
	require.NoError(t, run(func(st shim.ChaincodeStubInterface) error { return Init(st, admin, cfg) }))
	require.ErrorIs(t, run(func(st shim.ChaincodeStubInterface) error { return Init(st, admin, cfg) }), errs.ErrAlreadyExists)

	lockout := *cfg
	lockout.OperatorMSP, lockout.Trusted.Admin = "Org2MSP", []string{"Org2MSP"}
	require.ErrorIs(t, run(func(st shim.ChaincodeStubInterface) error { return Update(st, admin, &lockout) }), errs.ErrInvalidArgument)
	require.ErrorIs(t, run(func(st shim.ChaincodeStubInterface) error {
		return Update(st, access.Caller{MSPID: "Org1MSP", Role: access.Consumer}, cfg)
	}), errs.ErrForbidden)

	var got *Config
	require.NoError(t, run(func(st shim.ChaincodeStubInterface) error { got, err = Get(st); return err }))
	require.Equal(t, cfg, got)
}
