package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// Op is one transaction a lane runs.
type Op struct {
	ID        *Identity
	Chaincode string // testnetwork.ChaincodeName or CalibrationChaincode
	Fn        string
	Args      []string
	Evaluate  bool // a read: evaluated on the gateway's peer, never ordered
	WantEvent bool // the lane needs the transaction's chaincode event (its new coins)
	Step      string
}

// Outcome is what happened to one Op.
type Outcome struct {
	Start, End time.Time
	// Phase durations: Endorse is the proposal's round trip through the
	// gateway (both orgs' peers execute the chaincode); Submit the hand-over
	// to the orderer; Commit the wait from there until the gateway's peer
	// committed the block holding it. Evaluate is a read's round trip.
	Endorse, Submit, Commit, Evaluate time.Duration
	// Committed: the transaction is in a block, valid or not (Code says),
	// or, for a read, it returned.
	Committed bool
	Code      peer.TxValidationCode
	Block     uint64 // the block holding it
	// Failure says why an Op did not commit or read: "endorse: <reason>",
	// "submit: <reason>", "status: <reason>", "evaluate: <reason>". Empty
	// otherwise.
	Failure string
	// Unknown: the transaction may or may not commit (a submit or
	// commit-status failure); its inputs must not be reused.
	Unknown bool
	TxID    string
	Result  []byte
	Events  []byte // the chaincode event's payload, when Op.WantEvent
	// TxBytes is the size of the endorsed transaction (the envelope the
	// orderer orders and every peer validates and stores), measured for
	// one transaction in eight and those whose events are read; 0 when not
	// measured.
	TxBytes int
}

// sampled counts endorsed transactions, to measure the size of some.
var sampled atomic.Uint64

// Valid reports whether the Op committed as a valid transaction (or a
// read returned).
func (o Outcome) Valid() bool { return o.Committed && o.Code == peer.TxValidationCode_VALID }

// run executes op through its identity's gateway: endorse, submit
// (asynchronous: it returns once the orderer has the transaction) and
// commit status, each timed.
func run(ctx context.Context, op Op) (o Outcome) {
	o.Start = time.Now()
	defer func() { o.End = time.Now() }()
	contract := op.ID.contract(op.Chaincode)
	if op.Evaluate {
		out, err := contract.EvaluateWithContext(ctx, op.Fn, client.WithArguments(op.Args...))
		o.Evaluate = time.Since(o.Start)
		if err != nil {
			o.Failure = "evaluate: " + reason(err)
			return o
		}
		o.Committed, o.Code, o.Result = true, peer.TxValidationCode_VALID, out
		return o
	}
	proposal, err := contract.NewProposal(op.Fn, client.WithArguments(op.Args...))
	if err != nil {
		o.Failure = "endorse: " + err.Error()
		return o
	}
	o.TxID = proposal.TransactionID()
	tx, err := proposal.EndorseWithContext(ctx)
	o.Endorse = time.Since(o.Start)
	if err != nil {
		o.Failure = "endorse: " + reason(err)
		return o
	}
	o.Result = tx.Result()
	if op.WantEvent || sampled.Add(1)%8 == 0 {
		raw, err := tx.Bytes()
		if err != nil {
			o.Failure = "endorse: " + err.Error()
			return o
		}
		o.TxBytes = len(raw)
		if op.WantEvent {
			if o.Events, err = eventPayload(raw); err != nil {
				o.Failure = "endorse: " + err.Error()
				return o
			}
		}
	}
	t := time.Now()
	commit, err := tx.SubmitWithContext(ctx)
	o.Submit = time.Since(t)
	if err != nil {
		o.Failure, o.Unknown = "submit: "+reason(err), true
		return o
	}
	t = time.Now()
	st, err := commit.StatusWithContext(ctx)
	o.Commit = time.Since(t)
	if err != nil {
		o.Failure, o.Unknown = "status: "+reason(err), true
		return o
	}
	o.Committed, o.Code, o.Block = true, st.Code, st.BlockNumber
	return o
}

// codePrefix finds a Likr error code at the start of a chaincode message.
var codePrefix = regexp.MustCompile(`\b([A-Z][A-Z_]+[A-Z]): `)

// reason condenses a gateway error into a short category for the counts:
// endorsing peers that disagree, the chaincode's error code, or the gRPC
// status.
func reason(err error) string {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return "deadline"
	}
	st := status.Convert(err)
	msgs := []string{st.Message()}
	for _, d := range st.Details() {
		if detail, ok := d.(*gateway.ErrorDetail); ok {
			msgs = append(msgs, detail.GetMessage())
		}
	}
	all := strings.Join(msgs, " | ")
	switch {
	case strings.Contains(all, "ProposalResponsePayloads do not match"):
		return "peers disagree (different heights)"
	case strings.Contains(all, "no combination of peers"):
		return "no endorsing peers"
	}
	for _, m := range msgs[1:] {
		if c := codePrefix.FindStringSubmatch(m); c != nil {
			return "chaincode " + c[1]
		}
	}
	return st.Code().String()
}

// eventPayload digs the chaincode event out of an endorsed transaction:
// envelope -> payload -> transaction -> action -> proposal response payload
// -> chaincode action -> event. The endorsing peers put it there, so a
// client learns the coins a payment created without a query.
func eventPayload(raw []byte) ([]byte, error) {
	var prepared gateway.PreparedTransaction
	if err := proto.Unmarshal(raw, &prepared); err != nil {
		return nil, err
	}
	var payload common.Payload
	if err := proto.Unmarshal(prepared.GetEnvelope().GetPayload(), &payload); err != nil {
		return nil, err
	}
	var transaction peer.Transaction
	if err := proto.Unmarshal(payload.GetData(), &transaction); err != nil {
		return nil, err
	}
	if len(transaction.GetActions()) != 1 {
		return nil, fmt.Errorf("transaction has %d actions", len(transaction.GetActions()))
	}
	var actionPayload peer.ChaincodeActionPayload
	if err := proto.Unmarshal(transaction.GetActions()[0].GetPayload(), &actionPayload); err != nil {
		return nil, err
	}
	var prp peer.ProposalResponsePayload
	if err := proto.Unmarshal(actionPayload.GetAction().GetProposalResponsePayload(), &prp); err != nil {
		return nil, err
	}
	var action peer.ChaincodeAction
	if err := proto.Unmarshal(prp.GetExtension(), &action); err != nil {
		return nil, err
	}
	var event peer.ChaincodeEvent
	if err := proto.Unmarshal(action.GetEvents(), &event); err != nil {
		return nil, err
	}
	return event.GetPayload(), nil
}

// walletEvent is the part of a Likr wallet event the bench reads.
type walletEvent struct {
	Type   string `json:"type"`
	Holder string `json:"holder"`
	Coin   string `json:"coin"`
}

// changeCoin returns the change coin a transaction's debit of holder
// created, "" when the debit spent its inputs exactly.
func changeCoin(events []byte, holder string) (string, error) {
	var list []walletEvent
	if err := json.Unmarshal(events, &list); err != nil {
		return "", fmt.Errorf("decoding the chaincode event: %w", err)
	}
	for _, e := range list {
		if e.Type == "wallet.debit" && e.Holder == holder {
			return e.Coin, nil
		}
	}
	return "", fmt.Errorf("no debit of %s in the event", holder)
}
