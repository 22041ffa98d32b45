package memledger

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"time"
	"unicode/utf8"

	"github.com/hyperledger/fabric-chaincode-go/v2/pkg/attrmgr"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"google.golang.org/protobuf/proto"
)

// Identity is a test identity of an MSP: an enrollment certificate as a
// Fabric CA issues it, and the creator bytes a transaction carries.
type Identity struct {
	MSPID   string
	Name    string
	Cert    *x509.Certificate
	CertPEM []byte
	// CA is the test CA that signed Cert. Every CA of an MSP has the same
	// subject, so two identities with the same name and MSP have the same
	// subject and issuer, like a certificate and its renewal.
	CA      *x509.Certificate
	creator []byte
}

// Serial numbers are left to x509.CreateCertificate, which draws a random
// one when the template has none. Certificates are valid over a fixed, wide window so that they do not
// depend on when tests run.
var (
	notBefore = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	notAfter  = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
)

// NewIdentity returns an identity named commonName in mspID with an ECDSA
// P-256 certificate signed by a fresh test CA of that MSP. attrs go into
// Fabric CA's attribute extension (OID 1.2.3.4.5.6.7.8.1, JSON
// {"attrs":{...}}), which pkg/cid reads; with no attrs there is no
// extension, as for an identity enrolled without attributes.
func NewIdentity(mspID, commonName string, attrs map[string]string) (*Identity, error) {
	if mspID == "" || !utf8.ValidString(mspID) || !utf8.ValidString(commonName) {
		return nil, errors.New("memledger: the MSP ID must be non-empty and both names valid UTF-8")
	}
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	caTmpl := &x509.Certificate{
		Subject:               pkix.Name{CommonName: "ca." + mspID, Organization: []string{mspID}},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, err
	}

	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		Subject:               pkix.Name{CommonName: commonName, Organization: []string{mspID}, OrganizationalUnit: []string{"client"}},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
	}
	if len(attrs) > 0 {
		// Fabric CA stores the JSON itself as the extension value, not
		// wrapped in ASN.1 (attrmgr.AddAttributesToCert).
		value, err := json.Marshal(attrmgr.Attributes{Attrs: attrs})
		if err != nil {
			return nil, err
		}
		tmpl.ExtraExtensions = []pkix.Extension{{Id: attrmgr.AttrOID, Value: value}}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	// pkg/cid unmarshals the creator as an msp.SerializedIdentity whose
	// IdBytes are the PEM certificate.
	creator, err := proto.Marshal(&msp.SerializedIdentity{Mspid: mspID, IdBytes: certPEM})
	if err != nil {
		return nil, err
	}
	return &Identity{MSPID: mspID, Name: commonName, Cert: cert, CertPEM: certPEM, CA: ca, creator: creator}, nil
}

// Creator returns the serialized identity (a proto-marshalled
// msp.SerializedIdentity) to pass as TxOptions.Creator.
func (i *Identity) Creator() []byte { return clone(i.creator) }
