package launcher

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func env(m map[string]string) Lookup {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func tlsFiles(t *testing.T) map[string]string {
	dir := t.TempDir()
	files := map[string]string{}
	for name, v := range map[string]string{"CHAINCODE_TLS_KEY": "key", "CHAINCODE_TLS_CERT": "cert", "CHAINCODE_CLIENT_CA_CERT": "ca"} {
		path := filepath.Join(dir, v+".pem")
		require.NoError(t, os.WriteFile(path, []byte(v), 0o600))
		files[name] = path
	}
	return files
}

func with(base map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range base {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

func TestFromEnv(t *testing.T) {
	files := tlsFiles(t)
	base := with(files, "CHAINCODE_SERVER_ADDRESS", "127.0.0.1:9999", "CHAINCODE_ID", "likr_1.0:abc")
	cases := []struct {
		name    string
		env     map[string]string
		wantErr string
		check   func(*testing.T, Config)
	}{
		{name: "k8s names with mutual TLS", env: base, check: func(t *testing.T, c Config) {
			require.Equal(t, "127.0.0.1:9999", c.Address)
			require.Equal(t, "likr_1.0:abc", c.ChaincodeID)
			require.True(t, c.TLS)
			require.Equal(t, "key", string(c.Key))
			require.Equal(t, "cert", string(c.Cert))
			require.Equal(t, "ca", string(c.ClientCA))
		}},
		{name: "contract-api ID name", env: with(base, "CHAINCODE_ID", "", "CORE_CHAINCODE_ID_NAME", "likr_1.0:abc"), check: func(t *testing.T, c Config) {
			require.Equal(t, "likr_1.0:abc", c.ChaincodeID)
		}},
		{name: "all ID names agreeing", env: with(base, "CORE_CHAINCODE_ID_NAME", "likr_1.0:abc", "CORE_CHAINCODE_ID", "likr_1.0:abc")},
		{name: "ID names contradicting", env: with(base, "CORE_CHAINCODE_ID_NAME", "other:1"), wantErr: `CORE_CHAINCODE_ID_NAME="other:1" and CHAINCODE_ID="likr_1.0:abc" contradict`},
		{name: "no address", env: with(base, "CHAINCODE_SERVER_ADDRESS", ""), wantErr: "CHAINCODE_SERVER_ADDRESS"},
		{name: "address without port", env: with(base, "CHAINCODE_SERVER_ADDRESS", "127.0.0.1"), wantErr: "not host:port"},
		{name: "no ID", env: with(base, "CHAINCODE_ID", ""), wantErr: "CORE_CHAINCODE_ID_NAME, CHAINCODE_ID, CORE_CHAINCODE_ID"},
		{name: "TLS disabled by k8s name", env: map[string]string{"CHAINCODE_SERVER_ADDRESS": ":7052", "CHAINCODE_ID": "x:1", "CHAINCODE_TLS_DISABLED": "true"}, check: func(t *testing.T, c Config) {
			require.False(t, c.TLS)
		}},
		{name: "TLS disabled by peer name", env: map[string]string{"CHAINCODE_SERVER_ADDRESS": ":7052", "CHAINCODE_ID": "x:1", "CORE_PEER_TLS_ENABLED": "false"}, check: func(t *testing.T, c Config) {
			require.False(t, c.TLS)
		}},
		{name: "TLS flags contradicting", env: with(base, "CORE_PEER_TLS_ENABLED", "true", "CHAINCODE_TLS_DISABLED", "true"), wantErr: "contradict"},
		{name: "TLS flag not boolean", env: with(base, "CHAINCODE_TLS_DISABLED", "maybe"), wantErr: "not a boolean"},
		{name: "TLS on by default needs a key", env: with(base, "CHAINCODE_TLS_KEY", ""), wantErr: "TLS key is missing"},
		{name: "TLS on needs the client CA", env: with(base, "CHAINCODE_CLIENT_CA_CERT", ""), wantErr: "client CA certificate is missing"},
		{name: "unreadable certificate", env: with(base, "CHAINCODE_TLS_CERT", "/nonexistent/cert.pem"), wantErr: "reading the TLS certificate"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := FromEnv(env(tc.env))
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			if tc.check != nil {
				tc.check(t, cfg)
			}
		})
	}
}

func TestServerCarriesTheConfig(t *testing.T) {
	cfg := Config{Address: "127.0.0.1:1", ChaincodeID: "likr_1.0:abc", TLS: true, Key: []byte("k"), Cert: []byte("c"), ClientCA: []byte("ca")}
	srv := cfg.Server(nil)
	require.Equal(t, "likr_1.0:abc", srv.CCID)
	require.Equal(t, "127.0.0.1:1", srv.Address)
	require.False(t, srv.TLSProps.Disabled)
	require.Equal(t, []byte("ca"), srv.TLSProps.ClientCACerts)
	require.True(t, Config{}.Server(nil).TLSProps.Disabled)
}
