package launcher

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// env turns a map into a Lookup.
func env(m map[string]string) Lookup {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

// with copies base and sets the key-value pairs kv on the copy.
func with(base map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range base {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

// authority is a test certificate authority.
type authority struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pem  []byte
}

func newAuthority(t *testing.T, name string) *authority {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber:          serial(t),
		Subject:               pkix.Name{CommonName: name},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return &authority{cert: cert, key: key, pem: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
}

// issue returns a PEM certificate and key for 127.0.0.1, usable as a TLS
// server and client certificate.
func (a *authority) issue(t *testing.T, name string) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: serial(t),
		Subject:      pkix.Name{CommonName: name},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, a.cert, &key.PublicKey, a.key)
	require.NoError(t, err)
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
}

func serial(t *testing.T) *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	require.NoError(t, err)
	return n
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, data, 0o600))
	return path
}

// material is a server's TLS files, each also as base64 for the
// fabric-chaincode-node *_PATH names.
type material struct {
	key, cert, ca       []byte
	keyFile, certFile   string
	caFile              string
	keyB64, certB64     string
	caB64               string
	otherKeyFile        string // a valid key of another certificate
	notPEMFile, dirPath string
	badB64File          string
}

func newMaterial(t *testing.T) material {
	dir := t.TempDir()
	ca := newAuthority(t, "peer TLS CA")
	cert, key := ca.issue(t, "likr chaincode")
	_, otherKey := ca.issue(t, "someone else")
	b64 := func(data []byte) []byte { return []byte(base64.StdEncoding.EncodeToString(data) + "\n") }
	return material{
		key: key, cert: cert, ca: ca.pem,
		keyFile:      writeFile(t, dir, "server.key", key),
		certFile:     writeFile(t, dir, "server.crt", cert),
		caFile:       writeFile(t, dir, "ca.crt", ca.pem),
		keyB64:       writeFile(t, dir, "server.key.b64", b64(key)),
		certB64:      writeFile(t, dir, "server.crt.b64", b64(cert)),
		caB64:        writeFile(t, dir, "ca.crt.b64", b64(ca.pem)),
		otherKeyFile: writeFile(t, dir, "other.key", otherKey),
		notPEMFile:   writeFile(t, dir, "not.pem", []byte("not a certificate")),
		badB64File:   writeFile(t, dir, "bad.b64", []byte("%%% not base64 %%%")),
		dirPath:      dir,
	}
}

const testID = "likr_1.0:6d1f2a"

func TestFromEnv(t *testing.T) {
	m := newMaterial(t)
	// samples is the fabric-samples chaincode-external set, with TLS on.
	samples := map[string]string{
		"CHAINCODE_SERVER_ADDRESS": "0.0.0.0:9999",
		"CHAINCODE_ID":             testID,
		"CHAINCODE_TLS_DISABLED":   "false",
		"CHAINCODE_TLS_KEY":        m.keyFile,
		"CHAINCODE_TLS_CERT":       m.certFile,
		"CHAINCODE_CLIENT_CA_CERT": m.caFile,
	}
	noTLS := map[string]string{"CHAINCODE_SERVER_ADDRESS": "127.0.0.1:7052", "CHAINCODE_ID": testID, "CHAINCODE_TLS_DISABLED": "true"}
	mutualTLS := func(t *testing.T, c Config) {
		require.True(t, c.TLS)
		require.Equal(t, m.key, c.Key)
		require.Equal(t, m.cert, c.Cert)
		require.Equal(t, m.ca, c.ClientCACerts)
	}

	cases := []struct {
		name  string
		env   map[string]string
		check func(*testing.T, Config)
		// wantErr lists substrings the error must contain.
		wantErr []string
	}{
		// Each convention on its own.
		{name: "fabric-samples names", env: samples, check: func(t *testing.T, c Config) {
			require.Equal(t, Config{Address: "0.0.0.0:9999", ChaincodeID: testID, TLS: true, Key: m.key, Cert: m.cert, ClientCACerts: m.ca}, c)
		}},
		{name: "contract-api names", env: map[string]string{
			"CHAINCODE_SERVER_ADDRESS": "0.0.0.0:9999", "CORE_CHAINCODE_ID_NAME": testID, "CORE_PEER_TLS_ENABLED": "true",
			"CORE_TLS_CLIENT_KEY_FILE": m.keyFile, "CORE_TLS_CLIENT_CERT_FILE": m.certFile, "CORE_PEER_TLS_ROOTCERT_FILE": m.caFile,
		}, check: mutualTLS},
		{name: "fabric-chaincode-node names with PEM files", env: map[string]string{
			"CORE_CHAINCODE_ADDRESS": "0.0.0.0:9999", "CORE_CHAINCODE_ID": testID,
			"CORE_CHAINCODE_TLS_KEY_FILE": m.keyFile, "CORE_CHAINCODE_TLS_CERT_FILE": m.certFile, "CORE_CHAINCODE_TLS_CLIENT_CACERT_FILE": m.caFile,
		}, check: mutualTLS},
		{name: "fabric-chaincode-node names with base64 files", env: map[string]string{
			"CORE_CHAINCODE_ADDRESS": "0.0.0.0:9999", "CORE_CHAINCODE_ID": testID,
			"CORE_CHAINCODE_TLS_KEY_PATH": m.keyB64, "CORE_CHAINCODE_TLS_CERT_PATH": m.certB64, "CORE_CHAINCODE_TLS_CLIENT_CACERT_PATH": m.caB64,
		}, check: mutualTLS},
		{name: "hlf-operator sets both conventions", env: with(samples,
			"CORE_CHAINCODE_ID", testID, "CORE_CHAINCODE_ADDRESS", "0.0.0.0:9999", "CORE_PEER_TLS_ENABLED", "true",
			"CORE_CHAINCODE_TLS_KEY_FILE", m.keyFile, "CORE_CHAINCODE_TLS_CERT_FILE", m.certFile, "CORE_CHAINCODE_TLS_CLIENT_CACERT_FILE", m.caFile,
		), check: mutualTLS},

		// Several names for one setting.
		{name: "all three ID names agreeing", env: with(samples, "CORE_CHAINCODE_ID_NAME", testID, "CORE_CHAINCODE_ID", testID), check: func(t *testing.T, c Config) {
			require.Equal(t, testID, c.ChaincodeID)
		}},
		{name: "an empty name counts as unset", env: with(samples, "CHAINCODE_ID", "", "CORE_CHAINCODE_ID_NAME", testID), check: func(t *testing.T, c Config) {
			require.Equal(t, testID, c.ChaincodeID)
		}},
		{name: "a PEM file and its base64 twin agree", env: with(samples, "CORE_CHAINCODE_TLS_KEY_PATH", m.keyB64, "CORE_CHAINCODE_TLS_CLIENT_CACERT_PATH", m.caB64), check: mutualTLS},
		{name: "ID names disagreeing", env: with(samples, "CORE_CHAINCODE_ID_NAME", "likr_2.0:77aa"),
			wantErr: []string{`CORE_CHAINCODE_ID_NAME="likr_2.0:77aa" and CHAINCODE_ID="likr_1.0:6d1f2a" disagree`}},
		{name: "ID names disagreeing, the third one", env: with(samples, "CORE_CHAINCODE_ID", "likr_2.0:77aa"),
			wantErr: []string{`CHAINCODE_ID="likr_1.0:6d1f2a" and CORE_CHAINCODE_ID="likr_2.0:77aa" disagree`}},
		{name: "address names disagreeing", env: with(samples, "CORE_CHAINCODE_ADDRESS", "0.0.0.0:7052"),
			wantErr: []string{`CHAINCODE_SERVER_ADDRESS="0.0.0.0:9999" and CORE_CHAINCODE_ADDRESS="0.0.0.0:7052" disagree`}},
		{name: "key files disagreeing", env: with(samples, "CORE_TLS_CLIENT_KEY_FILE", m.otherKeyFile),
			wantErr: []string{`CHAINCODE_TLS_KEY="` + m.keyFile + `" and CORE_TLS_CLIENT_KEY_FILE="` + m.otherKeyFile + `" disagree`}},

		// Missing settings name every accepted variable.
		{name: "no address", env: with(samples, "CHAINCODE_SERVER_ADDRESS", ""),
			wantErr: []string{"server address is missing: set CHAINCODE_SERVER_ADDRESS or CORE_CHAINCODE_ADDRESS"}},
		{name: "no address under a builder for chaincode that dials the peer", env: with(samples, "CHAINCODE_SERVER_ADDRESS", "", "CORE_PEER_ADDRESS", "peer0:7051"),
			wantErr: []string{"CORE_PEER_ADDRESS is set", "Likr runs only as a chaincode service"}},
		{name: "no ID", env: with(samples, "CHAINCODE_ID", ""),
			wantErr: []string{"chaincode ID is missing: set CORE_CHAINCODE_ID_NAME or CHAINCODE_ID or CORE_CHAINCODE_ID"}},
		{name: "every problem at once", env: map[string]string{"CORE_PEER_TLS_ENABLED": "yes"},
			wantErr: []string{"server address is missing", "chaincode ID is missing", `CORE_PEER_TLS_ENABLED="yes" is not a boolean`}},

		// Address and ID forms.
		{name: "address without port", env: with(samples, "CHAINCODE_SERVER_ADDRESS", "127.0.0.1"), wantErr: []string{`"127.0.0.1" is not host:port`}},
		{name: "address with port 0", env: with(samples, "CHAINCODE_SERVER_ADDRESS", "127.0.0.1:0"), wantErr: []string{"not host:port"}},
		{name: "address with a named port", env: with(samples, "CHAINCODE_SERVER_ADDRESS", "127.0.0.1:grpc"), wantErr: []string{"not host:port"}},
		{name: "address with port out of range", env: with(samples, "CHAINCODE_SERVER_ADDRESS", "127.0.0.1:70000"), wantErr: []string{"not host:port"}},
		{name: "address on every interface", env: with(noTLS, "CHAINCODE_SERVER_ADDRESS", ":7052"), check: func(t *testing.T, c Config) {
			require.Equal(t, ":7052", c.Address)
		}},
		{name: "IPv6 address", env: with(noTLS, "CHAINCODE_SERVER_ADDRESS", "[::1]:7052"), check: func(t *testing.T, c Config) {
			require.Equal(t, "[::1]:7052", c.Address)
		}},
		{name: "chaincode name instead of package ID", env: with(samples, "CHAINCODE_ID", "likr"), wantErr: []string{`chaincode ID "likr" is not a package ID of the form label:hash`}},
		{name: "package ID without hash", env: with(samples, "CHAINCODE_ID", "likr_1.0:"), wantErr: []string{"not a package ID"}},
		{name: "package ID with a space", env: with(samples, "CHAINCODE_ID", "likr 1.0:6d1f2a"), wantErr: []string{"not a package ID"}},

		// TLS on and off.
		{name: "TLS on by default", env: with(samples, "CHAINCODE_TLS_DISABLED", ""), check: mutualTLS},
		{name: "TLS on by default needs its material", env: map[string]string{"CHAINCODE_SERVER_ADDRESS": ":9999", "CHAINCODE_ID": testID}, wantErr: []string{
			"TLS key is missing: set CHAINCODE_TLS_KEY or CORE_CHAINCODE_TLS_KEY_FILE or CORE_TLS_CLIENT_KEY_FILE or CORE_CHAINCODE_TLS_KEY_PATH, or turn TLS off with CHAINCODE_TLS_DISABLED=true",
			"TLS certificate is missing: set CHAINCODE_TLS_CERT or",
			"client CA certificate is missing: set CHAINCODE_CLIENT_CA_CERT or CORE_CHAINCODE_TLS_CLIENT_CACERT_FILE or CORE_PEER_TLS_ROOTCERT_FILE or CORE_CHAINCODE_TLS_CLIENT_CACERT_PATH",
		}},
		{name: "TLS without a client CA is refused", env: with(samples, "CHAINCODE_CLIENT_CA_CERT", ""), wantErr: []string{"client CA certificate is missing"}},
		{name: "TLS turned on by both switches", env: with(samples, "CORE_PEER_TLS_ENABLED", "true"), check: mutualTLS},
		{name: "TLS off by CHAINCODE_TLS_DISABLED, material ignored", env: with(noTLS, "CHAINCODE_TLS_KEY", "/nonexistent/server.key"), check: func(t *testing.T, c Config) {
			require.Equal(t, Config{Address: "127.0.0.1:7052", ChaincodeID: testID}, c)
		}},
		{name: "TLS off by CORE_PEER_TLS_ENABLED", env: with(noTLS, "CHAINCODE_TLS_DISABLED", "", "CORE_PEER_TLS_ENABLED", "false"), check: func(t *testing.T, c Config) {
			require.False(t, c.TLS)
		}},
		{name: "TLS off by both switches", env: with(noTLS, "CORE_PEER_TLS_ENABLED", "FALSE"), check: func(t *testing.T, c Config) {
			require.False(t, c.TLS)
		}},
		{name: "TLS switches contradicting (off, not disabled)", env: with(samples, "CORE_PEER_TLS_ENABLED", "false"),
			wantErr: []string{"CORE_PEER_TLS_ENABLED=false and CHAINCODE_TLS_DISABLED=false contradict each other"}},
		{name: "TLS switches contradicting (on, disabled)", env: with(noTLS, "CORE_PEER_TLS_ENABLED", "true"),
			wantErr: []string{"CORE_PEER_TLS_ENABLED=true and CHAINCODE_TLS_DISABLED=true contradict each other"}},
		{name: "TLS switch not a boolean", env: with(samples, "CHAINCODE_TLS_DISABLED", "maybe"), wantErr: []string{`CHAINCODE_TLS_DISABLED="maybe" is not a boolean`}},

		// Files that cannot be used.
		{name: "key file missing", env: with(samples, "CHAINCODE_TLS_KEY", "/nonexistent/server.key"), wantErr: []string{"CHAINCODE_TLS_KEY: open /nonexistent/server.key"}},
		{name: "certificate path is a directory", env: with(samples, "CHAINCODE_TLS_CERT", m.dirPath), wantErr: []string{"CHAINCODE_TLS_CERT: read " + m.dirPath}},
		{name: "base64 file not base64", env: with(samples, "CHAINCODE_TLS_CERT", "", "CORE_CHAINCODE_TLS_CERT_PATH", m.badB64File), wantErr: []string{"CORE_CHAINCODE_TLS_CERT_PATH: " + m.badB64File + " does not hold base64"}},
		{name: "key of another certificate", env: with(samples, "CHAINCODE_TLS_KEY", m.otherKeyFile), wantErr: []string{"TLS key and certificate are not a usable pair"}},
		{name: "certificate file not PEM", env: with(samples, "CHAINCODE_TLS_CERT", m.notPEMFile), wantErr: []string{"TLS key and certificate are not a usable pair"}},
		{name: "client CA file not PEM", env: with(samples, "CHAINCODE_CLIENT_CA_CERT", m.notPEMFile), wantErr: []string{"client CA file holds no PEM certificate"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := FromEnv(env(tc.env))
			if tc.wantErr != nil {
				require.Error(t, err)
				for _, want := range tc.wantErr {
					require.ErrorContains(t, err, want)
				}
				require.Equal(t, Config{}, cfg, "a refused configuration must not be half-filled")
				return
			}
			require.NoError(t, err)
			tc.check(t, cfg)
		})
	}
}

func TestServerCarriesTheConfig(t *testing.T) {
	cfg := Config{Address: "127.0.0.1:7052", ChaincodeID: testID, TLS: true, Key: []byte("k"), Cert: []byte("c"), ClientCACerts: []byte("ca")}
	srv := cfg.Server(nil)
	require.Equal(t, testID, srv.CCID)
	require.Equal(t, "127.0.0.1:7052", srv.Address)
	require.False(t, srv.TLSProps.Disabled)
	require.Equal(t, []byte("k"), srv.TLSProps.Key)
	require.Equal(t, []byte("c"), srv.TLSProps.Cert)
	require.Equal(t, []byte("ca"), srv.TLSProps.ClientCACerts)
	require.True(t, Config{}.Server(nil).TLSProps.Disabled)

	require.Equal(t, "chaincode ID likr_1.0:6d1f2a on 127.0.0.1:7052 (TLS on, client certificates required)", cfg.String())
	require.Equal(t, "chaincode ID x:1 on :7052 (TLS off)", Config{Address: ":7052", ChaincodeID: "x:1"}.String())
}

func TestServeRefusesNoChaincode(t *testing.T) {
	require.ErrorContains(t, Serve(Config{Address: "127.0.0.1:7052", ChaincodeID: testID}, nil), "no chaincode")
}
