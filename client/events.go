package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	gwclient "github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-gateway/pkg/identity"
	gatewaypb "github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// EventName is the name of the one chaincode event of a Likr transaction;
// its payload is the JSON list of the transaction's business events.
const EventName = "likr"

// BusinessEvent is one business event of a transaction, as the chaincode
// emitted it.
type BusinessEvent struct {
	// Type is the event's stable type: "order.placed", "wallet.credit",
	// "review.posted", "reward.paid", ...
	Type string
	// Raw is the whole event, its "type" included: one JSON object whose
	// fields depend on the type (see the emitting contract package).
	Raw json.RawMessage
}

// Decode decodes the event's JSON into v, a pointer to a struct with the
// fields of interest; fields v lacks are ignored, so that an event that
// gains fields still decodes.
func (e BusinessEvent) Decode(v any) error {
	if err := json.Unmarshal(e.Raw, v); err != nil {
		return fmt.Errorf("decoding event %s: %w", e.Type, err)
	}
	return nil
}

// DecodeEvent decodes a business event into a T (see BusinessEvent.Decode).
func DecodeEvent[T any](e BusinessEvent) (T, error) {
	var v T
	err := e.Decode(&v)
	return v, err
}

// Event is one business event with its place in the ledger.
type Event struct {
	BlockNumber uint64
	TxID        string
	Index       int // the event's position in its transaction's list, from 0
	BusinessEvent
}

// Checkpointer keeps the position of an event stream: the last transaction
// whose events were all handled, and the block it is in. fabric-gateway's
// FileCheckpointer is one; a consumer that stores its results in a
// database may keep the position there instead (see Follow).
type Checkpointer interface {
	gwclient.Checkpoint
	// CheckpointTransaction records that every event of transaction txID,
	// in block blockNumber, was handled.
	CheckpointTransaction(blockNumber uint64, txID string) error
}

// EventOption changes where Follow starts and how it records its progress.
type EventOption func(*eventOptions)

type eventOptions struct {
	fromBlock    *uint64
	file         string
	checkpointer Checkpointer
	onReconnect  func(error)
	// reconnectWait is the base of the growing wait before a reconnection.
	reconnectWait time.Duration
}

// EventReconnectWait is the base of the wait before Follow reconnects a
// broken stream; it doubles with every reconnection that delivers nothing,
// up to 32 times the base.
const EventReconnectWait = 250 * time.Millisecond

// FromBlock starts at the first transaction of block n, when there is no
// checkpoint to resume from (none given, or one that is still empty).
// Without it, a fresh stream starts at the next block committed.
func FromBlock(n uint64) EventOption {
	return func(o *eventOptions) { o.fromBlock = &n }
}

// WithCheckpointFile keeps the position in a file (fabric-gateway's
// FileCheckpointer, created when missing) and resumes from it. One Follow
// at a time may use a file.
func WithCheckpointFile(path string) EventOption {
	return func(o *eventOptions) { o.file, o.checkpointer = path, nil }
}

// WithCheckpointer keeps the position in cp and resumes from it.
func WithCheckpointer(cp Checkpointer) EventOption {
	return func(o *eventOptions) { o.checkpointer, o.file = cp, "" }
}

// OnReconnect calls f with the error that broke the stream, before each
// reconnection; for logging.
func OnReconnect(f func(err error)) EventOption {
	return func(o *eventOptions) { o.onReconnect = f }
}

// FollowEvents follows the business events from the checkpoint in the file
// at path, or from the channel's first block when the file is new or
// empty, so that no event is missed even by a follower that stopped before
// its first checkpoint; see Follow. opts may change that (FromBlock).
func (c *Client) FollowEvents(ctx context.Context, path string, handler func(Event) error, opts ...EventOption) error {
	return c.Follow(ctx, handler, append([]EventOption{FromBlock(0), WithCheckpointFile(path)}, opts...)...)
}

// Follow streams the chaincode's business events from the caller's gateway
// peer, in ledger order, and calls handler with each, one at a time, until
// ctx ends (it then returns ctx.Err()), handler returns an error (Follow
// returns it, wrapped), a checkpoint cannot be recorded, or the stream
// fails other than by a broken connection. Fabric keeps one chaincode event
// per transaction, named EventName, whose payload lists the transaction's
// business events; Follow delivers them one by one, with the block, the
// transaction ID and the event's index in the list. Only committed, valid
// transactions have events.
//
// # Position
//
// With a checkpoint (WithCheckpointFile, WithCheckpointer), Follow records
// the position after the handler has returned nil for every business event
// of a transaction: the transaction's block and ID, as fabric-gateway's
// checkpointers do. Resuming, it asks the gateway for the events from that
// block on, after that transaction (fabric-gateway's WithCheckpoint: the
// peer skips the block's transactions up to and including it). A stream
// that breaks (the peer restarts, the connection drops: UNAVAILABLE,
// ABORTED, INTERNAL, RESOURCE_EXHAUSTED) is reopened the same way, from
// Follow's own position, after a growing wait (EventReconnectWait); a
// refusal (PERMISSION_DENIED, NOT_FOUND, ...) is returned.
//
// # Guarantee
//
// Every business event after the starting position reaches the handler,
// and in order: a transaction is recorded only once the handler has taken
// all of its events, so none is skipped, neither across a reconnection nor
// across a restart from the same checkpoint.
//
// Every event reaches the handler exactly once, except after Follow ended
// abnormally in the middle of a transaction: then the next Follow from the
// same checkpoint delivers that one transaction again, all of it, from
// Index 0. That happens when the handler failed on one of its events, when
// the checkpoint could not be written, and when the process died (killed,
// crashed) at any point between the handler receiving the transaction's
// first event and its checkpoint being written. Nothing else is delivered
// twice: not a recorded transaction, and not across reconnections. When ctx
// ends during a transaction, Follow still hands the handler its remaining
// events (they are in memory) and records it before returning, so a clean
// stop repeats nothing.
//
// So delivery is at least once, and exactly once for every transaction but
// the one in progress at a failure. A consumer whose effects must not be
// applied twice makes them idempotent by (TxID, Index), or records the last
// TxID it applied together with its effects and skips a transaction it
// has; or it implements a Checkpointer that commits the position in the
// same database transaction as the effects of the handler calls before it,
// which makes the whole exactly-once.
//
// FileCheckpointer writes the position into the file without syncing it to
// disk (Follow syncs it when it returns), so a killed process loses
// nothing, while a machine crash may bring back an older position: more
// transactions are delivered again, none is skipped.
//
// Without a checkpoint, or with an empty one, Follow starts at FromBlock,
// or else at the next block committed.
func (c *Client) Follow(ctx context.Context, handler func(Event) error, opts ...EventOption) (err error) {
	o := eventOptions{reconnectWait: EventReconnectWait, onReconnect: func(error) {}}
	for _, opt := range opts {
		opt(&o)
	}
	if handler == nil {
		return errors.New("client: Follow needs a handler")
	}
	src, ok := c.backend.(eventSource)
	if !ok {
		return errors.New("client: this Client's backend streams no events")
	}
	cp := o.checkpointer
	if o.file != "" {
		file, err := gwclient.NewFileCheckpointer(o.file)
		if err != nil {
			return fmt.Errorf("client: checkpoint file: %w", err)
		}
		defer func() {
			if cerr := errors.Join(file.Sync(), file.Close()); cerr != nil {
				err = errors.Join(err, fmt.Errorf("client: closing checkpoint file %s: %w", o.file, cerr))
			}
		}()
		cp = file
	}
	f := &follower{src: src, handler: handler, cp: cp, opts: o, pos: startPosition(cp, o.fromBlock)}
	return f.run(ctx)
}

// startPosition is where a stream starts: after the checkpoint's
// transaction, at the first transaction of FromBlock, or at the next block.
// Block 0 holds the channel's configuration, never a chaincode event, so
// a checkpoint at (0, "") is an empty one.
func startPosition(cp Checkpointer, fromBlock *uint64) eventPosition {
	switch {
	case cp != nil && (cp.BlockNumber() != 0 || cp.TransactionID() != ""):
		return eventPosition{block: cp.BlockNumber(), txID: cp.TransactionID()}
	case fromBlock != nil:
		return eventPosition{block: *fromBlock}
	}
	return eventPosition{next: true}
}

// follower is one Follow call.
type follower struct {
	src     eventSource
	handler func(Event) error
	cp      Checkpointer // nil without one
	opts    eventOptions
	pos     eventPosition // after the last transaction handled
}

// run opens streams from f.pos until one ends for good.
func (f *follower) run(ctx context.Context) error {
	for failures := 0; ; {
		progressed, err := f.stream(ctx)
		var stop *stopError
		if errors.As(err, &stop) {
			return stop.err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if !brokenStream(err) {
			return fmt.Errorf("client: chaincode events: %w", err)
		}
		if progressed {
			failures = 0
		}
		failures++
		f.opts.onReconnect(err)
		if werr := sleep(ctx, backoff(f.opts.reconnectWait, failures)); werr != nil {
			return werr
		}
	}
}

// stopError ends Follow with err, whatever the stream does.
type stopError struct{ err error }

func (e *stopError) Error() string { return e.err.Error() }

// stream reads one stream from f.pos until it fails, and reports whether
// it delivered any transaction.
func (f *follower) stream(ctx context.Context) (progressed bool, err error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s, err := f.src.chaincodeEvents(ctx, f.pos)
	if err != nil {
		return false, err
	}
	for {
		resp, err := s.Recv()
		if err != nil {
			return progressed, err
		}
		for _, ev := range resp.GetEvents() {
			// The stream ends between transactions only; one that began is
			// handled whole (see Follow).
			if ctx.Err() != nil {
				return progressed, ctx.Err()
			}
			if err := f.transaction(resp.GetBlockNumber(), ev.GetTxId(), ev.GetEventName(), ev.GetPayload()); err != nil {
				return progressed, &stopError{err}
			}
			progressed = true
		}
	}
}

// transaction hands the handler a transaction's business events, then
// records it.
func (f *follower) transaction(block uint64, txID, name string, payload []byte) error {
	if !f.pos.next && block == f.pos.block && txID == f.pos.txID {
		return nil // handled already; a peer skips it, this is in case one does not
	}
	// A transaction ID is unique on a channel, and Likr's chaincode emits
	// only EventName; another event is passed over, and recorded as handled.
	if name == EventName {
		events, err := decodeBusinessEvents(payload)
		if err != nil {
			return fmt.Errorf("client: chaincode event of transaction %s in block %d: %w", txID, block, err)
		}
		for i, e := range events {
			if err := f.handler(Event{BlockNumber: block, TxID: txID, Index: i, BusinessEvent: e}); err != nil {
				return fmt.Errorf("client: handling event %d (%s) of transaction %s in block %d: %w", i, e.Type, txID, block, err)
			}
		}
	}
	if f.cp != nil {
		if err := f.cp.CheckpointTransaction(block, txID); err != nil {
			return fmt.Errorf("client: checkpointing transaction %s in block %d: %w", txID, block, err)
		}
	}
	f.pos = eventPosition{block: block, txID: txID}
	return nil
}

// decodeBusinessEvents splits a chaincode event's payload into its business
// events, each a JSON object with a non-empty "type".
func decodeBusinessEvents(payload []byte) ([]BusinessEvent, error) {
	var raws []json.RawMessage
	if err := json.Unmarshal(payload, &raws); err != nil {
		return nil, fmt.Errorf("payload is not a JSON list of events: %w", err)
	}
	out := make([]BusinessEvent, len(raws))
	for i, raw := range raws {
		var head struct {
			Type string `json:"type"`
		}
		if err := json.Unmarshal(raw, &head); err != nil || head.Type == "" {
			return nil, fmt.Errorf("event %d is not an object with a type: %.200s", i, raw)
		}
		out[i] = BusinessEvent{Type: head.Type, Raw: raw}
	}
	return out, nil
}

// brokenStream reports whether a stream failed in a way that reopening it
// may cure: the connection or the peer went away, rather than the peer
// refusing the request.
func brokenStream(err error) bool {
	if errors.Is(err, io.EOF) {
		return true
	}
	switch status.Code(err) {
	case codes.Unavailable, codes.Aborted, codes.Internal, codes.ResourceExhausted:
		return true
	}
	return false
}

// eventSource is the part of fabric-gateway that streams chaincode events.
// The gateway backend is one; unit tests use a fake.
type eventSource interface {
	// chaincodeEvents opens a stream of the chaincode's events from pos,
	// with the gateway's semantics: responses per block, in block order,
	// only for blocks with events, and after pos.txID when it is set.
	chaincodeEvents(ctx context.Context, pos eventPosition) (eventStream, error)
}

// eventStream is an open chaincode event stream.
type eventStream interface {
	Recv() (*gatewaypb.ChaincodeEventsResponse, error)
}

// eventPosition is where a stream starts.
type eventPosition struct {
	next  bool   // at the next block committed; block and txID unused
	block uint64 // else at this block,
	txID  string // after this transaction of it, if set
}

// BlockNumber and TransactionID make a position a gwclient.Checkpoint.
func (p eventPosition) BlockNumber() uint64   { return p.block }
func (p eventPosition) TransactionID() string { return p.txID }

// gatewayEvents streams chaincode events through the gateway. It reads the
// gateway's gRPC stream itself, rather than through fabric-gateway's
// ChaincodeEvents channel, because that channel closes without saying why
// it did; Follow must tell a broken connection, which it reopens, from a
// refusal.
type gatewayEvents struct {
	network   *gwclient.Network
	chaincode string
	conn      grpc.ClientConnInterface
	sign      identity.Sign
}

func (g gatewayEvents) chaincodeEvents(ctx context.Context, pos eventPosition) (eventStream, error) {
	var opts []gwclient.ChaincodeEventsOption
	switch {
	case pos.next:
	case pos.txID == "":
		opts = append(opts, gwclient.WithStartBlock(pos.block))
	default:
		opts = append(opts, gwclient.WithCheckpoint(pos))
	}
	req, err := g.network.NewChaincodeEventsRequest(g.chaincode, opts...)
	if err != nil {
		return nil, err
	}
	signature, err := g.sign(req.Digest())
	if err != nil {
		return nil, fmt.Errorf("signing the chaincode events request: %w", err)
	}
	data, err := req.Bytes()
	if err != nil {
		return nil, err
	}
	var signed gatewaypb.SignedChaincodeEventsRequest
	if err := proto.Unmarshal(data, &signed); err != nil {
		return nil, fmt.Errorf("chaincode events request: %w", err)
	}
	signed.Signature = signature
	return gatewaypb.NewGatewayClient(g.conn).ChaincodeEvents(ctx, &signed)
}
