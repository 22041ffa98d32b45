package testnetwork

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// chaincodeTLS is the mutual-TLS material between peers and the chaincode
// server: its own CA, a server certificate for 127.0.0.1 and a client
// certificate the peers present. Generated at run time, never committed.
type chaincodeTLS struct {
	CAFile, ServerCert, ServerKey, ClientCert, ClientKey string
}

func writeChaincodeTLS(dir string) (chaincodeTLS, error) {
	out := chaincodeTLS{
		CAFile:     filepath.Join(dir, "ca.crt"),
		ServerCert: filepath.Join(dir, "server.crt"), ServerKey: filepath.Join(dir, "server.key"),
		ClientCert: filepath.Join(dir, "client.crt"), ClientKey: filepath.Join(dir, "client.key"),
	}
	if allExist(dir, []string{"ca.crt", "server.crt", "server.key", "client.crt", "client.key"}) {
		return out, nil // a restarted network keeps its material
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return out, err
	}
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return out, err
	}
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "likr chaincode TLS CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().AddDate(1, 0, 0),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return out, err
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return out, err
	}
	if err := writePEM(out.CAFile, "CERTIFICATE", caDER); err != nil {
		return out, err
	}
	leaves := []struct {
		cn, certFile, keyFile string
		usage                 x509.ExtKeyUsage
	}{
		{"likr-chaincode", out.ServerCert, out.ServerKey, x509.ExtKeyUsageServerAuth},
		{"likr-peer", out.ClientCert, out.ClientKey, x509.ExtKeyUsageClientAuth},
	}
	for i, l := range leaves {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return out, err
		}
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(int64(i + 2)), Subject: pkix.Name{CommonName: l.cn},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().AddDate(1, 0, 0),
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{l.usage},
			IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
		if err != nil {
			return out, err
		}
		keyDER, err := x509.MarshalPKCS8PrivateKey(key)
		if err != nil {
			return out, err
		}
		if err := writePEM(l.certFile, "CERTIFICATE", der); err != nil {
			return out, err
		}
		if err := writePEM(l.keyFile, "PRIVATE KEY", keyDER); err != nil {
			return out, err
		}
	}
	return out, nil
}

func writePEM(path, kind string, der []byte) error {
	return os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}), 0o600)
}
