package memledger

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"google.golang.org/protobuf/proto"
)

// attributeOID is the X.509 extension in which Fabric CA puts attributes.
var attributeOID = asn1.ObjectIdentifier{1, 2, 3, 4, 5, 6, 7, 8, 1}

// Identity is a test identity of an MSP.
type Identity struct {
	MSPID   string
	Name    string
	Cert    *x509.Certificate
	CertPEM []byte
}

// NewIdentity returns a self-signed certificate for commonName carrying
// attrs in Fabric CA's attribute extension, so pkg/cid reads them.
func NewIdentity(mspID, commonName string, attrs map[string]string) (*Identity, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: commonName, Organization: []string{mspID}},
		NotBefore:    time.Now().Add(-time.Hour), NotAfter: time.Now().AddDate(1, 0, 0),
	}
	if len(attrs) > 0 {
		value, err := json.Marshal(map[string]map[string]string{"attrs": attrs})
		if err != nil {
			return nil, err
		}
		tmpl.ExtraExtensions = []pkix.Extension{{Id: attributeOID, Value: value}}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &Identity{MSPID: mspID, Name: commonName, Cert: cert, CertPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}, nil
}

// Creator is the serialized identity a transaction carries.
func (i *Identity) Creator() []byte {
	data, err := proto.Marshal(&msp.SerializedIdentity{Mspid: i.MSPID, IdBytes: i.CertPEM})
	if err != nil {
		panic(err) // marshalling two byte fields cannot fail
	}
	return data
}
