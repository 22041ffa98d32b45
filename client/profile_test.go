package client

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"

	"github.com/likrcommerce/likr/contracts/access"
)

func TestLoadProfileReadsWhatTestNetworkWrites(t *testing.T) {
	dir := t.TempDir()
	want := Profile{
		Name: "admin", Org: "Org1", MSPID: "Org1MSP", Role: "admin", PeerEndpoint: "127.0.0.1:7051",
		PeerTLSCA: "/net/tls/ca.pem", CertPath: "/net/admin/cert.pem", KeyPath: "/net/admin/key_sk",
	}
	path := writeJSON(t, dir, "admin.json", want)
	got, err := LoadProfile(path)
	require.NoError(t, err)
	require.Equal(t, want, got)
}

func TestLoadProfileResolvesRelativePathsAgainstItsFolder(t *testing.T) {
	dir := t.TempDir()
	path := writeJSON(t, dir, "p.json", Profile{
		MSPID: "Org1MSP", PeerEndpoint: "peer:7051", PeerTLSCA: "tls/ca.pem", CertPath: "id/cert.pem", KeyPath: "/abs/key",
	})
	got, err := LoadProfile(path)
	require.NoError(t, err)
	require.Equal(t, filepath.Join(dir, "tls/ca.pem"), got.PeerTLSCA)
	require.Equal(t, filepath.Join(dir, "id/cert.pem"), got.CertPath)
	require.Equal(t, "/abs/key", got.KeyPath)
}

func TestLoadProfileRefusesBadFiles(t *testing.T) {
	for name, tc := range map[string]struct{ text, want string }{
		"misspelt field": {`{"mspId":"M","peerEndpoint":"p:1","peerTlsCa":"a","certPath":"b","keyPath":"c","keyFile":"x"}`, "unknown field"},
		"missing fields": {`{"mspId":"M","peerEndpoint":"p:1"}`, "missing peerTlsCa, certPath, keyPath"},
		"trailing data":  {`{"mspId":"M","peerEndpoint":"p:1","peerTlsCa":"a","certPath":"b","keyPath":"c"} {}`, "data after"},
		"not JSON":       {`mspId: M`, "invalid character"},
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "p.json")
			require.NoError(t, os.WriteFile(path, []byte(tc.text), 0o600))
			_, err := LoadProfile(path)
			require.ErrorContains(t, err, tc.want)
		})
	}
	_, err := LoadProfile(filepath.Join(t.TempDir(), "absent.json"))
	require.ErrorIs(t, err, os.ErrNotExist)
}

func TestDialConnectsOverTLSAndDerivesTheAccount(t *testing.T) {
	pki := newTestPKI(t)
	p := pki.profile(t, pki.serve(t), pki.ca)
	c, err := Dial(context.Background(), p)
	require.NoError(t, err)
	require.Equal(t, access.AccountID("Org1MSP", pki.userCert), c.Account())
	require.Regexp(t, "^[0-9a-f]{40}$", c.Account())
	require.NoError(t, c.Close())
}

func TestDialFailsWithinItsTimeout(t *testing.T) {
	pki := newTestPKI(t)
	addr := pki.serve(t)
	fast := WithTimeouts(Timeouts{Dial: 300 * time.Millisecond})

	t.Run("peer TLS certificate from another CA", func(t *testing.T) {
		other := newTestPKI(t)
		_, err := Dial(context.Background(), pki.profile(t, addr, other.ca), fast)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		require.ErrorContains(t, err, "connecting to "+addr)
	})
	t.Run("nothing listening", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		closed := l.Addr().String()
		require.NoError(t, l.Close())
		start := time.Now()
		_, err = Dial(context.Background(), pki.profile(t, closed, pki.ca), fast)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		require.Less(t, time.Since(start), 5*time.Second)
	})
	t.Run("key of another certificate", func(t *testing.T) {
		p := pki.profile(t, addr, pki.ca)
		p.KeyPath = newTestPKI(t).profile(t, addr, pki.ca).KeyPath
		_, err := Dial(context.Background(), p, fast)
		require.ErrorContains(t, err, "is not the key of the certificate")
	})
	t.Run("caller's context already ended", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := Dial(ctx, pki.profile(t, addr, pki.ca))
		require.ErrorIs(t, err, context.Canceled)
	})
}

// testPKI is a CA with a TLS server certificate for 127.0.0.1 and a user
// certificate, as an org's CAs would issue them.
type testPKI struct {
	ca       *x509.Certificate
	server   tls.Certificate
	userCert *x509.Certificate
	userKey  *ecdsa.PrivateKey
}

func newTestPKI(t *testing.T) *testPKI {
	t.Helper()
	caKey := newKey(t)
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	ca := sign(t, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	serverKey := newKey(t)
	server := sign(t, &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "peer0"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		KeyUsage: x509.KeyUsageDigitalSignature,
	}, ca, &serverKey.PublicKey, caKey)
	userKey := newKey(t)
	user := sign(t, &x509.Certificate{
		SerialNumber: big.NewInt(3), Subject: pkix.Name{CommonName: "admin", OrganizationalUnit: []string{"client"}},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature,
	}, ca, &userKey.PublicKey, caKey)
	return &testPKI{
		ca:       ca,
		server:   tls.Certificate{Certificate: [][]byte{server.Raw}, PrivateKey: serverKey},
		userCert: user, userKey: userKey,
	}
}

// serve starts a gRPC server with the PKI's TLS certificate and returns
// its address.
func (p *testPKI) serve(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := grpc.NewServer(grpc.Creds(credentials.NewServerTLSFromCert(&p.server)))
	go srv.Serve(l)
	t.Cleanup(srv.Stop)
	return l.Addr().String()
}

// profile writes the user's certificate and key and tlsCA to files and
// returns a profile for the peer at addr.
func (p *testPKI) profile(t *testing.T, addr string, tlsCA *x509.Certificate) Profile {
	t.Helper()
	dir := t.TempDir()
	keyDER, err := x509.MarshalPKCS8PrivateKey(p.userKey)
	require.NoError(t, err)
	return Profile{
		Name: "admin", Org: "Org1", MSPID: "Org1MSP", PeerEndpoint: addr,
		PeerTLSCA: writePEM(t, dir, "tls-ca.pem", "CERTIFICATE", tlsCA.Raw),
		CertPath:  writePEM(t, dir, "cert.pem", "CERTIFICATE", p.userCert.Raw),
		KeyPath:   writePEM(t, dir, "key_sk", "PRIVATE KEY", keyDER),
	}
}

func newKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	return k
}

func sign(t *testing.T, tmpl, parent *x509.Certificate, pub *ecdsa.PublicKey, key *ecdsa.PrivateKey) *x509.Certificate {
	t.Helper()
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return cert
}

func writePEM(t *testing.T, dir, name, typ string, der []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600))
	return path
}

func writeJSON(t *testing.T, dir, name string, v any) string {
	t.Helper()
	data, err := json.MarshalIndent(v, "", "  ")
	require.NoError(t, err)
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, data, 0o600))
	return path
}
