package testnetwork

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/likrcommerce/likr/fixtures"
)

// RoleAttribute is the certificate attribute that carries a Likr role.
const RoleAttribute = "likr.role"

func (n *Network) identityDir(name string) string { return filepath.Join(n.Dir, "identities", name) }

// Identity returns the fixture identity called name.
func (n *Network) Identity(name string) (fixtures.Identity, error) {
	for _, id := range n.Identities {
		if id.Name == name {
			return id, nil
		}
	}
	return fixtures.Identity{}, fmt.Errorf("no identity %q in this network", name)
}

// caURL is the CA's address for fabric-ca-client, with optional credentials.
func (n *Network) caURL(org Org, user, secret string) string {
	auth := ""
	if user != "" {
		auth = user + ":" + secret + "@"
	}
	return fmt.Sprintf("https://%s127.0.0.1:%d", auth, n.Node("ca." + strings.ToLower(org.Name)).Ports["listen"])
}

// caTLSCert is the TLS certificate fabric-ca-server generated for itself,
// signed by the org CA; clients trust it directly.
func (n *Network) caTLSCert(org Org) string {
	return filepath.Join(n.Node("ca."+strings.ToLower(org.Name)).Dir, "tls-cert.pem")
}

// enrollIdentities registers and enrolls every fixture identity with its
// org's CA; the role goes into the certificate as the likr.role attribute.
// The two orgs enroll in parallel.
func (n *Network) enrollIdentities(ctx context.Context) error {
	return n.eachOrg(func(org Org) error { return n.enrollOrg(ctx, org) })
}

func (n *Network) enrollOrg(ctx context.Context, org Org) error {
	registrar := filepath.Join(n.Dir, "identities", ".registrar-"+strings.ToLower(org.Name))
	client := n.opts.Tools.Bin("fabric-ca-client")
	tlsArgs := []string{"--tls.certfiles", n.caTLSCert(org)}
	if _, err := n.run(ctx, client, nil, append([]string{"enroll", "-u", n.caURL(org, caRegistrar, caRegistrarSecret), "-H", registrar}, tlsArgs...)...); err != nil {
		return err
	}
	nodeOUs, err := os.ReadFile(filepath.Join(n.orgDir(org), "msp", "config.yaml"))
	if err != nil {
		return err
	}
	for _, id := range n.Identities {
		if id.Org != org.Name {
			continue
		}
		secret, err := randomSecret()
		if err != nil {
			return err
		}
		reg := []string{"register", "-u", n.caURL(org, "", ""), "-H", registrar,
			"--id.name", id.Name, "--id.secret", secret, "--id.type", "client"}
		if id.Role != "" {
			reg = append(reg, "--id.attrs", RoleAttribute+"="+id.Role+":ecert")
		}
		if _, err := n.run(ctx, client, nil, append(reg, tlsArgs...)...); err != nil {
			return fmt.Errorf("registering %s: %w", id.Name, err)
		}
		msp := filepath.Join(n.identityDir(id.Name), "msp")
		if _, err := n.run(ctx, client, nil, append([]string{"enroll", "-u", n.caURL(org, id.Name, secret), "-M", msp, "-H", n.identityDir(id.Name)}, tlsArgs...)...); err != nil {
			return fmt.Errorf("enrolling %s: %w", id.Name, err)
		}
		// The peer CLI classifies identities by NodeOUs; it needs the org's
		// config.yaml beside the enrolled certificate.
		if err := os.WriteFile(filepath.Join(msp, "config.yaml"), rewriteNodeOUCA(nodeOUs, msp), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// rewriteNodeOUCA points the NodeOU certificates of the org's config.yaml
// at the CA certificate the enrollment wrote into msp/cacerts.
func rewriteNodeOUCA(config []byte, msp string) []byte {
	entries, err := os.ReadDir(filepath.Join(msp, "cacerts"))
	if err != nil || len(entries) == 0 {
		return config
	}
	ca := "cacerts/" + entries[0].Name()
	var out []string
	for _, line := range strings.Split(string(config), "\n") {
		if i := strings.Index(line, "Certificate: "); i >= 0 {
			line = line[:i] + "Certificate: " + ca
		}
		out = append(out, line)
	}
	return []byte(strings.Join(out, "\n"))
}

func randomSecret() (string, error) {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// Profile is what a client needs to act as one identity: the gateway peer
// of its org and its certificate and key. The likr CLI reads these files.
type Profile struct {
	Name         string `json:"name"`
	Org          string `json:"org"`
	MSPID        string `json:"mspId"`
	Role         string `json:"role,omitempty"`
	PeerEndpoint string `json:"peerEndpoint"`
	PeerTLSCA    string `json:"peerTlsCa"`
	CertPath     string `json:"certPath"`
	KeyPath      string `json:"keyPath"`
}

// ProfilePath is where the profile of identity name is written.
func (n *Network) ProfilePath(name string) string {
	return filepath.Join(n.Dir, "profiles", name+".json")
}

// Profile returns the connection profile of a fixture identity.
func (n *Network) Profile(name string) (Profile, error) {
	id, err := n.Identity(name)
	if err != nil {
		return Profile{}, err
	}
	org, _ := n.Org(id.Org)
	msp := filepath.Join(n.identityDir(name), "msp")
	keys, err := filepath.Glob(filepath.Join(msp, "keystore", "*_sk"))
	if err != nil || len(keys) != 1 {
		return Profile{}, fmt.Errorf("identity %s: expected one key in %s/keystore", name, msp)
	}
	return Profile{
		Name: name, Org: org.Name, MSPID: org.MSPID, Role: id.Role,
		PeerEndpoint: n.PeerAddress(org), PeerTLSCA: n.PeerTLSCA(org),
		CertPath: filepath.Join(msp, "signcerts", "cert.pem"), KeyPath: keys[0],
	}, nil
}

func (n *Network) writeProfiles() error {
	if err := os.MkdirAll(filepath.Join(n.Dir, "profiles"), 0o755); err != nil {
		return err
	}
	for _, id := range n.Identities {
		p, err := n.Profile(id.Name)
		if err != nil {
			return err
		}
		data, err := json.MarshalIndent(p, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(n.ProfilePath(id.Name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// The CA's bootstrap identity, which registers the fixture identities. The
// CA listens on 127.0.0.1 only and lives as long as the test network.
const (
	caRegistrar       = "likr-registrar"
	caRegistrarSecret = "likr-registrar-pw"
)
