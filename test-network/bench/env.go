package bench

import (
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-gateway/pkg/identity"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"

	"github.com/likrcommerce/likr/contracts/access"
	testnetwork "github.com/likrcommerce/likr/test-network"
)

// CalibrationChaincode is the name the calibration chaincode is deployed
// under, beside likr.
const CalibrationChaincode = "likrcal"

// Env is what the load generator drives: one shared gRPC connection per
// org's gateway peer, and one fabric-gateway Gateway per identity on its
// org's connection, so every transaction of the run goes through two
// connections however many are in flight.
type Env struct {
	Net   *testnetwork.Network
	conns map[string]*grpc.ClientConn // by org name
	ids   map[string]*Identity
}

// Identity is one enrolled caller.
type Identity struct {
	Name    string
	Org     string
	Account string // its Likr account ID, derived as the chaincode derives it
	gw      *client.Gateway
	likr    *client.Contract
	cal     *client.Contract
}

// contract returns the identity's view of chaincode name.
func (id *Identity) contract(name string) *client.Contract {
	if name == CalibrationChaincode {
		return id.cal
	}
	return id.likr
}

// Gateway timeouts: generous, so that an overloaded network shows as
// latency in the figures rather than as errors.
const callTimeout = 60 * time.Second

// NewEnv connects every identity of the network.
func NewEnv(n *testnetwork.Network) (*Env, error) {
	e := &Env{Net: n, conns: map[string]*grpc.ClientConn{}, ids: map[string]*Identity{}}
	for _, org := range n.Orgs {
		caPEM, err := os.ReadFile(n.PeerTLSCA(org))
		if err != nil {
			return nil, err
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(caPEM) {
			return nil, fmt.Errorf("%s holds no certificate", n.PeerTLSCA(org))
		}
		conn, err := grpc.NewClient(n.PeerAddress(org), grpc.WithTransportCredentials(credentials.NewClientTLSFromCert(pool, "")))
		if err != nil {
			e.Close()
			return nil, err
		}
		e.conns[org.Name] = conn
	}
	for _, fid := range n.Identities {
		id, err := e.connect(fid.Name)
		if err != nil {
			e.Close()
			return nil, fmt.Errorf("identity %s: %w", fid.Name, err)
		}
		e.ids[fid.Name] = id
	}
	return e, nil
}

func (e *Env) connect(name string) (*Identity, error) {
	p, err := e.Net.Profile(name)
	if err != nil {
		return nil, err
	}
	certPEM, err := os.ReadFile(p.CertPath)
	if err != nil {
		return nil, err
	}
	cert, err := identity.CertificateFromPEM(certPEM)
	if err != nil {
		return nil, err
	}
	xid, err := identity.NewX509Identity(p.MSPID, cert)
	if err != nil {
		return nil, err
	}
	keyPEM, err := os.ReadFile(p.KeyPath)
	if err != nil {
		return nil, err
	}
	key, err := identity.PrivateKeyFromPEM(keyPEM)
	if err != nil {
		return nil, err
	}
	sign, err := identity.NewPrivateKeySign(key)
	if err != nil {
		return nil, err
	}
	gw, err := client.Connect(xid, client.WithSign(sign), client.WithClientConnection(e.conns[p.Org]),
		client.WithEvaluateTimeout(callTimeout), client.WithEndorseTimeout(callTimeout),
		client.WithSubmitTimeout(callTimeout), client.WithCommitStatusTimeout(callTimeout))
	if err != nil {
		return nil, err
	}
	network := gw.GetNetwork(testnetwork.ChannelName)
	return &Identity{
		Name: name, Org: p.Org, Account: access.AccountID(p.MSPID, cert), gw: gw,
		likr: network.GetContract(testnetwork.ChaincodeName), cal: network.GetContract(CalibrationChaincode),
	}, nil
}

// ID returns the connected identity called name; it panics on a name the
// bench did not enroll, which is a bug of the bench.
func (e *Env) ID(name string) *Identity {
	id, ok := e.ids[name]
	if !ok {
		panic("bench: no identity " + name)
	}
	return id
}

// Close closes every gateway and connection.
func (e *Env) Close() error {
	var errs []error
	for _, id := range e.ids {
		errs = append(errs, id.gw.Close())
	}
	for _, c := range e.conns {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}
