package testnetwork

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func sleeper(t *testing.T) *Node {
	t.Helper()
	bin, err := exec.LookPath("sleep")
	require.NoError(t, err)
	bin, err = filepath.EvalSymlinks(bin)
	require.NoError(t, err)
	dir := t.TempDir()
	return &Node{Name: "sleeper", Binary: bin, Args: []string{"300"}, Dir: dir, LogPath: filepath.Join(dir, "logs", "sleeper.log")}
}

func processState(t *testing.T, pid int) byte {
	t.Helper()
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	require.NoError(t, err)
	i := strings.LastIndexByte(string(stat), ')')
	return stat[i+2]
}

func TestNodeLifecycle(t *testing.T) {
	n := sleeper(t)
	require.NoError(t, n.start())
	t.Cleanup(func() { _ = n.Kill() })
	require.True(t, n.Running())
	pid := n.PID
	require.Error(t, n.start(), "a running node cannot be started twice")

	require.NoError(t, n.Pause())
	require.Eventually(t, func() bool { return processState(t, pid) == 'T' }, 5*time.Second, 10*time.Millisecond)
	require.NoError(t, n.Resume())
	require.Eventually(t, func() bool { return processState(t, pid) != 'T' }, 5*time.Second, 10*time.Millisecond)

	require.NoError(t, n.Kill())
	require.False(t, n.Running())
	require.False(t, pidAlive(pid, n.Binary))

	require.NoError(t, n.start())
	require.NotEqual(t, pid, n.PID)
	require.NoError(t, n.Stop(), "SIGTERM ends sleep")
	require.False(t, n.Running())
	require.FileExists(t, n.LogPath)
}

func TestStopReachesAPausedNode(t *testing.T) {
	n := sleeper(t)
	require.NoError(t, n.start())
	require.NoError(t, n.Pause())
	done := make(chan error, 1)
	go func() { done <- n.Stop() }()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(15 * time.Second):
		t.Fatal("Stop hung on a stopped (SIGSTOP) process")
	}
}

// A node started by a process that dies without cleaning up (a test that
// crashed or timed out) dies with it.
func TestNodesDieWithACrashedParent(t *testing.T) {
	if os.Getenv("LIKR_CRASH_CHILD") == "1" {
		// No t.TempDir here: this process dies before it could remove one.
		dir := os.Getenv("LIKR_CRASH_DIR")
		n := &Node{Name: "sleeper", Binary: "/bin/sleep", Args: []string{"300"}, Dir: dir, LogPath: filepath.Join(dir, "sleeper.log")}
		if err := n.start(); err != nil {
			os.Exit(3)
		}
		_ = os.WriteFile(filepath.Join(n.Dir, "pid"), []byte(strconv.Itoa(n.PID)), 0o644)
		syscall.Kill(os.Getpid(), syscall.SIGKILL) // no deferred cleanup runs
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestNodesDieWithACrashedParent$")
	cmd.Env = append(os.Environ(), "LIKR_CRASH_CHILD=1", "LIKR_CRASH_DIR="+dir)
	_ = cmd.Run()
	data, err := os.ReadFile(filepath.Join(dir, "pid"))
	require.NoError(t, err, "child did not start its node")
	pid, err := strconv.Atoi(string(data))
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		_, err := os.Stat("/proc/" + strconv.Itoa(pid))
		return err != nil || processState(t, pid) == 'Z'
	}, 10*time.Second, 20*time.Millisecond, "node %d outlived its crashed parent", pid)
}

func TestPortBlocksNeverOverlap(t *testing.T) {
	lockDir := t.TempDir()
	a, err := claimPortBlock(lockDir)
	require.NoError(t, err)
	b, err := claimPortBlock(lockDir)
	require.NoError(t, err)
	require.NotEqual(t, a.base, b.base)
	require.GreaterOrEqual(t, abs(a.base-b.base), portBlockSize)

	_, err = claimPortBlockAt(lockDir, a.base)
	require.Error(t, err, "a held block cannot be claimed again")
	a.release()
	c, err := claimPortBlockAt(lockDir, a.base)
	require.NoError(t, err, "a released block is free again")
	c.release()
	b.release()
}

func TestPortBlockSkipsPortsInUse(t *testing.T) {
	lockDir := t.TempDir()
	first, err := claimPortBlock(lockDir)
	require.NoError(t, err)
	base := first.base
	first.release()
	// Something outside Likr listens inside the first free block.
	l, err := listenLocal(base + 7)
	require.NoError(t, err)
	defer l.Close()
	b, err := claimPortBlock(lockDir)
	require.NoError(t, err)
	defer b.release()
	require.NotEqual(t, base, b.base)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
