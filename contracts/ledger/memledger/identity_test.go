package memledger

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/pkg/cid"
	"github.com/stretchr/testify/require"
)

// pkg/cid parses the creator as an msp.SerializedIdentity whose IdBytes are
// a PEM certificate, and reads attributes from Fabric CA's extension.
func TestIdentityIsReadableByCid(t *testing.T) {
	id, err := NewIdentity("Org1MSP", "alice", map[string]string{"likr.role": "admin"})
	require.NoError(t, err)
	tx := New().Begin(TxOptions{Creator: id.Creator()})

	msp, err := cid.GetMSPID(tx)
	require.NoError(t, err)
	require.Equal(t, "Org1MSP", msp)
	role, found, err := cid.GetAttributeValue(tx, "likr.role")
	require.NoError(t, err)
	require.True(t, found)
	require.Equal(t, "admin", role)
	cert, err := cid.GetX509Certificate(tx)
	require.NoError(t, err)
	require.Equal(t, id.Cert.Raw, cert.Raw)
	require.Equal(t, "alice", cert.Subject.CommonName)

	plain, err := NewIdentity("Org1MSP", "bob", nil)
	require.NoError(t, err)
	_, found, err = cid.GetAttributeValue(New().Begin(TxOptions{Creator: plain.Creator()}), "likr.role")
	require.NoError(t, err)
	require.False(t, found, "no attributes, no extension")
}

// The enrollment certificate is an ECDSA P-256 leaf signed by a CA of its
// MSP; every test CA of an MSP has the same subject, so the same name in
// the same MSP always gives the same subject and issuer.
func TestIdentityIsSignedByItsMSPsTestCA(t *testing.T) {
	a, err := NewIdentity("Org1MSP", "alice", nil)
	require.NoError(t, err)
	require.True(t, a.CA.IsCA)
	require.NoError(t, a.Cert.CheckSignatureFrom(a.CA))
	pub, ok := a.Cert.PublicKey.(*ecdsa.PublicKey)
	require.True(t, ok)
	require.Equal(t, elliptic.P256(), pub.Curve)

	renewed, err := NewIdentity("Org1MSP", "alice", map[string]string{"likr.role": "seller"})
	require.NoError(t, err)
	require.Equal(t, a.Cert.RawSubject, renewed.Cert.RawSubject)
	require.Equal(t, a.Cert.RawIssuer, renewed.Cert.RawIssuer)
	require.NotEqual(t, a.Cert.SerialNumber, renewed.Cert.SerialNumber)

	other, err := NewIdentity("Org2MSP", "alice", nil)
	require.NoError(t, err)
	require.NotEqual(t, a.Cert.RawIssuer, other.Cert.RawIssuer)

	_, err = NewIdentity("", "alice", nil)
	require.Error(t, err)
	_, err = NewIdentity("Org1MSP", "bad\xff", nil)
	require.Error(t, err)
}
