package sales_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/ledger/memledger"
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/contracts/sales"
)

func TestRecordWritesTheSaleItsIndexesAndDeltaRows(t *testing.T) {
	e := newEnv(t)
	tx := e.L.Begin(memledger.TxOptions{TxID: "abc123", Timestamp: time.Date(2026, 3, 1, 23, 59, 59, 5, time.UTC)})
	var ev ledger.Events
	in := goodSale("o-1")
	in.PlacedAt = "2026-02-27T18:30:00+09:00" // any RFC 3339 form
	in.SettledAt, in.TxID = "ignored", "ignored"
	got, err := sales.Record(tx, &ev, in)
	require.NoError(t, err)

	want := goodSale("o-1")
	want.PlacedAt = "2026-02-27T09:30:00.000000000Z"
	want.SettledAt, want.TxID = "2026-03-01T23:59:59.000000005Z", "abc123"
	require.Equal(t, &want, got)

	doc := mustJSON(t, want)
	delta := []byte(`{"orders":1,"quantity":3,"gross":"3000","refund":"0","supplierAmount":"1800","commission":"300",` +
		`"platformFee":"150","moderatorFee":"0","sellerAmount":"750"}`)
	const at, day = "2026-03-01T23:59:59.000000005Z", "2026-03-01"
	expected := map[string][]byte{
		e.Key("sale", buyer, "o-1"):                                            doc,
		e.Key("sale~supplier", supplier, at, buyer, "o-1"):                     doc,
		e.Key("sale~store", seller, "shop", at, buyer, "o-1"):                  doc,
		e.Key("sale~product", supplier, "tea", at, buyer, "o-1"):               doc,
		e.Key("sale~referrer", referrer, at, buyer, "o-1"):                     doc,
		e.Key("sale~time", at, buyer, "o-1"):                                   doc,
		e.Key("sday", day, "supplier", supplier, "abc123", buyer, "o-1"):       delta,
		e.Key("sday", day, "store", seller, "shop", "abc123", buyer, "o-1"):    delta,
		e.Key("sday", day, "product", supplier, "tea", "abc123", buyer, "o-1"): delta,
	}
	writes := tx.Writes()
	require.Len(t, writes, len(expected))
	for _, w := range writes {
		require.False(t, w.IsDelete)
		require.Contains(t, expected, w.Key)
		require.Equal(t, string(expected[w.Key]), string(w.Value), "row %q", w.Key)
	}
	require.Equal(t, ledger.Events{sales.RecordedEvent{
		Type: "sales.recorded", Buyer: buyer, Order: "o-1", Supplier: supplier, StoreOwner: seller,
		Store: "shop", Product: "tea", Total: amt(3000), SettledAt: at,
	}}, ev)
	require.JSONEq(t, `{"type":"sales.recorded","buyer":"`+buyer+`","order":"o-1","supplier":"`+supplier+
		`","storeOwner":"`+seller+`","store":"shop","product":"tea","total":"3000","settledAt":"`+at+`"}`,
		string(mustJSON(t, ev[0])))
	require.NoError(t, tx.Commit())

	stored, err := sales.Get(e.Eval(), buyer, "o-1")
	require.NoError(t, err)
	require.Equal(t, &want, stored)
}

func TestRecordWithoutReferrerWritesNoReferrerRow(t *testing.T) {
	e := newEnv(t)
	tx := e.Begin()
	got, err := sales.Record(tx, nil, noReferrer("o-1")) // a nil Emitter is allowed
	require.NoError(t, err)
	require.Len(t, tx.Writes(), 8)
	for _, w := range tx.Writes() {
		require.False(t, strings.HasPrefix(w.Key, "\x00sale~referrer\x00"), "row %q", w.Key)
	}
	require.NotContains(t, string(mustJSON(t, got)), "referrer", "empty referrer fields are omitted")
	require.NoError(t, tx.Commit())
}

func TestRecordRefusesInvalidSales(t *testing.T) {
	for _, c := range []struct {
		name   string
		mutate func(*sales.Sale)
	}{
		{"empty buyer", func(s *sales.Sale) { s.Buyer = "" }},
		{"buyer not hex", func(s *sales.Sale) { s.Buyer = strings.Repeat("g", 40) }},
		{"buyer upper case", func(s *sales.Sale) { s.Buyer = strings.ToUpper(buyer) }},
		{"buyer too short", func(s *sales.Sale) { s.Buyer = buyer[1:] }},
		{"empty order", func(s *sales.Sale) { s.Order = "" }},
		{"order with U+0000", func(s *sales.Sale) { s.Order = "o\x001" }},
		{"order with ':'", func(s *sales.Sale) { s.Order = "o:1" }},
		{"order too long", func(s *sales.Sale) { s.Order = strings.Repeat("o", 65) }},
		{"bad supplier", func(s *sales.Sale) { s.Supplier = "supplier" }},
		{"bad product", func(s *sales.Sale) { s.Product = "-tea" }},
		{"empty product", func(s *sales.Sale) { s.Product = "" }},
		{"version 0", func(s *sales.Sale) { s.ProductVersion = 0 }},
		{"empty attributes hash", func(s *sales.Sale) { s.AttributesHash = "" }},
		{"short attributes hash", func(s *sales.Sale) { s.AttributesHash = attrHash[1:] }},
		{"upper-case attributes hash", func(s *sales.Sale) { s.AttributesHash = strings.ToUpper(attrHash) }},
		{"bad store owner", func(s *sales.Sale) { s.StoreOwner = "\U0010FFFF" }},
		{"bad store", func(s *sales.Sale) { s.Store = "my shop" }},
		{"empty listing", func(s *sales.Sale) { s.Listing = "" }},
		{"bad referrer", func(s *sales.Sale) { s.Referrer = "bob" }},
		{"bad referrer store", func(s *sales.Sale) { s.ReferrerStore = "a\x00b" }},
		{"referrer without store", func(s *sales.Sale) { s.ReferrerStore = "" }},
		{"referrer store without referrer", func(s *sales.Sale) { s.Referrer = "" }},
		{"commission without referrer", func(s *sales.Sale) {
			s.Referrer, s.ReferrerStore = "", ""
		}},
		{"quantity 0", func(s *sales.Sale) { s.Quantity, s.Total = 0, amt(0) }},
		{"unit price 0", func(s *sales.Sale) { s.UnitPrice = amt(0) }},
		{"total not price x quantity", func(s *sales.Sale) { s.Total = amt(3001); s.SellerAmount = amt(751) }},
		{"price x quantity overflows", func(s *sales.Sale) { s.Quantity = 1 << 63 }},
		{"split short of the total", func(s *sales.Sale) { s.SellerAmount = amt(749) }},
		{"split beyond the total", func(s *sales.Sale) { s.PlatformFee = amt(151) }},
		{"refund not in the split", func(s *sales.Sale) { s.Refund = amt(1) }},
		{"moderator fee not in the split", func(s *sales.Sale) { s.ModeratorFee = amt(1) }},
		// Parts that wrap around to the total in 64 bits must not pass.
		{"split overflows to the total", func(s *sales.Sale) {
			s.SupplierAmount, s.Commission, s.PlatformFee = money.MaxAmount(), amt(0), amt(0)
			s.SellerAmount = amt(3001) // (2^64-1) + 3001 wraps to 3000
		}},
		{"empty placedAt", func(s *sales.Sale) { s.PlacedAt = "" }},
		{"placedAt not RFC 3339", func(s *sales.Sale) { s.PlacedAt = "2026-02-27 09:30:00" }},
		{"placedAt a date", func(s *sales.Sale) { s.PlacedAt = "2026-02-27" }},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			e.mustRecord(goodSale("earlier"))
			before := e.L.Snapshot()
			s := goodSale("o-1")
			c.mutate(&s)
			_, _, err := e.record(s) // also asserts no write and no event
			require.ErrorIs(t, err, errs.ErrInvalidArgument)
			require.Equal(t, before, e.L.Snapshot())
			require.Error(t, s.Validate())
		})
	}
}

// A sale whose split includes a refund and a moderator fee (a dispute) is
// valid when everything adds up.
func TestRecordAcceptsASplitWithRefundAndModeratorFee(t *testing.T) {
	e := newEnv(t)
	s := noReferrer("o-1")
	s.Refund, s.ModeratorFee, s.SupplierAmount, s.PlatformFee, s.SellerAmount = amt(2000), amt(100), amt(900), amt(0), amt(0)
	got := e.mustRecord(s)
	require.Equal(t, amt(2000), got.Refund)
}

func TestRecordTheSameOrderTwiceIsAlreadyExists(t *testing.T) {
	e := newEnv(t)
	e.mustRecord(goodSale("o-1"))
	before := e.L.Snapshot()
	again := goodSale("o-1")
	again.Quantity, again.Total, again.SellerAmount = 4, amt(4000), amt(1750)
	_, _, err := e.record(again)
	require.ErrorIs(t, err, errs.ErrAlreadyExists)
	require.Equal(t, before, e.L.Snapshot())

	// Order IDs are scoped to the buyer: another buyer's o-1 is another sale.
	other := goodSale("o-1")
	other.Buyer = acct(99)
	e.mustRecord(other)
}

// The heart of the design: settlements of one supplier, store, product and
// referrer, all on one day, begun before any of them commits, all commit.
// No key that one of them reads is written by another.
func TestConcurrentSettlementsOfOneSupplierDoNotConflict(t *testing.T) {
	e := newEnv(t)
	e.mustRecord(goodSale("already")) // the day's rows exist before
	const n = 8
	txs := make([]*memledger.Tx, n)
	for i := range txs {
		txs[i] = e.Begin()
		s := goodSale(fmt.Sprintf("o-%d", i))
		if i%2 == 1 {
			s.Buyer = acct(50 + i) // several buyers too
		}
		_, err := sales.Record(txs[i], nil, s)
		require.NoError(t, err)
	}
	for i, tx := range txs {
		require.NoError(t, tx.Commit(), "settlement %d", i)
	}
	day := epoch.Format(ledger.DayLayout)
	for _, sc := range []sales.Scope{
		{Kind: sales.ScopeSupplier, Party: []string{supplier}},
		{Kind: sales.ScopeStore, Party: []string{seller, "shop"}},
		{Kind: sales.ScopeProduct, Party: []string{supplier, "tea"}},
	} {
		tot, err := sales.DailyTotals(e.Eval(), day, sc)
		require.NoError(t, err)
		require.Equal(t, uint64(n+1), tot.Orders, "%v", sc)
		require.Equal(t, amt(3000*(n+1)), tot.Gross, "%v", sc)
	}
	rep, err := sales.Reconcile(e.Eval(), day)
	require.NoError(t, err)
	require.True(t, rep.OK, "%+v", rep)

	// The same order settled twice concurrently does conflict: the one key
	// Record reads is the sale's own, and that is what makes it unique.
	a, b := e.Begin(), e.Begin()
	_, err = sales.Record(a, nil, goodSale("dup"))
	require.NoError(t, err)
	_, err = sales.Record(b, nil, goodSale("dup"))
	require.NoError(t, err)
	require.NoError(t, a.Commit())
	require.ErrorIs(t, b.Commit(), memledger.ErrMVCCConflict)
}

// Two sales in one transaction (a batch settlement) write distinct rows.
func TestTwoSalesInOneTransaction(t *testing.T) {
	e := newEnv(t)
	tx := e.Begin()
	var ev ledger.Events
	_, err := sales.Record(tx, &ev, goodSale("o-1"))
	require.NoError(t, err)
	_, err = sales.Record(tx, &ev, goodSale("o-2"))
	require.NoError(t, err)
	require.Len(t, tx.Writes(), 18)
	require.Len(t, ev, 2)
	require.NoError(t, tx.Commit())
	tot, err := sales.DailyTotals(e.Eval(), epoch.Format(ledger.DayLayout), sales.Scope{Kind: sales.ScopeSupplier, Party: []string{supplier}})
	require.NoError(t, err)
	require.Equal(t, uint64(2), tot.Orders)
}

func TestGet(t *testing.T) {
	e := newEnv(t)
	want := e.mustRecord(goodSale("o-1"))
	got, err := sales.Get(e.Eval(), buyer, "o-1")
	require.NoError(t, err)
	require.Equal(t, want, got)

	_, err = sales.Get(e.Eval(), buyer, "o-2")
	require.ErrorIs(t, err, errs.ErrNotFound)
	_, err = sales.Get(e.Eval(), acct(9), "o-1")
	require.ErrorIs(t, err, errs.ErrNotFound)
	for _, c := range [][2]string{{"", "o-1"}, {"alice", "o-1"}, {buyer, ""}, {buyer, "o\x00"}, {buyer, "o 1"}} {
		_, err = sales.Get(e.Eval(), c[0], c[1])
		require.ErrorIs(t, err, errs.ErrInvalidArgument, "%q", c)
	}
}

// querySeed records 12 sales a minute apart over two suppliers, two stores
// of one owner whose IDs are prefixes ("s1", "s10"), another store, two
// products, and referrers on some.
func querySeed(t *testing.T) (*env, []sales.Sale) {
	e := newEnv(t)
	var all []sales.Sale
	for i := range 12 {
		e.L.SetTime(epoch.Add(time.Duration(i) * time.Minute))
		s := noReferrer(fmt.Sprintf("o-%02d", i))
		s.Buyer = acct(10 + i%3)
		s.Supplier = acct(20 + i%2)
		s.Product = []string{"tea", "teapot"}[i%2]
		switch i % 3 {
		case 0:
			s.StoreOwner, s.Store = seller, "s1"
		case 1:
			s.StoreOwner, s.Store = seller, "s10"
		case 2:
			s.StoreOwner, s.Store = acct(30), "s1"
		}
		if i%4 != 0 {
			s.Referrer, s.ReferrerStore = acct(40+i%4), "picks"
			s.Commission, s.SellerAmount = amt(300), amt(750)
		}
		all = append(all, *e.mustRecord(s))
	}
	return e, all
}

func TestQueryEachIndexWithTimeRangesAndPages(t *testing.T) {
	e, all := querySeed(t)
	at := func(i int) string { return all[i].SettledAt }
	for _, f := range []struct {
		filter sales.Filter
		match  func(s sales.Sale) bool
	}{
		{sales.Filter{By: sales.BySupplier, Party: []string{acct(20)}}, func(s sales.Sale) bool { return s.Supplier == acct(20) }},
		{sales.Filter{By: sales.BySupplier, Party: []string{acct(21)}}, func(s sales.Sale) bool { return s.Supplier == acct(21) }},
		{sales.Filter{By: sales.ByStore, Party: []string{seller, "s1"}}, func(s sales.Sale) bool { return s.StoreOwner == seller && s.Store == "s1" }},
		{sales.Filter{By: sales.ByStore, Party: []string{seller, "s10"}}, func(s sales.Sale) bool { return s.StoreOwner == seller && s.Store == "s10" }},
		{sales.Filter{By: sales.ByStore, Party: []string{acct(30), "s1"}}, func(s sales.Sale) bool { return s.StoreOwner == acct(30) }},
		{sales.Filter{By: sales.ByProduct, Party: []string{acct(20), "tea"}}, func(s sales.Sale) bool { return s.Supplier == acct(20) && s.Product == "tea" }},
		{sales.Filter{By: sales.ByProduct, Party: []string{acct(21), "teapot"}}, func(s sales.Sale) bool { return s.Supplier == acct(21) && s.Product == "teapot" }},
		{sales.Filter{By: sales.ByProduct, Party: []string{acct(20), "teapot"}}, func(s sales.Sale) bool { return false }},
		{sales.Filter{By: sales.ByReferrer, Party: []string{acct(41)}}, func(s sales.Sale) bool { return s.Referrer == acct(41) }},
		{sales.Filter{By: sales.ByReferrer, Party: []string{acct(40)}}, func(s sales.Sale) bool { return false }},
		{sales.Filter{By: sales.ByTime}, func(s sales.Sale) bool { return true }},
	} {
		for _, r := range []struct{ from, to string }{
			{"", ""},
			{at(3), ""},
			{"", at(7)},
			{at(3), at(7)},
			{at(4), at(4)},
			// Other RFC 3339 forms of the same instants select the same sales.
			{epoch.Add(3 * time.Minute).In(time.FixedZone("KST", 9*3600)).Format(time.RFC3339), "2026-03-01T12:07:00Z"},
			{"2026-03-01T12:03:00.5Z", "2026-03-01T12:07:00.000000001Z"},
			{"2026-03-02T00:00:00Z", ""},
		} {
			from, to := r.from, r.to
			if from == "" {
				from = "0001-01-01T00:00:00Z"
			}
			if to == "" {
				to = "9999-12-31T23:59:59.999999999Z"
			}
			lo, err := time.Parse(time.RFC3339Nano, from)
			require.NoError(t, err)
			hi, err := time.Parse(time.RFC3339Nano, to)
			require.NoError(t, err)
			var want []sales.Sale
			for _, s := range all {
				settled, err := time.Parse(time.RFC3339Nano, s.SettledAt)
				require.NoError(t, err)
				if f.match(s) && !settled.Before(lo) && settled.Before(hi) {
					want = append(want, s)
				}
			}
			want = inSettlementOrder(want)
			for _, size := range []int32{1, 2, 5, ledger.MaxPageSize} {
				filter := f.filter
				filter.From, filter.To = r.from, r.to
				got, pages := queryAll(t, e, filter, size)
				require.Equal(t, orderIDs(want), orderIDs(got), "%+v by %d", filter, size)
				if len(want) > 0 {
					require.Equal(t, want, got, "%+v by %d", filter, size)
				}
				require.Equal(t, max(1, (len(want)+int(size)-1)/int(size)), pages, "%+v by %d", filter, size)
			}
		}
	}
}

func TestQueryRefusesBadFilters(t *testing.T) {
	e, _ := querySeed(t)
	page, err := sales.Query(e.Eval(), sales.Filter{By: sales.BySupplier, Party: []string{acct(20)}}, 2, "")
	require.NoError(t, err)
	require.NotEmpty(t, page.Bookmark)
	for _, c := range []struct {
		name     string
		f        sales.Filter
		size     int32
		bookmark string
	}{
		{"unknown by", sales.Filter{By: "buyer", Party: []string{buyer}}, 10, ""},
		{"empty by", sales.Filter{}, 10, ""},
		{"supplier without party", sales.Filter{By: sales.BySupplier}, 10, ""},
		{"supplier with two parties", sales.Filter{By: sales.BySupplier, Party: []string{acct(20), "tea"}}, 10, ""},
		{"store with one party", sales.Filter{By: sales.ByStore, Party: []string{seller}}, 10, ""},
		{"product with three parties", sales.Filter{By: sales.ByProduct, Party: []string{acct(20), "tea", "x"}}, 10, ""},
		{"time with a party", sales.Filter{By: sales.ByTime, Party: []string{acct(20)}}, 10, ""},
		{"referrer not an account", sales.Filter{By: sales.ByReferrer, Party: []string{"picks"}}, 10, ""},
		{"store owner not an account", sales.Filter{By: sales.ByStore, Party: []string{"s1", seller}}, 10, ""},
		{"bad store ID", sales.Filter{By: sales.ByStore, Party: []string{seller, "s1\x00"}}, 10, ""},
		{"bad product ID", sales.Filter{By: sales.ByProduct, Party: []string{acct(20), ""}}, 10, ""},
		{"supplier with U+10FFFF", sales.Filter{By: sales.BySupplier, Party: []string{"\U0010FFFF"}}, 10, ""},
		{"from not a time", sales.Filter{By: sales.ByTime, From: "yesterday"}, 10, ""},
		{"to a date", sales.Filter{By: sales.ByTime, To: "2026-03-01"}, 10, ""},
		{"from after to", sales.Filter{By: sales.ByTime, From: "2026-03-02T00:00:00Z", To: "2026-03-01T00:00:00Z"}, 10, ""},
		{"page size 0", sales.Filter{By: sales.ByTime}, 0, ""},
		{"page size too large", sales.Filter{By: sales.ByTime}, ledger.MaxPageSize + 1, ""},
		{"another supplier's bookmark", sales.Filter{By: sales.BySupplier, Party: []string{acct(21)}}, 2, page.Bookmark},
		{"a bookmark of another index", sales.Filter{By: sales.ByTime}, 2, page.Bookmark},
		// The bookmark is at the 3rd sale of supplier 20, before this range.
		{"a bookmark before from", sales.Filter{By: sales.BySupplier, Party: []string{acct(20)}, From: "2026-03-01T12:08:00Z"}, 2, page.Bookmark},
		{"a bookmark at to", sales.Filter{By: sales.BySupplier, Party: []string{acct(20)}, To: "2026-03-01T12:02:00Z"}, 2, page.Bookmark},
	} {
		_, err := sales.Query(e.Eval(), c.f, c.size, c.bookmark)
		require.ErrorIs(t, err, errs.ErrInvalidArgument, c.name)
	}
}

func TestDailyTotals(t *testing.T) {
	e := newEnv(t)
	day1 := []sales.Sale{*e.mustRecord(goodSale("o-1")), *e.mustRecord(noReferrer("o-2"))}
	other := goodSale("o-3")
	other.Store, other.Product = "kiosk", "mug"
	day1 = append(day1, *e.mustRecord(other))
	e.L.SetTime(epoch.Add(24 * time.Hour))
	day2 := []sales.Sale{*e.mustRecord(goodSale("o-4"))}

	for _, c := range []struct {
		day   string
		scope sales.Scope
		want  []sales.Sale
	}{
		{"2026-03-01", sales.Scope{Kind: sales.ScopeSupplier, Party: []string{supplier}}, day1},
		{"2026-03-01", sales.Scope{Kind: sales.ScopeStore, Party: []string{seller, "shop"}}, day1[:2]},
		{"2026-03-01", sales.Scope{Kind: sales.ScopeStore, Party: []string{seller, "kiosk"}}, day1[2:]},
		{"2026-03-01", sales.Scope{Kind: sales.ScopeProduct, Party: []string{supplier, "tea"}}, day1[:2]},
		{"2026-03-01", sales.Scope{Kind: sales.ScopeProduct, Party: []string{supplier, "mug"}}, day1[2:]},
		{"2026-03-02", sales.Scope{Kind: sales.ScopeSupplier, Party: []string{supplier}}, day2},
		{"2026-03-02", sales.Scope{Kind: sales.ScopeStore, Party: []string{seller, "kiosk"}}, nil},
		{"2026-03-03", sales.Scope{Kind: sales.ScopeSupplier, Party: []string{supplier}}, nil},
		{"2026-03-01", sales.Scope{Kind: sales.ScopeSupplier, Party: []string{seller}}, nil},
	} {
		got, err := sales.DailyTotals(e.Eval(), c.day, c.scope)
		require.NoError(t, err)
		require.Equal(t, totalsOf(c.want), *got, "%s %+v", c.day, c.scope)
	}
	got, err := sales.DailyTotals(e.Eval(), "2026-03-01", sales.Scope{Kind: sales.ScopeSupplier, Party: []string{supplier}})
	require.NoError(t, err)
	require.JSONEq(t, `{"orders":3,"quantity":9,"gross":"9000","refund":"0","supplierAmount":"5400","commission":"600",`+
		`"platformFee":"450","moderatorFee":"0","sellerAmount":"2550"}`, string(mustJSON(t, got)))

	for _, day := range []string{"", "2026-3-1", "2026-03-01T00:00:00Z", "2026-02-30", "01-03-2026", "0000-01-01", " 2026-03-01", "2026-03-01\x00"} {
		_, err := sales.DailyTotals(e.Eval(), day, sales.Scope{Kind: sales.ScopeSupplier, Party: []string{supplier}})
		require.ErrorIs(t, err, errs.ErrInvalidArgument, "day %q", day)
	}
	for _, sc := range []sales.Scope{
		{},
		{Kind: "buyer", Party: []string{buyer}},
		{Kind: sales.ScopeSupplier},
		{Kind: sales.ScopeSupplier, Party: []string{supplier, "tea"}},
		{Kind: sales.ScopeSupplier, Party: []string{"tea"}},
		{Kind: sales.ScopeStore, Party: []string{seller}},
		{Kind: sales.ScopeStore, Party: []string{"shop", seller}},
		{Kind: sales.ScopeProduct, Party: []string{supplier, "te a"}},
	} {
		_, err := sales.DailyTotals(e.Eval(), "2026-03-01", sc)
		require.ErrorIs(t, err, errs.ErrInvalidArgument, "scope %+v", sc)
	}
}

// A day's totals, or its reconciliation, past MaxScanRows rows is
// LIMIT_EXCEEDED rather than an unbounded read.
func TestSumsAreBounded(t *testing.T) {
	e := newEnv(t)
	delta := mustJSON(t, sales.Totals{Orders: 1, Quantity: 1, Gross: amt(1), SellerAmount: amt(1)})
	at := "2026-03-01T12:00:00.000000000Z"
	doc := mustJSON(t, noReferrer("o"))
	e.Must(func(stub ledger.State, _ ledger.Emitter) error {
		for i := range sales.MaxScanRows + 1 {
			id := fmt.Sprintf("o-%05d", i)
			if err := stub.PutState(e.Key("sday", "2026-03-01", "supplier", supplier, "tx", buyer, id), delta); err != nil {
				return err
			}
			if err := stub.PutState(e.Key("sale~time", at, buyer, id), doc); err != nil {
				return err
			}
		}
		return nil
	})
	_, err := sales.DailyTotals(e.Eval(), "2026-03-01", sales.Scope{Kind: sales.ScopeSupplier, Party: []string{supplier}})
	require.ErrorIs(t, err, errs.ErrLimitExceeded)
	_, err = sales.Reconcile(e.Eval(), "2026-03-01")
	require.ErrorIs(t, err, errs.ErrLimitExceeded)
	tot, err := sales.DailyTotals(e.Eval(), "2026-03-02", sales.Scope{Kind: sales.ScopeSupplier, Party: []string{supplier}})
	require.NoError(t, err, "other days are unaffected")
	require.Zero(t, tot.Orders)
}

func TestReconcileOK(t *testing.T) {
	e := newEnv(t)
	e.mustRecord(goodSale("o-1"))
	e.mustRecord(noReferrer("o-2"))
	other := goodSale("o-3")
	other.Supplier, other.Store = acct(7), "kiosk"
	e.mustRecord(other)
	e.L.SetTime(epoch.Add(12 * time.Hour)) // 00:00 of the next day
	e.mustRecord(goodSale("o-4"))

	rep, err := sales.Reconcile(e.Eval(), "2026-03-01")
	require.NoError(t, err)
	// Scopes: suppliers 2 and 7, stores shop and kiosk, products (2, tea), (7, tea).
	require.Equal(t, &sales.Report{Day: "2026-03-01", Records: 3, Scopes: 6, OK: true, Mismatches: []sales.Mismatch{}}, rep)
	require.JSONEq(t, `{"day":"2026-03-01","records":3,"scopes":6,"ok":true,"mismatches":[],"mismatchCount":0}`, string(mustJSON(t, rep)))

	rep, err = sales.Reconcile(e.Eval(), "2026-03-02")
	require.NoError(t, err)
	require.Equal(t, &sales.Report{Day: "2026-03-02", Records: 1, Scopes: 3, OK: true, Mismatches: []sales.Mismatch{}}, rep)

	rep, err = sales.Reconcile(e.Eval(), "2026-02-28")
	require.NoError(t, err)
	require.Equal(t, &sales.Report{Day: "2026-02-28", OK: true, Mismatches: []sales.Mismatch{}}, rep)

	for _, day := range []string{"", "2026-03-1", "20260301", "2026-03-01T00:00:00Z"} {
		_, err := sales.Reconcile(e.Eval(), day)
		require.ErrorIs(t, err, errs.ErrInvalidArgument, "day %q", day)
	}
}

func TestReconcileDetectsTamperedDeltaRows(t *testing.T) {
	const day = "2026-03-01"
	supScope := sales.Scope{Kind: sales.ScopeSupplier, Party: []string{supplier}}
	storeScope := sales.Scope{Kind: sales.ScopeStore, Party: []string{seller, "shop"}}
	for _, c := range []struct {
		name   string
		tamper func(e *env, s *sales.Sale)
		scope  sales.Scope
		totals func(want sales.Totals) sales.Totals // the rows' sum after tampering
	}{
		{"a row's amount changed", func(e *env, s *sales.Sale) {
			t := sales.Totals{Orders: 1, Quantity: 3, Gross: amt(3000), SupplierAmount: amt(1800), Commission: amt(300), PlatformFee: amt(150), SellerAmount: amt(751)}
			e.put(e.Key("sday", day, "supplier", supplier, s.TxID, buyer, s.Order), mustJSON(e.T, t))
		}, supScope, func(w sales.Totals) sales.Totals { w.SellerAmount = amt(w.SellerAmount.Uint64() + 1); return w }},
		{"a row added", func(e *env, s *sales.Sale) {
			t := sales.Totals{Orders: 1, Quantity: 1, Gross: amt(5), SellerAmount: amt(5)}
			e.put(e.Key("sday", day, "store", seller, "shop", "forged-tx", buyer, "ghost"), mustJSON(e.T, t))
		}, storeScope, func(w sales.Totals) sales.Totals {
			w.Orders++
			w.Quantity++
			w.Gross, w.SellerAmount = amt(w.Gross.Uint64()+5), amt(w.SellerAmount.Uint64()+5)
			return w
		}},
		{"a row deleted", func(e *env, s *sales.Sale) {
			e.Must(func(stub ledger.State, _ ledger.Emitter) error {
				return stub.DelState(e.Key("sday", day, "supplier", supplier, s.TxID, buyer, s.Order))
			})
		}, supScope, func(w sales.Totals) sales.Totals {
			one := totalsOf([]sales.Sale{goodSale("x")})
			w.Orders, w.Quantity = w.Orders-1, w.Quantity-one.Quantity
			w.Gross, _ = w.Gross.Sub(one.Gross)
			w.SupplierAmount, _ = w.SupplierAmount.Sub(one.SupplierAmount)
			w.Commission, _ = w.Commission.Sub(one.Commission)
			w.PlatformFee, _ = w.PlatformFee.Sub(one.PlatformFee)
			w.SellerAmount, _ = w.SellerAmount.Sub(one.SellerAmount)
			return w
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			var recorded []sales.Sale
			for i := range 3 {
				recorded = append(recorded, *e.mustRecord(goodSale(fmt.Sprintf("o-%d", i))))
			}
			rep, err := sales.Reconcile(e.Eval(), day)
			require.NoError(t, err)
			require.True(t, rep.OK)

			c.tamper(e, &recorded[1])
			rep, err = sales.Reconcile(e.Eval(), day)
			require.NoError(t, err)
			want := totalsOf(recorded)
			require.False(t, rep.OK)
			require.Equal(t, uint64(3), rep.Records)
			require.Equal(t, uint64(3), rep.Scopes)
			require.Empty(t, rep.Issues)
			require.Equal(t, uint64(1), rep.MismatchCount)
			require.Equal(t, []sales.Mismatch{{Scope: c.scope, FromRecords: want, FromTotals: c.totals(want)}}, rep.Mismatches)
		})
	}
}

// Rows that do not decode, malformed keys, and sales that no longer add up
// are reported as issues, not errors, so one bad row does not hide the rest.
func TestReconcileReportsCorruptRows(t *testing.T) {
	const day = "2026-03-01"
	e := newEnv(t)
	s := e.mustRecord(goodSale("o-1"))
	e.put(e.Key("sday", day, "supplier", supplier, "tx9", buyer), []byte(`{"orders":1}`))              // too short
	e.put(e.Key("sday", day, "buyer", buyer, "tx9", buyer, "o-9"), []byte(`{"orders":1}`))             // unknown kind
	e.put(e.Key("sday", day, "store", seller, "shop", "tx9", buyer, "o-9"), []byte(`{"gross":12}`))    // not decodable
	e.put(e.Key("sale~time", "2026-03-01T23:00:00.000000000Z", buyer, "o-bad"), []byte(`{"total":1}`)) // not decodable
	broken := *s
	broken.SellerAmount = amt(1) // no longer adds up
	e.put(e.Key("sale~time", s.SettledAt, buyer, "o-1"), mustJSON(t, broken))
	wrongDay := *s
	wrongDay.Order, wrongDay.SettledAt = "o-2", "2026-03-05T00:00:00.000000000Z"
	e.put(e.Key("sale~time", "2026-03-01T23:30:00.000000000Z", buyer, "o-2"), mustJSON(t, wrongDay))

	rep, err := sales.Reconcile(e.Eval(), day)
	require.NoError(t, err)
	require.False(t, rep.OK)
	require.Equal(t, uint64(3), rep.Records)
	require.Len(t, rep.Issues, 6, "%q", rep.Issues)
	joined := strings.Join(rep.Issues, "\n")
	for _, want := range []string{"malformed key", "does not decode", "split", "indexed under 2026-03-01"} {
		require.Contains(t, joined, want)
	}
}

// The report lists at most MaxMismatches mismatches, in kind and party
// order whatever order the rows were written in, and counts them all.
func TestReconcileListsMismatchesInOrderAndBounded(t *testing.T) {
	e := newEnv(t)
	row := mustJSON(t, sales.Totals{Orders: 1, Quantity: 1, Gross: amt(1), SellerAmount: amt(1)})
	n := sales.MaxMismatches + 5
	e.Must(func(stub ledger.State, _ ledger.Emitter) error {
		for i := n - 1; i >= 0; i-- {
			if err := stub.PutState(e.Key("sday", "2026-03-01", "supplier", acct(1000+i), "forged", buyer, "o"), row); err != nil {
				return err
			}
			if err := stub.PutState(e.Key("sday", "2026-03-01", "product", acct(1000+i), "p", "forged", buyer, "o"), row); err != nil {
				return err
			}
		}
		return nil
	})
	rep, err := sales.Reconcile(e.Eval(), "2026-03-01")
	require.NoError(t, err)
	require.False(t, rep.OK)
	require.Equal(t, uint64(2*n), rep.MismatchCount)
	require.Equal(t, uint64(2*n), rep.Scopes)
	require.Len(t, rep.Mismatches, sales.MaxMismatches)
	for i, m := range rep.Mismatches { // "product" sorts before "supplier"
		require.Equal(t, sales.Scope{Kind: sales.ScopeProduct, Party: []string{acct(1000 + i), "p"}}, m.Scope)
		require.Equal(t, sales.Totals{}, m.FromRecords)
		require.Equal(t, uint64(1), m.FromTotals.Orders)
	}
}

// An issue alone, with every scope adding up, still fails the day.
func TestReconcileIsNotOKWithAnIssueAlone(t *testing.T) {
	e := newEnv(t)
	e.mustRecord(goodSale("o-1"))
	e.put(e.Key("sday", "2026-03-01", "nonsense"), []byte(`{"orders":1}`))
	rep, err := sales.Reconcile(e.Eval(), "2026-03-01")
	require.NoError(t, err)
	require.Zero(t, rep.MismatchCount)
	require.Len(t, rep.Issues, 1)
	require.False(t, rep.OK)
}

func TestReportJSONIsLowerCamel(t *testing.T) {
	m := sales.Mismatch{Scope: sales.Scope{Kind: sales.ScopeStore, Party: []string{seller, "shop"}}}
	var fields map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(mustJSON(t, m), &fields))
	require.Contains(t, fields, "fromRecords")
	require.Contains(t, fields, "fromTotals")
	require.JSONEq(t, `{"kind":"store","party":["`+seller+`","shop"]}`, string(fields["scope"]))
}

// QueryJSON is Query's page as JSON, byte for byte what encoding Query's
// result gives, for every filter and page.
func TestQueryJSONIsQueryEncoded(t *testing.T) {
	e := newEnv(t)
	for i := range 5 {
		e.mustRecord(goodSale(fmt.Sprintf("q%d", i)))
	}
	for _, f := range []sales.Filter{{By: sales.ByTime}, {By: sales.BySupplier, Party: []string{supplier}}} {
		for bookmark := ""; ; {
			var raw []byte
			st := e.Eval()
			page, err := sales.Query(st, f, 2, bookmark)
			require.NoError(t, err)
			raw, err = sales.QueryJSON(st, f, 2, bookmark)
			require.NoError(t, err)
			want, err := ledger.Marshal(page)
			if err != nil {
				t.Fatal(err)
			}
			if string(raw) != string(want) {
				t.Fatalf("QueryJSON\n%s\nwant\n%s", raw, want)
			}
			if bookmark = page.Bookmark; bookmark == "" {
				break
			}
		}
	}
}
