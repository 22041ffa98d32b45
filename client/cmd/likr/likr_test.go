package main

import (
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/client"
	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/money"
)

func amount(v uint64) money.Amount { return money.NewAmount(v) }

func TestParseInterleavedTakesFlagsAnywhere(t *testing.T) {
	cases := map[string]struct {
		args []string
		pos  []string
		json bool
		n    string
	}{
		"flags first":            {[]string{"--json", "-n", "3", "a", "b"}, []string{"a", "b"}, true, "3"},
		"flags after":            {[]string{"a", "--json", "b", "-n=4"}, []string{"a", "b"}, true, "4"},
		"double dash ends flags": {[]string{"a", "--", "--json", "-n"}, []string{"a", "--json", "-n"}, false, ""},
		"dash is positional":     {[]string{"-", "--json"}, []string{"-"}, true, ""},
		"no arguments":           {nil, []string{}, false, ""},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			fs := flag.NewFlagSet("t", flag.ContinueOnError)
			j := fs.Bool("json", false, "")
			n := fs.String("n", "", "")
			pos, err := parseInterleaved(fs, c.args)
			require.NoError(t, err)
			require.Equal(t, c.pos, pos)
			require.Equal(t, c.json, *j)
			require.Equal(t, c.n, *n)
		})
	}
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(new(strings.Builder))
	_, err := parseInterleaved(fs, []string{"a", "--nope"})
	require.ErrorContains(t, err, "flag provided but not defined: -nope")
}

func TestAccountArguments(t *testing.T) {
	h := newHarness(t)
	s := &session{sys: system{
		getenv: func(string) string { return "" }, getwd: func() (string, error) { return h.repo, nil },
		executable: func() (string, error) { return "/nonexistent/likr", nil },
	}}
	hex := strings.Repeat("ab", 20)
	cases := []struct {
		arg, want, err string
	}{
		{arg: "@minji", want: h.accounts["minji"]},
		{arg: "@brand", want: h.accounts["brand"]},
		{arg: hex, want: hex},
		{arg: strings.ToUpper(hex), want: hex},
		{arg: "minji", err: `"minji" is not an account ID; did you mean @minji?`},
		{arg: "@nobody", err: `no profile "nobody" in ` + filepath.Join(h.network, "profiles") + "; there are: admin, auditor, brand, jisoo, minji, moderator, seller"},
		{arg: "@../x", err: `"../x" is not a profile name`},
		{arg: hex[:39], err: "is not an account: give an account ID (40 hex digits) or @name"},
	}
	for _, c := range cases {
		t.Run(c.arg, func(t *testing.T) {
			got, err := s.account(c.arg)
			if c.err != "" {
				var u *usageError
				require.ErrorAs(t, err, &u)
				require.ErrorContains(t, err, c.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, c.want, got)
		})
	}
	// Tables name known accounts by profile.
	require.Equal(t, "@seller", s.who(h.accounts["seller"]))
	require.Equal(t, hex, s.who(hex))
}

func TestRefArguments(t *testing.T) {
	h := newHarness(t)
	me := h.accounts["seller"]
	seller, brand := h.accounts["seller"], h.accounts["brand"]
	// Each ref is resolved inside a command; store listing shows it.
	cases := []struct {
		arg  string
		want string // the Listing call, or the usage error
	}{
		{"@seller/jeju/tea", "Listing(" + seller + ", jeju, tea)"},
		{"jeju/tea", "Listing(" + me + ", jeju, tea)"},
		{brand + "/jeju/tea", "Listing(" + brand + ", jeju, tea)"},
		{"tea", `listing "tea": expected [OWNER/]STORE/LISTING`},
		{"@seller/a/b/c", `listing "@seller/a/b/c": expected [OWNER/]STORE/LISTING`},
		{"@seller//tea", `listing "@seller//tea": expected [OWNER/]STORE/LISTING`},
		{"@seller/tea", `listing "@seller/tea": expected [OWNER/]STORE/LISTING`},
	}
	for _, c := range cases {
		t.Run(c.arg, func(t *testing.T) {
			h.fake.calls = nil
			h.fake.listing = client.Listing{Owner: seller, Store: "jeju", ID: "tea", Product: client.ProductRef{Supplier: brand, ID: "tea"}}
			r := h.run("--profile", "seller", "store", "listing", c.arg)
			if strings.HasPrefix(c.want, "Listing(") {
				require.Equal(t, 0, r.code, r.err)
				require.Equal(t, c.want, h.fake.calls[0])
				return
			}
			require.Equal(t, exitUsage, r.code)
			require.Equal(t, "likr: "+c.want, strings.SplitN(r.err, "\n", 2)[0])
		})
	}
}

func TestNetworkFolderResolution(t *testing.T) {
	repo := t.TempDir()
	network := filepath.Join(repo, ".likr", "network")
	require.NoError(t, os.MkdirAll(network, 0o755))
	deep := filepath.Join(repo, "client", "cmd")
	require.NoError(t, os.MkdirAll(deep, 0o755))
	elsewhere := t.TempDir()
	sys := func(env map[string]string, wd, exe string) system {
		return system{
			getenv: func(k string) string { return env[k] }, getwd: func() (string, error) { return wd, nil },
			executable: func() (string, error) { return exe, nil },
		}
	}
	none := map[string]string{}
	require.Equal(t, "/flag", networkDir("/flag", sys(map[string]string{"LIKR_NETWORK": "/env"}, deep, "")))
	require.Equal(t, "/env", networkDir("", sys(map[string]string{"LIKR_NETWORK": "/env"}, deep, "")))
	require.Equal(t, network, networkDir("", sys(none, repo, "")), "the repository root")
	require.Equal(t, network, networkDir("", sys(none, deep, "")), "a folder inside the repository")
	require.Equal(t, network, networkDir("", sys(none, elsewhere, filepath.Join(repo, ".likr", "bin", "likr"))), "beside .likr/bin/likr")
	require.Equal(t, filepath.Join(elsewhere, ".likr/network"), networkDir("", sys(none, elsewhere, "/usr/bin/likr")), "where make network-up would make it")
}

func TestProfileSelection(t *testing.T) {
	h := newHarness(t)
	h.requireOK("--profile", "minji", "config", "whoami")
	require.Equal(t, "minji", h.dialed[0].Name)
	require.Equal(t, filepath.Join(h.network, "identities", "minji", "cert.pem"), h.dialed[0].CertPath, "relative paths resolve against the profile")

	h.env["LIKR_PROFILE"] = "jisoo"
	h.requireOK("config", "whoami")
	require.Equal(t, "jisoo", h.dialed[1].Name)
	delete(h.env, "LIKR_PROFILE")

	// A real network's profile file; @name is then a profile beside it.
	file := filepath.Join(h.network, "profiles", "brand.json")
	h.wd = t.TempDir()
	h.requireOK("--profile-file", file, "wallet", "balance", "@seller")
	require.Equal(t, "Balance("+h.accounts["seller"]+")", h.fake.calls[len(h.fake.calls)-1])

	r := h.run("wallet", "balance")
	require.Equal(t, exitUsage, r.code)
	require.Contains(t, r.err, "likr: no identity: give --profile NAME")

	h.wd = h.repo
	r = h.run("wallet", "balance")
	require.Equal(t, exitUsage, r.code)
	require.Equal(t, "likr: no identity: give --profile NAME (a test network identity) or --profile-file FILE; the test network has: admin, auditor, brand, jisoo, minji, moderator, seller\n", r.err)

	r = h.run("--profile", "minji", "--profile-file", file, "wallet", "balance")
	require.Equal(t, exitUsage, r.code)
	require.Equal(t, "likr: give --profile or --profile-file, not both\n", r.err)

	h.wd = t.TempDir()
	r = h.run("--profile", "minji", "wallet", "balance")
	require.Equal(t, exitError, r.code)
	require.Contains(t, r.err, "has no profiles (start the test network with `make network-up`, or give --network DIR)")
}

func TestDisplayWidth(t *testing.T) {
	cases := map[string]int{
		"":                     0,
		"tea":                  3,
		"녹차":                   4,
		"제주 녹차 Jeju green tea": 24,
		"ｔｅａ":                  6, // fullwidth Latin
		"茶":                    2,
		"é":                    1, // e + combining acute
		"🍵":                    2,
		"한\u1100\u1161":        4, // a syllable, then one from conjoining Jamo
		"a\u200bb":             2, // zero-width space
	}
	for s, want := range cases {
		require.Equal(t, want, displayWidth(s), "%q", s)
	}
	require.Equal(t, "제주 ...", truncate("제주 녹차 Jeju green tea", 9), "cut at a column, not a byte")
	require.Equal(t, 8, displayWidth(truncate("제주 녹차 Jeju green tea", 9)), "a wide rune never straddles the limit")
	require.Equal(t, "tea", truncate("tea", 3))
}

func TestCleanNeutralisesControlCharacters(t *testing.T) {
	require.Equal(t, "a b c", clean("a\nb\tc"))
	require.Equal(t, "x\uFFFD[31mred", clean("x\x1b[31mred"), "no escape sequence reaches the terminal")
	require.Equal(t, "\uFFFDevil", clean("\u202eevil"), "no bidirectional override")
	require.Equal(t, "제주", clean("제주"))
}

func TestTableAlignsKoreanText(t *testing.T) {
	tb := newTable("PRODUCT", "NAME~20", "PRICE>", "STATUS")
	tb.add("tea", "제주 녹차 Jeju green tea", "9000 LKC", "active")
	tb.add("mask", "마스크팩", "12000 LKC", "hidden")
	tb.add("soap", "soap", "500 LKC", "active")
	var b strings.Builder
	require.NoError(t, tb.render(&b))
	want := "" +
		"PRODUCT  NAME                  PRICE  STATUS\n" +
		"tea      제주 녹차 Jeju gr...   9000 LKC  active\n" +
		"mask     마스크팩              12000 LKC  hidden\n" +
		"soap     soap                    500 LKC  active\n"
	// The header's PRICE is right-aligned over the amounts.
	want = strings.Replace(want, "PRICE  STATUS", "    PRICE  STATUS", 1)
	require.Equal(t, want, b.String())
	// Every row's STATUS column starts at the same terminal column.
	var cols []int
	for _, l := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		i := strings.LastIndex(l, "  ")
		cols = append(cols, displayWidth(l[:i]))
	}
	require.Equal(t, []int{cols[0], cols[0], cols[0], cols[0]}, cols)
}

func TestFieldsAlignKeysAndAmounts(t *testing.T) {
	var f fields
	f.add("name", "제주 녹차")
	f.add("left out", "")
	f.addAmounts("total", amount(18000), "  supplier", amount(12000), "  seller", amount(0))
	var b strings.Builder
	require.NoError(t, f.render(&b))
	require.Equal(t, ""+
		"name        제주 녹차\n"+
		"total       18000 LKC\n"+
		"  supplier  12000 LKC\n"+
		"  seller        0 LKC\n", b.String())
}

func TestFormats(t *testing.T) {
	require.Equal(t, "5%", pct(500))
	require.Equal(t, "2.5%", pct(250))
	require.Equal(t, "0.01%", pct(1))
	require.Equal(t, "100%", pct(10000))
	require.Equal(t, "5% (500 bps)", pctBps(500))
	require.Equal(t, "2025-05-01 09:30:00Z", when("2025-05-01T09:30:00.123456789Z"))
	require.Equal(t, "not a time", when("not a time"))
	require.Equal(t, "제주 녹차", productName(json.RawMessage(`{"grams":80,"name":"제주 녹차"}`)))
	require.Equal(t, "", productName(json.RawMessage(`{"name":7}`)))
	require.Equal(t, "604800 s (7 days)", seconds(604800))
}

func TestErrorFormatting(t *testing.T) {
	forbidden := errs.New(errs.Forbidden, "requires role admin; caller 1234 of Org1MSP has role consumer")
	cases := map[string]struct {
		err  error
		cmd  *command
		want string
	}{
		"chaincode error names its transaction": {
			&client.EndorseError{TxError: &client.TxError{Phase: client.PhaseEndorse, Function: "order:Place", TxID: "tx1", Attempt: 1, Err: forbidden}},
			nil, "likr: FORBIDDEN: requires role admin; caller 1234 of Org1MSP has role consumer (order:Place)",
		},
		"client-side coded error takes the command's transaction": {
			errors.Join(errors.New("wallet:Transfer: choosing coins"), errs.New(errs.InsufficientFunds, "coins hold 0, need 5")),
			&command{tx: []string{"wallet:Transfer"}}, "likr: INSUFFICIENT_FUNDS: coins hold 0, need 5 (wallet:Transfer)",
		},
		"uncoded failure of a phase": {
			&client.CommitError{TxError: &client.TxError{Phase: client.PhaseCommit, Function: "wallet:Mint", TxID: "tx9", Attempt: 5, Err: errors.New("failed validation: MVCC_READ_CONFLICT")}},
			nil, "likr: commit wallet:Mint (tx tx9, attempt 5): failed validation: MVCC_READ_CONFLICT",
		},
		"several lines become one": {
			errors.New("first\nsecond\n"), nil, "likr: first; second",
		},
		"an unreachable peer hints at the network": {
			errors.New("client: connecting to 127.0.0.1:7051: context deadline exceeded"), nil,
			"likr: client: connecting to 127.0.0.1:7051: context deadline exceeded (is the network up? make network-up && make deploy)",
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			require.Equal(t, c.want, formatError(c.err, c.cmd))
		})
	}
}

func TestExitStatuses(t *testing.T) {
	h := newHarness(t)
	cases := []struct {
		name string
		args []string
		code int
		err  string // the first line of standard error
	}{
		{"no command", nil, exitUsage, "likr: no command given"},
		{"unknown group", []string{"wallets"}, exitUsage, `likr: unknown command "wallets"`},
		{"group without command", []string{"wallet"}, exitUsage, "likr: wallet needs a command"},
		{"unknown command", []string{"wallet", "mintt"}, exitUsage, `likr: unknown command "mintt" of wallet`},
		{"missing argument", []string{"--profile", "admin", "wallet", "mint", "@minji"}, exitUsage, "likr: likr wallet mint needs ACCOUNT AMOUNT"},
		{"extra argument", []string{"--profile", "admin", "wallet", "supply", "x"}, exitUsage, "likr: likr wallet supply takes no arguments, got 1"},
		{"bad amount", []string{"--profile", "admin", "wallet", "mint", "@minji", "1.5"}, exitUsage, `likr: AMOUNT "1.5" is not an amount: give a whole number of LKC, digits only, like 1500`},
		{"negative amount", []string{"--profile", "admin", "wallet", "mint", "@minji", "--", "-5"}, exitUsage, `likr: AMOUNT "-5" is not an amount`},
		{"unknown flag", []string{"--profile", "admin", "wallet", "balance", "--nope"}, exitUsage, "likr: flag provided but not defined: -nope"},
		{"bad rate", []string{"--profile", "seller", "store", "update-listing", "jeju/tea", "--referral-bps", "10001"}, exitUsage, `likr: --referral-bps "10001" is not a rate`},
		{"missing flag", []string{"--profile", "brand", "product", "register", "--id", "tea"}, exitUsage, "likr: give --id, --attributes, --wholesale and --min-retail"},
		{"chaincode refusal", []string{"--profile", "minji", "wallet", "mint", "@minji", "5"}, exitError, "likr: FORBIDDEN: requires role admin (wallet:Mint)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h.fake.err = nil
			if c.code == exitError {
				h.fake.err = &client.EndorseError{TxError: &client.TxError{Phase: client.PhaseEndorse, Function: "wallet:Mint", Err: errs.New(errs.Forbidden, "requires role admin")}}
			}
			r := h.run(c.args...)
			require.Equal(t, c.code, r.code, r.err)
			require.Equal(t, c.err, strings.SplitN(r.err, "\n", 2)[0][:min(len(c.err), len(strings.SplitN(r.err, "\n", 2)[0]))])
			require.True(t, strings.HasPrefix(strings.SplitN(r.err, "\n", 2)[0], c.err), r.err)
			require.Empty(t, r.out)
		})
	}
	h.fake.err = nil
	r := h.run("--profile", "admin", "wallet", "mint", "@minji")
	require.Equal(t, "likr: likr wallet mint needs ACCOUNT AMOUNT\nusage: likr wallet mint ACCOUNT AMOUNT (likr wallet mint --help)\n", r.err,
		"a usage error shows the command's usage on its second line")
}

func TestHelp(t *testing.T) {
	h := newHarness(t)
	out := h.requireOK("help")
	for _, g := range groups {
		require.Contains(t, out, "\n"+g.name+": ", "likr help lists group %s", g.name)
		for _, c := range g.commands {
			if c.name != "" {
				require.Contains(t, out, "  "+strings.TrimSpace(c.name+" "+c.args)+"  ", "likr help lists %s", c.path())
			}
		}
	}
	require.Equal(t, out, h.requireOK("--help"))
	out = h.requireOK("help", "wallet")
	require.Contains(t, out, "mint ACCOUNT AMOUNT")
	out = h.requireOK("wallet", "mint", "--help")
	require.Contains(t, out, "usage: likr wallet mint ACCOUNT AMOUNT\n")
	require.Contains(t, out, "calls: wallet:Mint")
	out = h.requireOK("help", "product", "register")
	require.Contains(t, out, "--wholesale AMOUNT")
	require.NotContains(t, out, "--profile-file FILE  ", "global flags are listed once, in likr help")
	out = h.requireOK("help", "events")
	require.Contains(t, out, "usage: likr events [--follow] [--checkpoint FILE] [--from-block N]")
	require.Equal(t, exitUsage, h.run("help", "nothing").code)
}

func TestWalletCommands(t *testing.T) {
	h := newHarness(t)
	minji := h.accounts["minji"]

	out := h.requireOK("--profile", "admin", "wallet", "mint", "@minji", "100000")
	require.Equal(t, []string{"Mint(" + minji + ", 100000)"}, h.fake.calls)
	require.Equal(t, "minted 100000 LKC for @minji\ncommitted in block 7, tx "+testReceipt.TxID+"\n", out)

	out = h.requireOK("--profile", "admin", "wallet", "mint", "@minji", "5", "--json")
	var committed struct {
		TxID     string          `json:"txId"`
		Block    uint64          `json:"block"`
		Attempts int             `json:"attempts"`
		Result   json.RawMessage `json:"result"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &committed))
	require.Equal(t, testReceipt.TxID, committed.TxID)
	require.Equal(t, uint64(7), committed.Block)
	require.Nil(t, committed.Result, "Mint returns no result")

	h.fake.calls, h.fake.balance = nil, amount(99500)
	out = h.requireOK("--profile", "minji", "wallet", "balance")
	require.Equal(t, []string{"Balance(" + minji + ")"}, h.fake.calls, "no argument: the caller's own")
	require.Equal(t, "@minji  99500 LKC\n", out)
	out = h.requireOK("--profile", "minji", "--json", "wallet", "balance")
	require.JSONEq(t, `{"account":"`+minji+`","balance":"99500"}`, out)

	h.fake.calls = nil
	h.requireOK("--profile", "minji", "wallet", "transfer", "@jisoo", "500", "--coins", "c1,c2")
	require.Equal(t, []string{"Transfer(" + h.accounts["jisoo"] + ", 500, 1 options)"}, h.fake.calls)

	h.fake.coins = []client.Coin{{ID: "tx1.000001", Amount: amount(600)}, {ID: "tx2.000000", Amount: amount(99000)}}
	out = h.requireOK("--profile", "minji", "wallet", "coins")
	require.Equal(t, ""+
		"COIN           AMOUNT\n"+
		"tx1.000001    600 LKC\n"+
		"tx2.000000  99000 LKC\n"+
		"2 coins, 99600 LKC\n", out)
}

func TestAuditFailureExitsOne(t *testing.T) {
	h := newHarness(t)
	h.fake.audit = client.AuditReport{Minted: amount(100), Held: amount(90), OK: false, Issues: []string{"held 90 != minted - burned 100"}}
	r := h.run("--profile", "auditor", "wallet", "audit")
	require.Equal(t, exitError, r.code)
	require.Contains(t, r.out, "\nresult  ")
	require.Contains(t, r.out, "  FAILED\n")
	require.Equal(t, "likr: audit failed: held 90 != minted - burned 100\n", r.err)

	h.fake.audit = client.AuditReport{Minted: amount(100), Held: amount(100), OK: true}
	r = h.run("--profile", "auditor", "wallet", "audit", "--json")
	require.Equal(t, exitOK, r.code)
	require.Contains(t, r.out, `"ok": true`)
}

func TestProductRegisterFromFlagsOrRequest(t *testing.T) {
	h := newHarness(t)
	brand := h.accounts["brand"]
	h.fake.product = client.Product{
		Supplier: brand, ID: "tea", Attributes: json.RawMessage(`{"name":"제주 녹차","grams":80}`),
		AttributesHash: strings.Repeat("e", 64), Version: 1, Shards: 16,
		Terms:        client.ProductTerms{WholesalePrice: amount(6000), MinRetailPrice: amount(9000), Status: "active"},
		RegisteredAt: "2025-05-01T09:30:00.000000000Z", UpdatedAt: "2025-05-01T09:30:00.000000000Z",
	}
	want := `RegisterProduct({"id":"tea","attributes":{"name":"제주 녹차","grams":80},"terms":{"wholesalePrice":"6000","minRetailPrice":"9000","status":"active"},"stock":100})`
	out := h.requireOK("--profile", "brand", "product", "register", "--id", "tea", "--attributes", `{"name":"제주 녹차","grams":80}`,
		"--wholesale", "6000", "--min-retail", "9000", "--stock", "100")
	require.Equal(t, []string{want}, h.fake.calls)
	require.Contains(t, out, "product     @brand/tea\nname        제주 녹차\nwholesale   6000 LKC\nmin retail  9000 LKC\n")
	require.Contains(t, out, "stock       100 units in 16 shards\n")

	// The same request from a file, and from standard input.
	file := filepath.Join(t.TempDir(), "tea.json")
	require.NoError(t, os.WriteFile(file, []byte(`{"id":"tea","attributes":{"name":"제주 녹차","grams":80},
		"terms":{"wholesalePrice":"6000","minRetailPrice":"9000","status":"active"},"stock":100}`), 0o644))
	h.fake.calls = nil
	h.requireOK("--profile", "brand", "product", "register", "--request", file)
	require.Equal(t, []string{want}, h.fake.calls)
	h.fake.calls, h.stdin = nil, `{"id":"tea","attributes":{"name":"제주 녹차","grams":80},"terms":{"wholesalePrice":"6000","minRetailPrice":"9000","status":"active"},"stock":100}`
	h.requireOK("--profile", "brand", "product", "register", "--request", "-")
	require.Equal(t, []string{want}, h.fake.calls)

	// Attributes from a file.
	attrs := filepath.Join(t.TempDir(), "attrs.json")
	require.NoError(t, os.WriteFile(attrs, []byte(`{"name":"제주 녹차","grams":80}`), 0o644))
	h.fake.calls = nil
	h.requireOK("--profile", "brand", "product", "register", "--id", "tea", "--attributes", "@"+attrs,
		"--wholesale", "6000", "--min-retail", "9000", "--stock", "100")
	require.Equal(t, []string{want}, h.fake.calls)

	// A request with a misspelt field is refused before any call.
	require.NoError(t, os.WriteFile(file, []byte(`{"id":"tea","stok":100}`), 0o644))
	h.fake.calls = nil
	r := h.run("--profile", "brand", "product", "register", "--request", file)
	require.Equal(t, exitUsage, r.code)
	require.Contains(t, r.err, `unknown field "stok"`)
	require.Empty(t, h.fake.calls)

	r = h.run("--profile", "brand", "product", "register", "--id", "tea", "--attributes", `{"name":`, "--wholesale", "1", "--min-retail", "2")
	require.Equal(t, exitUsage, r.code)
	require.Equal(t, "likr: --attributes is not valid JSON\n", r.err)
}

func TestUpdateTermsKeepsTheTermsLeftOut(t *testing.T) {
	h := newHarness(t)
	brand := h.accounts["brand"]
	h.fake.product = client.Product{Supplier: brand, ID: "tea", Attributes: json.RawMessage(`{}`), Version: 2,
		Terms: client.ProductTerms{WholesalePrice: amount(6000), MinRetailPrice: amount(9000), Status: "active"}}
	h.requireOK("--profile", "brand", "product", "update-terms", "tea", "--wholesale", "6500")
	require.Equal(t, []string{
		"Product(" + brand + ", tea)",
		`UpdateProductTerms(tea, {"terms":{"wholesalePrice":"6500","minRetailPrice":"9000","status":"active"}})`,
	}, h.fake.calls)

	h.fake.calls = nil
	h.requireOK("--profile", "brand", "product", "update-terms", "tea", "--wholesale", "1", "--min-retail", "2", "--status", "hidden")
	require.Equal(t, []string{`UpdateProductTerms(tea, {"terms":{"wholesalePrice":"1","minRetailPrice":"2","status":"hidden"}})`}, h.fake.calls,
		"every term given: nothing to read first")

	r := h.run("--profile", "brand", "product", "update-terms", "tea")
	require.Equal(t, exitUsage, r.code)
}

func TestListingsShowProductNames(t *testing.T) {
	h := newHarness(t)
	seller, brand, minji := h.accounts["seller"], h.accounts["brand"], h.accounts["minji"]
	h.fake.products = []client.Product{
		{Supplier: brand, ID: "tea", Attributes: json.RawMessage(`{"name":"제주 녹차 Jeju green tea"}`)},
		{Supplier: brand, ID: "mask", Attributes: json.RawMessage(`{"name":"마스크팩"}`)},
	}
	h.fake.listings = []client.Listing{
		{Owner: seller, Store: "jeju", ID: "tea", Product: client.ProductRef{Supplier: brand, ID: "tea"}, Price: amount(9000), ReferralBps: 500, Status: "active"},
		{Owner: seller, Store: "jeju", ID: "mask", Product: client.ProductRef{Supplier: brand, ID: "mask"}, Price: amount(12000), ReferralBps: 250, Status: "removed"},
		{Owner: seller, Store: "jeju", ID: "tea2", Product: client.ProductRef{Supplier: brand, ID: "tea"}, Price: amount(500), Status: "active",
			ReferralOf: &client.ListingRef{Owner: minji, Store: "personal", ID: "tea"}},
	}
	out := h.requireOK("--profile", "jisoo", "store", "listings", "@seller/jeju")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	require.Len(t, lines, 4)
	header := lines[0]
	require.Equal(t, "LISTING  PRODUCT      NAME                          PRICE  REFERRAL  STATUS   REFERS TO", header)
	require.Equal(t, "tea      @brand/tea   제주 녹차 Jeju green tea   9000 LKC        5%  active", lines[1])
	require.Equal(t, "mask     @brand/mask  마스크팩                  12000 LKC      2.5%  removed", lines[2])
	require.Equal(t, "tea2     @brand/tea   제주 녹차 Jeju green tea    500 LKC        0%  active   @minji/personal/tea", lines[3])
	for _, l := range lines[1:] {
		require.Equal(t, col(header, "PRODUCT"), col(l, "@brand"), l)
		require.Equal(t, col(header, "PRICE")+len("PRICE"), col(l, " LKC")+len(" LKC"), "amounts end under PRICE: %s", l)
		require.Equal(t, col(header, "STATUS"), max(col(l, "active"), col(l, "removed")), l)
	}
	// Each product's name was read once.
	products := 0
	for _, c := range h.fake.calls {
		if strings.HasPrefix(c, "Product(") {
			products++
		}
	}
	require.Equal(t, 2, products)
}

// col is the terminal column at which sub starts in line.
func col(line, sub string) int {
	i := strings.Index(line, sub)
	if i < 0 {
		return -1
	}
	return displayWidth(line[:i])
}

func TestOrderCommands(t *testing.T) {
	h := newHarness(t)
	seller, brand, jisoo, minji := h.accounts["seller"], h.accounts["brand"], h.accounts["jisoo"], h.accounts["minji"]
	h.fake.products = []client.Product{{Supplier: brand, ID: "tea", Attributes: json.RawMessage(`{"name":"제주 녹차"}`)}}
	h.fake.order = client.Order{
		Buyer: jisoo, ID: "o-1", Listing: client.ListingRef{Owner: seller, Store: "jeju", ID: "tea"},
		Product: client.ProductRef{Supplier: brand, ID: "tea"}, ProductVersion: 1, Quantity: 2,
		UnitPrice: amount(9000), Total: amount(18000), ReferralBps: 500, Referrer: &client.StoreRef{Owner: minji, ID: "personal"},
		Status: "completed", PlacedAt: "2025-05-01T09:30:00.000000000Z", ClosedAt: "2025-05-02T10:00:00.000000000Z",
		Settlement: &client.Settlement{Trigger: "confirmed", SupplierAmount: amount(12000), Commission: amount(900), PlatformFee: amount(900), SellerAmount: amount(4200)},
	}
	h.requireOK("--profile", "jisoo", "order", "place", "--id", "o-1", "--listing", "@seller/jeju/tea", "--qty", "2", "--referrer", "@minji/personal")
	require.Equal(t, []string{`PlaceOrder({"ID":"o-1","Listing":{"owner":"` + seller + `","store":"jeju","id":"tea"},"Quantity":2,"Referrer":{"owner":"` + minji + `","id":"personal"}})`},
		h.fake.calls[:1])

	h.fake.calls = nil
	out := h.requireOK("--profile", "jisoo", "order", "confirm", "o-1")
	require.Equal(t, "ConfirmDelivery("+jisoo+", o-1)", h.fake.calls[0], "an order ID alone is the caller's own")
	require.Equal(t, ""+
		"order            @jisoo/o-1\n"+
		"status           completed\n"+
		"product          @brand/tea v1\n"+
		"name             제주 녹차\n"+
		"listing          @seller/jeju/tea\n"+
		"quantity         2\n"+
		"unit price       9000 LKC\n"+
		"total            18000 LKC\n"+
		"referrer         @minji/personal, commission 5%\n"+
		"placed           2025-05-01 09:30:00Z\n"+
		"settled          confirmed, 2025-05-02 10:00:00Z\n"+
		"  supplier       12000 LKC\n"+
		"  commission       900 LKC\n"+
		"  platform fee     900 LKC\n"+
		"  seller          4200 LKC\n"+
		"  moderator fee      0 LKC\n"+
		"  refund             0 LKC\n"+
		"committed in block 7, tx "+testReceipt.TxID+"\n", out)

	// --all follows the bookmarks; without it, the next bookmark is
	// offered on standard error.
	h.fake.orders = []client.Order{h.fake.order, h.fake.order}
	h.fake.calls = nil
	r := h.run("--profile", "jisoo", "order", "list")
	require.Equal(t, 0, r.code, r.err)
	require.Equal(t, []string{"OrdersByBuyer(" + jisoo + ", )"}, h.fake.calls[:1])
	require.Equal(t, "more: add --bookmark b1, or --all\n", r.err)
	require.Equal(t, 2, strings.Count(r.out, "\n"), "a header and one order")
	h.fake.calls = nil
	r = h.run("--profile", "jisoo", "order", "list", "--all", "--json")
	require.Equal(t, 0, r.code, r.err)
	var page client.OrderPage
	require.NoError(t, json.Unmarshal([]byte(r.out), &page))
	require.Len(t, page.Orders, 2)
	require.Empty(t, page.Bookmark)
	require.Equal(t, []string{"OrdersByBuyer(" + jisoo + ", )", "OrdersByBuyer(" + jisoo + ", b1)"}, h.fake.calls)

	h.fake.calls = nil
	h.requireOK("--profile", "seller", "order", "list", "--store", "jeju")
	require.Equal(t, []string{"OrdersByStore(" + seller + ", jeju)"}, h.fake.calls[:1])
	require.Equal(t, exitUsage, h.run("--profile", "seller", "order", "list", "--store", "jeju", "--buyer", "@jisoo").code)
}

func TestRewardCommands(t *testing.T) {
	h := newHarness(t)
	h.fake.rules = []client.RewardRule{{Activity: "review", Fixed: amount(100), RateBps: 0, Enabled: true, DailyCap: amount(1000)}}
	h.requireOK("--profile", "admin", "reward", "set-rule", "--activity", "review", "--rate-bps", "50")
	require.Equal(t, `SetRewardRule({"activity":"review","fixed":"100","rateBps":50,"enabled":true,"dailyCap":"1000"})`, h.fake.calls[1],
		"the terms left out keep their value")

	// A batch picks the pool's largest coins that cover count x each.
	h.fake.calls = nil
	h.fake.coins = []client.Coin{{ID: "p1", Amount: amount(50)}, {ID: "p2", Amount: amount(300)}, {ID: "p3", Amount: amount(100)}}
	h.requireOK("--profile", "admin", "reward", "batch", "--campaign", "spring", "--each", "150", "@minji", "@jisoo")
	require.Equal(t, []string{
		"Coins(" + client.CampaignPool + ", )",
		`BatchReward(["` + h.accounts["minji"] + `","` + h.accounts["jisoo"] + `"], 150, spring, ["p2"])`,
	}, h.fake.calls)
	h.fake.calls = nil
	r := h.run("--profile", "admin", "reward", "batch", "--campaign", "spring", "--each", "300", "@minji", "@jisoo")
	require.Equal(t, exitError, r.code)
	require.Equal(t, "likr: INSUFFICIENT_FUNDS: the campaign pool's coins hold 450 LKC, the batch needs 600 LKC\n", r.err)
}

func TestEventsPrintsNamesAndAmounts(t *testing.T) {
	h := newHarness(t)
	jisoo, seller, brand := h.accounts["jisoo"], h.accounts["seller"], h.accounts["brand"]
	tx := strings.Repeat("f", 64)
	h.fake.events = []client.Event{
		{BlockNumber: 12, TxID: tx, Index: 0, BusinessEvent: client.BusinessEvent{Type: "wallet.debit",
			Raw: json.RawMessage(`{"type":"wallet.debit","holder":"` + jisoo + `","amount":"18000","inputs":["c1"]}`)}},
		{BlockNumber: 12, TxID: tx, Index: 1, BusinessEvent: client.BusinessEvent{Type: "order.placed",
			Raw: json.RawMessage(`{"type":"order.placed","buyer":"` + jisoo + `","id":"o-1","status":"placed","total":"18000","listing":{"owner":"` + seller + `","store":"jeju","id":"tea"},"product":{"supplier":"` + brand + `","id":"tea"},"note":"제주 \u001b[2J"}`)}},
	}
	out := h.requireOK("--profile", "auditor", "events", "--follow")
	require.Equal(t, ""+
		" BLOCK  TX            EVENT                   DETAILS\n"+
		"    12  ffffffffffff  wallet.debit            holder=@jisoo  amount=18000 LKC  inputs=[\"c1\"]\n"+
		"                      order.placed            buyer=@jisoo  id=o-1  status=placed  total=18000 LKC  listing=@seller/jeju/tea  product=@brand/tea  note=\"제주 \\x1b[2J\"\n",
		out)
	require.Equal(t, "Follow(1 options)", h.fake.calls[0], "live: only the reconnection log")
	h.fake.calls = nil
	h.requireOK("--profile", "auditor", "events", "--follow", "--checkpoint", filepath.Join(t.TempDir(), "cp"))
	require.Equal(t, "Follow(3 options)", h.fake.calls[0], "from the first block, the checkpoint file, the reconnection log")

	out = h.requireOK("--profile", "auditor", "events", "--follow", "--json")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 2, "JSON lines, one per event")
	var e struct {
		Block uint64          `json:"block"`
		TxID  string          `json:"txId"`
		Index int             `json:"index"`
		Type  string          `json:"type"`
		Event json.RawMessage `json:"event"`
	}
	require.NoError(t, json.Unmarshal([]byte(lines[1]), &e))
	require.Equal(t, uint64(12), e.Block)
	require.Equal(t, 1, e.Index)
	require.Equal(t, "order.placed", e.Type)
	require.Contains(t, string(e.Event), `"total":"18000"`)

	// A failing stream is an error.
	h.fake.err = errors.New("client: chaincode events: rpc error: code = PermissionDenied")
	r := h.run("--profile", "auditor", "events", "--follow")
	require.Equal(t, exitError, r.code)
}

func TestEventPlans(t *testing.T) {
	zero, seven := uint64(0), uint64(7)
	cases := []struct {
		name       string
		follow     bool
		checkpoint string
		from       int64
		want       eventPlan
	}{
		{"follow live", true, "", -1, eventPlan{}},
		{"follow from a block", true, "", 7, eventPlan{fromBlock: &seven}},
		{"follow with a checkpoint misses nothing", true, "cp", -1, eventPlan{fromBlock: &zero, checkpoint: "cp"}},
		{"a look back starts at the beginning", false, "", -1, eventPlan{fromBlock: &zero}},
		{"a look back from a block", false, "", 7, eventPlan{fromBlock: &seven}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.want, planEvents(c.follow, c.checkpoint, c.from))
		})
	}
}

func TestProfilesListsIdentitiesOffline(t *testing.T) {
	h := newHarness(t)
	out := h.requireOK("profiles")
	require.Empty(t, h.dialed, "no network call")
	lines := strings.Split(out, "\n")
	require.Equal(t, "NAME        ORG   ROLE       ACCOUNT", lines[0])
	require.Equal(t, "@admin      Org1  admin      "+h.accounts["admin"], lines[1])
	require.Contains(t, out, "@minji      Org1  consumer   "+h.accounts["minji"]+"\n")
}

func TestParseDayAndTime(t *testing.T) {
	now := time.Date(2025, 5, 3, 23, 30, 0, 0, time.FixedZone("KST", 9*3600))
	d, err := parseDay("--day", "", now)
	require.NoError(t, err)
	require.Equal(t, time.Date(2025, 5, 3, 0, 0, 0, 0, time.UTC), d, "today is the UTC day")
	_, err = parseDay("--day", "05/03", now)
	require.Error(t, err)
	tm, err := parseTime("--from", "2025-05-01T09:00:00+09:00")
	require.NoError(t, err)
	require.Equal(t, time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC), tm.UTC())
}

// A command waits until its peer has the block of the last write any
// likr command made on the network: the buyer's peer may be a block behind
// the seller's who just shipped.
func TestCommandsWaitForTheLastWritesBlock(t *testing.T) {
	h := newHarness(t)
	h.requireOK("--profile", "minji", "wallet", "balance")
	require.Empty(t, h.fake.waitedFor, "nothing written yet")
	h.requireOK("--profile", "admin", "wallet", "mint", "@minji", "5")
	data, err := os.ReadFile(filepath.Join(h.network, "likr-cli-block"))
	require.NoError(t, err)
	require.Equal(t, strconv.FormatUint(testReceipt.Block, 10)+"\n", string(data))
	h.requireOK("--profile", "minji", "wallet", "balance")
	require.Equal(t, []uint64{testReceipt.Block}, h.fake.waitedFor)
}
