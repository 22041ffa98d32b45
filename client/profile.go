package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Profile is what a client needs to act as one identity: its org's gateway
// peer and its certificate and key. The JSON is the one test-network writes
// to profiles/NAME.json, and the one the likr CLI reads.
type Profile struct {
	Name         string `json:"name"`
	Org          string `json:"org"`
	MSPID        string `json:"mspId"`
	Role         string `json:"role,omitempty"`
	PeerEndpoint string `json:"peerEndpoint"` // host:port of the gateway peer
	PeerTLSCA    string `json:"peerTlsCa"`    // PEM file of the peer's TLS CA
	CertPath     string `json:"certPath"`     // PEM file of the identity's certificate
	KeyPath      string `json:"keyPath"`      // PEM file of the identity's private key
}

// LoadProfile reads a profile file. Unknown fields are an error (a
// misspelt key would otherwise be silently empty), and relative file paths
// are resolved against the profile's own folder, so a folder of profiles
// and keys can be moved as a whole.
func LoadProfile(path string) (Profile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Profile{}, err
	}
	var p Profile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return Profile{}, fmt.Errorf("profile %s: %w", path, err)
	}
	if err := dec.Decode(new(json.RawMessage)); !errors.Is(err, io.EOF) {
		return Profile{}, fmt.Errorf("profile %s: data after the profile object", path)
	}
	for _, f := range []*string{&p.PeerTLSCA, &p.CertPath, &p.KeyPath} {
		if *f != "" && !filepath.IsAbs(*f) {
			*f = filepath.Join(filepath.Dir(path), *f)
		}
	}
	if err := p.validate(); err != nil {
		return Profile{}, fmt.Errorf("profile %s: %w", path, err)
	}
	return p, nil
}

// validate names the required fields that are empty.
func (p Profile) validate() error {
	var missing []string
	for _, f := range []struct{ name, value string }{
		{"mspId", p.MSPID}, {"peerEndpoint", p.PeerEndpoint}, {"peerTlsCa", p.PeerTLSCA},
		{"certPath", p.CertPath}, {"keyPath", p.KeyPath},
	} {
		if f.value == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("missing %s", strings.Join(missing, ", "))
	}
	return nil
}
