package main

import (
	"bytes"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// childEnv makes the test binary run main, so that the tests see its exit
// status, its log and its answer to signals.
const childEnv = "LIKR_CHAINCODE_TEST_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		// The parent holds our stdin open: when it goes away, so do we.
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			os.Exit(3)
		}()
		main()
		return
	}
	os.Exit(m.Run())
}

// syncBuffer is a bytes.Buffer safe to read while the child writes it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

type child struct {
	cmd    *exec.Cmd
	stderr *syncBuffer
	exited chan struct{}
}

// start runs main in a child process with exactly the environment vars.
func start(t *testing.T, vars ...string) *child {
	t.Helper()
	c := &child{cmd: exec.Command(os.Args[0], "-test.run=^$"), stderr: &syncBuffer{}, exited: make(chan struct{})}
	c.cmd.Env = append([]string{childEnv + "=1"}, vars...)
	c.cmd.Stderr = c.stderr
	stdin, err := c.cmd.StdinPipe()
	require.NoError(t, err)
	require.NoError(t, c.cmd.Start())
	go func() {
		_ = c.cmd.Wait()
		close(c.exited)
	}()
	t.Cleanup(func() {
		_ = stdin.Close()
		_ = c.cmd.Process.Kill()
		<-c.exited
	})
	return c
}

// exitCode waits for the child to end.
func (c *child) exitCode(t *testing.T) int {
	t.Helper()
	select {
	case <-c.exited:
		return c.cmd.ProcessState.ExitCode()
	case <-time.After(20 * time.Second):
		t.Fatalf("likr-chaincode still running after 20s: %s", c.stderr)
		return 0
	}
}

func freeAddress(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return addr
}

func TestExitsWithTheReasonWhenUnconfigured(t *testing.T) {
	c := start(t, "CHAINCODE_ID=likr_1.0:6d1f2a", "CHAINCODE_TLS_DISABLED=true")
	require.Equal(t, 1, c.exitCode(t))
	require.Contains(t, c.stderr.String(), "likr-chaincode: chaincode server configuration: the server address is missing")
}

func TestExitsWithTheReasonWhenThePortIsTaken(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = l.Close() })
	c := start(t, "CHAINCODE_SERVER_ADDRESS="+l.Addr().String(), "CHAINCODE_ID=likr_1.0:6d1f2a", "CHAINCODE_TLS_DISABLED=true")
	require.Equal(t, 1, c.exitCode(t))
	require.Contains(t, c.stderr.String(), "the chaincode server stopped: listen tcp "+l.Addr().String())
}

func TestLogsItsStartAndExitsCleanlyOnSIGTERM(t *testing.T) {
	addr := freeAddress(t)
	c := start(t, "CHAINCODE_SERVER_ADDRESS="+addr, "CORE_CHAINCODE_ID_NAME=likr_1.0:6d1f2a", "CORE_PEER_TLS_ENABLED=false")

	deadline := time.Now().Add(20 * time.Second)
	for {
		if conn, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			require.NoError(t, conn.Close())
			break
		}
		select {
		case <-c.exited:
			t.Fatalf("likr-chaincode exited: %s", c.stderr)
		case <-time.After(50 * time.Millisecond):
		}
		require.False(t, time.Now().After(deadline), "likr-chaincode not listening after 20s: %s", c.stderr)
	}
	lines := strings.Split(strings.TrimSpace(c.stderr.String()), "\n")
	require.Len(t, lines, 1, "one start-up line")
	require.Contains(t, lines[0], "likr-chaincode: starting: chaincode ID likr_1.0:6d1f2a on "+addr+" (TLS off)")

	require.NoError(t, c.cmd.Process.Signal(syscall.SIGTERM))
	require.Equal(t, 0, c.exitCode(t), c.stderr.String())
	require.Contains(t, c.stderr.String(), "terminated received, exiting")
}
