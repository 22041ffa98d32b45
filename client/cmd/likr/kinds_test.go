package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/client"
	"github.com/likrcommerce/likr/contracts/money"
)

// offline is a session already connected to api, writing to out and errOut,
// that keeps no block file (as with --profile-file).
func offline(api API, out, errOut *bytes.Buffer) *session {
	s := &session{io: stdio{in: strings.NewReader(""), out: out, err: errOut}, api: api}
	s.g.profileFile = "profile.json"
	return s
}

func TestFlagValuesKeepTheFirstMistake(t *testing.T) {
	cases := []struct {
		name         string
		amount, rate string
		whenA, whenR bool
		wantA        money.Amount // after the parses; a and r start as 7 and 9
		wantR        money.Rate
		err          string
	}{
		{name: "both parsed", amount: "1500", rate: "250", whenA: true, whenR: true, wantA: amount(1500), wantR: 250},
		{name: "a flag that does not count is not parsed", amount: "x", rate: "250", whenR: true, wantA: amount(7), wantR: 250},
		{name: "the first mistake is told, and nothing parsed after it", amount: "x", rate: "y", whenA: true, whenR: true,
			wantR: 9, err: `--a "x" is not an amount`},
		{name: "a later mistake is told", amount: "5", rate: "20000", whenA: true, whenR: true, wantA: amount(5), err: `--r "20000" is not a rate`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, r := amount(7), money.Rate(9)
			var v flagValues
			v.amount(c.whenA, &a, "--a", c.amount)
			v.rate(c.whenR, &r, "--r", c.rate)
			if c.err != "" {
				var u *usageError
				require.ErrorAs(t, v.err, &u)
				require.ErrorContains(t, v.err, c.err)
			} else {
				require.NoError(t, v.err)
			}
			require.Equal(t, c.wantA, a)
			require.Equal(t, c.wantR, r)
		})
	}
}

func TestRowsPrintNoneOrTheTable(t *testing.T) {
	row := func(s string) []string { return []string{s, strings.ToUpper(s)} }
	cases := []struct {
		name  string
		none  string
		items []string
		want  string
	}{
		{"items", "no things", []string{"a", "bb"}, "ID  UP\na   A\nbb  BB\n"},
		{"no items", "no things", nil, "no things\n"},
		{"no items and no line for none: the header", "", nil, "ID  UP\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, rows(&b, c.none, newTable("ID", "UP"), c.items, row))
			require.Equal(t, c.want, b.String())
		})
	}
}

// threePages is a list of coins in pages of one, bookmarks b1 and b2.
func threePages(asked *[]string) pageSource[client.CoinPage] {
	return func(_ API, _ context.Context, page client.PageRequest) (client.CoinPage, error) {
		*asked = append(*asked, page.Bookmark)
		next := map[string]string{"": "b1", "b1": "b2", "b2": ""}[page.Bookmark]
		return client.CoinPage{Coins: []client.Coin{{ID: "c" + page.Bookmark, Amount: amount(1)}}, Bookmark: next}, nil
	}
}

func TestShowPagesGathersThePages(t *testing.T) {
	cases := []struct {
		name   string
		pager  pager
		json   bool
		asked  []string
		out    string
		errOut string
		err    string
	}{
		{name: "one page offers the next", asked: []string{""}, out: "c\n", errOut: "more: add --bookmark b1, or --all\n"},
		{name: "--all follows every bookmark", pager: pager{all: true}, asked: []string{"", "b1", "b2"}, out: "c\ncb1\ncb2\n"},
		{name: "from a bookmark", pager: pager{bookmark: "b1"}, asked: []string{"b1"}, out: "cb1\n", errOut: "more: add --bookmark b2, or --all\n"},
		{name: "JSON is the page type, with the next bookmark", json: true, asked: []string{""},
			out: "{\n  \"coins\": [\n    {\n      \"id\": \"c\",\n      \"amount\": \"1\"\n    }\n  ],\n  \"bookmark\": \"b1\"\n}\n"},
		{name: "a limit out of range reads nothing", pager: pager{limit: 101}, err: "--limit 101: give 1 to 100"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			s := offline(&fake{}, &out, &errOut)
			s.g.json = c.json
			var asked []string
			p := c.pager
			err := showPages(context.Background(), s, &p, coinPage, threePages(&asked), func(w io.Writer, coins []client.Coin) error {
				for _, coin := range coins {
					if _, err := w.Write([]byte(coin.ID + "\n")); err != nil {
						return err
					}
				}
				return nil
			})
			if c.err != "" {
				require.ErrorContains(t, err, c.err)
				require.Empty(t, asked)
				return
			}
			require.NoError(t, err)
			require.Equal(t, c.asked, asked)
			require.Equal(t, c.out, out.String())
			require.Equal(t, c.errOut, errOut.String())
		})
	}
}

func TestShowPagesPrintsNoItemsAsAnEmptyList(t *testing.T) {
	var out, errOut bytes.Buffer
	s := offline(&fake{}, &out, &errOut)
	s.g.json = true
	none := func(API, context.Context, client.PageRequest) (client.CoinPage, error) { return client.CoinPage{}, nil }
	require.NoError(t, showPages(context.Background(), s, &pager{}, coinPage, none, nil))
	require.JSONEq(t, `{"coins":[],"bookmark":""}`, out.String(), "[] rather than null")
}

func TestRequestComesFromTheFileOrTheFlags(t *testing.T) {
	type req struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	var out, errOut bytes.Buffer
	s := offline(&fake{}, &out, &errOut)

	s.io.in = strings.NewReader(`{"id":"tea"}`)
	r := req{Name: "from a flag"}
	fromFlags := false
	require.NoError(t, s.request("-", &r, func() error { fromFlags = true; return nil }))
	require.False(t, fromFlags, "a request file replaces the flags")
	require.Equal(t, req{ID: "tea", Name: "from a flag"}, r, "what the file leaves out keeps its value")

	mistake := usagef("give --id")
	require.Equal(t, mistake, s.request("", &r, func() error { return mistake }))

	// An update connects first, for fromFlags to read the current values.
	f := &fake{}
	s.api = f
	var got API
	require.NoError(t, s.requestUpdate(context.Background(), "", &r, func(api API) error { got = api; return nil }))
	require.Same(t, f, got)
}

func TestWritesPrintTheirResultAndTransaction(t *testing.T) {
	ctx := context.Background()
	product := client.Product{Supplier: strings.Repeat("ab", 20), ID: "tea", Version: 3}
	layout := func(p client.Product) *fields {
		var f fields
		f.add("product", p.ID)
		return &f
	}
	cases := []struct {
		name string
		json bool
		run  func(s *session) error
		want string
	}{
		{"a record", false, func(s *session) error {
			return submit(ctx, s, func(API) (client.Product, client.Receipt, error) { return product, testReceipt, nil }, layout)
		}, "product  tea\ncommitted in block 7, tx " + testReceipt.TxID + "\n"},
		{"a record as JSON", true, func(s *session) error {
			return submit(ctx, s, func(API) (client.Product, client.Receipt, error) { return product, testReceipt, nil }, layout)
		}, `"result": {` + "\n" + `    "supplier": "` + product.Supplier + `",`},
		{"no record", false, func(s *session) error {
			return send(ctx, s, func(API) (client.Receipt, error) { return testReceipt, nil }, line("did it"))
		}, "did it\ncommitted in block 7, tx " + testReceipt.TxID + "\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			s := offline(&fake{}, &out, &errOut)
			s.g.json = c.json
			require.NoError(t, c.run(s))
			require.Contains(t, out.String(), c.want)
		})
	}

	// A refused write prints nothing.
	var out, errOut bytes.Buffer
	s := offline(&fake{}, &out, &errOut)
	refused := errors.New("refused")
	require.Equal(t, refused, submit(ctx, s, func(API) (client.Product, client.Receipt, error) { return product, client.Receipt{}, refused }, layout))
	require.Equal(t, refused, send(ctx, s, func(API) (client.Receipt, error) { return client.Receipt{}, refused }, line("did it")))
	require.Empty(t, out.String())
}

func TestShowCheckFailsAfterShowingTheReport(t *testing.T) {
	for _, passed := range []bool{true, false} {
		var out, errOut bytes.Buffer
		s := offline(&fake{}, &out, &errOut)
		failure := errors.New("check failed")
		err := s.showCheck(struct{}{}, line("result  %s", verdict(passed, "ok", "FAILED")), passed, failure)
		if passed {
			require.NoError(t, err)
			require.Equal(t, "result  ok\n", out.String())
		} else {
			require.Equal(t, failure, err)
			require.Equal(t, "result  FAILED\n", out.String(), "the report is shown before the failure")
		}
	}
}

// List commands print an empty list as a line for a person and as [] in
// JSON, and name whose list it is.
func TestListCommandsWithoutItems(t *testing.T) {
	h := newHarness(t)
	require.Equal(t, "@brand has no products\n", h.requireOK("--profile", "minji", "product", "list", "@brand"))
	require.Equal(t, "Products("+h.accounts["brand"]+", 0, )", h.fake.calls[0])
	require.JSONEq(t, `{"products":[],"bookmark":""}`, h.requireOK("--profile", "brand", "product", "list", "--json"))
	require.Equal(t, "@minji has no coins\n", h.requireOK("--profile", "minji", "wallet", "coins"))
}
