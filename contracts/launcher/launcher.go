// Package launcher runs the Likr chaincode as a service (CCAAS): the peer
// dials the chaincode server over gRPC, and the server reads its address,
// chaincode ID and TLS material from the environment.
//
// # Variables
//
// Each setting accepts the names used by the Fabric projects a node operator
// is likely to deploy with, so that the same binary runs under any of them:
//
//	setting       variable                               value                      used by
//	address       CHAINCODE_SERVER_ADDRESS               host:port                  [contract-api] [java] [samples] [hlf-operator]
//	              CORE_CHAINCODE_ADDRESS                 host:port                  [node] [hlf-operator]
//	chaincode ID  CORE_CHAINCODE_ID_NAME                 package ID                 [contract-api] [java] [chaincode-go]
//	              CHAINCODE_ID                           package ID                 [samples] [hlf-operator]
//	              CORE_CHAINCODE_ID                      package ID                 [node] [hlf-operator] [java-external]
//	TLS switch    CORE_PEER_TLS_ENABLED                  boolean                    [contract-api] [java] [hlf-operator]
//	              CHAINCODE_TLS_DISABLED                 boolean                    [samples] [hlf-operator]
//	server key    CHAINCODE_TLS_KEY                      path of a PEM file         [samples] [hlf-operator]
//	              CORE_CHAINCODE_TLS_KEY_FILE            path of a PEM file         [node] [hlf-operator]
//	              CORE_TLS_CLIENT_KEY_FILE               path of a PEM file         [contract-api] [java]
//	              CORE_CHAINCODE_TLS_KEY_PATH            path of a base64 PEM file  [node]
//	server cert   CHAINCODE_TLS_CERT                     path of a PEM file         [samples] [hlf-operator]
//	              CORE_CHAINCODE_TLS_CERT_FILE           path of a PEM file         [node] [hlf-operator]
//	              CORE_TLS_CLIENT_CERT_FILE              path of a PEM file         [contract-api] [java]
//	              CORE_CHAINCODE_TLS_CERT_PATH           path of a base64 PEM file  [node]
//	client CA     CHAINCODE_CLIENT_CA_CERT               path of a PEM file         [samples] [hlf-operator]
//	              CORE_CHAINCODE_TLS_CLIENT_CACERT_FILE  path of a PEM file         [node] [hlf-operator]
//	              CORE_PEER_TLS_ROOTCERT_FILE            path of a PEM file         [contract-api] [java]
//	              CORE_CHAINCODE_TLS_CLIENT_CACERT_PATH  path of a base64 PEM file  [node]
//
// Sources:
//
//   - [contract-api]: fabric-contract-api-go/v2 ContractChaincode.Start,
//     which serves when CHAINCODE_SERVER_ADDRESS and CORE_CHAINCODE_ID_NAME
//     are set and then takes its server key, certificate and client CA from
//     the CORE_TLS_CLIENT_*_FILE and CORE_PEER_TLS_ROOTCERT_FILE names.
//   - [java]: fabric-chaincode-java, examples/fabric-contract-example-as-service
//     (the same names and meanings as contract-api).
//   - [java-external]: fabric-chaincode-java,
//     examples/fabric-contract-example-external.
//   - [chaincode-go]: fabric-chaincode-go/v2 shim.Start.
//   - [samples]: fabric-samples asset-transfer-basic/chaincode-external
//     (getTLSProperties and chaincode.env).
//   - [node]: fabric-chaincode-node's "fabric-chaincode-node server" command,
//     whose --chaincode-address, --chaincode-id and --chaincode-tls-* options
//     are also read from the environment with the prefix CORE_; its *-file
//     options name PEM files and its *-path options files of base64 PEM.
//   - [hlf-operator]: hyperledger/bevel-operator-fabric, whose FabricChaincode
//     controller sets both the CHAINCODE_* and the CORE_CHAINCODE_* names.
//
// An empty variable counts as unset. When several names of one setting are
// set they must agree (key, certificate and CA by content, so a PEM file and
// its base64 twin agree), or the launcher refuses to start and names them.
//
// # Production defaults
//
// Two defaults differ from the samples above, deliberately. TLS is on unless
// CORE_PEER_TLS_ENABLED=false or CHAINCODE_TLS_DISABLED=true says otherwise
// (contract-api, Java and fabric-samples default to plaintext). And with
// TLS on the client CA is required, so the server accepts only peers
// presenting a certificate that CA issued (mutual TLS); all the samples
// make it optional.
// With TLS off the key, certificate and CA variables are ignored and their
// files not read, as in fabric-samples' chaincode.env.
//
// # Server mode only
//
// Fabric can also start chaincode itself and let it dial the peer (the
// peer's built-in builders, or fabric-builder-k8s, which hands the chaincode
// CORE_PEER_ADDRESS and base64 client credentials in CORE_TLS_CLIENT_*_PATH).
// Likr does not support that mode: the chaincode is deployed as a service
// that the peer dials (the ccaas builder and the Kubernetes operators), so
// operators run, scale and upgrade it like any other server, and peers need
// no container runtime. Those variable names are therefore not read.
package launcher

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"unicode"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
)

// Lookup has os.LookupEnv's signature, so tests can pass a map.
type Lookup func(name string) (value string, ok bool)

// Config is a validated server configuration.
type Config struct {
	// Address is the host:port the server listens on.
	Address string
	// ChaincodeID is the package ID the peer knows the chaincode by.
	ChaincodeID string
	// TLS is true when the server speaks TLS and requires client
	// certificates issued by ClientCACerts.
	TLS bool
	// Key, Cert and ClientCACerts are PEM blocks, set when TLS is on.
	Key, Cert, ClientCACerts []byte
}

// String describes the configuration for the start-up log line.
func (c Config) String() string {
	tlsState := "off"
	if c.TLS {
		tlsState = "on, client certificates required"
	}
	return fmt.Sprintf("chaincode ID %s on %s (TLS %s)", c.ChaincodeID, c.Address, tlsState)
}

// encoding says how a variable's value gives a setting's material.
type encoding int

const (
	plain      encoding = iota // the value itself
	pemFile                    // the value names a PEM file
	base64File                 // the value names a file holding base64 PEM
)

// source is one variable name of a setting.
type source struct {
	name string
	enc  encoding
}

// The variable names of each setting, in the order the package doc lists
// them; when names disagree the error names the first two that do.
var (
	addressVars = []source{{"CHAINCODE_SERVER_ADDRESS", plain}, {"CORE_CHAINCODE_ADDRESS", plain}}
	idVars      = []source{{"CORE_CHAINCODE_ID_NAME", plain}, {"CHAINCODE_ID", plain}, {"CORE_CHAINCODE_ID", plain}}
	keyVars     = []source{
		{"CHAINCODE_TLS_KEY", pemFile}, {"CORE_CHAINCODE_TLS_KEY_FILE", pemFile},
		{"CORE_TLS_CLIENT_KEY_FILE", pemFile}, {"CORE_CHAINCODE_TLS_KEY_PATH", base64File},
	}
	certVars = []source{
		{"CHAINCODE_TLS_CERT", pemFile}, {"CORE_CHAINCODE_TLS_CERT_FILE", pemFile},
		{"CORE_TLS_CLIENT_CERT_FILE", pemFile}, {"CORE_CHAINCODE_TLS_CERT_PATH", base64File},
	}
	clientCAVars = []source{
		{"CHAINCODE_CLIENT_CA_CERT", pemFile}, {"CORE_CHAINCODE_TLS_CLIENT_CACERT_FILE", pemFile},
		{"CORE_PEER_TLS_ROOTCERT_FILE", pemFile}, {"CORE_CHAINCODE_TLS_CLIENT_CACERT_PATH", base64File},
	}
)

const (
	tlsEnabledVar  = "CORE_PEER_TLS_ENABLED"
	tlsDisabledVar = "CHAINCODE_TLS_DISABLED"
	// peerAddressVar is set by builders that expect the chaincode to dial
	// the peer; FromEnv mentions it when the server address is missing.
	peerAddressVar = "CORE_PEER_ADDRESS"
)

// FromEnv reads and validates the configuration. It reports every problem
// it finds at once, so an operator fixes a deployment in one round.
func FromEnv(lookup Lookup) (Config, error) {
	var cfg Config
	var problems []error
	report := func(err error) {
		if err != nil {
			problems = append(problems, err)
		}
	}

	address, err := agreed(lookup, addressVars)
	report(err)
	if err == nil {
		cfg.Address = string(address)
		report(checkAddress(lookup, cfg.Address))
	}

	id, err := agreed(lookup, idVars)
	report(err)
	if err == nil {
		cfg.ChaincodeID = string(id)
		report(checkChaincodeID(cfg.ChaincodeID))
	}

	cfg.TLS, err = tlsEnabled(lookup)
	report(err)
	if err == nil && cfg.TLS {
		for _, m := range []struct {
			vars []source
			what string
			dst  *[]byte
		}{
			{keyVars, "TLS key", &cfg.Key},
			{certVars, "TLS certificate", &cfg.Cert},
			{clientCAVars, "client CA certificate", &cfg.ClientCACerts},
		} {
			*m.dst, err = agreed(lookup, m.vars)
			if err == nil && *m.dst == nil {
				err = fmt.Errorf("TLS is on but the %s is missing: set %s, or turn TLS off with %s=true", m.what, names(m.vars), tlsDisabledVar)
			}
			report(err)
		}
		if cfg.Key != nil && cfg.Cert != nil {
			if _, err := tls.X509KeyPair(cfg.Cert, cfg.Key); err != nil {
				report(fmt.Errorf("the TLS key and certificate are not a usable pair: %w", err))
			}
		}
		if cfg.ClientCACerts != nil && !x509.NewCertPool().AppendCertsFromPEM(cfg.ClientCACerts) {
			report(errors.New("the client CA file holds no PEM certificate"))
		}
	}

	if len(problems) > 0 {
		return Config{}, fmt.Errorf("chaincode server configuration: %w", errors.Join(problems...))
	}
	return cfg, nil
}

// agreed returns the material of the set variables among vars, which must
// all give the same bytes, or nil when none is set.
func agreed(lookup Lookup, vars []source) ([]byte, error) {
	var value []byte
	from := ""
	for _, v := range vars {
		raw, ok := lookup(v.name)
		if !ok || raw == "" {
			continue
		}
		got, err := v.enc.read(v.name, raw)
		if err != nil {
			return nil, err
		}
		if from != "" && !bytes.Equal(got, value) {
			fromRaw, _ := lookup(from)
			return nil, fmt.Errorf("%s=%q and %s=%q disagree: set one, or make them agree", from, fromRaw, v.name, raw)
		}
		value, from = got, v.name
	}
	if from == "" {
		return nil, nil
	}
	return value, nil
}

// read turns a variable's value into the setting's material.
func (e encoding) read(name, value string) ([]byte, error) {
	if e == plain {
		return []byte(value), nil
	}
	data, err := os.ReadFile(value)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if e == base64File {
		// Like fabric-chaincode-node, tolerate line breaks in the encoding.
		data, err = base64.StdEncoding.DecodeString(strings.Join(strings.Fields(string(data)), ""))
		if err != nil {
			return nil, fmt.Errorf("%s: %s does not hold base64: %w", name, value, err)
		}
	}
	return data, nil
}

func names(vars []source) string {
	out := make([]string, len(vars))
	for i, v := range vars {
		out[i] = v.name
	}
	return strings.Join(out, " or ")
}

// checkAddress requires host:port with a numeric, non-zero port: the peer
// dials the address in connection.json, so a port chosen at random (0)
// could never be reached. An empty host listens on every interface.
func checkAddress(lookup Lookup, address string) error {
	if address == "" {
		msg := fmt.Sprintf("the server address is missing: set %s to host:port", names(addressVars))
		if v, ok := lookup(peerAddressVar); ok && v != "" {
			msg += fmt.Sprintf(" (%s is set, which suggests a builder that expects the chaincode to dial the peer; Likr runs only as a chaincode service that the peer dials)", peerAddressVar)
		}
		return errors.New(msg)
	}
	_, port, err := net.SplitHostPort(address)
	if err == nil {
		var n uint64
		if n, err = strconv.ParseUint(port, 10, 16); err == nil && n == 0 {
			err = errors.New("port 0")
		}
	}
	if err != nil {
		return fmt.Errorf("the server address %q is not host:port with a port from 1 to 65535: %v", address, err)
	}
	return nil
}

// checkChaincodeID requires the form of a Fabric package ID, label:hash,
// which is what the peer matches the server's registration against. The
// chaincode name alone (a frequent mistake) would register and then never
// be used.
func checkChaincodeID(id string) error {
	if id == "" {
		return fmt.Errorf("the chaincode ID is missing: set %s to the package ID (peer lifecycle chaincode calculatepackageid prints it)", names(idVars))
	}
	label, hash, ok := strings.Cut(id, ":")
	if !ok || label == "" || hash == "" || strings.IndexFunc(id, unicode.IsSpace) >= 0 {
		return fmt.Errorf("the chaincode ID %q is not a package ID of the form label:hash", id)
	}
	return nil
}

// tlsEnabled reconciles the two switches; TLS is on when neither is set.
func tlsEnabled(lookup Lookup) (bool, error) {
	enabled, enabledSet, err := boolVar(lookup, tlsEnabledVar)
	if err != nil {
		return false, err
	}
	disabled, disabledSet, err := boolVar(lookup, tlsDisabledVar)
	if err != nil {
		return false, err
	}
	switch {
	case enabledSet && disabledSet && enabled == disabled:
		return false, fmt.Errorf("%s=%t and %s=%t contradict each other", tlsEnabledVar, enabled, tlsDisabledVar, disabled)
	case enabledSet:
		return enabled, nil
	case disabledSet:
		return !disabled, nil
	}
	return true, nil
}

func boolVar(lookup Lookup, name string) (value, set bool, err error) {
	v, ok := lookup(name)
	if !ok || v == "" {
		return false, false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, true, fmt.Errorf("%s=%q is not a boolean (true or false)", name, v)
	}
	return b, true, nil
}

// Server returns the shim's chaincode server for cc under this
// configuration.
func (c Config) Server(cc shim.Chaincode) *shim.ChaincodeServer {
	return &shim.ChaincodeServer{
		CCID:    c.ChaincodeID,
		Address: c.Address,
		CC:      cc,
		TLSProps: shim.TLSProperties{
			Disabled: !c.TLS,
			Key:      c.Key,
			Cert:     c.Cert,
			// The shim requires client certificates exactly when this is
			// set; FromEnv never leaves it empty with TLS on.
			ClientCACerts: c.ClientCACerts,
		},
	}
}

// Serve listens on the configured address and serves cc until the server
// fails. The shim's server has no stop method: it ends with the process.
func Serve(cfg Config, cc shim.Chaincode) error {
	if cc == nil {
		return errors.New("no chaincode to serve")
	}
	err := cfg.Server(cc).Start()
	if err == nil {
		err = errors.New("the chaincode server stopped")
	}
	return err
}
