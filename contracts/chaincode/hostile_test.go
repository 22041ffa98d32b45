package chaincode

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/codec"
	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger/memledger"
	"github.com/likrcommerce/likr/contracts/wallet"
)

// Hostile input, family by family, through contract-api's dispatch: each
// case must be refused with its exact code, write and emit nothing (invoke
// checks both on every failure), and leave the chaincode serving.

// maxAmount is the largest amount, 2^64-1.
const maxAmount = "18446744073709551615"

// refuse calls fn as who and requires the refusal want; then a normal call
// must succeed.
func (f *fixture) refuse(want error, who, fn string, args ...string) {
	f.t.Helper()
	_, err := f.call(who, fn, args...)
	require.ErrorIs(f.t, err, want, "%s %.120q as %s", fn, args, who)
	f.mustCall("consumer", "config:WhoAmI")
}

// addRole adds an identity of msp with a likr.role (none if "") and
// returns its account.
func (f *fixture) addRole(name, msp, role string) string {
	f.t.Helper()
	attrs := map[string]string{}
	if role != "" {
		attrs["likr.role"] = role
	}
	id, err := memledger.NewIdentity(msp, name, attrs)
	require.NoError(f.t, err)
	f.ids[name] = id
	return f.account(name)
}

// jsonString encodes s as a JSON string; invalid UTF-8 goes in raw, as a
// hostile client would send it (encoding/json would replace it).
func jsonString(s string) string {
	if !utf8.ValidString(s) {
		return `"` + s + `"`
	}
	b, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// with returns args with args[i] replaced by v.
func with(args []string, i int, v string) []string {
	out := slices.Clone(args)
	out[i] = v
	return out
}

// request is a transaction with one JSON request argument, args[at].
type request struct {
	who, fn string
	args    []string
	at      int
	// member is a "key":value member of the request whose value variants
	// replace; value kinds differ, so wrong types are per request.
	member string
	wrong  [][2]string // replacements (old, new) in the request that give a value of a wrong type or range
	// skip names variants that do not apply: product attributes are
	// free-form JSON, in which any key, null, nesting and an escaped
	// U+0000 are data (package product stores them canonically escaped).
	skip []string
	// base is what the unmodified request gets: nil for success.
	base error
}

// variants returns the malformed forms of a request, by name.
func (r request) variants() map[string]string {
	base := r.args[r.at]
	key := r.member[:strings.Index(r.member, ":")]
	replace := func(m string) string {
		if !strings.Contains(base, r.member) {
			panic(r.fn + ": member not in base")
		}
		return strings.Replace(base, r.member, m, 1)
	}
	v := map[string]string{
		"not JSON":           "not json",
		"empty":              "",
		"array":              "[" + base + "]",
		"unknown field":      `{"zzz":1,` + base[1:],
		"duplicate field":    `{` + r.member + `,` + base[1:],
		"case-folded field":  `{"` + strings.ToUpper(key[1:2]) + key[2:] + r.member[len(key):] + `,` + base[1:],
		"null":               replace(key + `:null`),
		"trailing object":    base + ` {}`,
		"trailing garbage":   base + `x`,
		"two documents":      base + base,
		"deep nesting":       replace(key + `:` + strings.Repeat("[", codec.MaxDepth) + strings.Repeat("]", codec.MaxDepth)),
		"oversized":          replace(key + `:"` + strings.Repeat("a", codec.MaxPayloadBytes) + `"`),
		"invalid UTF-8":      replace(key + `:"x` + "\xff" + `y"`),
		"U+0000":             replace(key + `:"x\u0000y"`),
		"unpaired surrogate": replace(key + `:"x\ud800y"`),
		"wrong type":         replace(key + `:[]`),
	}
	if r.member[len(key)+1] == '"' { // a string member: a number is a wrong type too
		v["number for string"] = replace(key + `:1`)
	}
	for i, w := range r.wrong {
		if !strings.Contains(base, w[0]) {
			panic(r.fn + ": " + w[0] + " not in base")
		}
		v[fmt.Sprintf("wrong %d %s", i, w[1])] = strings.Replace(base, w[0], w[1], 1)
	}
	for _, s := range r.skip {
		delete(v, s)
	}
	return v
}

func TestHostileRequests(t *testing.T) {
	c := newCommerce(t)
	moderator := c.account("moderator")
	supplierScope := `{"kind":"supplier","party":["` + c.supplier + `"]}`
	day := c.mustCall("auditor", "sales:Get", c.consumer, "o1")["settledAt"].(string)[:10]
	place := c.placeRequest("o-h", 1, 7)
	updated := strings.Replace(initJSON, `"reviewWindowSeconds":86400`, `"reviewWindowSeconds":90000`, 1)
	for _, r := range []request{
		{who: "admin", fn: "config:Init", args: []string{initJSON}, member: `"operatorMsp":"Org1MSP"`, base: errs.ErrAlreadyExists,
			wrong: [][2]string{{`"platformFeeBps":500`, `"platformFeeBps":"500"`}, {`"supplyCap":"1000000"`, `"supplyCap":1000000`}, {`"stockShards":16`, `"stockShards":16.0`}}},
		{who: "supplier", fn: "product:Register", member: `"id":"p-h"`,
			args: []string{`{"id":"p-h","attributes":{"a":1},"terms":{"wholesalePrice":"1","minRetailPrice":"2","status":"active"},"stock":5}`},
			wrong: [][2]string{{`"stock":5`, `"stock":"5"`}, {`"stock":5`, `"stock":-1`}, {`"stock":5`, `"stock":1.5`}, {`"stock":5`, `"stock":18446744073709551616`},
				{`"wholesalePrice":"1"`, `"wholesalePrice":1`}, {`"status":"active"`, `"status":true`}}},
		{who: "supplier", fn: "product:UpdateTerms", at: 1, member: `"status":"active"`,
			args:  []string{"tea", `{"terms":{"wholesalePrice":"6000","minRetailPrice":"9500","status":"active"}}`},
			wrong: [][2]string{{`"status":"active"`, `"status":"sold"`}, {`"status":"active"`, `"status":"Active"`}}},
		{who: "consumer", fn: "product:VerifyAttributes", at: 2, member: `"grams":80`,
			args: []string{c.supplier, "tea", teaAttributes},
			skip: []string{"unknown field", "case-folded field", "null", "wrong type", "U+0000"}},
		{who: "seller", fn: "store:Open", member: `"id":"s-h"`, args: []string{`{"id":"s-h","name":"Hostile"}`},
			wrong: [][2]string{{`"name":"Hostile"`, `"name":1`}, {`"name":"Hostile"`, `"name":"a\u0000b"`}, {`"name":"Hostile"`, `"name":""`}, {`"name":"Hostile"`, `"name":" "`}}},
		{who: "seller", fn: "store:AddListing", member: `"id":"l-h"`,
			args:  []string{`{"store":"jeju","id":"l-h","product":{"supplier":"` + c.supplier + `","id":"tea"},"price":"9500","referralBps":0}`},
			wrong: [][2]string{{`"price":"9500"`, `"price":9500`}, {`"referralBps":0`, `"referralBps":"0"`}, {`"referralBps":0`, `"referralBps":-1`}, {`"referralBps":0`, `"referralBps":10001`}, {`"referralBps":0`, `"referralBps":0.5`}}},
		{who: "seller", fn: "store:UpdateListing", at: 2, member: `"price":"9800"`,
			args:  []string{"jeju", "l-h", `{"price":"9800","referralBps":100}`},
			wrong: [][2]string{{`"price":"9800"`, `"price":9800`}, {`"referralBps":100`, `"referralBps":"100"`}}},
		{who: "consumer", fn: "order:Place", member: `"id":"o-h"`, args: []string{place},
			wrong: [][2]string{{`"quantity":1`, `"quantity":"1"`}, {`"quantity":1`, `"quantity":0`}, {`"quantity":1`, `"quantity":-1`}, {`"quantity":1`, `"quantity":1.5`},
				{`"quantity":1`, `"quantity":18446744073709551616`}, {`"shard":7`, `"shard":-1`}, {`"shard":7`, `"shard":16`}, {`"shard":7`, `"shard":"7"`},
				{`"id":"o-h"`, `"id":"o-h","maxTotal":10000`}, {`"id":"o-h"`, `"id":"o-h","referrer":{"owner":"x","id":"personal"}`}, {`"inputs":[`, `"inputs":[1,`}}},
		{who: "seller", fn: "order:Ship", at: 2, member: `"carrier":"CJ"`,
			args: []string{c.consumer, "o-h", `{"carrier":"CJ","tracking":"1"}`}, wrong: [][2]string{{`"carrier":"CJ"`, `"carrier":"C\u0007J"`}, {`"tracking":"1"`, `"tracking":1`}}},
		{who: "moderator", fn: "moderation:Register", member: `"description":"d"`, args: []string{`{"fee":{"bps":250,"flat":"100"},"description":"d"}`},
			wrong: [][2]string{{`"bps":250`, `"bps":"250"`}, {`"bps":250`, `"bps":10001`}, {`"flat":"100"`, `"flat":100`}}},
		{who: "moderator", fn: "moderation:Update", member: `"description":"e"`,
			args: []string{`{"fee":{"bps":250,"flat":"100"},"description":"e","active":true}`}, wrong: [][2]string{{`"active":true`, `"active":"true"`}, {`"active":true`, `"active":1`}}},
		{who: "consumer", fn: "order:OpenDispute", at: 2, member: `"reason":"broken"`,
			args:  []string{c.consumer, "o-h", `{"moderator":"` + moderator + `","reason":"broken"}`},
			wrong: [][2]string{{`"moderator":"` + moderator + `"`, `"moderator":1`}, {`"reason":"broken"`, `"reason":"a\u202eb"`}}},
		{who: "moderator", fn: "order:ResolveDispute", at: 2, member: `"fee":"100"`,
			args:  []string{c.consumer, "o-h", `{"buyerShareBps":5000,"fee":"100"}`},
			wrong: [][2]string{{`"fee":"100"`, `"fee":100`}, {`"buyerShareBps":5000`, `"buyerShareBps":"5000"`}, {`"buyerShareBps":5000`, `"buyerShareBps":10001`}, {`"buyerShareBps":5000`, `"buyerShareBps":-1`}}},
		{who: "consumer", fn: "review:Post", member: `"text":"good"`, args: []string{`{"order":"o1","rating":5,"text":"good"}`},
			wrong: [][2]string{{`"rating":5`, `"rating":"5"`}, {`"rating":5`, `"rating":5.5`}, {`"rating":5`, `"rating":1e0`}, {`"rating":5`, `"rating":0`}, {`"rating":5`, `"rating":6`}, {`"rating":5`, `"rating":9223372036854775808`}}},
		{who: "admin", fn: "reward:SetRule", member: `"activity":"review"`,
			args:  []string{`{"activity":"review","fixed":"5","rateBps":0,"enabled":true,"dailyCap":"0"}`},
			wrong: [][2]string{{`"enabled":true`, `"enabled":"true"`}, {`"fixed":"5"`, `"fixed":5`}, {`"rateBps":0`, `"rateBps":-1`}}},
		{who: "auditor", fn: "sales:DailyTotals", at: 1, member: `"kind":"supplier"`, args: []string{day, supplierScope},
			wrong: [][2]string{{`"party":["` + c.supplier + `"]`, `"party":"` + c.supplier + `"`}, {`"kind":"supplier"`, `"kind":"buyer"`}, {`"party":["` + c.supplier + `"]`, `"party":[]`}}},
		{who: "admin", fn: "config:Update", member: `"operatorMsp":"Org1MSP"`, args: []string{updated},
			wrong: [][2]string{{`"stockShards":16`, `"stockShards":"16"`}, {`"platformFeeBps":500`, `"platformFeeBps":10001`}}},
	} {
		variants := r.variants()
		for _, name := range slices.Sorted(maps.Keys(variants)) {
			before := c.l.Snapshot()
			_, err := c.call(r.who, r.fn, with(r.args, r.at, variants[name])...)
			require.ErrorIs(t, err, errs.ErrInvalidArgument, "%s: %s", r.fn, name)
			switch name {
			case "deep nesting":
				require.Contains(t, err.Error(), "nesting", r.fn)
			case "oversized":
				require.Contains(t, err.Error(), "bytes", r.fn)
			}
			require.Less(t, len(err.Error()), 1000, "%s: %s: the message echoes a bounded part of the input", r.fn, name)
			require.Equal(t, before, c.l.Snapshot())
		}
		// The request itself is well-formed: the refusals were the
		// variants', and the chaincode serves on.
		_, err := c.call(r.who, r.fn, r.args...)
		if r.base == nil {
			require.NoError(t, err, r.fn)
		} else {
			require.ErrorIs(t, err, r.base, r.fn)
		}
	}
	require.Equal(t, true, c.mustCall("auditor", "wallet:Audit")["ok"])
}

// JSON array arguments: coin inputs and recipients.
func TestHostileArrayArguments(t *testing.T) {
	c := newCommerce(t)
	c.mustCall("admin", "wallet:Mint", c.account("admin"), "1000")
	c.mustCall("admin", "reward:FundPool", "500", c.coins("admin"))
	inputs, adminInputs, pool := c.coins("consumer"), c.coins("admin"), c.holderCoins(wallet.CampaignPool)
	recipients := `["` + c.seller + `"]`
	deep := strings.Repeat("[", codec.MaxDepth+1) + strings.Repeat("]", codec.MaxDepth+1)
	for _, call := range []struct {
		who, fn string
		args    []string
		at      int
	}{
		{"consumer", "wallet:Transfer", []string{c.seller, "1", inputs}, 2},
		{"consumer", "wallet:BatchTransfer", []string{recipients, "1", inputs}, 0},
		{"consumer", "wallet:BatchTransfer", []string{recipients, "1", inputs}, 2},
		{"consumer", "wallet:Burn", []string{"1", inputs}, 1},
		{"consumer", "wallet:Merge", []string{inputs}, 0},
		{"admin", "reward:FundPool", []string{"1", adminInputs}, 1},
		{"admin", "reward:BatchReward", []string{recipients, "1", "c1", pool}, 0},
		{"admin", "reward:BatchReward", []string{recipients, "1", "c1", pool}, 3},
	} {
		base := call.args[call.at]
		for name, v := range map[string]string{
			"not JSON":           "not json",
			"empty":              "",
			"object":             `{"a":1}`,
			"string":             `"a"`,
			"number element":     `[1]`,
			"null element":       `[null]`,
			"nested array":       `[["a"]]`,
			"trailing data":      base + ` []`,
			"trailing garbage":   base + `x`,
			"deep nesting":       deep,
			"oversized":          `["` + strings.Repeat("a", codec.MaxPayloadBytes) + `"]`,
			"invalid UTF-8":      `["a` + "\xff" + `"]`,
			"U+0000":             `["a\u0000b"]`,
			"unpaired surrogate": `["\udc00"]`,
			"duplicate":          strings.Replace(base, "[", "["+base[1:len(base)-1]+",", 1),
		} {
			if name == "duplicate" && base == "[]" {
				continue
			}
			before := c.l.Snapshot()
			_, err := c.call(call.who, call.fn, with(call.args, call.at, v)...)
			require.ErrorIs(t, err, errs.ErrInvalidArgument, "%s arg %d: %s", call.fn, call.at, name)
			require.Equal(t, before, c.l.Snapshot())
			c.mustCall("consumer", "config:WhoAmI")
		}
	}
}

// badAmounts are amount strings that are not canonical decimals of an
// amount, zero aside.
var badAmounts = []string{"-1", "1.5", "1e3", "0x10", "+5", "007", "1_000", "", " 5", "5 ", "５", "18446744073709551616", "99999999999999999999999"}

func TestHostileAmounts(t *testing.T) {
	c := newCommerce(t)
	c.mustCall("admin", "wallet:Mint", c.account("admin"), "1000")
	c.mustCall("admin", "reward:FundPool", "500", c.coins("admin"))
	c.mustCall("moderator", "moderation:Register", modRegister)
	c.mustCall("consumer", "order:Place", c.placeRequest("o-d", 1, 4))
	c.mustCall("seller", "order:Ship", c.consumer, "o-d", `{"carrier":"CJ","tracking":"1"}`)
	c.mustCall("consumer", "order:OpenDispute", c.consumer, "o-d", `{"moderator":"`+c.account("moderator")+`","reason":"broken"}`)
	c.addRole("moderator2", "Org1MSP", "moderator")
	inputs, adminInputs, pool := c.coins("consumer"), c.coins("admin"), c.holderCoins(wallet.CampaignPool)
	recipients := `["` + c.seller + `"]`
	const A = "AMOUNT" // where the amount goes
	for _, a := range []struct {
		who, fn     string
		args        []string
		zeroRefused bool
	}{
		{"admin", "wallet:Mint", []string{c.consumer, A}, true},
		{"consumer", "wallet:Transfer", []string{c.seller, A, inputs}, true},
		{"consumer", "wallet:BatchTransfer", []string{recipients, A, inputs}, true},
		{"consumer", "wallet:Burn", []string{A, inputs}, true},
		{"admin", "reward:FundPool", []string{A, adminInputs}, true},
		{"admin", "reward:BatchReward", []string{recipients, A, "c1", pool}, true},
		{"supplier", "product:Restock", []string{"tea", A}, true},
		{"supplier", "product:Register", []string{`{"id":"p-a","attributes":{"a":1},"terms":{"wholesalePrice":"AMOUNT","minRetailPrice":"2","status":"active"},"stock":5}`}, false},
		{"supplier", "product:Register", []string{`{"id":"p-a","attributes":{"a":1},"terms":{"wholesalePrice":"1","minRetailPrice":"AMOUNT","status":"active"},"stock":5}`}, true},
		{"supplier", "product:UpdateTerms", []string{"tea", `{"terms":{"wholesalePrice":"AMOUNT","minRetailPrice":"9000","status":"active"}}`}, false},
		{"supplier", "product:UpdateTerms", []string{"tea", `{"terms":{"wholesalePrice":"6000","minRetailPrice":"AMOUNT","status":"active"}}`}, true},
		{"seller", "store:AddListing", []string{`{"store":"jeju","id":"l-a","product":{"supplier":"` + c.supplier + `","id":"tea"},"price":"AMOUNT","referralBps":0}`}, true},
		{"seller", "store:UpdateListing", []string{"jeju", "tea-1", `{"price":"AMOUNT","referralBps":0}`}, true},
		{"consumer", "order:Place", []string{strings.Replace(c.placeRequest("o-a", 1, 3), `"id":"o-a"`, `"id":"o-a","maxTotal":"AMOUNT"`, 1)}, false},
		{"moderator", "order:ResolveDispute", []string{c.consumer, "o-d", `{"buyerShareBps":5000,"fee":"AMOUNT"}`}, false},
		{"admin", "reward:SetRule", []string{`{"activity":"purchase","fixed":"AMOUNT","rateBps":0,"enabled":true,"dailyCap":"0"}`}, false},
		{"admin", "reward:SetRule", []string{`{"activity":"review","fixed":"5","rateBps":0,"enabled":true,"dailyCap":"AMOUNT"}`}, false},
		{"moderator2", "moderation:Register", []string{`{"fee":{"bps":0,"flat":"AMOUNT"},"description":"d"}`}, false},
	} {
		bad := badAmounts
		if a.zeroRefused {
			bad = append(slices.Clone(bad), "0")
		}
		for _, amount := range bad {
			args := make([]string, len(a.args))
			for i, arg := range a.args {
				args[i] = strings.Replace(arg, A, amount, 1)
			}
			before := c.l.Snapshot()
			_, err := c.call(a.who, a.fn, args...)
			require.ErrorIs(t, err, errs.ErrInvalidArgument, "%s %q", a.fn, amount)
			require.Regexp(t, `(?i)amount|units|price`, err.Error(), "%s %q: refused for its amount", a.fn, amount)
			require.Equal(t, before, c.l.Snapshot(), "%s %q", a.fn, amount)
			c.mustCall("consumer", "config:WhoAmI")
		}
	}

	// The maximum is an amount, but where it must be multiplied or added
	// it overflows, or exceeds what anyone holds; never success.
	for _, m := range []struct {
		who, fn string
		args    []string
		want    error
	}{
		{"admin", "wallet:Mint", []string{c.consumer, maxAmount}, errs.ErrOverflow}, // minted + max, before the cap
		{"consumer", "wallet:Transfer", []string{c.seller, maxAmount, inputs}, errs.ErrInsufficientFunds},
		{"consumer", "wallet:BatchTransfer", []string{`["` + c.seller + `","` + c.supplier + `"]`, maxAmount, inputs}, errs.ErrOverflow},
		{"consumer", "wallet:Burn", []string{maxAmount, inputs}, errs.ErrInsufficientFunds},
		{"admin", "reward:FundPool", []string{maxAmount, c.coins("admin")}, errs.ErrInsufficientFunds},
		{"admin", "reward:BatchReward", []string{`["` + c.seller + `","` + c.supplier + `"]`, maxAmount, "c2", pool}, errs.ErrOverflow},
		{"supplier", "product:Restock", []string{"tea", maxAmount}, errs.ErrOverflow},
		{"moderator", "order:ResolveDispute", []string{c.consumer, "o-d", `{"buyerShareBps":5000,"fee":"` + maxAmount + `"}`}, errs.ErrInvalidArgument},
	} {
		c.refuse(m.want, m.who, m.fn, m.args...)
	}

	// A listing at the maximum price is valid; an order of two units
	// overflows price x quantity, one unit is more than the buyer holds.
	c.mustCall("seller", "store:AddListing", `{"store":"jeju","id":"max","product":{"supplier":"`+c.supplier+`","id":"tea"},"price":"`+maxAmount+`","referralBps":1000}`)
	maxOrder := func(id string, qty int) string {
		return strings.Replace(c.placeRequest(id, qty, 2), `"id":"tea-1"`, `"id":"max"`, 1)
	}
	c.refuse(errs.ErrOverflow, "consumer", "order:Place", maxOrder("o-max2", 2))
	c.refuse(errs.ErrInsufficientFunds, "consumer", "order:Place", maxOrder("o-max1", 1))
	c.refuse(errs.ErrInvalidState, "consumer", "order:Place", strings.Replace(maxOrder("o-max1", 1), `"id":"o-max1"`, `"id":"o-max1","maxTotal":"10000"`, 1))

	// A product whose stock is the maximum cannot be restocked by one.
	c.mustCall("supplier", "product:Register", `{"id":"huge","attributes":{"a":1},"terms":{"wholesalePrice":"1","minRetailPrice":"2","status":"active"},"stock":`+maxAmount+`}`)
	c.refuse(errs.ErrOverflow, "supplier", "product:Restock", "huge", "1")

	// Reward rules at the maximum are valid; a reward that the order's fee
	// cannot fund is skipped, never failing the sale.
	c.mustCall("admin", "reward:SetRule", `{"activity":"purchase","fixed":"`+maxAmount+`","rateBps":10000,"enabled":true,"dailyCap":"0"}`)
	c.mustCall("admin", "reward:SetRule", `{"activity":"review","fixed":"`+maxAmount+`","rateBps":10000,"enabled":true,"dailyCap":"`+maxAmount+`"}`)
	c.mustCall("consumer", "order:Place", c.placeRequest("o-r", 1, 6))
	c.mustCall("seller", "order:Ship", c.consumer, "o-r", `{"carrier":"CJ","tracking":"1"}`)
	settle := c.invoke("consumer", "order:ConfirmDelivery", c.consumer, "o-r")
	require.NoError(t, settle.err)
	var skipped []string
	for _, e := range businessEvents(t, settle) {
		if e["type"] == "reward.skipped" {
			skipped = append(skipped, fmt.Sprint(e["activity"], " ", e["reason"]))
		}
	}
	require.Equal(t, []string{"purchase platform_fee_short", "review platform_fee_short"}, skipped)
	c.mustCall("consumer", "review:Post", `{"order":"o-r","rating":5}`)
	// A moderator whose flat fee is the maximum can be chosen; the fee it
	// may charge stays within the order.
	c.addRole("moderator3", "Org1MSP", "moderator")
	c.mustCall("moderator3", "moderation:Register", `{"fee":{"bps":10000,"flat":"`+maxAmount+`"},"description":"greedy"}`)
	c.mustCall("consumer", "order:Place", c.placeRequest("o-g", 1, 8))
	c.mustCall("seller", "order:Ship", c.consumer, "o-g", `{"carrier":"CJ","tracking":"1"}`)
	c.mustCall("consumer", "order:OpenDispute", c.consumer, "o-g", `{"moderator":"`+c.account("moderator3")+`","reason":"broken"}`)
	c.refuse(errs.ErrInvalidArgument, "moderator3", "order:ResolveDispute", c.consumer, "o-g", `{"buyerShareBps":0,"fee":"10001"}`)
	c.mustCall("moderator3", "order:ResolveDispute", c.consumer, "o-g", `{"buyerShareBps":0,"fee":"10000"}`)
	require.Equal(t, true, c.mustCall("auditor", "wallet:Audit")["ok"])
}

// badIDs are business IDs that codec.ID refuses.
func badIDs() map[string]string {
	return map[string]string{
		"empty":             "",
		"65 bytes":          strings.Repeat("a", codec.MaxIDBytes+1),
		"100 KB":            strings.Repeat("a", 100<<10),
		"U+0000":            "a\x00b",
		"U+10FFFF":          "a\U0010FFFFb",
		"invalid UTF-8":     "a\xffb",
		"leading _":         "_a",
		"colon":             "a:b",
		"tilde":             "a~b",
		"slash":             "a/b",
		"fraction slash":    "a\u2044b",
		"fullwidth colon":   "a\uff1ab",
		"no-break space":    "a\u00a0b",
		"space":             "a b",
		"leading dot":       ".a",
		"newline":           "a\nb",
		"fullwidth letters": "ｔｅａ",
	}
}

func TestHostileIDs(t *testing.T) {
	c := newCommerce(t)
	c.mustCall("consumer", "order:Place", c.placeRequest("o2", 1, 4))
	c.mustCall("seller", "order:Ship", c.consumer, "o2", `{"carrier":"CJ","tracking":"1"}`)
	day := c.mustCall("auditor", "sales:Get", c.consumer, "o1")["settledAt"].(string)[:10]
	const X = "\x01ID\x01" // where the ID goes
	listing := func(store, id, product string) string {
		return `{"store":` + store + `,"id":` + id + `,"product":{"supplier":"` + c.supplier + `","id":` + product + `},"price":"9500","referralBps":0}`
	}
	q := jsonString
	place := func(field string) string {
		req := map[string]string{"id": `"o-i"`, "store": `"jeju"`, "listing": `"tea-1"`}
		req[field] = X
		return `{"id":` + req["id"] + `,"quantity":1,"shard":1,"inputs":` + c.coins("consumer") +
			`,"listing":{"owner":"` + c.seller + `","store":` + req["store"] + `,"id":` + req["listing"] + `}}`
	}
	for _, p := range []struct {
		who, fn string
		args    []string
		json    bool // the ID goes into JSON
	}{
		{"supplier", "product:Register", []string{`{"id":` + X + `,"attributes":{"a":1},"terms":{"wholesalePrice":"1","minRetailPrice":"2","status":"active"},"stock":5}`}, true},
		{"supplier", "product:UpdateTerms", []string{X, `{"terms":{"wholesalePrice":"6000","minRetailPrice":"9000","status":"active"}}`}, false},
		{"supplier", "product:Restock", []string{X, "1"}, false},
		{"consumer", "product:Get", []string{c.supplier, X}, false},
		{"consumer", "product:History", []string{c.supplier, X, "10", ""}, false},
		{"consumer", "product:VerifyAttributes", []string{c.supplier, X, teaAttributes}, false},
		{"seller", "store:Open", []string{`{"id":` + X + `,"name":"n"}`}, true},
		{"seller", "store:AddListing", []string{listing(X, `"l-i"`, `"tea"`)}, true},
		{"seller", "store:AddListing", []string{listing(`"jeju"`, X, `"tea"`)}, true},
		{"seller", "store:AddListing", []string{listing(`"jeju"`, `"l-i"`, X)}, true},
		{"seller", "store:UpdateListing", []string{X, "tea-1", `{"price":"9800","referralBps":0}`}, false},
		{"seller", "store:UpdateListing", []string{"jeju", X, `{"price":"9800","referralBps":0}`}, false},
		{"seller", "store:RemoveListing", []string{X, "tea-1"}, false},
		{"seller", "store:RemoveListing", []string{"jeju", X}, false},
		{"consumer", "store:Get", []string{c.seller, X}, false},
		{"consumer", "store:GetListing", []string{c.seller, X, "tea-1"}, false},
		{"consumer", "store:GetListing", []string{c.seller, "jeju", X}, false},
		{"consumer", "store:ListListings", []string{c.seller, X, "10", ""}, false},
		{"consumer", "order:Place", []string{place("id")}, true},
		{"consumer", "order:Place", []string{place("store")}, true},
		{"consumer", "order:Place", []string{place("listing")}, true},
		{"consumer", "order:Place", []string{strings.Replace(c.placeRequest("o-i", 1, 1), `"id":"o-i"`, `"id":"o-i","referrer":{"owner":"`+c.seller+`","id":`+X+`}`, 1)}, true},
		{"seller", "order:Ship", []string{c.consumer, X, `{"carrier":"CJ","tracking":"1"}`}, false},
		{"consumer", "order:ConfirmDelivery", []string{c.consumer, X}, false},
		{"consumer", "order:Release", []string{c.consumer, X}, false},
		{"consumer", "order:Cancel", []string{c.consumer, X}, false},
		{"seller", "order:Reject", []string{c.consumer, X, "out of stock"}, false},
		{"consumer", "order:ExpireReserve", []string{c.consumer, X}, false},
		{"consumer", "order:OpenDispute", []string{c.consumer, X, `{"moderator":"` + c.account("moderator") + `","reason":"r"}`}, false},
		{"moderator", "order:ResolveDispute", []string{c.consumer, X, `{"buyerShareBps":0,"fee":"0"}`}, false},
		{"consumer", "order:Get", []string{c.consumer, X}, false},
		{"seller", "order:ListByStore", []string{c.seller, X, "10", ""}, false},
		{"consumer", "review:Post", []string{`{"order":` + X + `,"rating":5}`}, true},
		{"consumer", "review:Get", []string{c.consumer, X}, false},
		{"consumer", "review:ListByProduct", []string{c.supplier, X, "10", ""}, false},
		{"consumer", "review:ListByStore", []string{c.seller, X, "10", ""}, false},
		{"consumer", "review:ProductRating", []string{c.supplier, X}, false},
		{"consumer", "review:StoreRating", []string{c.seller, X}, false},
		{"consumer", "sales:Get", []string{c.consumer, X}, false},
		{"seller", "sales:ByStore", []string{c.seller, X, "", "", "10", ""}, false},
		{"supplier", "sales:ByProduct", []string{c.supplier, X, "", "", "10", ""}, false},
		{"auditor", "sales:DailyTotals", []string{day, `{"kind":"store","party":["` + c.seller + `",` + X + `]}`}, true},
		{"auditor", "sales:DailyTotals", []string{day, `{"kind":"product","party":["` + c.supplier + `",` + X + `]}`}, true},
		{"admin", "reward:BatchReward", []string{`["` + c.seller + `"]`, "1", X, "[]"}, false},
	} {
		ids := badIDs()
		for _, name := range slices.Sorted(maps.Keys(ids)) {
			id := ids[name]
			if p.json {
				id = q(id)
				if name == "100 KB" {
					continue // above codec.MaxPayloadBytes: a malformed request, not an ID
				}
			}
			args := make([]string, len(p.args))
			for i, a := range p.args {
				args[i] = strings.Replace(a, X, id, 1)
			}
			before := c.l.Snapshot()
			_, err := c.call(p.who, p.fn, args...)
			require.ErrorIs(t, err, errs.ErrInvalidArgument, "%s %v: ID %s", p.fn, p.args, name)
			require.Regexp(t, `ID |UTF-8`, err.Error(), "%s: ID %s: refused for the ID", p.fn, name)
			require.Less(t, len(err.Error()), 1000, "%s: ID %s: the message echoes a bounded part of the input", p.fn, name)
			require.Equal(t, before, c.l.Snapshot())
			c.mustCall("consumer", "config:WhoAmI")
		}
	}
	// Account IDs that are not account IDs.
	for _, account := range []string{"", strings.ToUpper(c.supplier), c.supplier[:39], c.supplier + "0", wallet.CampaignPool, "~escrow:" + c.consumer + ":o1", c.supplier[:39] + "\x00"} {
		for _, call := range [][]string{
			{"product:Get", account, "tea"},
			{"product:List", account, "10", ""},
			{"store:Get", account, "jeju"},
			{"store:ListByOwner", account, "10", ""},
			{"order:Get", account, "o1"},
			{"order:ListByBuyer", account, "10", ""},
			{"order:ConfirmDelivery", account, "o1"},
			{"review:Get", account, "o1"},
			{"sales:Get", account, "o1"},
			{"sales:BySupplier", account, "", "", "10", ""},
			{"reward:History", account, "10", ""},
			{"moderation:Get", account},
			{"wallet:Transfer", account, "1", c.coins("consumer")},
		} {
			c.refuse(errs.ErrInvalidArgument, "admin", call[0], call[1:]...)
		}
	}
}

// Keys are Fabric composite keys, not concatenations: store "ab" with
// listing "c" and store "a" with listing "bc" are two objects.
func TestIDsDoNotConcatenate(t *testing.T) {
	c := newCommerce(t)
	for _, s := range []string{"ab", "a"} {
		c.mustCall("seller", "store:Open", `{"id":"`+s+`","name":"`+s+`"}`)
	}
	add := func(store, id string) error {
		_, err := c.call("seller", "store:AddListing", `{"store":"`+store+`","id":"`+id+`","product":{"supplier":"`+c.supplier+`","id":"tea"},"price":"9500","referralBps":0}`)
		return err
	}
	require.NoError(t, add("ab", "c"))
	c.refuse(errs.ErrNotFound, "consumer", "store:GetListing", c.seller, "a", "bc")
	c.refuse(errs.ErrNotFound, "seller", "store:RemoveListing", "a", "bc")
	require.NoError(t, add("a", "bc"), "creatable independently")
	require.ErrorIs(t, add("a", "bc"), errs.ErrAlreadyExists)
	ab := c.mustCall("consumer", "store:GetListing", c.seller, "ab", "c")
	a := c.mustCall("consumer", "store:GetListing", c.seller, "a", "bc")
	require.Equal(t, []any{"ab", "c"}, []any{ab["store"], ab["id"]})
	require.Equal(t, []any{"a", "bc"}, []any{a["store"], a["id"]})
	// Each store lists its own listing only.
	for store, want := range map[string]string{"ab": "c", "a": "bc"} {
		page := c.mustCall("consumer", "store:ListListings", c.seller, store, "10", "")["listings"].([]any)
		require.Len(t, page, 1, store)
		require.Equal(t, want, page[0].(map[string]any)["id"], store)
	}
	// The same with orders of both listings: each order names its own.
	for i, l := range [][2]string{{"ab", "c"}, {"a", "bc"}} {
		req := strings.NewReplacer(`"store":"jeju"`, `"store":"`+l[0]+`"`, `"id":"tea-1"`, `"id":"`+l[1]+`"`).Replace(c.placeRequest(fmt.Sprintf("x%d", i), 1, i))
		o := c.mustCall("consumer", "order:Place", req)
		require.Equal(t, map[string]any{"owner": c.seller, "store": l[0], "id": l[1]}, o["listing"])
	}
	page := c.mustCall("seller", "order:ListByStore", c.seller, "a", "10", "")["orders"].([]any)
	require.Len(t, page, 1, "store a has one order, not store ab's too")
}

func TestHostilePagination(t *testing.T) {
	c := newCommerce(t)
	c.mustCall("moderator", "moderation:Register", modRegister)
	// A genuine bookmark of the consumer's wallet history.
	first := c.mustCall("consumer", "wallet:History", c.consumer, "1", "")
	historyBM := first["bookmark"].(string)
	require.NotEmpty(t, historyBM)
	c.mustCall("consumer", "wallet:History", c.consumer, "1", historyBM)
	const P, B = "\x01PS\x01", "\x01BM\x01"
	paginated := []struct {
		fn   string
		args []string
	}{
		{"wallet:Coins", []string{c.consumer, P, B}},
		{"wallet:History", []string{c.seller, P, B}}, // another account: historyBM is the consumer's
		{"product:List", []string{c.supplier, P, B}},
		{"product:History", []string{c.supplier, "tea", P, B}},
		{"store:ListByOwner", []string{c.seller, P, B}},
		{"store:ListListings", []string{c.seller, "jeju", P, B}},
		{"order:ListByBuyer", []string{c.consumer, P, B}},
		{"order:ListByStore", []string{c.seller, "jeju", P, B}},
		{"order:ListBySupplier", []string{c.supplier, P, B}},
		{"sales:BySupplier", []string{c.supplier, "", "", P, B}},
		{"sales:ByStore", []string{c.seller, "jeju", "", "", P, B}},
		{"sales:ByProduct", []string{c.supplier, "tea", "", "", P, B}},
		{"sales:ByReferrer", []string{c.consumer, "", "", P, B}},
		{"sales:ByTime", []string{"", "", P, B}},
		{"review:ListByProduct", []string{c.supplier, "tea", P, B}},
		{"review:ListByStore", []string{c.seller, "jeju", P, B}},
		{"reward:History", []string{c.consumer, P, B}},
		{"moderation:List", []string{P, B}},
	}
	fill := func(args []string, size, bookmark string) []string {
		out := slices.Clone(args)
		for i, a := range out {
			out[i] = strings.NewReplacer(P, size, B, bookmark).Replace(a)
		}
		return out
	}
	before := c.l.Snapshot()
	for _, p := range paginated {
		c.mustCall("admin", p.fn, fill(p.args, "100", "")...)
		for _, size := range []string{"0", "-1", "101", "1000000", "1.0", "", "abc", "+1", "01", " 1", "1e1", "0x10", "4294967296"} {
			_, err := c.call("admin", p.fn, fill(p.args, size, "")...)
			require.ErrorIs(t, err, errs.ErrInvalidArgument, "%s page size %q", p.fn, size)
			require.Regexp(t, `(?i)page ?size`, err.Error(), "%s page size %q", p.fn, size)
			c.mustCall("consumer", "config:WhoAmI")
		}
		for name, bm := range map[string]string{
			"another prefix's key": historyBM,
			"invalid UTF-8":        "\xff",
			"U+0000":               "\x00",
			"U+0000 inside":        "a\x00b",
			"forged":               "forged",
			"key prefix only":      "\x00",
			"U+10FFFF":             "\U0010FFFF",
		} {
			_, err := c.call("admin", p.fn, fill(p.args, "10", bm)...)
			require.ErrorIs(t, err, errs.ErrInvalidArgument, "%s bookmark %s", p.fn, name)
			require.Contains(t, err.Error(), "bookmark", "%s bookmark %s", p.fn, name)
			c.mustCall("consumer", "config:WhoAmI")
		}
	}
	// A genuine bookmark with invalid UTF-8 appended stays in the prefix,
	// but the shim would panic on it.
	c.refuse(errs.ErrInvalidArgument, "consumer", "wallet:History", c.consumer, "1", historyBM+"\xff")
	require.Equal(t, before, c.l.Snapshot(), "reads write nothing")
}

// An argument never makes another account the acting party.
func TestHostileActingParty(t *testing.T) {
	c := newCommerce(t)
	friend := c.addRole("friend", "Org1MSP", "")
	c.addRole("seller2", "Org2MSP", "seller")
	c.addRole("supplier2", "Org2MSP", "supplier")
	c.addRole("moderator2", "Org1MSP", "moderator")
	c.mustCall("admin", "wallet:Mint", friend, "50000")
	c.mustCall("moderator", "moderation:Register", modRegister)
	c.mustCall("moderator2", "moderation:Register", modRegister)
	c.mustCall("consumer", "order:Place", c.placeRequest("placed", 1, 4))
	c.mustCall("consumer", "order:Place", c.placeRequest("shipped", 1, 5))
	c.mustCall("seller", "order:Ship", c.consumer, "shipped", `{"carrier":"CJ","tracking":"1"}`)
	c.mustCall("consumer", "order:Place", c.placeRequest("disputed", 1, 6))
	c.mustCall("seller", "order:Ship", c.consumer, "disputed", `{"carrier":"CJ","tracking":"1"}`)
	c.mustCall("consumer", "order:OpenDispute", c.consumer, "disputed", `{"moderator":"`+c.account("moderator")+`","reason":"broken"}`)
	c.mustCall("admin", "wallet:Mint", c.consumer, "1") // a second coin, so that Merge applies
	consumerCoins := c.coins("consumer")
	balance := c.mustCall("admin", "wallet:Balance", c.consumer)["balance"]
	payee := strings.Repeat("ab", 20) // an account that is none of the callers
	ship := `{"carrier":"CJ","tracking":"2"}`
	dispute := `{"moderator":"` + c.account("moderator2") + `","reason":"broken"}`
	resolve := `{"buyerShareBps":10000,"fee":"0"}`
	friendPlace := strings.Replace(c.placeRequest("f1", 1, 9), consumerCoins, c.coins("friend"), 1)
	everyoneBut := func(skip ...string) []string {
		var out []string
		for _, id := range identities {
			if !slices.Contains(skip, id.name) {
				out = append(out, id.name)
			}
		}
		for _, id := range []string{"friend", "seller2", "supplier2", "moderator2"} {
			if !slices.Contains(skip, id) {
				out = append(out, id)
			}
		}
		return out
	}
	for _, a := range []struct {
		label string
		who   []string
		fn    string
		args  []string
		want  error
		// except gives other codes for some callers.
		except map[string]error
	}{
		{"spend the consumer's coins", everyoneBut("consumer"), "wallet:Transfer", []string{payee, "1", consumerCoins}, errs.ErrNotFound, nil},
		{"spend the consumer's coins", everyoneBut("consumer"), "wallet:BatchTransfer", []string{`["` + payee + `"]`, "1", consumerCoins}, errs.ErrNotFound, nil},
		{"burn the consumer's coins", everyoneBut("consumer"), "wallet:Burn", []string{"1", consumerCoins}, errs.ErrNotFound, nil},
		{"merge the consumer's coins", everyoneBut("consumer"), "wallet:Merge", []string{consumerCoins}, errs.ErrNotFound, nil},
		{"fund the pool with the consumer's coins", []string{"admin"}, "reward:FundPool", []string{"1", consumerCoins}, errs.ErrNotFound, nil},
		{"pay an order with the consumer's coins", []string{"friend", "supplier", "admin"}, "order:Place", []string{c.placeRequest("stolen", 1, 10)}, errs.ErrNotFound, nil},
		{"pay an order with the escrow's coin", []string{"consumer", "admin"}, "order:Place", []string{strings.Replace(c.placeRequest("stolen", 1, 10), consumerCoins, c.holderCoins("~escrow:"+c.consumer+":placed"), 1)}, errs.ErrNotFound, nil},
		{"order a listing under another owner", []string{"friend"}, "order:Place", []string{strings.Replace(friendPlace, `"owner":"`+c.seller+`"`, `"owner":"`+c.account("seller2")+`"`, 1)}, errs.ErrNotFound, nil},
		{"confirm someone else's order", everyoneBut("consumer"), "order:ConfirmDelivery", []string{c.consumer, "shipped"}, errs.ErrForbidden, nil},
		{"cancel someone else's order", everyoneBut("consumer"), "order:Cancel", []string{c.consumer, "placed"}, errs.ErrForbidden, nil},
		{"reject an order of another store", everyoneBut("seller"), "order:Reject", []string{c.consumer, "placed", "no"}, errs.ErrForbidden, nil},
		{"ship an order of another store", everyoneBut("seller", "supplier"), "order:Ship", []string{c.consumer, "placed", ship}, errs.ErrForbidden, nil},
		{"dispute someone else's order", everyoneBut("consumer"), "order:OpenDispute", []string{c.consumer, "shipped", dispute}, errs.ErrForbidden, nil},
		{"resolve another moderator's dispute", everyoneBut("moderator"), "order:ResolveDispute", []string{c.consumer, "disputed", resolve}, errs.ErrForbidden,
			map[string]error{"admin": errs.ErrInvalidState}}, // the admin fallback opens after the dispute timeout
		{"review another buyer's order", everyoneBut("consumer"), "review:Post", []string{`{"order":"o1","rating":1,"text":"bad"}`}, errs.ErrNotFound, nil},
		{"list in another seller's store", []string{"seller2"}, "store:AddListing", []string{`{"store":"jeju","id":"l2","product":{"supplier":"` + c.supplier + `","id":"tea"},"price":"9500","referralBps":0}`}, errs.ErrNotFound, nil},
		{"change another seller's listing", []string{"seller2"}, "store:UpdateListing", []string{"jeju", "tea-1", `{"price":"1","referralBps":0}`}, errs.ErrNotFound, nil},
		{"remove another seller's listing", []string{"seller2"}, "store:RemoveListing", []string{"jeju", "tea-1"}, errs.ErrNotFound, nil},
		{"change another supplier's product", []string{"supplier2"}, "product:UpdateTerms", []string{"tea", `{"terms":{"wholesalePrice":"1","minRetailPrice":"1","status":"active"}}`}, errs.ErrNotFound, nil},
		{"restock another supplier's product", []string{"supplier2"}, "product:Restock", []string{"tea", "1"}, errs.ErrNotFound, nil},
		{"read another account's balance", []string{"friend", "seller", "supplier", "moderator", "rogue-admin", "rogue-auditor"}, "wallet:Balance", []string{c.consumer}, errs.ErrForbidden, nil},
		{"read another account's coins", []string{"friend", "seller", "supplier", "moderator", "rogue-admin", "rogue-auditor"}, "wallet:Coins", []string{c.consumer, "10", ""}, errs.ErrForbidden, nil},
		{"read another account's rewards", []string{"friend", "seller", "rogue-admin"}, "reward:History", []string{c.consumer, "10", ""}, errs.ErrForbidden, nil},
		{"read someone else's order", []string{"friend", "seller2", "supplier2", "moderator", "rogue-admin", "rogue-auditor"}, "order:Get", []string{c.consumer, "o1"}, errs.ErrForbidden, nil},
		{"read someone else's sale", []string{"friend", "seller2", "supplier2", "moderator", "rogue-admin", "rogue-auditor"}, "sales:Get", []string{c.consumer, "o1"}, errs.ErrForbidden, nil},
		{"read another store's orders", []string{"seller2", "friend"}, "order:ListByStore", []string{c.seller, "jeju", "10", ""}, errs.ErrForbidden, nil},
		{"read another store's sales", []string{"seller2", "friend"}, "sales:ByStore", []string{c.seller, "jeju", "", "", "10", ""}, errs.ErrForbidden, nil},
	} {
		for _, who := range a.who {
			before := c.l.Snapshot()
			_, err := c.call(who, a.fn, a.args...)
			want := a.want
			if e, ok := a.except[who]; ok {
				want = e
			}
			require.ErrorIs(t, err, want, "%s as %s", a.label, who)
			require.Equal(t, before, c.l.Snapshot())
			c.mustCall("consumer", "config:WhoAmI")
		}
	}
	require.Equal(t, balance, c.mustCall("admin", "wallet:Balance", c.consumer)["balance"])
	require.Equal(t, true, c.mustCall("auditor", "wallet:Audit")["ok"])
}

// A role claimed from an MSP the config does not trust for it (the
// rogue-admin and rogue-auditor of Org2MSP, whose CA issues likr.role
// attributes too) is no role: FORBIDDEN for every admin and auditor
// function, which the genuine role may call with the same arguments.
func TestUntrustedRolesAreForbidden(t *testing.T) {
	c := newCommerce(t)
	c.mustCall("admin", "wallet:Mint", c.account("admin"), "1000")
	c.mustCall("admin", "reward:FundPool", "500", c.coins("admin"))
	c.mustCall("moderator", "moderation:Register", modRegister)
	c.mustCall("consumer", "order:Place", c.placeRequest("d", 1, 4))
	c.mustCall("seller", "order:Ship", c.consumer, "d", `{"carrier":"CJ","tracking":"1"}`)
	c.mustCall("consumer", "order:OpenDispute", c.consumer, "d", `{"moderator":"`+c.account("moderator")+`","reason":"broken"}`)
	c.l.Advance(1209600e9 + 1e9) // past the dispute timeout: the admin fallback is open
	day := c.mustCall("auditor", "sales:Get", c.consumer, "o1")["settledAt"].(string)[:10]
	updated := strings.Replace(initJSON, `"reviewWindowSeconds":86400`, `"reviewWindowSeconds":90000`, 1)
	for _, r := range []struct {
		genuine, fn string
		args        []string
	}{
		{"auditor", "wallet:Audit", nil},
		{"auditor", "wallet:Balance", []string{c.consumer}},
		{"auditor", "wallet:Balance", []string{wallet.CampaignPool}},
		{"auditor", "wallet:Coins", []string{c.consumer, "10", ""}},
		{"auditor", "wallet:History", []string{c.consumer, "10", ""}},
		{"auditor", "reward:History", []string{c.consumer, "10", ""}},
		{"auditor", "order:Get", []string{c.consumer, "o1"}},
		{"auditor", "order:ListByBuyer", []string{c.consumer, "10", ""}},
		{"auditor", "order:ListByStore", []string{c.seller, "jeju", "10", ""}},
		{"auditor", "order:ListBySupplier", []string{c.supplier, "10", ""}},
		{"auditor", "sales:Get", []string{c.consumer, "o1"}},
		{"auditor", "sales:BySupplier", []string{c.supplier, "", "", "10", ""}},
		{"auditor", "sales:ByStore", []string{c.seller, "jeju", "", "", "10", ""}},
		{"auditor", "sales:ByProduct", []string{c.supplier, "tea", "", "", "10", ""}},
		{"auditor", "sales:ByReferrer", []string{c.consumer, "", "", "10", ""}},
		{"auditor", "sales:ByTime", []string{"", "", "10", ""}},
		{"auditor", "sales:DailyTotals", []string{day, `{"kind":"supplier","party":["` + c.supplier + `"]}`}},
		{"auditor", "sales:Reconcile", []string{day}},
		{"admin", "config:Init", []string{initJSON}},
		{"admin", "wallet:Mint", []string{c.consumer, "5"}},
		{"admin", "reward:SetRule", []string{reviewRuleJSON}},
		{"admin", "reward:FundPool", []string{"10", c.coins("admin")}},
		{"admin", "reward:BatchReward", []string{`["` + c.seller + `"]`, "10", "camp", c.holderCoins(wallet.CampaignPool)}},
		{"admin", "order:ResolveDispute", []string{c.consumer, "d", `{"buyerShareBps":10000,"fee":"0"}`}},
		{"admin", "config:Update", []string{updated}},
	} {
		for _, rogue := range []string{"rogue-admin", "rogue-auditor"} {
			before := c.l.Snapshot()
			_, err := c.call(rogue, r.fn, r.args...)
			require.ErrorIs(t, err, errs.ErrForbidden, "%s as %s", r.fn, rogue)
			require.Equal(t, before, c.l.Snapshot())
		}
		_, err := c.call(r.genuine, r.fn, r.args...)
		if r.fn == "config:Init" {
			require.ErrorIs(t, err, errs.ErrAlreadyExists)
		} else {
			require.NoError(t, err, "%s as %s", r.fn, r.genuine)
		}
	}
}

// Every transaction refuses one argument too many and one too few, and
// unknown, empty or malformed names are refused, all INVALID_ARGUMENT.
func TestHostileNamesAndArgumentCounts(t *testing.T) {
	c := newCommerce(t)
	before := c.l.Snapshot()
	for _, name := range slices.Sorted(maps.Keys(c.cc.arity)) {
		n := c.cc.arity[name]
		c.refuse(errs.ErrInvalidArgument, "admin", name, slices.Repeat([]string{"x"}, n+1)...)
		if n > 0 {
			c.refuse(errs.ErrInvalidArgument, "admin", name, slices.Repeat([]string{"x"}, n-1)...)
		}
	}
	for _, name := range []string{"", ":", "::", "wallet:", ":Mint", "wallet", "Mint", "bank:Steal", "wallet:Steal", "wallet:mint",
		"WALLET:Mint", "wallet :Mint", "wallet:Mint ", " wallet:Mint", "wallet:Mint\x00", "wallet\x00:Mint", "wallet:Mint:Mint",
		"org.hyperledger.fabric:getMetadata", "org.hyperledger.fabric:", "config:GetName", "config:GetInfo", "config:GetUnknownTransaction",
		"config:GetBeforeTransaction", "config:GetAfterTransaction", "config:GetTransactionContextHandler", "config:GetIgnoredFunctions",
		"config:GetEvaluateTransactions", "wallet:core", "wallet:checkCall", "\xff:Mint", "wallet:\xff", strings.Repeat(":", 1000)} {
		c.refuse(errs.ErrInvalidArgument, "admin", name)
	}
	require.Equal(t, before, c.l.Snapshot())
}
