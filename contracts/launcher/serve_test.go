package launcher

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/require"
)

// childEnv makes the test binary act as a chaincode server configured by
// its environment. The shim's server cannot be stopped, so the serving
// test runs it in a child process, which it can.
const childEnv = "LIKR_LAUNCHER_TEST_SERVE"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		serveChild()
		return
	}
	os.Exit(m.Run())
}

type pingContract struct{ contractapi.Contract }

// Ping gives the served chaincode one transaction.
func (*pingContract) Ping() string { return "pong" }

func serveChild() {
	// The parent holds our stdin open: when it goes away, so do we, even
	// if it died before its cleanup could stop us.
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		os.Exit(0)
	}()
	cfg, err := FromEnv(os.LookupEnv)
	if err == nil {
		var cc *contractapi.ContractChaincode
		if cc, err = contractapi.NewChaincode(&pingContract{}); err == nil {
			err = Serve(cfg, cc)
		}
	}
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

// freeAddress returns a 127.0.0.1 address no one listens on right now.
func freeAddress(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return addr
}

// startServer runs the launcher in a child process with environment vars
// and returns once its address accepts connections.
func startServer(t *testing.T, addr string, vars ...string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append([]string{childEnv + "=1"}, vars...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = stdin.Close()
		_ = cmd.Process.Kill()
		<-exited
	})

	deadline := time.Now().Add(20 * time.Second)
	for {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			require.NoError(t, conn.Close())
			return
		}
		select {
		case err := <-exited:
			t.Fatalf("chaincode server exited (%v): %s", err, stderr.String())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("chaincode server not listening on %s after 20s: %s", addr, stderr.String())
		}
	}
}

// http2Settings opens a TLS connection presenting clientCert and speaks
// the start of HTTP/2, as gRPC does. It returns the type of the server's
// first frame (4, SETTINGS, from a server that accepted the client) or the
// error that ended the exchange.
func http2Settings(addr string, roots *x509.CertPool, clientCert *tls.Certificate) (byte, error) {
	conn, err := tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", addr, &tls.Config{
		RootCAs: roots,
		// Present clientCert whatever CAs the server asks for (with
		// Certificates, crypto/tls would send none from another CA).
		GetClientCertificate: func(*tls.CertificateRequestInfo) (*tls.Certificate, error) {
			if clientCert == nil {
				return &tls.Certificate{}, nil
			}
			return clientCert, nil
		},
		NextProtos: []string{"h2"},
		MinVersion: tls.VersionTLS12,
	})
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(5 * time.Second)); err != nil {
		return 0, err
	}
	// Client preface, then an empty SETTINGS frame: length 0, type 4,
	// no flags, stream 0.
	preface := append([]byte("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), 0, 0, 0, 4, 0, 0, 0, 0, 0)
	if _, err := conn.Write(preface); err != nil {
		return 0, err
	}
	header := make([]byte, 9)
	if _, err := io.ReadFull(conn, header); err != nil {
		return 0, err
	}
	return header[3], nil
}

func TestServeRequiresClientCertificates(t *testing.T) {
	dir := t.TempDir()
	ca := newAuthority(t, "org1 TLS CA")
	serverCert, serverKey := ca.issue(t, "likr chaincode")
	peerCert, peerKey := ca.issue(t, "peer0.org1")
	stranger := newAuthority(t, "stranger CA")
	strangerCert, strangerKey := stranger.issue(t, "stranger")

	addr := freeAddress(t)
	startServer(t, addr,
		"CHAINCODE_SERVER_ADDRESS="+addr,
		"CHAINCODE_ID="+testID,
		"CHAINCODE_TLS_KEY="+writeFile(t, dir, "server.key", serverKey),
		"CHAINCODE_TLS_CERT="+writeFile(t, dir, "server.crt", serverCert),
		"CHAINCODE_CLIENT_CA_CERT="+writeFile(t, dir, "ca.crt", ca.pem),
	)

	roots := x509.NewCertPool()
	roots.AddCert(ca.cert)
	pair := func(certPEM, keyPEM []byte) *tls.Certificate {
		c, err := tls.X509KeyPair(certPEM, keyPEM)
		require.NoError(t, err)
		return &c
	}

	t.Run("a client certificate from the client CA is accepted", func(t *testing.T) {
		frame, err := http2Settings(addr, roots, pair(peerCert, peerKey))
		require.NoError(t, err)
		require.Equal(t, byte(4), frame, "the gRPC server answers with SETTINGS")
	})
	t.Run("no client certificate is refused", func(t *testing.T) {
		_, err := http2Settings(addr, roots, nil)
		require.Error(t, err)
		require.Contains(t, err.Error(), "tls: certificate required")
	})
	t.Run("a client certificate from another CA is refused", func(t *testing.T) {
		_, err := http2Settings(addr, roots, pair(strangerCert, strangerKey))
		require.Error(t, err)
		require.Contains(t, err.Error(), "tls: unknown certificate authority")
	})
	t.Run("a plaintext client is refused", func(t *testing.T) {
		conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
		require.NoError(t, err)
		defer conn.Close()
		require.NoError(t, conn.SetDeadline(time.Now().Add(5*time.Second)))
		_, err = conn.Write([]byte("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"))
		require.NoError(t, err)
		header := make([]byte, 9)
		_, err = io.ReadFull(conn, header)
		require.True(t, err != nil || header[3] != 4, "a plaintext HTTP/2 client got SETTINGS from a TLS server")
	})
}

func TestServeReportsAListenFailure(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = l.Close() })
	cc, err := contractapi.NewChaincode(&pingContract{})
	require.NoError(t, err)
	// The port is taken, so Serve returns at once instead of serving.
	err = Serve(Config{Address: l.Addr().String(), ChaincodeID: testID}, cc)
	require.ErrorContains(t, err, "address already in use")
}
