package product_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/ledger/memledger"
	"github.com/likrcommerce/likr/contracts/product"
)

func TestListPagesThroughASuppliersProducts(t *testing.T) {
	e := newEnv(t)
	want := map[string]*product.Product{}
	for _, id := range []string{"e", "a", "c", "b", "d"} {
		want[id] = e.register(alice, id, 1, 1)
	}
	e.register(bob, "a", 1, 1)
	e.register(bob, "zz", 1, 1)

	var got []product.Product
	bookmark, pages := "", 0
	for {
		var page *product.Page
		e.MustRead(func(st ledger.State) error {
			var err error
			page, err = product.List(st, alice, 2, bookmark)
			return err
		})
		require.LessOrEqual(t, len(page.Products), 2)
		got = append(got, page.Products...)
		pages++
		if page.Bookmark == "" {
			break
		}
		bookmark = page.Bookmark
	}
	require.Equal(t, 3, pages)
	require.Len(t, got, 5)
	for i, id := range []string{"a", "b", "c", "d", "e"} {
		require.Equal(t, *want[id], got[i])
	}

	e.MustRead(func(st ledger.State) error {
		page, err := product.List(st, acct(9), 10, "")
		require.NoError(t, err)
		require.NotNil(t, page.Products, "an empty page is an empty list")
		require.Empty(t, page.Products)
		require.Empty(t, page.Bookmark)
		return nil
	})
}

func TestListRefusals(t *testing.T) {
	e := newEnv(t)
	e.register(alice, "a", 1, 1)
	e.register(bob, "b", 1, 1)
	bobsKey := e.productKey(product.Ref{Supplier: bob, ID: "b"})
	for _, tc := range []struct {
		name     string
		supplier string
		size     int32
		bookmark string
	}{
		{"bad supplier", "alice", 10, ""},
		{"empty supplier", "", 10, ""},
		{"zero page size", alice, 0, ""},
		{"page size too large", alice, ledger.MaxPageSize + 1, ""},
		{"bookmark of another supplier", alice, 10, bobsKey},
		{"stock key as bookmark", alice, 10, e.stockKey(product.Ref{Supplier: alice, ID: "a"}, 0)},
	} {
		e.MustRead(func(st ledger.State) error {
			_, err := product.List(st, tc.supplier, tc.size, tc.bookmark)
			require.ErrorIs(t, err, errs.ErrInvalidArgument, tc.name)
			return nil
		})
	}
	// Range queries are for evaluate transactions only.
	tx := e.Begin()
	defer tx.Discard()
	require.NoError(t, tx.PutState("x", []byte("1")))
	_, err := product.List(tx, alice, 10, "")
	require.ErrorIs(t, err, errs.ErrInternal)
}

func TestHistoryIsNewestFirstAndPaginated(t *testing.T) {
	e := newEnv(t)
	base := time.Date(2026, 3, 1, 9, 0, 0, 5, time.UTC)
	run := func(n int, fn func(st ledger.State, ev ledger.Emitter) error) {
		tx := e.L.Begin(memledger.TxOptions{TxID: fmt.Sprintf("t%d", n), Timestamp: base.Add(time.Duration(n) * time.Minute)})
		var ev ledger.Events
		require.NoError(t, fn(tx, &ev))
		require.NoError(t, tx.Commit())
	}
	run(1, func(st ledger.State, ev ledger.Emitter) error {
		_, err := product.Register(st, ev, alice, mugRequest("mug-1", 5), 2)
		return err
	})
	for n := 2; n <= 5; n++ {
		run(n, func(st ledger.State, ev ledger.Emitter) error {
			_, err := product.UpdateTerms(st, ev, alice, "mug-1", product.UpdateRequest{Terms: terms(100, 150+uint64(n), product.Active)})
			return err
		})
		// Stock movements are not product versions.
		run(100+n, func(st ledger.State, ev ledger.Emitter) error {
			_, err := product.Restock(st, ev, alice, "mug-1", 1)
			return err
		})
	}
	ref := product.Ref{Supplier: alice, ID: "mug-1"}

	var entries []product.HistoryEntry
	var bookmarks []string
	bookmark := ""
	for {
		var page *product.HistoryPage
		e.MustRead(func(st ledger.State) error {
			var err error
			page, err = product.History(st, ref, 2, bookmark)
			return err
		})
		require.LessOrEqual(t, len(page.Entries), 2)
		entries = append(entries, page.Entries...)
		bookmarks = append(bookmarks, page.Bookmark)
		if page.Bookmark == "" {
			break
		}
		bookmark = page.Bookmark
	}
	require.Equal(t, []string{"t4", "t2", ""}, bookmarks)
	require.Len(t, entries, 5)
	for i, entry := range entries {
		n := 5 - i
		require.Equal(t, fmt.Sprintf("t%d", n), entry.TxID)
		require.Equal(t, ledger.Stamp(base.Add(time.Duration(n)*time.Minute)), entry.Time)
		require.False(t, entry.Deleted)
		require.NotNil(t, entry.Product)
		require.Equal(t, uint64(n), entry.Product.Version)
		require.Equal(t, entry.Time, entry.Product.UpdatedAt)
		require.Equal(t, mugCanonical, string(entry.Product.Attributes))
	}
	require.Equal(t, e.get(ref), entries[0].Product)

	// A page that ends exactly at the last entry has no bookmark.
	e.MustRead(func(st ledger.State) error {
		page, err := product.History(st, ref, 5, "")
		require.NoError(t, err)
		require.Len(t, page.Entries, 5)
		require.Empty(t, page.Bookmark)
		page, err = product.History(st, ref, 2, "t1")
		require.NoError(t, err)
		require.Empty(t, page.Entries)
		require.NotNil(t, page.Entries)
		require.Empty(t, page.Bookmark)
		// A product without history has an empty one.
		page, err = product.History(st, product.Ref{Supplier: bob, ID: "mug-1"}, 5, "")
		require.NoError(t, err)
		require.Empty(t, page.Entries)
		return nil
	})
}

func TestHistoryRefusals(t *testing.T) {
	e := newEnv(t)
	e.register(alice, "mug-1", 1, 1)
	ref := product.Ref{Supplier: alice, ID: "mug-1"}
	tx := e.L.Begin(memledger.TxOptions{TxID: "restock-1"})
	var ev ledger.Events
	_, err := product.Restock(tx, &ev, alice, "mug-1", 1)
	require.NoError(t, err)
	require.NoError(t, tx.Commit())
	for _, tc := range []struct {
		name     string
		ref      product.Ref
		size     int32
		bookmark string
	}{
		{"unknown bookmark", ref, 10, "tx999999"},
		{"transaction that wrote only stock", ref, 10, "restock-1"},
		{"zero page size", ref, 0, ""},
		{"page size too large", ref, ledger.MaxPageSize + 1, ""},
		{"bad ref", product.Ref{Supplier: alice}, 10, ""},
	} {
		e.MustRead(func(st ledger.State) error {
			_, err := product.History(st, tc.ref, tc.size, tc.bookmark)
			require.ErrorIs(t, err, errs.ErrInvalidArgument, tc.name)
			return nil
		})
	}
}
