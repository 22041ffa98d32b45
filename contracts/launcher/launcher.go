// Package launcher runs the Likr chaincode as a service (CCAAS): the peer
// dials the chaincode server, which reads its address, chaincode ID and TLS
// settings from the environment. It accepts the variable names of every
// convention a node operator is likely to use:
//
//	setting        variables (first column: contract-api / fabric-samples; then Kubernetes builders and operators)
//	address        CHAINCODE_SERVER_ADDRESS
//	chaincode ID   CORE_CHAINCODE_ID_NAME, CHAINCODE_ID, CORE_CHAINCODE_ID
//	TLS on/off     CORE_PEER_TLS_ENABLED ("true"), CHAINCODE_TLS_DISABLED ("true" turns TLS off)
//	server key     CHAINCODE_TLS_KEY (file path)
//	server cert    CHAINCODE_TLS_CERT (file path)
//	client CA      CHAINCODE_CLIENT_CA_CERT (file path)
//
// When several names for one setting are set they must agree, or the
// launcher refuses to start and names them. TLS is on unless explicitly
// turned off, and when it is on the server requires client certificates
// signed by the client CA (mutual TLS): a production default.
//
// There is no mode in which the peer launches the chaincode: Likr is always
// a service, which is what Kubernetes deployments and the external builder
// in test-network expect.
package launcher

import (
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
)

// Config is the validated server configuration.
type Config struct {
	Address     string
	ChaincodeID string
	TLS         bool
	// PEM contents, read from the files the environment names.
	Key, Cert, ClientCA []byte
}

// Variable names, grouped by setting.
var (
	addressVars     = []string{"CHAINCODE_SERVER_ADDRESS"}
	chaincodeIDVars = []string{"CORE_CHAINCODE_ID_NAME", "CHAINCODE_ID", "CORE_CHAINCODE_ID"}
	keyVars         = []string{"CHAINCODE_TLS_KEY"}
	certVars        = []string{"CHAINCODE_TLS_CERT"}
	clientCAVars    = []string{"CHAINCODE_CLIENT_CA_CERT"}
)

// Lookup is os.LookupEnv's signature, so tests can pass a map.
type Lookup func(string) (string, bool)

// FromEnv reads and validates the configuration.
func FromEnv(lookup Lookup) (Config, error) {
	var cfg Config
	var err error
	if cfg.Address, err = agreed(lookup, addressVars); err != nil {
		return cfg, err
	}
	if cfg.Address == "" {
		return cfg, fmt.Errorf("chaincode server address missing: set %s (host:port)", strings.Join(addressVars, " or "))
	}
	if _, port, err := net.SplitHostPort(cfg.Address); err != nil || port == "" {
		return cfg, fmt.Errorf("CHAINCODE_SERVER_ADDRESS %q is not host:port", cfg.Address)
	}
	if cfg.ChaincodeID, err = agreed(lookup, chaincodeIDVars); err != nil {
		return cfg, err
	}
	if cfg.ChaincodeID == "" {
		return cfg, fmt.Errorf("chaincode ID missing: set one of %s to the package ID", strings.Join(chaincodeIDVars, ", "))
	}
	if cfg.TLS, err = tlsEnabled(lookup); err != nil {
		return cfg, err
	}
	if !cfg.TLS {
		return cfg, nil
	}
	for _, f := range []struct {
		vars []string
		dst  *[]byte
		what string
	}{{keyVars, &cfg.Key, "TLS key"}, {certVars, &cfg.Cert, "TLS certificate"}, {clientCAVars, &cfg.ClientCA, "client CA certificate"}} {
		path, err := agreed(lookup, f.vars)
		if err != nil {
			return cfg, err
		}
		if path == "" {
			return cfg, fmt.Errorf("TLS is on but the %s is missing: set %s (a file path), or set CHAINCODE_TLS_DISABLED=true", f.what, strings.Join(f.vars, " or "))
		}
		if *f.dst, err = os.ReadFile(path); err != nil {
			return cfg, fmt.Errorf("reading the %s: %w", f.what, err)
		}
	}
	return cfg, nil
}

// agreed returns the value of the set variables among names, which must
// all be equal.
func agreed(lookup Lookup, names []string) (string, error) {
	value, from := "", ""
	for _, name := range names {
		v, ok := lookup(name)
		if !ok || v == "" {
			continue
		}
		if from != "" && v != value {
			return "", fmt.Errorf("%s=%q and %s=%q contradict each other", from, value, name, v)
		}
		value, from = v, name
	}
	return value, nil
}

// tlsEnabled reconciles CORE_PEER_TLS_ENABLED and CHAINCODE_TLS_DISABLED;
// TLS is on when neither is set.
func tlsEnabled(lookup Lookup) (bool, error) {
	parse := func(name string) (value, set bool, err error) {
		v, ok := lookup(name)
		if !ok || v == "" {
			return false, false, nil
		}
		b, err := strconv.ParseBool(v)
		if err != nil {
			return false, true, fmt.Errorf("%s=%q is not a boolean", name, v)
		}
		return b, true, nil
	}
	enabled, enabledSet, err := parse("CORE_PEER_TLS_ENABLED")
	if err != nil {
		return false, err
	}
	disabled, disabledSet, err := parse("CHAINCODE_TLS_DISABLED")
	if err != nil {
		return false, err
	}
	if enabledSet && disabledSet && enabled == disabled {
		return false, fmt.Errorf("CORE_PEER_TLS_ENABLED=%t and CHAINCODE_TLS_DISABLED=%t contradict each other", enabled, disabled)
	}
	switch {
	case enabledSet:
		return enabled, nil
	case disabledSet:
		return !disabled, nil
	}
	return true, nil
}

// Server returns the chaincode server for cc.
func (c Config) Server(cc *contractapi.ContractChaincode) *shim.ChaincodeServer {
	return &shim.ChaincodeServer{
		CCID: c.ChaincodeID, Address: c.Address, CC: cc,
		TLSProps: shim.TLSProperties{Disabled: !c.TLS, Key: c.Key, Cert: c.Cert, ClientCACerts: c.ClientCA},
	}
}
