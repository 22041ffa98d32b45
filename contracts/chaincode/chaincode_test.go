package chaincode

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger/memledger"
	"github.com/likrcommerce/likr/contracts/wallet"
)

// Org1MSP is the operator (admins, auditors, moderators); Org2MSP is
// trusted for suppliers and sellers only.
const initJSON = `{"operatorMsp":"Org1MSP","trusted":{"admin":["Org1MSP"],"supplier":["Org2MSP"],"seller":["Org2MSP"],"moderator":["Org1MSP"],"auditor":["Org1MSP"]},"platformFeeBps":500,"supplyCap":"1000000","autoReleaseSeconds":604800,"disputeTimeoutSeconds":1209600,"stockShards":16,"reviewWindowSeconds":86400}`

// identities are the callers of every test, in a fixed order: each trusted
// role, no role, an unknown role value, and trusted roles claimed from an
// MSP that is not trusted for them.
var identities = []struct{ name, msp, role string }{
	{"admin", "Org1MSP", "admin"},
	{"auditor", "Org1MSP", "auditor"},
	{"moderator", "Org1MSP", "moderator"},
	{"consumer", "Org1MSP", ""},
	{"supplier", "Org2MSP", "supplier"},
	{"seller", "Org2MSP", "seller"},
	{"superuser", "Org1MSP", "superuser"},
	{"rogue-admin", "Org2MSP", "admin"},
	{"rogue-auditor", "Org2MSP", "auditor"},
}

// fixture is the chaincode dispatched by contract-api over a memledger.
type fixture struct {
	t   *testing.T
	l   *memledger.Ledger
	cc  *Chaincode
	ids map[string]*memledger.Identity
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	cc, err := New()
	require.NoError(t, err)
	f := &fixture{t: t, l: memledger.New(), cc: cc, ids: map[string]*memledger.Identity{}}
	for _, spec := range identities {
		attrs := map[string]string{}
		if spec.role != "" {
			attrs["likr.role"] = spec.role
		}
		id, err := memledger.NewIdentity(spec.msp, spec.name, attrs)
		require.NoError(t, err)
		f.ids[spec.name] = id
	}
	return f
}

// outcome is what one transaction did.
type outcome struct {
	payload string
	err     error
	writes  []memledger.Write
	event   *memledger.Event
}

// invoke dispatches fn through contract-api as identity, checks that a
// failure is coded, writes nothing and emits nothing, and commits a
// success.
func (f *fixture) invoke(identity, fn string, args ...string) outcome {
	f.t.Helper()
	id, ok := f.ids[identity]
	require.True(f.t, ok, identity)
	raw := make([][]byte, len(args))
	for i, a := range args {
		raw[i] = []byte(a)
	}
	tx := f.l.Begin(memledger.TxOptions{Creator: id.Creator(), Function: fn, Args: raw})
	resp := f.cc.Invoke(tx)
	out := outcome{payload: string(resp.Payload), writes: tx.Writes()}
	if e, ok := tx.Event(); ok {
		out.event = &e
	}
	if resp.Status != 200 {
		tx.Discard()
		require.Regexp(f.t, `^[A-Z_]+: `, resp.Message, "%s as %s: the message must start with its code", fn, identity)
		coded, ok := errs.Parse(resp.Message)
		require.True(f.t, ok && strings.HasPrefix(resp.Message, string(coded.Code)), "%s: unknown code in %q", fn, resp.Message)
		require.Empty(f.t, out.writes, "%s as %s failed (%s) after writing", fn, identity, resp.Message)
		require.Nil(f.t, out.event, "%s as %s failed but set an event", fn, identity)
		out.err = coded
		return out
	}
	require.NoError(f.t, tx.Commit())
	return out
}

func (f *fixture) call(identity, fn string, args ...string) (string, error) {
	f.t.Helper()
	o := f.invoke(identity, fn, args...)
	return o.payload, o.err
}

// mustCall runs a call that must succeed and decodes its JSON result.
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

// coins returns the IDs of the account's unspent coins as a JSON array.
func (f *fixture) coins(identity string) string {
	var ids []string
	for _, c := range f.mustCall(identity, "wallet:Coins", f.account(identity), "100", "")["coins"].([]any) {
		ids = append(ids, c.(map[string]any)["id"].(string))
	}
	data, err := json.Marshal(ids)
	require.NoError(f.t, err)
	return string(data)
}

// businessEvents decodes the payload of a transaction's one event.
func businessEvents(t *testing.T, o outcome) []map[string]any {
	t.Helper()
	require.NotNil(t, o.event, "the transaction emitted no event")
	require.Equal(t, EventName, o.event.Name)
	var events []map[string]any
	require.NoError(t, json.Unmarshal(o.event.Payload, &events))
	return events
}

func eventTypes(events []map[string]any) []string {
	types := make([]string, len(events))
	for i, e := range events {
		types[i] = e["type"].(string)
	}
	return types
}

func TestWhoAmIReadsTheTrustedRole(t *testing.T) {
	f := newFixture(t)
	before := f.mustCall("admin", "config:WhoAmI")
	require.Equal(t, "Org1MSP", before["mspId"])
	require.Equal(t, "admin", before["claimedRole"])
	require.Equal(t, "consumer", before["role"], "no MSP is trusted for any role before Init")
	require.Regexp(t, "^[0-9a-f]{40}$", before["account"])

	f.mustCall("admin", "config:Init", initJSON)
	for _, id := range identities {
		want := map[string]string{"admin": "admin", "auditor": "auditor", "moderator": "moderator", "supplier": "supplier", "seller": "seller"}[id.name]
		if want == "" {
			want = "consumer" // no role, an unknown value, or an untrusted MSP
		}
		who := f.mustCall(id.name, "config:WhoAmI")
		require.Equal(t, want, who["role"], id.name)
		require.Equal(t, id.role, who["claimedRole"], id.name)
		require.Equal(t, id.msp, who["mspId"], id.name)
	}
	require.Equal(t, before["account"], f.account("admin"), "the account does not depend on the config")
	require.NotEqual(t, f.account("admin"), f.account("rogue-admin"))
}

func TestInitOnceByTheOperatorAdmin(t *testing.T) {
	f := newFixture(t)
	_, err := f.call("admin", "config:Init", `{"operatorMsp":"Org1MSP","unknown":1}`)
	require.ErrorIs(t, err, errs.ErrInvalidArgument)
	_, err = f.call("rogue-admin", "config:Init", strings.ReplaceAll(initJSON, "Org1MSP", "Org2MSP"))
	require.NoError(t, err, "the admin of the operator org that the request names founds the channel")

	f = newFixture(t)
	init := f.invoke("admin", "config:Init", initJSON)
	require.NoError(t, init.err)
	require.Equal(t, []string{EventConfigInitialised}, eventTypes(businessEvents(t, init)))
	require.Equal(t, f.account("admin"), businessEvents(t, init)[0]["by"])
	_, err = f.call("admin", "config:Init", initJSON)
	require.ErrorIs(t, err, errs.ErrAlreadyExists)
	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(initJSON), &got))
	require.Equal(t, got, f.mustCall("consumer", "config:Get"))
}

func TestBeforeInitRolesAreRefusedAsInvalidState(t *testing.T) {
	f := newFixture(t)
	_, err := f.call("consumer", "config:Get")
	require.ErrorIs(t, err, errs.ErrNotFound)
	_, err = f.call("admin", "config:Update", initJSON)
	require.ErrorIs(t, err, errs.ErrInvalidState)
	_, err = f.call("admin", "wallet:Mint", f.account("consumer"), "5")
	require.ErrorIs(t, err, errs.ErrInvalidState)
	require.Contains(t, err.Error(), "config not initialised")
	require.Empty(t, f.l.Snapshot())
}

// rule is who may call a function, and with which arguments.
type rule struct {
	fn      string
	args    []string
	allowed []string // identities that succeed; "*" for every identity
}

// Every role-gated function refuses each wrong role, no role, an unknown
// role value, and the right role claimed from an untrusted MSP, with
// FORBIDDEN and without writing anything or emitting an event (invoke
// checks both on every failure).
func TestRoleMatrix(t *testing.T) {
	f := newFixture(t)
	// Before Init: only the operator's admin may found the channel.
	check(t, f, rule{"config:Init", []string{initJSON}, nil}, "admin")
	f.mustCall("admin", "config:Init", initJSON)

	f.mustCall("admin", "wallet:Mint", f.account("consumer"), "100")
	target := f.account("consumer")
	for _, r := range []rule{
		{"config:Update", []string{initJSON}, []string{"admin"}},
		{"wallet:Mint", []string{target, "5"}, []string{"admin"}},
		{"wallet:Audit", nil, []string{"admin", "auditor"}},
		{"wallet:Balance", []string{target}, []string{"admin", "auditor", "consumer"}},
		{"wallet:History", []string{target, "10", ""}, []string{"admin", "auditor", "consumer"}},
		{"wallet:Coins", []string{target, "10", ""}, []string{"admin", "auditor", "consumer"}},
		{"wallet:Balance", []string{wallet.CampaignPool}, []string{"admin", "auditor"}},
		{"config:Get", nil, []string{"*"}},
		{"config:WhoAmI", nil, []string{"*"}},
		{"wallet:Supply", nil, []string{"*"}},
	} {
		check(t, f, r)
	}
	// After Init, Init is still refused as FORBIDDEN to all but the admin,
	// who is told it already exists.
	check(t, f, rule{"config:Init", []string{initJSON}, nil}, "admin")
	_, err := f.call("admin", "config:Init", initJSON)
	require.ErrorIs(t, err, errs.ErrAlreadyExists)
}

// check calls r.fn as every identity but skip.
func check(t *testing.T, f *fixture, r rule, skip ...string) {
	t.Helper()
	for _, id := range identities {
		if slices.Contains(skip, id.name) {
			continue
		}
		_, err := f.call(id.name, r.fn, r.args...)
		if slices.Contains(r.allowed, id.name) || slices.Contains(r.allowed, "*") {
			require.NoError(t, err, "%s as %s", r.fn, id.name)
		} else {
			require.ErrorIs(t, err, errs.ErrForbidden, "%s as %s", r.fn, id.name)
			require.Contains(t, err.Error(), "requires", "%s as %s: the refusal names what is required", r.fn, id.name)
		}
	}
}

// A payer is always the caller: no identity, admins included, can spend
// coins of another account by naming them.
func TestNobodySpendsAnotherAccountsCoins(t *testing.T) {
	f := newFixture(t)
	f.mustCall("admin", "config:Init", initJSON)
	f.mustCall("admin", "wallet:Mint", f.account("consumer"), "60")
	f.mustCall("admin", "wallet:Mint", f.account("consumer"), "40") // two coins, so Merge is possible
	inputs := f.coins("consumer")
	payee := strings.Repeat("ab", 20) // an account that is none of the callers
	recipients := fmt.Sprintf(`[%q]`, payee)
	for _, id := range identities {
		if id.name == "consumer" {
			continue
		}
		for _, call := range [][]string{
			{"wallet:Transfer", payee, "10", inputs},
			{"wallet:BatchTransfer", recipients, "10", inputs},
			{"wallet:Burn", "10", inputs},
			{"wallet:Merge", inputs},
		} {
			_, err := f.call(id.name, call[0], call[1:]...)
			require.ErrorIs(t, err, errs.ErrNotFound, "%s as %s", call[0], id.name)
		}
	}
	require.Equal(t, "100", f.mustCall("consumer", "wallet:Balance", f.account("consumer"))["balance"])
}

func TestOneEventPerTransactionWithOrderedBusinessEvents(t *testing.T) {
	f := newFixture(t)
	f.mustCall("admin", "config:Init", initJSON)
	alice, bob, carol := f.account("consumer"), f.account("seller"), f.account("supplier")

	mint := f.invoke("admin", "wallet:Mint", alice, "1000")
	require.NoError(t, mint.err)
	require.Equal(t, []string{"wallet.credit"}, eventTypes(businessEvents(t, mint)))

	recipients := fmt.Sprintf(`[%q,%q]`, bob, carol)
	batch := f.invoke("consumer", "wallet:BatchTransfer", recipients, "300", f.coins("consumer"))
	require.NoError(t, batch.err)
	events := businessEvents(t, batch)
	require.Equal(t, []string{"wallet.debit", "wallet.credit", "wallet.credit"}, eventTypes(events))
	require.Equal(t, alice, events[0]["holder"])
	require.Equal(t, "600", events[0]["amount"], "amounts are decimal strings")
	require.Equal(t, []any{bob, carol}, []any{events[1]["holder"], events[2]["holder"]}, "credits in recipient order")

	read := f.invoke("consumer", "wallet:Balance", alice)
	require.NoError(t, read.err)
	require.Nil(t, read.event, "a transaction without business events emits none")

	var names []string
	for _, e := range f.l.Events() {
		names = append(names, e.Name)
	}
	require.Equal(t, []string{EventName, EventName, EventName}, names, "Init, Mint and BatchTransfer: one event each")
}

func TestMintTransferAndAudit(t *testing.T) {
	f := newFixture(t)
	f.mustCall("admin", "config:Init", initJSON)
	alice, bob := f.account("consumer"), f.account("seller")
	require.Equal(t, `{"coins":[],"bookmark":""}`, must(f.call("consumer", "wallet:Coins", alice, "10", "")),
		"an empty page is an empty list, which contract-api's schema check would have refused as a typed result")
	f.mustCall("admin", "wallet:Mint", alice, "1000")
	_, err := f.call("admin", "wallet:Mint", alice, "999001")
	require.ErrorIs(t, err, errs.ErrLimitExceeded, "supply cap")
	_, err = f.call("admin", "wallet:Mint", wallet.CampaignPool, "1")
	require.ErrorIs(t, err, errs.ErrInvalidArgument, "a mint credits an account, not a system holder")

	inputs := f.coins("consumer")
	_, err = f.call("consumer", "wallet:Transfer", bob, "1001", inputs)
	require.ErrorIs(t, err, errs.ErrInsufficientFunds)
	for _, bad := range []string{"-1", "0", "1.5", "1e3", "0x10", "+5", "007", "1_000", "", " 5", "18446744073709551616"} {
		_, err = f.call("consumer", "wallet:Transfer", bob, bad, inputs)
		require.ErrorIs(t, err, errs.ErrInvalidArgument, "amount %q", bad)
	}
	f.mustCall("consumer", "wallet:Transfer", bob, "400", inputs)

	require.Equal(t, fmt.Sprintf(`{"account":%q,"balance":"600"}`, alice), must(f.call("consumer", "wallet:Balance", alice)))
	require.Equal(t, "400", f.mustCall("seller", "wallet:Balance", bob)["balance"])
	require.Equal(t, map[string]any{"minted": "1000", "burned": "0", "circulating": "1000"}, f.mustCall("consumer", "wallet:Supply"))
	audit := f.mustCall("auditor", "wallet:Audit")
	require.Equal(t, true, audit["ok"], "%v", audit)
	require.Equal(t, "1000", audit["held"])
}

func must(s string, err error) string {
	if err != nil {
		panic(err)
	}
	return s
}

func TestPaymentsPayAccountsOnly(t *testing.T) {
	f := newFixture(t)
	f.mustCall("admin", "config:Init", initJSON)
	f.mustCall("admin", "wallet:Mint", f.account("consumer"), "1000")
	inputs := f.coins("consumer")
	for _, to := range []string{wallet.CampaignPool, "~escrow:x:y", strings.ToUpper(f.account("seller")), "bob"} {
		_, err := f.call("consumer", "wallet:Transfer", to, "1", inputs)
		require.ErrorIs(t, err, errs.ErrInvalidArgument, to)
		_, err = f.call("consumer", "wallet:BatchTransfer", fmt.Sprintf(`[%q,%q]`, f.account("seller"), to), "1", inputs)
		require.ErrorIs(t, err, errs.ErrInvalidArgument, to)
	}
}

func TestBatchOverflowIsRefused(t *testing.T) {
	f := newFixture(t)
	f.mustCall("admin", "config:Init", initJSON)
	f.mustCall("admin", "wallet:Mint", f.account("consumer"), "1000")
	recipients := fmt.Sprintf(`[%q,%q]`, f.account("seller"), f.account("supplier"))
	_, err := f.call("consumer", "wallet:BatchTransfer", recipients, "9223372036854775808", f.coins("consumer"))
	require.ErrorIs(t, err, errs.ErrOverflow, "2 x 2^63 overflows uint64")
}

func TestMergeJoinsTheCallersCoins(t *testing.T) {
	f := newFixture(t)
	f.mustCall("admin", "config:Init", initJSON)
	alice := f.account("consumer")
	for range 3 {
		f.mustCall("admin", "wallet:Mint", alice, "10")
	}
	f.mustCall("consumer", "wallet:Merge", f.coins("consumer"))
	coins := f.mustCall("consumer", "wallet:Coins", alice, "10", "")["coins"].([]any)
	require.Len(t, coins, 1)
	require.Equal(t, "30", coins[0].(map[string]any)["amount"])
}

// Malformed calls are refused with INVALID_ARGUMENT by the contract's own
// check, before contract-api would accept or refuse them without a code.
func TestMalformedCallsAreCoded(t *testing.T) {
	f := newFixture(t)
	f.mustCall("admin", "config:Init", initJSON)
	alice := f.account("consumer")
	for _, c := range []struct {
		fn   string
		args []string
		want string
	}{
		{"wallet:Steal", nil, "unknown transaction"},
		{"WhoAmI", nil, "unknown transaction"},        // contract-api routes it to the default contract
		{"config:whoAmI", nil, "unknown transaction"}, // contract-api matches the first letter in any case
		{"config:GetEvaluateTransactions", nil, "unknown transaction"},
		{"config:WhoAmI", []string{"extra"}, "takes 0 arguments, got 1"}, // contract-api ignores extras
		{"wallet:Mint", []string{alice}, "takes 2 arguments, got 1"},     // contract-api's message has no code
		{"wallet:Coins", []string{alice, "ten", ""}, "pageSize"},
		{"wallet:Coins", []string{alice, "+10", ""}, "pageSize"},
		{"wallet:Coins", []string{alice, "0", ""}, "page size"},
		{"wallet:Coins", []string{alice, "101", ""}, "page size"},
		{"wallet:History", []string{alice, "10", "forged"}, "bookmark"},
		{"wallet:Balance", []string{"not-an-account"}, "account"},
		{"wallet:Transfer", []string{alice, "1", `["a","a"]`}, "inputs"},
		{"wallet:Transfer", []string{alice, "1", `{"a":1}`}, "inputs"},
		{"wallet:BatchTransfer", []string{`["x"],`, "1", `["a"]`}, "recipients"},
		{"config:Update", []string{`{"operatorMsp":"Org1MSP","operatorMsp":"Org1MSP"}`}, "duplicate key"},
	} {
		_, err := f.call("admin", c.fn, c.args...)
		require.ErrorIs(t, err, errs.ErrInvalidArgument, "%s %q", c.fn, c.args)
		require.Contains(t, err.Error(), c.want, "%s %q", c.fn, c.args)
	}
}

// contract-api answers some malformed calls itself, without a code (see
// the package doc); Chaincode answers them first, with INVALID_ARGUMENT
// (f.call checks that they write and emit nothing). contract-api's own
// answers are pinned too, so an upgrade that changes them is noticed.
func TestContractAPIAnswersUnknownContractsItself(t *testing.T) {
	f := newFixture(t)
	f.mustCall("admin", "config:Init", initJSON)
	for _, c := range []struct{ fn, contractAPI, want string }{
		{"bank:Steal", "Contract not found with name bank", `no contract "bank"`},
		{"wallet:", "Blank function name passed", "the function name is empty"},
		{"", "Blank function name passed", "the call names none"},
		{":WhoAmI", "Contract not found with name ", `no contract ""`},
		{"wallet:Mint:x", "Contract not found with name wallet:Mint", "the wallet contract's are named wallet:Function"},
	} {
		tx := f.l.Begin(memledger.TxOptions{Creator: f.ids["admin"].Creator(), Function: c.fn})
		require.Equal(t, c.contractAPI, f.cc.ContractAPI().Invoke(tx).Message, "%q", c.fn)
		tx.Discard()
		_, err := f.call("admin", c.fn)
		require.ErrorIs(t, err, errs.ErrInvalidArgument, "%q", c.fn)
		require.Contains(t, err.Error(), c.want, "%q", c.fn)
		require.Equal(t, "admin", f.mustCall("admin", "config:WhoAmI")["role"], "the chaincode keeps serving")
	}
}

// New refuses transactions whose arguments or results contract-api would
// convert or validate itself (see the package doc).
func TestSetupRefusesNonStringSignatures(t *testing.T) {
	require.ErrorContains(t, setup(&intArgContract{}, "bad"), "bad:Page: parameter 0 is int32; transactions take strings")
	require.ErrorContains(t, setup(&structResultContract{}, "bad"), "bad:Read: returns")
	require.ErrorContains(t, setup(&noContextContract{}, "bad"), "bad:Helper: the first parameter must be *Context")
	require.NoError(t, setup(&WalletContract{}, "wallet"))
}

type noContextContract struct{ base }

func (*noContextContract) Helper(string) error { return nil }

type intArgContract struct{ base }

func (*intArgContract) Page(*Context, int32) error { return nil }

type structResultContract struct{ base }

func (*structResultContract) Read(*Context) (wallet.CoinPage, error) { return wallet.CoinPage{}, nil }

// The metadata tags evaluate-only transactions, and each name tagged is a
// transaction.
func TestMetadataTagsEvaluateTransactions(t *testing.T) {
	f := newFixture(t)
	md := f.cc.Invoke(f.l.Begin(memledger.TxOptions{Function: "org.hyperledger.fabric:GetMetadata"}))
	require.EqualValues(t, 200, md.Status, md.Message)
	var meta struct {
		Contracts map[string]struct {
			Transactions []struct {
				Name string   `json:"name"`
				Tag  []string `json:"tag"`
			} `json:"transactions"`
		} `json:"contracts"`
	}
	require.NoError(t, json.Unmarshal(md.Payload, &meta))
	for name, c := range map[string]contractapi.EvaluationContractInterface{
		"config": &ConfigContract{}, "wallet": &WalletContract{}, "product": &ProductContract{},
		"store": &StoreContract{}, "order": &OrderContract{}, "sales": &SalesContract{},
		"review": &ReviewContract{}, "reward": &RewardContract{}, "moderation": &ModerationContract{},
	} {
		evaluate := c.GetEvaluateTransactions()
		var tagged []string
		for _, tx := range meta.Contracts[name].Transactions {
			if slices.Contains(tx.Tag, "EVALUATE") {
				tagged = append(tagged, tx.Name)
			}
		}
		require.ElementsMatch(t, evaluate, tagged, "%s: a name in GetEvaluateTransactions that is no transaction is not tagged", name)
	}
}
