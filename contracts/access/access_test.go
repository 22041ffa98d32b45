package access

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger/memledger"
)

type trustOrg1Admins struct{}

func (trustOrg1Admins) Trusts(role Role, msp string) bool { return role == Admin && msp == "Org1MSP" }

func TestAccountIDIsDerivedFromMSPAndCertificate(t *testing.T) {
	a, err := memledger.NewIdentity("Org1MSP", "alice", nil)
	require.NoError(t, err)
	renewed, err := memledger.NewIdentity("Org1MSP", "alice", map[string]string{"likr.role": "admin"})
	require.NoError(t, err)
	require.Regexp(t, "^[0-9a-f]{40}$", AccountID("Org1MSP", a.Cert))
	require.Equal(t, AccountID("Org1MSP", a.Cert), AccountID("Org1MSP", renewed.Cert), "same subject and issuer: same account")
	require.NotEqual(t, AccountID("Org1MSP", a.Cert), AccountID("Org2MSP", a.Cert), "the MSP is part of the account")
	bob, err := memledger.NewIdentity("Org1MSP", "bob", nil)
	require.NoError(t, err)
	require.NotEqual(t, AccountID("Org1MSP", a.Cert), AccountID("Org1MSP", bob.Cert))
}

func TestIdentifyCountsOnlyTrustedRoles(t *testing.T) {
	l := memledger.New()
	for _, tc := range []struct {
		msp, role string
		trust     Trust
		want      Role
	}{
		{"Org1MSP", "admin", trustOrg1Admins{}, Admin},
		{"Org2MSP", "admin", trustOrg1Admins{}, Consumer},
		{"Org1MSP", "admin", nil, Consumer},
		{"Org1MSP", "root", trustOrg1Admins{}, Consumer},
		{"Org1MSP", "", trustOrg1Admins{}, Consumer},
	} {
		attrs := map[string]string{}
		if tc.role != "" {
			attrs[RoleAttribute] = tc.role
		}
		id, err := memledger.NewIdentity(tc.msp, "x", attrs)
		require.NoError(t, err)
		caller, err := Identify(l.Begin(memledger.TxOptions{Creator: id.Creator()}), tc.trust)
		require.NoError(t, err)
		require.Equal(t, tc.want, caller.Role, "%+v", tc)
		require.Equal(t, tc.role, caller.ClaimedRole)
		require.Equal(t, AccountID(tc.msp, id.Cert), caller.Account)
	}
	_, err := Identify(l.Begin(memledger.TxOptions{Creator: []byte("garbage")}), nil)
	require.ErrorIs(t, err, errs.ErrForbidden)
}

func TestRequire(t *testing.T) {
	c := Caller{Account: "a", Role: Seller}
	require.NoError(t, c.Require())
	require.NoError(t, c.Require(Supplier, Seller))
	require.ErrorIs(t, c.Require(Admin), errs.ErrForbidden)
	require.NoError(t, c.RequireSelfOr("a", Admin))
	require.ErrorIs(t, c.RequireSelfOr("b", Admin), errs.ErrForbidden)
}
