// Package ccpkg builds Likr's chaincode-as-a-service package and implements
// the external builder that turns it into a running connection on a peer.
//
// The package holds only a connection.json template, so it is byte-for-byte
// the same on every run and every machine (the package ID is the label plus
// the SHA-256 of the file). The values that differ per peer (the chaincode
// server address and the mutual-TLS material) are filled in by the builder
// from the peer's CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG environment variable,
// the convention of Fabric's own ccaas_builder: a string value "{{.name}}" in
// connection.json is replaced by the config's "name".
package ccpkg

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"time"
)

// BuilderConfigEnv is the peer environment variable the builder reads.
const BuilderConfigEnv = "CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG"

// ConnectionTemplate is connection.json as packaged: TLS is required both
// ways, and the per-peer values are placeholders.
var ConnectionTemplate = Connection{
	Address:            "{{.address}}",
	DialTimeout:        "10s",
	TLSRequired:        true,
	ClientAuthRequired: true,
	ClientKey:          "{{.client_key}}",
	ClientCert:         "{{.client_cert}}",
	RootCert:           "{{.root_cert}}",
}

// Connection is the peer's connection.json for an external chaincode server.
type Connection struct {
	Address            string `json:"address"`
	DialTimeout        string `json:"dial_timeout"`
	TLSRequired        bool   `json:"tls_required"`
	ClientAuthRequired bool   `json:"client_auth_required"`
	ClientKey          string `json:"client_key"`
	ClientCert         string `json:"client_cert"`
	RootCert           string `json:"root_cert"`
}

// epoch is the modification time written into every tar header, so the
// archive does not depend on when it was built.
var epoch = time.Unix(0, 0).UTC()

// Package returns the chaincode package for label: a gzipped tar of
// metadata.json and code.tar.gz (holding connection.json).
func Package(label string) ([]byte, error) {
	return PackageWith(label, ConnectionTemplate)
}

// PackageWith is Package with another connection.json template, for a
// chaincode whose server address comes from another builder config value
// (a second chaincode served beside Likr's, whose address placeholder
// differs).
func PackageWith(label string, connection Connection) ([]byte, error) {
	if !validLabel.MatchString(label) {
		return nil, fmt.Errorf("invalid chaincode label %q: use letters, digits, '.', '+', '-' and '_'", label)
	}
	conn, err := json.MarshalIndent(connection, "", "  ")
	if err != nil {
		return nil, err
	}
	code, err := tarGz([]tarFile{{"connection.json", conn}})
	if err != nil {
		return nil, err
	}
	meta, err := json.Marshal(struct {
		Type  string `json:"type"`
		Label string `json:"label"`
	}{"ccaas", label})
	if err != nil {
		return nil, err
	}
	return tarGz([]tarFile{{"code.tar.gz", code}, {"metadata.json", meta}})
}

// validLabel is the label rule of Fabric's lifecycle.
var validLabel = regexp.MustCompile(`^[[:alnum:]][[:alnum:]_.+-]*$`)

// ID returns the package ID the peer computes: label:sha256(package).
func ID(label string, pkg []byte) string {
	sum := sha256.Sum256(pkg)
	return label + ":" + hex.EncodeToString(sum[:])
}

type tarFile struct {
	name string
	data []byte
}

// tarGz writes files (already in sorted order) with fixed headers and no
// gzip name or time, so equal input gives equal bytes.
func tarGz(files []tarFile) ([]byte, error) {
	var buf bytes.Buffer
	gz, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	tw := tar.NewWriter(gz)
	for _, f := range files {
		hdr := &tar.Header{
			Name: f.name, Mode: 0o644, Size: int64(len(f.data)), ModTime: epoch,
			Typeflag: tar.TypeReg, Format: tar.FormatPAX,
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return nil, err
		}
		if _, err := tw.Write(f.data); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	if err := gz.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
