package moderation_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/ledger/memledger"
	"github.com/likrcommerce/likr/contracts/moderation"
)

// subjects returns n distinct dispute subjects.
func subjects(prefix string, n int) []string {
	s := make([]string, n)
	for i := range s {
		s[i] = fmt.Sprintf("order:%s:%04d", prefix, i)
	}
	return s
}

func TestRecordWritesOneBlindRow(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		record func(ledger.State, string, string) error
		value  string
	}{
		{moderation.RecordResolution, `{"resolved":1}`},
		{moderation.RecordFallback, `{"byFallback":1}`},
	} {
		tx := e.Begin()
		subject := "order:" + other + ":o-1"
		require.NoError(t, tc.record(tx, mod, subject))
		require.Equal(t, []memledger.Write{{
			Key:   e.Key("modrep", mod, fmt.Sprintf("tx%06d", e.N()), subject),
			Value: []byte(tc.value),
		}}, tx.Writes())
		require.NoError(t, tx.Commit())
	}
}

// Resolutions for one moderator begun before any of them commits all
// commit, and so does an Update of the moderator's entry in between: a
// resolution reads nothing, so the moderator is never a hot key.
func TestConcurrentResolutionsCommit(t *testing.T) {
	e := newEnv(t)
	e.register(mod, moderation.Fee{Bps: 100}, "busy")
	const n = 8
	txs := make([]*memledger.Tx, n)
	for i := range txs {
		txs[i] = e.Begin()
		require.NoError(t, moderation.RecordResolution(txs[i], mod, fmt.Sprintf("order:%s:o%d", other, i)))
	}
	// The last one records a fallback of the same subject as the first.
	fallback := e.Begin()
	require.NoError(t, moderation.RecordFallback(fallback, mod, fmt.Sprintf("order:%s:o%d", other, 0)))
	e.Must(func(st ledger.State, ev ledger.Emitter) error {
		_, err := moderation.Update(st, ev, mod, moderation.UpdateRequest{Fee: moderation.Fee{Bps: 200}, Description: "pricier", Active: true})
		return err
	})
	for i, tx := range txs {
		require.NoError(t, tx.Commit(), "resolution %d", i)
	}
	require.NoError(t, fallback.Commit())
	p, err := e.profile(mod)
	require.NoError(t, err)
	require.Equal(t, moderation.Reputation{Resolved: n, ByFallback: 1}, p.Reputation)
	require.Equal(t, uint64(2), p.Version)
}

func TestRecordRefusals(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		name, moderator, subject string
	}{
		{"moderator malformed", "mod", "order:b:o"},
		{"moderator empty", "", "order:b:o"},
		{"subject empty", mod, ""},
		{"subject with a space", mod, "order b o"},
		{"subject with NUL", mod, "order:\x00"},
		{"subject with a tab", mod, "order:\t"},
		{"subject not ASCII", mod, "order:주문"},
		{"subject with U+10FFFF", mod, "order:\U0010FFFF"},
		{"subject too long", mod, strings.Repeat("s", moderation.MaxSubjectBytes+1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e.Refused(errs.InvalidArgument, func(st ledger.State, _ ledger.Emitter) error {
				return moderation.RecordResolution(st, tc.moderator, tc.subject)
			})
			e.Refused(errs.InvalidArgument, func(st ledger.State, _ ledger.Emitter) error {
				return moderation.RecordFallback(st, tc.moderator, tc.subject)
			})
		})
	}
	// The longest subject passes.
	e.resolve(mod, strings.Repeat("s", moderation.MaxSubjectBytes))

	// A transaction ID that cannot be a key attribute is the chaincode's
	// problem, not the caller's.
	before := e.Snapshot()
	tx := e.L.Begin(memledger.TxOptions{TxID: "tx 1"})
	wantCode(t, moderation.RecordResolution(tx, mod, "order:b:o"), errs.Internal)
	require.Empty(t, tx.Writes())
	tx.Discard()
	require.Equal(t, before, e.Snapshot())
}

func TestReputationCountsEachModeratorsRows(t *testing.T) {
	e := newEnv(t)
	e.register(mod, moderation.Fee{}, "one")
	e.register(other, moderation.Fee{}, "two")
	busy := acct(3)
	e.register(busy, moderation.Fee{}, "busy")

	p, err := e.profile(mod)
	require.NoError(t, err)
	require.Equal(t, moderation.Reputation{}, p.Reputation, "no dispute yet")

	for _, s := range subjects("a", 3) {
		e.resolve(mod, s) // one transaction each
	}
	e.resolve(mod, subjects("b", 2)...) // two in one transaction
	e.Must(func(st ledger.State, _ ledger.Emitter) error {
		return moderation.RecordFallback(st, mod, "order:c:1")
	})
	e.resolve(other, "order:d:1")
	e.resolve(busy, subjects("e", 250)...) // more than two pages of rows
	// Rows of an account that never registered count for nobody.
	e.resolve(acct(4), "order:f:1")

	for account, want := range map[string]moderation.Reputation{
		mod:   {Resolved: 5, ByFallback: 1},
		other: {Resolved: 1},
		busy:  {Resolved: 250},
	} {
		p, err := e.profile(account)
		require.NoError(t, err)
		require.Equal(t, want, p.Reputation, account)
		require.Equal(t, account, p.Account)
	}
	_, err = e.profile(acct(4))
	wantCode(t, err, errs.NotFound)

	data, err := json.Marshal(moderation.ModeratorProfile{Moderator: moderation.Moderator{Account: mod}, Reputation: moderation.Reputation{Resolved: 5, ByFallback: 1}})
	require.NoError(t, err)
	require.Equal(t, `{"account":"`+mod+`","fee":{"bps":0,"flat":"0"},"description":"","active":false,"registeredAt":"","updatedAt":"","version":0,"reputation":{"resolved":5,"byFallback":1}}`,
		string(data), "a profile is the entry's fields plus its reputation")
}

func TestProfileIsBounded(t *testing.T) {
	e := newEnv(t)
	e.register(mod, moderation.Fee{}, "m")
	e.resolve(mod, subjects("a", 151)...)
	for _, tc := range []struct {
		limit int
		code  errs.Code
	}{
		{151, ""},
		{1000, ""},
		{150, errs.LimitExceeded},
		{100, errs.LimitExceeded},
		{99, errs.LimitExceeded},
		{1, errs.LimitExceeded},
	} {
		err := e.Read(func(st ledger.State) error {
			p, err := moderation.ProfileWithin(st, mod, tc.limit)
			if err == nil {
				require.Equal(t, uint64(151), p.Reputation.Resolved)
			}
			return err
		})
		if tc.code == "" {
			require.NoError(t, err, "limit %d", tc.limit)
		} else {
			wantCode(t, err, tc.code)
		}
	}
}

func TestCorruptRowsAreInternal(t *testing.T) {
	e := newEnv(t)
	e.register(mod, moderation.Fee{}, "m")
	e.Must(func(st ledger.State, _ ledger.Emitter) error {
		return st.PutState(e.Key("modrep", mod, "tx", "s"), []byte("not json"))
	})
	_, err := e.profile(mod)
	wantCode(t, err, errs.Internal)
	err = e.Read(func(st ledger.State) error {
		_, err := moderation.List(st, 10, "")
		return err
	})
	wantCode(t, err, errs.Internal)
}

// listAll pages through List with pageSize and returns every page.
func (e *env) listAll(pageSize int32, budget int) []*moderation.Page {
	e.T.Helper()
	var pages []*moderation.Page
	bookmark := ""
	for {
		var page *moderation.Page
		require.NoError(e.T, e.Read(func(st ledger.State) (err error) {
			page, err = moderation.ListWithin(st, pageSize, bookmark, budget)
			return err
		}))
		pages = append(pages, page)
		if page.Bookmark == "" {
			return pages
		}
		require.Less(e.T, len(pages), 100, "paging does not end")
		bookmark = page.Bookmark
	}
}

// summary renders pages as "account:resolved" lists, one per page.
func summary(pages []*moderation.Page) [][]string {
	out := [][]string{}
	for _, p := range pages {
		entries := []string{}
		for _, m := range p.Moderators {
			entries = append(entries, fmt.Sprintf("%s:%d", m.Account[len(m.Account)-1:], m.Reputation.Resolved))
		}
		out = append(out, entries)
	}
	return out
}

func TestListPagesThroughModeratorsWithReputation(t *testing.T) {
	e := newEnv(t)
	var page *moderation.Page
	require.NoError(t, e.Read(func(st ledger.State) (err error) {
		page, err = moderation.List(st, 10, "")
		return err
	}))
	data, err := json.Marshal(page)
	require.NoError(t, err)
	require.Equal(t, `{"moderators":[],"bookmark":""}`, string(data), "an empty directory is an empty list")

	for i := 5; i >= 1; i-- { // registration order does not matter: pages are in account order
		e.register(acct(i), moderation.Fee{Bps: 10}, fmt.Sprintf("moderator %d", i))
		e.resolve(acct(i), subjects("x", i)...)
	}
	e.Must(func(st ledger.State, ev ledger.Emitter) error {
		_, err := moderation.Update(st, ev, acct(2), moderation.UpdateRequest{Fee: moderation.Fee{Bps: 10}, Description: "moderator 2", Active: false})
		return err
	})

	require.Equal(t, [][]string{{"1:1", "2:2"}, {"3:3", "4:4"}, {"5:5"}}, summary(e.listAll(2, moderation.MaxReputationRows)))
	require.Equal(t, [][]string{{"1:1", "2:2", "3:3", "4:4", "5:5"}}, summary(e.listAll(100, moderation.MaxReputationRows)))

	// List reads through the public bound, and shows inactive entries too.
	require.NoError(t, e.Read(func(st ledger.State) (err error) {
		page, err = moderation.List(st, 5, "")
		return err
	}))
	require.Len(t, page.Moderators, 5)
	require.False(t, page.Moderators[1].Active)
	require.True(t, page.Moderators[0].Active)
	p, err := e.profile(acct(3))
	require.NoError(t, err)
	require.Equal(t, *p, page.Moderators[2], "List and Profile agree")
}

// A page ends early when the next moderator's rows would pass the budget,
// and resumes at that moderator; a moderator whose rows alone pass it is
// LIMIT_EXCEEDED.
func TestListBudgetEndsPagesEarly(t *testing.T) {
	e := newEnv(t)
	for i, rows := range []int{4, 4, 4, 0, 6} {
		e.register(acct(i+1), moderation.Fee{}, "m")
		if rows > 0 {
			e.resolve(acct(i+1), subjects("y", rows)...)
		}
	}
	require.Equal(t, [][]string{{"1:4", "2:4"}, {"3:4", "4:0", "5:6"}}, summary(e.listAll(10, 10)))
	require.Equal(t, [][]string{{"1:4", "2:4"}, {"3:4", "4:0"}, {"5:6"}}, summary(e.listAll(2, 10)))
	require.Equal(t, [][]string{{"1:4", "2:4"}, {"3:4", "4:0"}, {"5:6"}}, summary(e.listAll(10, 8)))
	require.Equal(t, [][]string{{"1:4", "2:4", "3:4", "4:0"}, {"5:6"}}, summary(e.listAll(10, 12)))

	// The early bookmark is the key of the first moderator left out.
	var page *moderation.Page
	require.NoError(t, e.Read(func(st ledger.State) (err error) {
		page, err = moderation.ListWithin(st, 10, "", 10)
		return err
	}))
	require.Equal(t, e.Key("moderator", acct(3)), page.Bookmark)

	// With a budget of 5, moderator 5 (6 rows) cannot be listed: the page
	// before it ends early, the page starting at it fails.
	var pages []*moderation.Page
	bookmark := ""
	for range 10 {
		var page *moderation.Page
		err := e.Read(func(st ledger.State) (err error) {
			page, err = moderation.ListWithin(st, 10, bookmark, 5)
			return err
		})
		if err != nil {
			wantCode(t, err, errs.LimitExceeded)
			require.Contains(t, err.Error(), acct(5))
			break
		}
		pages = append(pages, page)
		bookmark = page.Bookmark
	}
	require.Equal(t, [][]string{{"1:4"}, {"2:4"}, {"3:4", "4:0"}}, summary(pages))
}

func TestListRefusals(t *testing.T) {
	e := newEnv(t)
	e.register(mod, moderation.Fee{}, "m")
	e.resolve(mod, "order:a:1")
	for _, tc := range []struct {
		size     int32
		bookmark string
	}{
		{0, ""},
		{-1, ""},
		{ledger.MaxPageSize + 1, ""},
		{10, "forged"},
		{10, e.Key("modrep", mod)},        // another object type's rows
		{10, e.Key("moderator")[:5]},      // before the prefix
		{10, e.Key("moderator") + "\xff"}, // not UTF-8
	} {
		err := e.Read(func(st ledger.State) error {
			_, err := moderation.List(st, tc.size, tc.bookmark)
			return err
		})
		wantCode(t, err, errs.InvalidArgument)
	}
}
