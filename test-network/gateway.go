package testnetwork

import (
	"crypto/x509"
	"fmt"
	"os"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-gateway/pkg/identity"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
)

// Gateway connects to the gateway of the identity's org peer as that
// identity. Close the returned connection when done.
func (n *Network) Gateway(name string, opts ...client.ConnectOption) (*client.Gateway, *grpc.ClientConn, error) {
	p, err := n.Profile(name)
	if err != nil {
		return nil, nil, err
	}
	return ConnectProfile(p, opts...)
}

// ConnectProfile dials a profile's peer over TLS and opens a gateway with
// its identity.
func ConnectProfile(p Profile, opts ...client.ConnectOption) (*client.Gateway, *grpc.ClientConn, error) {
	id, sign, err := loadSigner(p)
	if err != nil {
		return nil, nil, err
	}
	caPEM, err := os.ReadFile(p.PeerTLSCA)
	if err != nil {
		return nil, nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		return nil, nil, fmt.Errorf("%s holds no certificate", p.PeerTLSCA)
	}
	conn, err := grpc.NewClient(p.PeerEndpoint, grpc.WithTransportCredentials(credentials.NewClientTLSFromCert(pool, "")))
	if err != nil {
		return nil, nil, err
	}
	gw, err := client.Connect(id, append([]client.ConnectOption{client.WithSign(sign), client.WithClientConnection(conn)}, opts...)...)
	if err != nil {
		conn.Close()
		return nil, nil, err
	}
	return gw, conn, nil
}

// loadSigner reads a profile's certificate and private key.
func loadSigner(p Profile) (*identity.X509Identity, identity.Sign, error) {
	certPEM, err := os.ReadFile(p.CertPath)
	if err != nil {
		return nil, nil, err
	}
	cert, err := identity.CertificateFromPEM(certPEM)
	if err != nil {
		return nil, nil, err
	}
	id, err := identity.NewX509Identity(p.MSPID, cert)
	if err != nil {
		return nil, nil, err
	}
	keyPEM, err := os.ReadFile(p.KeyPath)
	if err != nil {
		return nil, nil, err
	}
	key, err := identity.PrivateKeyFromPEM(keyPEM)
	if err != nil {
		return nil, nil, err
	}
	sign, err := identity.NewPrivateKeySign(key)
	return id, sign, err
}
