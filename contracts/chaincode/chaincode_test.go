package chaincode

import (
	"encoding/json"
	"regexp"
	"testing"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger/memledger"
)

const initJSON = `{"operatorMsp":"Org1MSP","trusted":{"admin":["Org1MSP"],"supplier":["Org2MSP"],"seller":["Org2MSP"],"moderator":["Org1MSP"],"auditor":["Org1MSP"]},"platformFeeBps":500,"supplyCap":"1000000","autoReleaseSeconds":604800,"disputeTimeoutSeconds":1209600,"stockShards":16}`

// fixture is the chaincode dispatched by contract-api over a memledger,
// with one identity per role and MSP.
type fixture struct {
	t   *testing.T
	l   *memledger.Ledger
	cc  *contractapi.ContractChaincode
	ids map[string]*memledger.Identity
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	cc, err := New()
	require.NoError(t, err)
	f := &fixture{t: t, l: memledger.New(), cc: cc, ids: map[string]*memledger.Identity{}}
	for name, spec := range map[string][2]string{
		"admin": {"Org1MSP", "admin"}, "auditor": {"Org1MSP", "auditor"}, "moderator": {"Org1MSP", "moderator"},
		"consumer": {"Org1MSP", ""}, "supplier": {"Org2MSP", "supplier"}, "seller": {"Org2MSP", "seller"},
		"rogue-admin": {"Org2MSP", "admin"}, "rogue-auditor": {"Org2MSP", "auditor"}, "superuser": {"Org1MSP", "superuser"},
	} {
		attrs := map[string]string{}
		if spec[1] != "" {
			attrs["likr.role"] = spec[1]
		}
		id, err := memledger.NewIdentity(spec[0], name, attrs)
		require.NoError(t, err)
		f.ids[name] = id
	}
	return f
}

// call dispatches fn as identity and commits on success.
func (f *fixture) call(identity, fn string, args ...string) (string, error) {
	f.t.Helper()
	bytesArgs := make([][]byte, len(args))
	for i, a := range args {
		bytesArgs[i] = []byte(a)
	}
	tx := f.l.Begin(memledger.TxOptions{Creator: f.ids[identity].Creator(), Function: fn, Args: bytesArgs})
	resp := f.cc.Invoke(tx)
	if resp.Status != 200 {
		tx.Discard()
		coded, ok := errs.Parse(resp.Message)
		require.True(f.t, ok, "%s: error without a code: %q", fn, resp.Message)
		require.Regexp(f.t, regexp.MustCompile(`^[A-Z_]+(: |$)`), resp.Message, "message must start with its code")
		return "", coded
	}
	require.NoError(f.t, tx.Commit())
	return string(resp.Payload), nil
}

func (f *fixture) mustCall(identity, fn string, args ...string) map[string]any {
	f.t.Helper()
	out, err := f.call(identity, fn, args...)
	require.NoError(f.t, err, "%s as %s", fn, identity)
	var v map[string]any
	if out != "" {
		require.NoError(f.t, json.Unmarshal([]byte(out), &v))
	}
	return v
}

func (f *fixture) account(identity string) string {
	return f.mustCall(identity, "config:WhoAmI")["account"].(string)
}

func TestWhoAmIReadsTheTrustedRole(t *testing.T) {
	f := newFixture(t)
	before := f.mustCall("admin", "config:WhoAmI")
	require.Equal(t, "admin", before["claimedRole"])
	require.Equal(t, "consumer", before["role"], "no MSP is trusted before Init")
	f.mustCall("admin", "config:Init", initJSON)
	require.Equal(t, "admin", f.mustCall("admin", "config:WhoAmI")["role"])
	require.Equal(t, "seller", f.mustCall("seller", "config:WhoAmI")["role"])
	require.Equal(t, "consumer", f.mustCall("rogue-admin", "config:WhoAmI")["role"], "Org2 is not trusted for admin")
	require.Equal(t, "consumer", f.mustCall("superuser", "config:WhoAmI")["role"], "unknown role values grant nothing")
	require.Regexp(t, "^[0-9a-f]{40}$", before["account"])
	require.NotEqual(t, f.account("admin"), f.account("rogue-admin"))
}

func TestInitOnceByTheOperatorAdmin(t *testing.T) {
	f := newFixture(t)
	_, err := f.call("rogue-admin", "config:Init", initJSON)
	require.ErrorIs(t, err, errs.ErrForbidden, "admin attribute from a non-operator MSP")
	_, err = f.call("consumer", "config:Init", initJSON)
	require.ErrorIs(t, err, errs.ErrForbidden)
	_, err = f.call("admin", "config:Init", `{"operatorMsp":"Org1MSP","unknown":1}`)
	require.ErrorIs(t, err, errs.ErrInvalidArgument)
	require.Empty(t, f.l.Snapshot(), "refused calls write nothing")
	f.mustCall("admin", "config:Init", initJSON)
	_, err = f.call("admin", "config:Init", initJSON)
	require.ErrorIs(t, err, errs.ErrAlreadyExists)
}

// Every role-gated function refuses each wrong role, no role, and the right
// role issued by an untrusted MSP, with FORBIDDEN and no write.
func TestRoleMatrix(t *testing.T) {
	f := newFixture(t)
	f.mustCall("admin", "config:Init", initJSON)
	f.mustCall("admin", "wallet:Mint", f.account("consumer"), "100")
	target := f.account("consumer")
	cases := []struct {
		fn      string
		args    []string
		allowed []string
	}{
		{"config:Update", []string{initJSON}, []string{"admin"}},
		{"wallet:Mint", []string{target, "5"}, []string{"admin"}},
		{"wallet:Audit", nil, []string{"admin", "auditor"}},
		{"wallet:Balance", []string{target}, []string{"admin", "auditor", "consumer"}},
		{"wallet:History", []string{target, "10", ""}, []string{"admin", "auditor", "consumer"}},
		{"wallet:Coins", []string{target, "10", ""}, []string{"admin", "auditor", "consumer"}},
	}
	for _, tc := range cases {
		for name := range f.ids {
			allowed := false
			for _, a := range tc.allowed {
				allowed = allowed || a == name
			}
			before := f.l.Snapshot()
			_, err := f.call(name, tc.fn, tc.args...)
			if allowed {
				require.NoError(t, err, "%s as %s", tc.fn, name)
				continue
			}
			require.ErrorIs(t, err, errs.ErrForbidden, "%s as %s", tc.fn, name)
			require.Equal(t, before, f.l.Snapshot(), "%s as %s wrote state", tc.fn, name)
		}
	}
}

func TestMintTransferAuditAndOneEventPerTransaction(t *testing.T) {
	f := newFixture(t)
	f.mustCall("admin", "config:Init", initJSON)
	alice, bob := f.account("consumer"), f.account("seller")
	f.mustCall("admin", "wallet:Mint", alice, "1000")
	_, err := f.call("admin", "wallet:Mint", alice, "999001")
	require.ErrorIs(t, err, errs.ErrLimitExceeded, "supply cap")

	coins := f.mustCall("consumer", "wallet:Coins", alice, "10", "")["coins"].([]any)
	require.Len(t, coins, 1)
	coin := coins[0].(map[string]any)["id"].(string)
	inputs := `["` + coin + `"]`
	_, err = f.call("consumer", "wallet:Transfer", bob, "1001", inputs)
	require.ErrorIs(t, err, errs.ErrInsufficientFunds)
	_, err = f.call("seller", "wallet:Transfer", bob, "1", inputs)
	require.Error(t, err, "a coin of another account cannot be spent")
	for _, bad := range []string{"-1", "0", "1.5", "1e3", "0x10", "+5", "007", "1_000", "", "18446744073709551616"} {
		_, err = f.call("consumer", "wallet:Transfer", bob, bad, inputs)
		require.ErrorIs(t, err, errs.ErrInvalidArgument, "amount %q", bad)
	}
	events := len(f.l.Events())
	f.mustCall("consumer", "wallet:Transfer", bob, "400", inputs)
	require.Len(t, f.l.Events(), events+1, "one chaincode event per transaction")
	last := f.l.Events()[len(f.l.Events())-1]
	require.Equal(t, EventName, last.Name)
	var business []map[string]any
	require.NoError(t, json.Unmarshal(last.Payload, &business))
	require.Len(t, business, 2, "the payer's debit, then the payee's credit")
	require.Equal(t, "wallet.debit", business[0]["type"])
	require.Equal(t, "wallet.credit", business[1]["type"])

	require.Equal(t, "600", f.mustCall("consumer", "wallet:Balance", alice)["balance"])
	require.Equal(t, "400", f.mustCall("seller", "wallet:Balance", bob)["balance"])
	audit := f.mustCall("auditor", "wallet:Audit")
	require.Equal(t, true, audit["ok"])
	require.Equal(t, "1000", audit["held"])
}

func TestBatchOverflowIsRefused(t *testing.T) {
	f := newFixture(t)
	f.mustCall("admin", "config:Init", initJSON)
	alice := f.account("consumer")
	f.mustCall("admin", "wallet:Mint", alice, "1000")
	coin := f.mustCall("consumer", "wallet:Coins", alice, "10", "")["coins"].([]any)[0].(map[string]any)["id"].(string)
	before := f.l.Snapshot()
	recipients, _ := json.Marshal([]string{f.account("seller"), f.account("supplier")})
	_, err := f.call("consumer", "wallet:BatchTransfer", string(recipients), "9223372036854775808", `["`+coin+`"]`)
	require.ErrorIs(t, err, errs.ErrOverflow, "2 x 2^63 overflows uint64")
	require.Equal(t, before, f.l.Snapshot())
}

func TestUnknownFunctionHasACode(t *testing.T) {
	f := newFixture(t)
	_, err := f.call("admin", "wallet:Steal")
	require.ErrorIs(t, err, errs.ErrInvalidArgument)
}

func TestMergeJoinsTheCallersCoins(t *testing.T) {
	f := newFixture(t)
	f.mustCall("admin", "config:Init", initJSON)
	alice := f.account("consumer")
	for i := 0; i < 3; i++ {
		f.mustCall("admin", "wallet:Mint", alice, "10")
	}
	var ids []string
	for _, c := range f.mustCall("consumer", "wallet:Coins", alice, "10", "")["coins"].([]any) {
		ids = append(ids, c.(map[string]any)["id"].(string))
	}
	inputs, err := json.Marshal(ids)
	require.NoError(t, err)
	_, err = f.call("seller", "wallet:Merge", string(inputs))
	require.Error(t, err, "another account's coins cannot be merged")
	f.mustCall("consumer", "wallet:Merge", string(inputs))
	coins := f.mustCall("consumer", "wallet:Coins", alice, "10", "")["coins"].([]any)
	require.Len(t, coins, 1)
	require.Equal(t, "30", coins[0].(map[string]any)["amount"])
}
