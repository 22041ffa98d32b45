package chaincode

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger/memledger"
)

// The gate knows exactly the transactions that contract-api publishes:
// it refuses none of them, and admits nothing else.
func TestTheGateAdmitsEveryPublishedTransaction(t *testing.T) {
	f := newFixture(t)
	md := f.cc.Invoke(f.l.Begin(memledger.TxOptions{Function: metadataTransaction}))
	require.EqualValues(t, 200, md.Status, md.Message)
	var meta struct {
		Contracts map[string]struct {
			Transactions []struct {
				Name       string `json:"name"`
				Parameters []any  `json:"parameters"`
			} `json:"transactions"`
		} `json:"contracts"`
	}
	require.NoError(t, json.Unmarshal(md.Payload, &meta))
	published := map[string]int{}
	for name, c := range meta.Contracts {
		for _, tx := range c.Transactions {
			published[name+":"+tx.Name] = len(tx.Parameters)
		}
	}
	require.Contains(t, published, metadataTransaction)
	require.Contains(t, published, "order:ResolveDispute")
	require.Equal(t, published, f.cc.arity)
	require.Equal(t, []string{"config", "wallet", "reward", "product", "store", "order", "review", "moderation", "sales"}, f.cc.contracts)
}

// Every call that names no transaction, or gives one the wrong number of
// arguments, is INVALID_ARGUMENT from the gate, writes nothing (f.call
// checks it), and the chaincode keeps serving.
func TestTheGateRefusesWithACode(t *testing.T) {
	f := newFixture(t)
	f.mustCall("admin", "config:Init", initJSON)
	before := f.l.Snapshot()
	long := strings.Repeat("x", 100<<10)
	for _, c := range []struct {
		fn   string
		args []string
		want string
	}{
		{"", nil, "the call names none"},
		{"", []string{"x"}, "the call names none"}, // the shim reads an empty first argument as no function
		{"WhoAmI", nil, "transactions are named contract:Function"},
		{"bank:Steal", nil, `no contract "bank"`},
		{"Config:WhoAmI", nil, `no contract "Config"`},
		{"org.hyperledger.fabric:Steal", nil, `no contract "org.hyperledger.fabric"`},
		{"wallet:", nil, "the function name is empty"},
		{"wallet:Mint:x", nil, "the wallet contract's are named wallet:Function"},
		{"config:whoAmI", nil, "unknown transaction"},
		{"config:WhoAmI ", nil, "unknown transaction"},
		{"config:WhoAmI\x00", nil, "unknown transaction"},
		{"config:\xffWhoAmI", nil, "unknown transaction"},
		{"config:GetName", nil, "unknown transaction"},
		{"config:GetEvaluateTransactions", nil, "unknown transaction"},
		{"config:" + long, nil, "..."},
		{long + ":x", nil, "..."},
		{"config:WhoAmI", []string{"extra"}, "config:WhoAmI takes 0 arguments, got 1"},
		{"wallet:Mint", []string{"a"}, "wallet:Mint takes 2 arguments, got 1"},
		{"wallet:Mint", []string{"a", "1", "x"}, "wallet:Mint takes 2 arguments, got 3"},
		{metadataTransaction, []string{"x"}, "takes 0 arguments, got 1"},
	} {
		_, err := f.call("admin", c.fn, c.args...)
		require.ErrorIs(t, err, errs.ErrInvalidArgument, "%.80q", c.fn)
		require.Contains(t, err.Error(), c.want, "%.80q", c.fn)
		require.Less(t, len(err.Error()), 300, "%.80q: the message does not echo hostile input whole", c.fn)
		require.Equal(t, "admin", f.mustCall("admin", "config:WhoAmI")["role"])
	}
	require.Equal(t, before, f.l.Snapshot())
}

// The metadata transaction passes the gate, for every caller.
func TestMetadataPassesTheGate(t *testing.T) {
	f := newFixture(t)
	for _, id := range []string{"consumer", "rogue-admin"} {
		o := f.invoke(id, metadataTransaction)
		require.NoError(t, o.err)
		var meta map[string]any
		require.NoError(t, json.Unmarshal([]byte(o.payload), &meta))
		require.Contains(t, meta["contracts"], "wallet")
		require.Empty(t, o.writes)
	}
}

// Init without a function succeeds and writes nothing, so a chaincode
// definition with --init-required can be initialised; with a function it
// is an ordinary call through the gate.
func TestInitIsAnOrdinaryCallThroughTheGate(t *testing.T) {
	f := newFixture(t)
	admin := f.ids["admin"].Creator()

	tx := f.l.Begin(memledger.TxOptions{Creator: admin})
	resp := f.cc.Init(tx)
	require.EqualValues(t, 200, resp.Status, resp.Message)
	require.Empty(t, tx.Writes())
	tx.Discard()

	tx = f.l.Begin(memledger.TxOptions{Creator: admin, Function: "bank:Steal"})
	resp = f.cc.Init(tx)
	require.EqualValues(t, 500, resp.Status)
	require.True(t, strings.HasPrefix(resp.Message, "INVALID_ARGUMENT: "), resp.Message)
	tx.Discard()

	tx = f.l.Begin(memledger.TxOptions{Creator: admin, Function: "config:Init", Args: [][]byte{[]byte(initJSON)}})
	resp = f.cc.Init(tx)
	require.EqualValues(t, 200, resp.Status, resp.Message)
	require.NoError(t, tx.Commit())
	require.Equal(t, "admin", f.mustCall("admin", "config:WhoAmI")["role"])
}

// A transaction that panics is answered INTERNAL, and the chaincode goes
// on serving: the shim would let the panic stop the whole server.
func TestAPanicIsAnsweredInternal(t *testing.T) {
	boom := &panicContract{}
	require.NoError(t, setup(boom, "boom"))
	api, err := contractapi.NewChaincode(boom)
	require.NoError(t, err)
	cc := newChaincode(api, []contract{boom})
	l := memledger.New()
	id, err := memledger.NewIdentity("Org1MSP", "anyone", nil)
	require.NoError(t, err)
	call := func(fn string) (int32, string) {
		tx := l.Begin(memledger.TxOptions{Creator: id.Creator(), Function: fn})
		defer tx.Discard()
		resp := cc.Invoke(tx)
		return resp.Status, resp.Message
	}
	for range 2 {
		status, msg := call("boom:Now")
		require.EqualValues(t, 500, status)
		require.True(t, strings.HasPrefix(msg, "INTERNAL: "), msg)
		require.Contains(t, msg, "index out of range")
		status, msg = call("boom:Fine")
		require.EqualValues(t, 200, status, msg)
	}
	require.True(t, slices.Contains(cc.contracts, "boom"))
}

type panicContract struct{ base }

func (*panicContract) Now(*Context) error {
	var none []int
	_ = none[len(none)] // a bug that hostile input could reach
	return nil
}

func (*panicContract) Fine(*Context) error { return nil }
