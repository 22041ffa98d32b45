package config

import (
	"strings"
	"testing"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/access"
	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger/memledger"
)

const valid = `{"operatorMsp":"Org1MSP","trusted":{"admin":["Org1MSP"],"supplier":["Org2MSP"],"seller":["Org2MSP"],"moderator":[],"auditor":["Org1MSP"]},"platformFeeBps":500,"supplyCap":"1000","autoReleaseSeconds":60,"disputeTimeoutSeconds":120,"stockShards":16}`

var (
	founder = access.Caller{MSPID: "Org1MSP", Account: "f", ClaimedRole: "admin", Role: access.Admin}
	org2    = access.Caller{MSPID: "Org2MSP", Account: "o", ClaimedRole: "admin", Role: access.Admin}
)

func mustDecode(t *testing.T, doc string) *Config {
	t.Helper()
	c, err := Decode([]byte(doc))
	require.NoError(t, err)
	return c
}

func TestDecodeValidatesAndNamesTheField(t *testing.T) {
	c := mustDecode(t, valid)
	require.True(t, c.Trusts(access.Seller, "Org2MSP"))
	require.False(t, c.Trusts(access.Admin, "Org2MSP"))
	require.False(t, c.Trusts(access.Consumer, "Org1MSP"), "consumer is no trusted role")

	for _, tc := range []struct{ old, new, field string }{
		{`"admin":["Org1MSP"]`, `"admin":["Org2MSP"]`, "trusted.admin"}, // operator not trusted for admin
		{`"seller":["Org2MSP"]`, `"seller":["Org2MSP","Org2MSP"]`, "trusted.seller"},
		{`"moderator":[]`, `"moderator":[""]`, "trusted.moderator"},
		{`"platformFeeBps":500`, `"platformFeeBps":10001`, "platformFeeBps"},
		{`"supplyCap":"1000"`, `"supplyCap":"0"`, "supplyCap"},
		{`"supplyCap":"1000"`, `"supplyCap":1000`, "supplyCap"},
		{`"autoReleaseSeconds":60`, `"autoReleaseSeconds":0`, "autoReleaseSeconds"},
		{`"disputeTimeoutSeconds":120`, `"disputeTimeoutSeconds":31622401`, "disputeTimeoutSeconds"},
		{`"stockShards":16`, `"stockShards":257`, "stockShards"},
		{`"stockShards":16`, `"stockShards":0`, "stockShards"},
		{`"stockShards":16`, `"stockShards":16,"reviewWindowSeconds":-1`, "reviewWindowSeconds"},
		{`"stockShards":16`, `"stockShards":16,"reviewWindowSeconds":31622401`, "reviewWindowSeconds"},
		{`"stockShards":16`, `"stockShards":16,"extra":1`, "extra"},
		{`"stockShards":16`, `"stockShards":16,"stockShards":16`, "stockShards"},
		{`"operatorMsp":"Org1MSP"`, `"operatorMsp":"Org1\u0000"`, "operatorMsp"},
	} {
		require.Contains(t, valid, tc.old)
		_, err := Decode([]byte(strings.Replace(valid, tc.old, tc.new, 1)))
		require.ErrorIs(t, err, errs.ErrInvalidArgument, tc.new)
		require.Contains(t, err.Error(), tc.field, tc.new)
	}
}

// run runs fn in a transaction that commits when fn returns nil.
func run(l *memledger.Ledger, fn func(st shim.ChaincodeStubInterface) error) error {
	return l.Run(memledger.TxOptions{}, fn)
}

func TestInitBootstrapRuleAndOnce(t *testing.T) {
	l := memledger.New()
	cfg := mustDecode(t, valid)
	for _, caller := range []access.Caller{
		org2, // admin attribute from a CA of another org
		{MSPID: "Org1MSP", ClaimedRole: "auditor"},
		{MSPID: "Org1MSP"},
	} {
		err := run(l, func(st shim.ChaincodeStubInterface) error { return Init(st, caller, cfg) })
		require.ErrorIs(t, err, errs.ErrForbidden, "%+v", caller)
	}
	require.Empty(t, l.Snapshot())

	require.NoError(t, run(l, func(st shim.ChaincodeStubInterface) error { return Init(st, founder, cfg) }))
	err := run(l, func(st shim.ChaincodeStubInterface) error { return Init(st, founder, cfg) })
	require.ErrorIs(t, err, errs.ErrAlreadyExists)

	require.Equal(t, cfg, mustGet(t, l))
}

func TestGetBeforeInitIsNotFound(t *testing.T) {
	err := run(memledger.New(), func(st shim.ChaincodeStubInterface) error { _, err := Get(st); return err })
	require.ErrorIs(t, err, errs.ErrNotFound)
}

func TestUpdateNeedsAConfigAndKeepsTheCallerAdmin(t *testing.T) {
	l := memledger.New()
	cfg := mustDecode(t, valid)
	err := run(l, func(st shim.ChaincodeStubInterface) error { return Update(st, founder, cfg) })
	require.ErrorIs(t, err, errs.ErrNotFound, "Update cannot bypass Init's bootstrap rule")
	require.NoError(t, run(l, func(st shim.ChaincodeStubInterface) error { return Init(st, founder, cfg) }))

	lockout := *cfg
	lockout.OperatorMSP, lockout.Trusted.Admin = "Org2MSP", []string{"Org2MSP"}
	err = run(l, func(st shim.ChaincodeStubInterface) error { return Update(st, founder, &lockout) })
	require.ErrorIs(t, err, errs.ErrInvalidArgument)
	require.Contains(t, err.Error(), "trusted.admin")

	handover := lockout
	handover.Trusted.Admin = []string{"Org2MSP", "Org1MSP"}
	require.NoError(t, run(l, func(st shim.ChaincodeStubInterface) error { return Update(st, founder, &handover) }))
	require.True(t, mustGet(t, l).Trusts(access.Admin, "Org2MSP"))
}

func TestStoredBytesAreCanonical(t *testing.T) {
	stored := func(doc string) string {
		l := memledger.New()
		cfg := mustDecode(t, doc)
		require.NoError(t, run(l, func(st shim.ChaincodeStubInterface) error { return Init(st, founder, cfg) }))
		return string(l.GetCommitted(Key))
	}
	a := stored(strings.Replace(valid, `"auditor":["Org1MSP"]`, `"auditor":["Org3MSP","Org1MSP"]`, 1))
	b := stored(strings.Replace(valid, `"auditor":["Org1MSP"]`, `"auditor":["Org1MSP","Org3MSP"]`, 1))
	require.Equal(t, a, b, "list order does not change the bytes")
	require.Contains(t, a, `"auditor":["Org1MSP","Org3MSP"]`)

	// An omitted list is stored as [] (never null), in field order.
	c := stored(strings.Replace(valid, `"moderator":[],`, ``, 1))
	require.Equal(t, `{"operatorMsp":"Org1MSP","trusted":{"admin":["Org1MSP"],"supplier":["Org2MSP"],"seller":["Org2MSP"],"moderator":[],"auditor":["Org1MSP"]},"platformFeeBps":500,"supplyCap":"1000","autoReleaseSeconds":60,"disputeTimeoutSeconds":120,"stockShards":16,"reviewWindowSeconds":0}`, c)
}

func mustGet(t *testing.T, l *memledger.Ledger) *Config {
	t.Helper()
	var got *Config
	require.NoError(t, run(l, func(st shim.ChaincodeStubInterface) (err error) { got, err = Get(st); return err }))
	return got
}

func TestReviewWindowDefaultsToTheAutoReleaseTime(t *testing.T) {
	c := &Config{AutoReleaseSeconds: 60}
	require.Equal(t, time.Minute, c.ReviewWindow(), "a config stored before the setting existed")
	c.ReviewWindowSeconds = 3600
	require.Equal(t, time.Hour, c.ReviewWindow())
}
