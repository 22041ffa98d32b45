package client

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
)

// conflict is why an attempt lost to another transaction, if it did.
type conflict int

const (
	noConflict conflict = iota
	mvccConflict
	phantomConflict
	endorsementMismatch
)

// What the gateway says when endorsing peers disagree.
const (
	// The peers' results differ: they read different versions.
	payloadMismatch = "ProposalResponsePayloads do not match"
	// The first peer endorsed, and a peer asked after it did not. (When the
	// first peer refuses, the message is "failed to endorse transaction".)
	partialEndorsement = "failed to collect enough transaction endorsements"
)

// classify says whether err is a conflict that a fresh endorsement (new
// proposal, new transaction ID) can resolve. Nothing else is retried: not a
// business error that the endorsing peers agree on, whose answer will not
// change, and not a submit or commit-status failure, after which the
// transaction may still commit.
func classify(err error) conflict {
	var commitErr *CommitError
	if errors.As(err, &commitErr) {
		switch commitErr.Code {
		case peer.TxValidationCode_MVCC_READ_CONFLICT:
			return mvccConflict
		case peer.TxValidationCode_PHANTOM_READ_CONFLICT:
			return phantomConflict
		}
		return noConflict
	}
	var endorseErr *EndorseError
	if errors.As(err, &endorseErr) && peersDisagree(endorseErr) {
		return endorsementMismatch
	}
	return noConflict
}

// peersDisagree reports whether the endorsing peers answered differently:
// their results differed, or one endorsed while another's chaincode
// refused. Both happen when the peers are at different block heights (a
// peer that has not yet committed the block creating a coin refuses to
// spend it), and an endorsement a moment later agrees.
func peersDisagree(e *EndorseError) bool {
	msgs := gatewayMessages(e.Err)
	for _, msg := range msgs {
		if strings.Contains(msg, payloadMismatch) {
			return true
		}
	}
	return e.coded != nil && strings.Contains(msgs[len(msgs)-1], partialEndorsement)
}

// maxBackoffDoublings caps the growth of the wait between attempts at
// 2^5 = 32 times the base.
const maxBackoffDoublings = 5

// backoff is the wait after the failed attempt n (1 for the first): the
// base doubled per attempt up to 32 x base, then jittered uniformly into
// [d/2, d), so that transactions that collided spread out.
func backoff(base time.Duration, n int) time.Duration {
	d := base << min(n-1, maxBackoffDoublings)
	if d < 2 {
		return d
	}
	return d/2 + rand.N(d/2)
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
