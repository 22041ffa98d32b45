package client

import (
	"context"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"os"

	gwclient "github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-gateway/pkg/identity"
	"google.golang.org/grpc"
	"google.golang.org/grpc/connectivity"
	"google.golang.org/grpc/credentials"

	"github.com/likrcommerce/likr/contracts/access"
)

// Client calls Likr's contracts as one identity through its org's gateway
// peer. It is safe for concurrent use; share one per identity.
type Client struct {
	backend backend
	opts    options
	account string
	stats   counters
	coins   reservations
	shards  shardPicker
	closer  func() error
}

// Dial connects to the profile's gateway peer over TLS as the profile's
// identity and waits, within ctx and the dial timeout, until the
// connection is ready, so a wrong endpoint or TLS CA fails here rather than
// at the first call.
func Dial(ctx context.Context, p Profile, opts ...Option) (*Client, error) {
	o, err := newOptions(opts)
	if err != nil {
		return nil, err
	}
	if err := p.validate(); err != nil {
		return nil, fmt.Errorf("client: profile %q: %w", p.Name, err)
	}
	id, sign, account, err := loadIdentity(p)
	if err != nil {
		return nil, fmt.Errorf("client: identity of profile %q: %w", p.Name, err)
	}
	creds, err := peerTLS(p.PeerTLSCA)
	if err != nil {
		return nil, fmt.Errorf("client: peer TLS CA of profile %q: %w", p.Name, err)
	}
	conn, err := grpc.NewClient(p.PeerEndpoint, grpc.WithTransportCredentials(creds))
	if err != nil {
		return nil, fmt.Errorf("client: %s: %w", p.PeerEndpoint, err)
	}
	dialCtx, cancel := context.WithTimeout(ctx, o.timeouts.Dial)
	defer cancel()
	if err := waitReady(dialCtx, conn); err != nil {
		conn.Close()
		return nil, fmt.Errorf("client: connecting to %s: %w", p.PeerEndpoint, err)
	}
	gw, err := gwclient.Connect(id, gwclient.WithSign(sign), gwclient.WithClientConnection(conn))
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("client: gateway at %s: %w", p.PeerEndpoint, err)
	}
	network := gw.GetNetwork(o.channel)
	c := newClient(gateway{
		contract:      network.GetContract(o.chaincode),
		gatewayEvents: gatewayEvents{network: network, chaincode: o.chaincode, conn: conn, sign: sign},
	}, o, account)
	c.closer = func() error { return errors.Join(gw.Close(), conn.Close()) }
	return c, nil
}

func newClient(b backend, o options, account string) *Client {
	return &Client{backend: b, opts: o, account: account, closer: func() error { return nil }}
}

// Close closes the gateway and its connection. Calls in flight fail.
func (c *Client) Close() error { return c.closer() }

// Account is the caller's account ID, derived offline from the profile's
// MSP ID and certificate exactly as the chaincode derives it.
func (c *Client) Account() string { return c.account }

// Stats returns a snapshot of the counts of this Client's writes.
func (c *Client) Stats() Stats { return c.stats.snapshot() }

// loadIdentity reads a profile's certificate and key.
func loadIdentity(p Profile) (*identity.X509Identity, identity.Sign, string, error) {
	certPEM, err := os.ReadFile(p.CertPath)
	if err != nil {
		return nil, nil, "", err
	}
	cert, err := identity.CertificateFromPEM(certPEM)
	if err != nil {
		return nil, nil, "", fmt.Errorf("%s: %w", p.CertPath, err)
	}
	id, err := identity.NewX509Identity(p.MSPID, cert)
	if err != nil {
		return nil, nil, "", err
	}
	keyPEM, err := os.ReadFile(p.KeyPath)
	if err != nil {
		return nil, nil, "", err
	}
	key, err := identity.PrivateKeyFromPEM(keyPEM)
	if err != nil {
		return nil, nil, "", fmt.Errorf("%s: %w", p.KeyPath, err)
	}
	if !keyMatches(key, cert) {
		return nil, nil, "", fmt.Errorf("the key in %s is not the key of the certificate in %s", p.KeyPath, p.CertPath)
	}
	sign, err := identity.NewPrivateKeySign(key)
	if err != nil {
		return nil, nil, "", fmt.Errorf("%s: %w", p.KeyPath, err)
	}
	return id, sign, access.AccountID(p.MSPID, cert), nil
}

// keyMatches reports whether key is the private half of cert's public key;
// a mismatch would otherwise surface as a signature error on every call.
func keyMatches(key crypto.PrivateKey, cert *x509.Certificate) bool {
	signer, ok := key.(crypto.Signer)
	if !ok {
		return false
	}
	pub, ok := signer.Public().(interface{ Equal(crypto.PublicKey) bool })
	return ok && pub.Equal(cert.PublicKey)
}

// peerTLS trusts the CA certificates of one PEM file.
func peerTLS(caFile string) (credentials.TransportCredentials, error) {
	caPEM, err := os.ReadFile(caFile)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		return nil, fmt.Errorf("%s holds no PEM certificate", caFile)
	}
	return credentials.NewClientTLSFromCert(pool, ""), nil
}

// waitReady connects conn and waits until it is ready or ctx ends.
func waitReady(ctx context.Context, conn *grpc.ClientConn) error {
	conn.Connect()
	for {
		state := conn.GetState()
		// A context that has ended fails the dial even when the connection
		// became ready first (a local peer can be ready at once).
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("%w (connection %s)", err, state)
		}
		if state == connectivity.Ready {
			return nil
		}
		if !conn.WaitForStateChange(ctx, state) {
			return fmt.Errorf("%w (connection %s)", ctx.Err(), state)
		}
	}
}
