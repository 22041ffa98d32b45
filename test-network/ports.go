package testnetwork

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
)

// Port blocks: every network takes one block of consecutive ports, claimed by
// an exclusive flock on a file named after the block. The lock lives as long
// as the process that holds it (the kernel drops it when that process dies),
// so two networks in parallel test binaries, or a test beside `make
// network-up`, never pick the same ports, and a crashed run frees its block.
const (
	portRangeStart = 21000
	portBlockSize  = 64
	portBlocks     = 200
)

// portBlock is a claimed block of ports.
type portBlock struct {
	base int
	next int
	lock *os.File
}

// claimPortBlock claims the first free block whose ports are all bindable on
// 127.0.0.1. lockDir holds the lock files.
func claimPortBlock(lockDir string) (*portBlock, error) {
	if err := os.MkdirAll(lockDir, 0o755); err != nil {
		return nil, err
	}
	for i := 0; i < portBlocks; i++ {
		base := portRangeStart + i*portBlockSize
		f, err := os.OpenFile(filepath.Join(lockDir, "ports-"+strconv.Itoa(base)+".lock"), os.O_CREATE|os.O_RDWR, 0o644)
		if err != nil {
			return nil, err
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			f.Close()
			continue
		}
		if !allBindable(base, portBlockSize) {
			f.Close() // something outside Likr uses a port here
			continue
		}
		return &portBlock{base: base, next: base, lock: f}, nil
	}
	return nil, fmt.Errorf("no free block of %d ports in %d-%d", portBlockSize, portRangeStart, portRangeStart+portBlocks*portBlockSize)
}

// claimPortBlockAt re-claims a known block (a network restarted by the CLI).
func claimPortBlockAt(lockDir string, base int) (*portBlock, error) {
	f, err := os.OpenFile(filepath.Join(lockDir, "ports-"+strconv.Itoa(base)+".lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("port block %d is held by another network", base)
	}
	return &portBlock{base: base, next: base, lock: f}, nil
}

func allBindable(base, n int) bool {
	for p := base; p < base+n; p++ {
		l, err := listenLocal(p)
		if err != nil {
			return false
		}
		l.Close()
	}
	return true
}

// take hands out the next port of the block.
func (b *portBlock) take() int {
	if b.next >= b.base+portBlockSize {
		panic("testnetwork: port block exhausted; raise portBlockSize")
	}
	p := b.next
	b.next++
	return p
}

func (b *portBlock) release() {
	if b != nil && b.lock != nil {
		b.lock.Close()
		b.lock = nil
	}
}

func listenLocal(port int) (net.Listener, error) {
	return net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
}
