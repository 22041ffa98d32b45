package store_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/store"
)

func TestListListingsPagesBeyondMaxPageSize(t *testing.T) {
	e, tea := shop(t)
	// Neighbouring stores whose keys sort right after "main"'s listings
	// must not leak into its pages.
	e.open(seller, "main2")
	e.open(other, "main")
	const n = 2*int(ledger.MaxPageSize) + 17
	var want []string
	// One transaction per 50 listings: they read only committed keys.
	for start := 0; start < n; start += 50 {
		e.Must(func(st ledger.State, ev ledger.Emitter) error {
			for i := start; i < min(start+50, n); i++ {
				id := fmt.Sprintf("l%04d", i)
				if _, err := store.AddListing(st, ev, seller, store.ListingRequest{Store: "main", ID: id, Product: tea, Price: amt(10000 + uint64(i))}, fee); err != nil {
					return err
				}
			}
			return nil
		})
	}
	for i := range n {
		want = append(want, fmt.Sprintf("l%04d", i))
	}
	e.add(store.ListingRequest{Store: "main2", ID: "x", Product: tea, Price: amt(10000)})
	e.Must(func(st ledger.State, ev ledger.Emitter) error {
		_, err := store.AddListing(st, ev, other, store.ListingRequest{Store: "main", ID: "y", Product: tea, Price: amt(10000)}, fee)
		return err
	})
	e.Must(func(st ledger.State, ev ledger.Emitter) error {
		return store.RemoveListing(st, ev, seller, "main", "l0003")
	})

	var got []string
	bookmark, pages := "", 0
	for {
		var page *store.ListingPage
		require.NoError(t, e.Read(func(st ledger.State) (err error) {
			page, err = store.ListListings(st, store.Ref{Owner: seller, ID: "main"}, ledger.MaxPageSize, bookmark)
			return err
		}))
		pages++
		require.LessOrEqual(t, len(page.Listings), int(ledger.MaxPageSize))
		for _, l := range page.Listings {
			require.Equal(t, seller, l.Owner)
			require.Equal(t, "main", l.Store)
			require.Equal(t, tea, l.Product)
			wantStatus := store.ListingActive
			if l.ID == "l0003" {
				wantStatus = store.ListingRemoved // removed listings are listed too
			}
			require.Equal(t, wantStatus, l.Status, l.ID)
			got = append(got, l.ID)
		}
		if page.Bookmark == "" {
			break
		}
		bookmark = page.Bookmark
	}
	require.Equal(t, want, got)
	require.Equal(t, 3, pages)

	// Another owner's store of the same ID holds only its own listing.
	var page *store.ListingPage
	require.NoError(t, e.Read(func(st ledger.State) (err error) {
		page, err = store.ListListings(st, store.Ref{Owner: other, ID: "main"}, 1, "")
		return err
	}))
	require.Len(t, page.Listings, 1)
	require.Equal(t, "y", page.Listings[0].ID)

	foreign := e.Key("listing", seller, "main2", "x")
	for _, tc := range []struct {
		name     string
		ref      store.Ref
		size     int32
		bookmark string
		code     errs.Code
	}{
		{"store missing", store.Ref{Owner: seller, ID: "nope"}, 10, "", errs.NotFound},
		{"ref malformed", store.Ref{Owner: seller, ID: ""}, 10, "", errs.InvalidArgument},
		{"page size zero", store.Ref{Owner: seller, ID: "main"}, 0, "", errs.InvalidArgument},
		{"page size too large", store.Ref{Owner: seller, ID: "main"}, ledger.MaxPageSize + 1, "", errs.InvalidArgument},
		{"bookmark of another store", store.Ref{Owner: seller, ID: "main"}, 10, foreign, errs.InvalidArgument},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := e.Read(func(st ledger.State) error {
				_, err := store.ListListings(st, tc.ref, tc.size, tc.bookmark)
				return err
			})
			wantCode(t, err, tc.code)
		})
	}
}

func TestListListingsOfAnEmptyStore(t *testing.T) {
	e, _ := shop(t)
	var page *store.ListingPage
	require.NoError(t, e.Read(func(st ledger.State) (err error) {
		page, err = store.ListListings(st, store.Ref{Owner: seller, ID: "main"}, 10, "")
		return err
	}))
	require.NotNil(t, page.Listings)
	require.Empty(t, page.Listings)
	require.Empty(t, page.Bookmark)
}
