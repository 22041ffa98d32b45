package client

import "sync/atomic"

// Stats counts what a Client's writes went through since Dial.
type Stats struct {
	Submits   uint64 // writes started (typed methods and Submit)
	Committed uint64 // writes that committed
	Failed    uint64 // writes that returned an error
	Attempts  uint64 // endorsements sent: first attempts and retries
	Retries   uint64 // attempts made again after a conflict
	// The conflicts behind the retries, and behind a write that ran out of
	// attempts.
	MVCCConflicts         uint64
	PhantomConflicts      uint64
	EndorsementMismatches uint64 // endorsing peers disagreed (different block heights)
}

// Conflicts is the number of attempts lost to another transaction.
func (s Stats) Conflicts() uint64 {
	return s.MVCCConflicts + s.PhantomConflicts + s.EndorsementMismatches
}

// ConflictRate is the share of attempts lost to a conflict (0 without any
// attempt).
func (s Stats) ConflictRate() float64 {
	if s.Attempts == 0 {
		return 0
	}
	return float64(s.Conflicts()) / float64(s.Attempts)
}

// counters are the live counts behind Stats.
type counters struct {
	submits, committed, failed, attempts, retries atomic.Uint64
	conflicts                                     [endorsementMismatch + 1]atomic.Uint64
}

func (c *counters) snapshot() Stats {
	return Stats{
		Submits: c.submits.Load(), Committed: c.committed.Load(), Failed: c.failed.Load(),
		Attempts: c.attempts.Load(), Retries: c.retries.Load(),
		MVCCConflicts:         c.conflicts[mvccConflict].Load(),
		PhantomConflicts:      c.conflicts[phantomConflict].Load(),
		EndorsementMismatches: c.conflicts[endorsementMismatch].Load(),
	}
}
