package access

import (
	"crypto/x509"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger/memledger"
)

type trustOrg1Admins struct{}

func (trustOrg1Admins) Trusts(role Role, msp string) bool { return role == Admin && msp == "Org1MSP" }

// The formula is a published contract with the client library and with
// every account ID already on a ledger: this vector must never change.
func TestAccountIDFormulaIsStable(t *testing.T) {
	cert := &x509.Certificate{RawSubject: []byte("subject-der"), RawIssuer: []byte("issuer-der")}
	require.Equal(t, "047d92ca3e60373d535c9bbab1d89a4f016b7924", AccountID("Org1MSP", cert))
}

func TestAccountIDIsDerivedFromMSPAndCertificate(t *testing.T) {
	a, err := memledger.NewIdentity("Org1MSP", "alice", nil)
	require.NoError(t, err)
	renewed, err := memledger.NewIdentity("Org1MSP", "alice", map[string]string{"likr.role": "admin"})
	require.NoError(t, err)
	require.NotEqual(t, a.Cert.Raw, renewed.Cert.Raw, "a different certificate (key, serial, attributes)")
	require.Regexp(t, "^[0-9a-f]{40}$", AccountID("Org1MSP", a.Cert))
	require.Equal(t, AccountID("Org1MSP", a.Cert), AccountID("Org1MSP", renewed.Cert), "same subject and issuer: same account")
	require.NotEqual(t, AccountID("Org1MSP", a.Cert), AccountID("Org2MSP", a.Cert), "the MSP is part of the account")
	bob, err := memledger.NewIdentity("Org1MSP", "bob", nil)
	require.NoError(t, err)
	require.NotEqual(t, AccountID("Org1MSP", a.Cert), AccountID("Org1MSP", bob.Cert))

	// Length prefixes keep field boundaries: moving bytes from the MSP ID
	// into the subject changes the account.
	shifted := &x509.Certificate{RawSubject: append([]byte("P"), a.Cert.RawSubject...), RawIssuer: a.Cert.RawIssuer}
	require.NotEqual(t, AccountID("Org1MSP", a.Cert), AccountID("Org1MS", shifted))
}

func TestIdentifyCountsOnlyTrustedExactRoles(t *testing.T) {
	l := memledger.New()
	for _, tc := range []struct {
		msp, role string
		trust     Trust
		want      Role
	}{
		{"Org1MSP", "admin", trustOrg1Admins{}, Admin},
		{"Org2MSP", "admin", trustOrg1Admins{}, Consumer}, // another org's CA issued the role
		{"Org1MSP", "admin", nil, Consumer},               // no config yet
		{"Org1MSP", "root", trustOrg1Admins{}, Consumer},  // unknown value
		{"Org1MSP", "Admin", trustOrg1Admins{}, Consumer}, // values match exactly
		{"Org1MSP", " admin", trustOrg1Admins{}, Consumer},
		{"Org1MSP", "consumer", trustOrg1Admins{}, Consumer},
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
		require.Equal(t, Caller{MSPID: tc.msp, Account: AccountID(tc.msp, id.Cert), ClaimedRole: tc.role, Role: tc.want}, caller, "%+v", tc)
	}
	_, err := Identify(l.Begin(memledger.TxOptions{Creator: []byte("garbage")}), nil)
	require.ErrorIs(t, err, errs.ErrForbidden)
}

func TestPolicies(t *testing.T) {
	seller := Caller{MSPID: "Org2MSP", Account: "a", Role: Seller}
	for _, tc := range []struct {
		p    Policy
		want bool
	}{
		{Anyone, true},
		{Seller, true},
		{Admin, false},
		{Consumer, false},
		{AnyOf(Supplier, Seller), true},
		{AnyOf(Auditor, Admin), false},
		{AnyOf(), false},
		{SelfOr("a", Admin), true},
		{SelfOr("b", Admin), false},
		{SelfOr("b", Seller), true},
		{PartiesOr([]string{"b", "a"}, Admin), true},
		{PartiesOr([]string{"b", "c"}, Admin), false},
		{PartiesOr(nil, Seller), true},
	} {
		err := seller.Require(tc.p)
		if tc.want {
			require.NoError(t, err, "%s", tc.p.requirement())
		} else {
			require.ErrorIs(t, err, errs.ErrForbidden, "%s", tc.p.requirement())
		}
	}
}

func TestForbiddenNamesTheRequirementAndAnUntrustedClaim(t *testing.T) {
	rogue := Caller{MSPID: "Org2MSP", Account: "acct", ClaimedRole: "admin", Role: Consumer}
	require.EqualError(t, rogue.Require(AnyOf(Auditor, Admin)),
		"FORBIDDEN: requires role auditor or admin; caller acct of Org2MSP has role consumer (claims admin, which Org2MSP is not trusted for)")
	require.EqualError(t, rogue.Require(SelfOr("other", Admin)),
		"FORBIDDEN: requires account other itself or role admin; caller acct of Org2MSP has role consumer (claims admin, which Org2MSP is not trusted for)")
	require.EqualError(t, rogue.Require(PartiesOr([]string{"b", "c"}, Auditor)),
		"FORBIDDEN: requires a party of it (b, c) or role auditor; caller acct of Org2MSP has role consumer (claims admin, which Org2MSP is not trusted for)")
	typo := Caller{MSPID: "Org1MSP", Account: "acct", ClaimedRole: "Admin", Role: Consumer}
	require.EqualError(t, typo.Require(Admin), `FORBIDDEN: requires role admin; caller acct of Org1MSP has role consumer (claims "Admin", which is not a role)`)
	plain := Caller{MSPID: "Org1MSP", Account: "acct", Role: Consumer}
	require.EqualError(t, plain.Require(Admin), "FORBIDDEN: requires role admin; caller acct of Org1MSP has role consumer")
}
