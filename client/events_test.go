package client

import (
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	gwclient "github.com/hyperledger/fabric-gateway/pkg/client"
	gatewaypb "github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/likrcommerce/likr/contracts/chaincode"
	"github.com/likrcommerce/likr/contracts/money"
)

// ledgerTx is a committed transaction and its chaincode event.
type ledgerTx struct {
	id      string
	name    string // EventName unless set
	payload []byte
}

type ledgerBlock struct {
	number uint64
	txs    []ledgerTx
}

// streamFailure makes the n-th stream opened fail with err once it has
// sent after responses.
type streamFailure struct {
	after int
	err   error
}

// fakeEvents plays a peer's gateway ChaincodeEvents service over a ledger
// of blocks, with the semantics of Fabric's server: a response per block
// that has events, in block order; a start at a block, at the next block,
// or after a transaction (from that transaction's block, skipping events
// up to and including it).
type fakeEvents struct {
	mu       sync.Mutex
	blocks   []ledgerBlock
	added    chan struct{} // closed when a block is added
	opened   []eventPosition
	failures map[int]streamFailure // by the index of the stream opened
	openErr  error
}

func newFakeEvents(blocks ...ledgerBlock) *fakeEvents {
	return &fakeEvents{blocks: blocks, added: make(chan struct{}), failures: map[int]streamFailure{}}
}

func (l *fakeEvents) add(b ledgerBlock) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.blocks = append(l.blocks, b)
	close(l.added)
	l.added = make(chan struct{})
}

func (l *fakeEvents) positions() []eventPosition {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]eventPosition(nil), l.opened...)
}

func (l *fakeEvents) chaincodeEvents(ctx context.Context, pos eventPosition) (eventStream, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := len(l.opened)
	l.opened = append(l.opened, pos)
	if l.openErr != nil {
		return nil, l.openErr
	}
	s := &fakeStream{l: l, ctx: ctx, start: pos.block, after: pos.txID, passed: pos.txID == "", failure: l.failures[n]}
	switch {
	case pos.next:
		s.start = 0
		if len(l.blocks) > 0 {
			s.start = l.blocks[len(l.blocks)-1].number + 1
		}
	case pos.txID != "":
		// As Fabric does: the start is the block of the transaction.
		for _, b := range l.blocks {
			for _, tx := range b.txs {
				if tx.id == pos.txID {
					s.start = b.number
				}
			}
		}
	}
	return s, nil
}

type fakeStream struct {
	l       *fakeEvents
	ctx     context.Context
	start   uint64
	after   string
	passed  bool
	next    int // index of the next block to look at
	sent    int
	failure streamFailure
}

func (s *fakeStream) Recv() (*gatewaypb.ChaincodeEventsResponse, error) {
	for {
		if s.failure.err != nil && s.sent == s.failure.after {
			return nil, s.failure.err
		}
		s.l.mu.Lock()
		for s.next < len(s.l.blocks) {
			b := s.l.blocks[s.next]
			s.next++
			if b.number < s.start {
				continue
			}
			resp := &gatewaypb.ChaincodeEventsResponse{BlockNumber: b.number}
			for _, tx := range b.txs {
				if !s.passed {
					s.passed = tx.id == s.after
					continue
				}
				name := tx.name
				if name == "" {
					name = EventName
				}
				resp.Events = append(resp.Events, &peer.ChaincodeEvent{ChaincodeId: "likr", TxId: tx.id, EventName: name, Payload: tx.payload})
			}
			if len(resp.Events) > 0 {
				s.l.mu.Unlock()
				s.sent++
				return resp, nil
			}
		}
		added := s.l.added
		s.l.mu.Unlock()
		select {
		case <-s.ctx.Done():
			return nil, status.FromContextError(s.ctx.Err()).Err()
		case <-added:
		}
	}
}

// eventBackend is a backend whose events come from a fakeEvents.
type eventBackend struct {
	*fakeBackend
	*fakeEvents
}

// eventClient is a Client over events that reconnects without waiting.
func eventClient(t *testing.T, events *fakeEvents) *Client {
	t.Helper()
	o, err := newOptions(nil)
	require.NoError(t, err)
	return newClient(eventBackend{&fakeBackend{}, events}, o, buyerAccount)
}

// noWait makes reconnections immediate.
func noWait(o *eventOptions) { o.reconnectWait = 0 }

// payload is a chaincode event payload of business events of the given
// types, each with a field n numbering it.
func payload(types ...string) []byte {
	var events []map[string]any
	for i, typ := range types {
		events = append(events, map[string]any{"type": typ, "n": i})
	}
	data, err := json.Marshal(events)
	if err != nil {
		panic(err)
	}
	return data
}

// tx is a transaction whose event lists n business events of type
// "test.event".
func tx(id string, n int) ledgerTx {
	types := make([]string, n)
	for i := range types {
		types[i] = "test.event"
	}
	return ledgerTx{id: id, payload: payload(types...)}
}

// seen is an event as a test records it.
type seen struct {
	Block uint64
	TxID  string
	Index int
}

func (s seen) String() string { return fmt.Sprintf("%d/%s/%d", s.Block, s.TxID, s.Index) }

func seenOf(e Event) seen { return seen{e.BlockNumber, e.TxID, e.Index} }

// sampleLedger has blocks of several transactions, a block without events
// and a transaction with an event of another name.
func sampleLedger() *fakeEvents {
	return newFakeEvents(
		ledgerBlock{number: 3, txs: []ledgerTx{tx("t1", 2)}},
		ledgerBlock{number: 4},
		ledgerBlock{number: 5, txs: []ledgerTx{tx("t2", 1), tx("t3", 3), {id: "x1", name: "other", payload: []byte("not json")}, tx("t4", 2)}},
		ledgerBlock{number: 6, txs: []ledgerTx{tx("t5", 1)}},
	)
}

// allOfSample is every business event of sampleLedger, in order.
var allOfSample = []seen{
	{3, "t1", 0}, {3, "t1", 1},
	{5, "t2", 0}, {5, "t3", 0}, {5, "t3", 1}, {5, "t3", 2}, {5, "t4", 0}, {5, "t4", 1},
	{6, "t5", 0},
}

// collect follows from opts until the handler has seen want events, and
// returns them and Follow's error.
func collect(t *testing.T, c *Client, want int, opts ...EventOption) ([]seen, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var got []seen
	err := c.Follow(ctx, func(e Event) error {
		got = append(got, seenOf(e))
		if len(got) == want {
			cancel()
		}
		return nil
	}, append([]EventOption{noWait}, opts...)...)
	return got, err
}

func TestFollowDeliversEveryBusinessEventInOrder(t *testing.T) {
	l := sampleLedger()
	c := eventClient(t, l)
	var events []Event
	ctx, cancel := context.WithCancel(context.Background())
	err := c.Follow(ctx, func(e Event) error {
		events = append(events, e)
		if len(events) == len(allOfSample) {
			cancel()
		}
		return nil
	}, FromBlock(0))
	require.ErrorIs(t, err, context.Canceled, "Follow returns when ctx ends")
	var got []seen
	for _, e := range events {
		got = append(got, seenOf(e))
		require.Equal(t, "test.event", e.Type)
	}
	require.Equal(t, allOfSample, got, "the event named otherwise is passed over")
	require.Equal(t, []eventPosition{{block: 0}}, l.positions())

	// Raw is the whole event, which decodes into a struct of its fields.
	third := events[2]
	require.JSONEq(t, `{"type":"test.event","n":0}`, string(third.Raw))
	v, err := DecodeEvent[struct {
		Type string `json:"type"`
		N    int    `json:"n"`
	}](events[4].BusinessEvent)
	require.NoError(t, err)
	require.Equal(t, "test.event", v.Type)
	require.Equal(t, 1, v.N, "t3's second event")
}

func TestEventsDecodeIntoTypedStructs(t *testing.T) {
	credit := map[string]any{"type": "wallet.credit", "holder": buyerAccount, "amount": "400"}
	review := map[string]any{"type": "review.posted", "buyer": buyerAccount, "order": "o1", "rating": 4}
	data, err := json.Marshal([]any{credit, review})
	require.NoError(t, err)
	events, err := decodeBusinessEvents(data)
	require.NoError(t, err)
	require.Equal(t, []string{"wallet.credit", "review.posted"}, []string{events[0].Type, events[1].Type})
	var c struct {
		Holder string       `json:"holder"`
		Amount money.Amount `json:"amount"`
	}
	require.NoError(t, events[0].Decode(&c))
	require.Equal(t, money.NewAmount(400), c.Amount)
	r, err := DecodeEvent[Review](events[1])
	require.NoError(t, err)
	require.Equal(t, Review{Buyer: buyerAccount, Order: "o1", Rating: 4}, r, "fields the struct lacks are ignored")
	_, err = DecodeEvent[Review](BusinessEvent{Type: "review.posted", Raw: json.RawMessage(`{"rating":"four"}`)})
	require.ErrorContains(t, err, "decoding event review.posted")

	for _, bad := range []string{`{}`, `[1]`, `[{"type":""}]`, `[{"kind":"x"}]`, `not json`} {
		_, err := decodeBusinessEvents([]byte(bad))
		require.Error(t, err, bad)
	}
	events, err = decodeBusinessEvents([]byte(`[]`))
	require.NoError(t, err)
	require.Empty(t, events)
}

func TestFollowStartsWhereItIsTold(t *testing.T) {
	t.Run("at the next block by default", func(t *testing.T) {
		l := sampleLedger()
		c := eventClient(t, l)
		go func() {
			for len(l.positions()) == 0 {
				time.Sleep(time.Millisecond)
			}
			l.add(ledgerBlock{number: 7, txs: []ledgerTx{tx("t6", 1)}})
		}()
		got, err := collect(t, c, 1)
		require.ErrorIs(t, err, context.Canceled)
		require.Equal(t, []seen{{7, "t6", 0}}, got, "nothing committed before")
		require.Equal(t, []eventPosition{{next: true}}, l.positions())
	})
	t.Run("at a block", func(t *testing.T) {
		l := sampleLedger()
		got, err := collect(t, eventClient(t, l), 1, FromBlock(6))
		require.ErrorIs(t, err, context.Canceled)
		require.Equal(t, []seen{{6, "t5", 0}}, got)
	})
	t.Run("FromBlock yields to a checkpoint", func(t *testing.T) {
		l := sampleLedger()
		cp := &gwclient.InMemoryCheckpointer{}
		cp.CheckpointTransaction(5, "t3")
		got, err := collect(t, eventClient(t, l), 3, FromBlock(0), WithCheckpointer(memCheckpointer{cp}))
		require.ErrorIs(t, err, context.Canceled)
		require.Equal(t, []seen{{5, "t4", 0}, {5, "t4", 1}, {6, "t5", 0}}, got)
		require.Equal(t, []eventPosition{{block: 5, txID: "t3"}}, l.positions())
	})
}

// memCheckpointer is fabric-gateway's InMemoryCheckpointer as a
// Checkpointer.
type memCheckpointer struct{ *gwclient.InMemoryCheckpointer }

func (m memCheckpointer) CheckpointTransaction(block uint64, txID string) error {
	m.InMemoryCheckpointer.CheckpointTransaction(block, txID)
	return nil
}

// readCheckpoint reads a checkpoint file as fabric-gateway does.
func readCheckpoint(t *testing.T, path string) (uint64, string) {
	t.Helper()
	cp, err := gwclient.NewFileCheckpointer(path)
	require.NoError(t, err)
	defer cp.Close()
	return cp.BlockNumber(), cp.TransactionID()
}

func TestARestartFromTheCheckpointFileRepeatsAndLosesNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.json")
	l := sampleLedger()

	// The first follower stops when its ctx ends in the middle of t3: it
	// still handles t3 whole and records it.
	ctx, cancel := context.WithCancel(context.Background())
	var first []seen
	err := eventClient(t, l).FollowEvents(ctx, path, func(e Event) error {
		first = append(first, seenOf(e))
		if e.TxID == "t3" && e.Index == 0 {
			cancel()
		}
		return nil
	}, noWait)
	require.ErrorIs(t, err, context.Canceled)
	require.Equal(t, allOfSample[:6], first, "t1, t2 and all of t3")
	block, txID := readCheckpoint(t, path)
	require.Equal(t, uint64(5), block)
	require.Equal(t, "t3", txID)

	// A new Client, after a restart, resumes after t3, within block 5.
	second, err := collectFile(t, l, path, 3)
	require.ErrorIs(t, err, context.Canceled)
	require.Equal(t, allOfSample[6:], second)
	require.Equal(t, allOfSample, append(first, second...), "neither lost nor repeated")
	require.Equal(t, []eventPosition{{block: 0}, {block: 5, txID: "t3"}}, l.positions(),
		"a fresh file starts at block 0; the restart after the checkpointed transaction")
	block, txID = readCheckpoint(t, path)
	require.Equal(t, uint64(6), block)
	require.Equal(t, "t5", txID)

	// And again, once more blocks committed.
	l.add(ledgerBlock{number: 9, txs: []ledgerTx{tx("t6", 1)}})
	third, err := collectFile(t, l, path, 1)
	require.ErrorIs(t, err, context.Canceled)
	require.Equal(t, []seen{{9, "t6", 0}}, third)
}

// collectFile follows with a new Client over l from the checkpoint file
// until want events arrived.
func collectFile(t *testing.T, l *fakeEvents, path string, want int) ([]seen, error) {
	t.Helper()
	return collect(t, eventClient(t, l), want, FromBlock(0), WithCheckpointFile(path))
}

// crashingFollow runs a Follow that dies, as a killed process would, when
// crash returns true for an event: the handler calls runtime.Goexit, so no
// code of Follow runs after it but its deferred calls. It returns the
// events the handler received, the one it died on included.
func crashingFollow(t *testing.T, l *fakeEvents, crash func(Event) bool, opts ...EventOption) []seen {
	t.Helper()
	var got []seen
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = eventClient(t, l).Follow(context.Background(), func(e Event) error {
			got = append(got, seenOf(e))
			if crash(e) {
				runtime.Goexit()
			}
			return nil
		}, append([]EventOption{noWait}, opts...)...)
		t.Error("Follow returned instead of dying")
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the follower never died")
	}
	return got
}

func TestAKillBetweenTwoEventsOfATransactionReplaysThatTransactionOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.json")
	l := sampleLedger()
	first := crashingFollow(t, l, func(e Event) bool { return e.TxID == "t3" && e.Index == 1 }, FromBlock(0), WithCheckpointFile(path))
	require.Equal(t, allOfSample[:5], first, "killed while handling t3's second event")
	block, txID := readCheckpoint(t, path)
	require.Equal(t, uint64(5), block)
	require.Equal(t, "t2", txID, "t3 was not recorded")

	second, err := collectFile(t, l, path, 6)
	require.ErrorIs(t, err, context.Canceled)
	require.Equal(t, allOfSample[3:], second, "t3 again, whole, from index 0; t1 and t2 not")
}

// crashingCheckpointer dies, as a killed process would, when asked to
// record txID, before it records it.
type crashingCheckpointer struct {
	Checkpointer
	txID string
}

func (c crashingCheckpointer) CheckpointTransaction(block uint64, txID string) error {
	if txID == c.txID {
		runtime.Goexit()
	}
	return c.Checkpointer.CheckpointTransaction(block, txID)
}

func TestAKillAfterATransactionWasHandledButBeforeItsCheckpointReplaysIt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.json")
	l := sampleLedger()
	file, err := gwclient.NewFileCheckpointer(path)
	require.NoError(t, err)
	first := crashingFollow(t, l, func(Event) bool { return false }, FromBlock(0), WithCheckpointer(crashingCheckpointer{file, "t3"}))
	require.NoError(t, file.Close())
	require.Equal(t, allOfSample[:6], first, "t3 was handled whole")

	second, err := collectFile(t, l, path, 6)
	require.ErrorIs(t, err, context.Canceled)
	require.Equal(t, allOfSample[3:], second, "t3 again: its checkpoint was never written")
}

func TestAHandlerErrorStopsWithoutCheckpointingItsTransaction(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.json")
	l := sampleLedger()
	errBoom := errors.New("boom")
	var first []seen
	err := eventClient(t, l).FollowEvents(context.Background(), path, func(e Event) error {
		first = append(first, seenOf(e))
		if e.TxID == "t3" && e.Index == 1 {
			return errBoom
		}
		return nil
	}, noWait)
	require.ErrorIs(t, err, errBoom)
	require.EqualError(t, err, "client: handling event 1 (test.event) of transaction t3 in block 5: boom")
	require.Equal(t, allOfSample[:5], first, "the stream stopped at the failing event")
	block, txID := readCheckpoint(t, path)
	require.Equal(t, uint64(5), block)
	require.Equal(t, "t2", txID)

	second, err := collectFile(t, l, path, 6)
	require.ErrorIs(t, err, context.Canceled)
	require.Equal(t, allOfSample[3:], second, "t3 is delivered again, from its first event")
}

func TestAFailedCheckpointStopsTheStream(t *testing.T) {
	l := sampleLedger()
	errDisk := errors.New("disk full")
	var got []seen
	err := eventClient(t, l).Follow(context.Background(), func(e Event) error {
		got = append(got, seenOf(e))
		return nil
	}, FromBlock(0), WithCheckpointer(failingCheckpointer{errDisk}))
	require.ErrorIs(t, err, errDisk)
	require.ErrorContains(t, err, "checkpointing transaction t1 in block 3")
	require.Equal(t, allOfSample[:2], got, "nothing after the transaction that could not be recorded")
}

type failingCheckpointer struct{ err error }

func (failingCheckpointer) BlockNumber() uint64                          { return 0 }
func (failingCheckpointer) TransactionID() string                        { return "" }
func (f failingCheckpointer) CheckpointTransaction(uint64, string) error { return f.err }

func TestABrokenStreamIsReopenedWhereItBroke(t *testing.T) {
	l := sampleLedger()
	unavailable := status.Error(codes.Unavailable, "peer went away")
	l.failures[0] = streamFailure{after: 2, err: unavailable}
	l.failures[1] = streamFailure{after: 0, err: status.Error(codes.Aborted, "ledger closing")}
	var reconnects []error
	got, err := collect(t, eventClient(t, l), len(allOfSample), FromBlock(0), OnReconnect(func(err error) {
		reconnects = append(reconnects, err)
	}))
	require.ErrorIs(t, err, context.Canceled)
	require.Equal(t, allOfSample, got, "nothing lost, nothing repeated, without a checkpoint file")
	require.Equal(t, []eventPosition{{block: 0}, {block: 5, txID: "t4"}, {block: 5, txID: "t4"}}, l.positions())
	require.Len(t, reconnects, 2)
	require.Equal(t, codes.Unavailable, status.Code(reconnects[0]))
	require.Equal(t, codes.Aborted, status.Code(reconnects[1]))
}

func TestAStreamThePeerRefusesIsNotReopened(t *testing.T) {
	t.Run("while streaming", func(t *testing.T) {
		l := sampleLedger()
		l.failures[0] = streamFailure{after: 1, err: status.Error(codes.PermissionDenied, "not a channel reader")}
		got, err := collect(t, eventClient(t, l), 100, FromBlock(0))
		require.Equal(t, codes.PermissionDenied, status.Code(err))
		require.ErrorContains(t, err, "client: chaincode events: ")
		require.Equal(t, allOfSample[:2], got)
		require.Len(t, l.positions(), 1)
	})
	t.Run("when opening", func(t *testing.T) {
		l := sampleLedger()
		l.openErr = errors.New("no signer")
		_, err := collect(t, eventClient(t, l), 100, FromBlock(0))
		require.ErrorIs(t, err, l.openErr)
	})
}

func TestAMalformedPayloadStopsTheStreamUnrecorded(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.json")
	l := newFakeEvents(ledgerBlock{number: 3, txs: []ledgerTx{tx("t1", 1), {id: "bad", payload: []byte(`{"type":"x"}`)}, tx("t2", 1)}})
	got, err := collectFile(t, l, path, 100)
	require.ErrorContains(t, err, "client: chaincode event of transaction bad in block 3: payload is not a JSON list of events")
	require.Equal(t, []seen{{3, "t1", 0}}, got)
	block, txID := readCheckpoint(t, path)
	require.Equal(t, uint64(3), block)
	require.Equal(t, "t1", txID)
}

func TestTheCheckpointFileIsFabricGatewaysFormat(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.json")
	_, err := collectFile(t, sampleLedger(), path, 2)
	require.ErrorIs(t, err, context.Canceled)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	require.JSONEq(t, `{"blockNumber":3,"transactionId":"t1"}`, string(data))
}

func TestFollowNeedsABackendThatStreams(t *testing.T) {
	err := fakeClient(t, &fakeBackend{}).Follow(context.Background(), func(Event) error { return nil })
	require.ErrorContains(t, err, "streams no events")
}

func TestEventNameIsTheChaincodes(t *testing.T) {
	require.Equal(t, chaincode.EventName, EventName)
}

// gatewayEventsServer plays a peer's Gateway service for ChaincodeEvents:
// it checks each request's signature with the caller's key, records the
// request, and answers the n-th one with replies[n] and then its error.
type gatewayEventsServer struct {
	gatewaypb.UnimplementedGatewayServer
	key     *ecdsa.PublicKey
	mu      sync.Mutex
	got     []*gatewaypb.ChaincodeEventsRequest
	replies []gatewayReply
}

type gatewayReply struct {
	blocks []*gatewaypb.ChaincodeEventsResponse
	err    error
}

func (s *gatewayEventsServer) ChaincodeEvents(signed *gatewaypb.SignedChaincodeEventsRequest, stream grpc.ServerStreamingServer[gatewaypb.ChaincodeEventsResponse]) error {
	digest := sha256.Sum256(signed.GetRequest())
	if !ecdsa.VerifyASN1(s.key, digest[:], signed.GetSignature()) {
		return status.Error(codes.Unauthenticated, "bad signature")
	}
	var req gatewaypb.ChaincodeEventsRequest
	if err := proto.Unmarshal(signed.GetRequest(), &req); err != nil {
		return status.Error(codes.InvalidArgument, err.Error())
	}
	s.mu.Lock()
	n := len(s.got)
	s.got = append(s.got, &req)
	s.mu.Unlock()
	if n >= len(s.replies) {
		<-stream.Context().Done()
		return status.FromContextError(stream.Context().Err()).Err()
	}
	for _, b := range s.replies[n].blocks {
		if err := stream.Send(b); err != nil {
			return err
		}
	}
	return s.replies[n].err
}

func (s *gatewayEventsServer) requests() []*gatewaypb.ChaincodeEventsRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*gatewaypb.ChaincodeEventsRequest(nil), s.got...)
}

func gatewayBlock(number uint64, txs ...ledgerTx) *gatewaypb.ChaincodeEventsResponse {
	resp := &gatewaypb.ChaincodeEventsResponse{BlockNumber: number}
	for _, tx := range txs {
		resp.Events = append(resp.Events, &peer.ChaincodeEvent{ChaincodeId: "likr", TxId: tx.id, EventName: EventName, Payload: tx.payload})
	}
	return resp
}

// Through a real gRPC connection: Dial wires the event stream, requests
// are signed by the caller and name the channel, the chaincode and the
// start position as fabric-gateway builds them, a broken stream resumes
// after the last transaction, and a refusal comes back with its code.
func TestFollowOverTheGatewayProtocol(t *testing.T) {
	pki := newTestPKI(t)
	srv := &gatewayEventsServer{key: &pki.userKey.PublicKey, replies: []gatewayReply{
		{blocks: []*gatewaypb.ChaincodeEventsResponse{gatewayBlock(3, tx("t1", 1)), gatewayBlock(5, tx("t2", 1), tx("t3", 2))}, err: status.Error(codes.Unavailable, "peer stopping")},
		{blocks: []*gatewaypb.ChaincodeEventsResponse{gatewayBlock(6, tx("t4", 1))}, err: status.Error(codes.PermissionDenied, "access denied")},
	}}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	gs := grpc.NewServer(grpc.Creds(credentials.NewServerTLSFromCert(&pki.server)))
	gatewaypb.RegisterGatewayServer(gs, srv)
	go gs.Serve(l)
	t.Cleanup(gs.Stop)
	c, err := Dial(context.Background(), pki.profile(t, l.Addr().String(), pki.ca), WithChannel("shop"), WithChaincode("likrcc"))
	require.NoError(t, err)
	defer c.Close()

	path := filepath.Join(t.TempDir(), "events.json")
	var got []seen
	var reconnects int
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = c.FollowEvents(ctx, path, func(e Event) error {
		got = append(got, seenOf(e))
		return nil
	}, noWait, OnReconnect(func(error) { reconnects++ }))

	require.Equal(t, codes.PermissionDenied, status.Code(err), "%v", err)
	require.Equal(t, []seen{{3, "t1", 0}, {5, "t2", 0}, {5, "t3", 0}, {5, "t3", 1}, {6, "t4", 0}}, got)
	require.Equal(t, 1, reconnects)
	block, txID := readCheckpoint(t, path)
	require.Equal(t, uint64(6), block)
	require.Equal(t, "t4", txID)

	reqs := srv.requests()
	require.Len(t, reqs, 2)
	for _, req := range reqs {
		require.Equal(t, "shop", req.GetChannelId())
		require.Equal(t, "likrcc", req.GetChaincodeId())
		require.NotEmpty(t, req.GetIdentity())
	}
	require.NotNil(t, reqs[0].GetStartPosition().GetSpecified(), "a fresh file starts at block 0")
	require.Equal(t, uint64(0), reqs[0].GetStartPosition().GetSpecified().GetNumber())
	require.Empty(t, reqs[0].GetAfterTransactionId())
	require.Equal(t, uint64(5), reqs[1].GetStartPosition().GetSpecified().GetNumber())
	require.Equal(t, "t3", reqs[1].GetAfterTransactionId(), "the stream resumes after the last transaction handled")

	// Without a start, the stream begins at the next commit; ending ctx
	// ends it.
	ctx, cancel = context.WithCancel(context.Background())
	go func() {
		for len(srv.requests()) < 3 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	err = c.Follow(ctx, func(Event) error { return nil })
	require.ErrorIs(t, err, context.Canceled)
	require.NotNil(t, srv.requests()[2].GetStartPosition().GetNextCommit())
}
