package testnetwork

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Kind says what a node is.
type Kind string

const (
	KindOrderer   Kind = "orderer"
	KindPeer      Kind = "peer"
	KindCA        Kind = "ca"
	KindChaincode Kind = "chaincode"
)

// Node is one process of the network. Its data folder survives Stop, Kill
// and Restart, so a restarted node resumes from what it had.
type Node struct {
	Name    string            `json:"name"`
	Kind    Kind              `json:"kind"`
	Org     string            `json:"org"`
	Binary  string            `json:"binary"`
	Args    []string          `json:"args"`
	Env     []string          `json:"env"`
	Dir     string            `json:"dir"`     // working and data folder
	Ports   map[string]int    `json:"ports"`   // role -> port, e.g. "listen", "operations"
	Health  string            `json:"health"`  // URL answering 200 when ready ("" for none)
	LogPath string            `json:"logPath"` // stdout and stderr
	PID     int               `json:"pid"`
	Labels  map[string]string `json:"labels,omitempty"`

	mu       sync.Mutex
	cmd      *exec.Cmd
	exited   chan struct{}
	lockFile *os.File // the port block lock, inherited so it outlives the launcher
	detached bool
}

// start launches the process. Attached nodes die with the process that
// started them (Pdeathsig), so a crashed test leaves nothing behind;
// detached nodes (make network-up) run in their own session.
func (n *Node) start() error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.cmd != nil {
		return fmt.Errorf("%s is already running (pid %d)", n.Name, n.PID)
	}
	for _, dir := range []string{n.Dir, filepath.Dir(n.LogPath)} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	logFile, err := os.OpenFile(n.LogPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer logFile.Close()
	fmt.Fprintf(logFile, "\n===== %s starting %s at %s =====\n", n.Name, n.Binary, time.Now().Format(time.RFC3339))
	cmd := exec.Command(n.Binary, n.Args...)
	cmd.Dir = n.Dir
	cmd.Env = append(minimalEnv(), n.Env...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if n.lockFile != nil {
		cmd.ExtraFiles = []*os.File{n.lockFile}
	}
	if n.detached {
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	} else {
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting %s: %w", n.Name, err)
	}
	n.cmd, n.PID = cmd, cmd.Process.Pid
	exited := make(chan struct{})
	n.exited = exited
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()
	return nil
}

// minimalEnv passes only what a Fabric process needs from the caller's
// environment, so a developer's CORE_* or ORDERER_* variables cannot leak in.
func minimalEnv() []string {
	var env []string
	for _, k := range []string{"PATH", "HOME", "TMPDIR", "LANG"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// Running reports whether this handle's process is alive.
func (n *Node) Running() bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.cmd == nil {
		return n.PID != 0 && pidAlive(n.PID, n.Binary)
	}
	select {
	case <-n.exited:
		return false
	default:
		return true
	}
}

// Signal sends sig to the node's process.
func (n *Node) Signal(sig syscall.Signal) error {
	n.mu.Lock()
	pid := n.PID
	n.mu.Unlock()
	if pid == 0 {
		return fmt.Errorf("%s is not running", n.Name)
	}
	return syscall.Kill(pid, sig)
}

// Pause freezes the node (SIGSTOP); Resume thaws it (SIGCONT).
func (n *Node) Pause() error  { return n.Signal(syscall.SIGSTOP) }
func (n *Node) Resume() error { return n.Signal(syscall.SIGCONT) }

// Kill stops the node with SIGKILL, as a crash would, and waits for it.
func (n *Node) Kill() error { return n.halt(syscall.SIGKILL, 0) }

// Stop asks the node to exit (SIGTERM) and kills it after a grace period.
func (n *Node) Stop() error { return n.halt(syscall.SIGTERM, 10*time.Second) }

func (n *Node) halt(sig syscall.Signal, grace time.Duration) error {
	n.mu.Lock()
	cmd, exited, pid := n.cmd, n.exited, n.PID
	n.mu.Unlock()
	if pid == 0 {
		return nil
	}
	if cmd == nil {
		// Started by another process (the CLI's network-up): we can only
		// signal the PID, after checking it is still our binary.
		if !pidAlive(pid, n.Binary) {
			n.PID = 0
			return nil
		}
		_ = syscall.Kill(pid, syscall.SIGCONT) // a paused process cannot handle SIGTERM
		_ = syscall.Kill(pid, sig)
		deadline := time.Now().Add(grace + 5*time.Second)
		for pidAlive(pid, n.Binary) {
			if time.Now().After(deadline) {
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
			time.Sleep(50 * time.Millisecond)
		}
		n.PID = 0
		return nil
	}
	_ = cmd.Process.Signal(syscall.SIGCONT)
	_ = cmd.Process.Signal(sig)
	if grace > 0 {
		select {
		case <-exited:
		case <-time.After(grace):
			_ = cmd.Process.Kill()
			<-exited
		}
	} else {
		<-exited
	}
	n.mu.Lock()
	n.cmd, n.PID = nil, 0
	n.mu.Unlock()
	return nil
}

// pidAlive reports whether pid runs binary (a recycled PID running
// something else must never be signalled).
func pidAlive(pid int, binary string) bool {
	exe, err := os.Readlink("/proc/" + strconv.Itoa(pid) + "/exe")
	if err != nil {
		return false
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err == nil {
		// field 3 is the state; Z is a zombie waiting for its parent.
		if i := bytes.LastIndexByte(stat, ')'); i > 0 && i+2 < len(stat) && stat[i+2] == 'Z' {
			return false
		}
	}
	want, _ := filepath.Abs(binary)
	return strings.TrimSuffix(exe, " (deleted)") == want
}

// LogTail returns the last n lines of the node's log.
func (n *Node) LogTail(lines int) string {
	data, err := os.ReadFile(n.LogPath)
	if err != nil {
		return fmt.Sprintf("(no log: %v)", err)
	}
	all := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(all) > lines {
		all = all[len(all)-lines:]
	}
	return strings.Join(all, "\n")
}

// errNodeExited is returned while waiting for a node that died.
var errNodeExited = errors.New("process exited")
