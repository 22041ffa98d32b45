package store_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/ledger/memledger"
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/contracts/product"
	"github.com/likrcommerce/likr/contracts/store"
)

// add adds a listing of seller's store "main" and fails the test on an error.
func (e *env) add(req store.ListingRequest) *store.Listing {
	e.T.Helper()
	var l *store.Listing
	e.Must(func(st ledger.State, ev ledger.Emitter) (err error) {
		l, err = store.AddListing(st, ev, seller, req, fee)
		return err
	})
	return l
}

func (e *env) getListing(ref store.ListingRef) (*store.Listing, error) {
	var l *store.Listing
	err := e.Read(func(st ledger.State) (err error) {
		l, err = store.GetListing(st, ref)
		return err
	})
	return l, err
}

// setTerms changes a product's terms as its supplier would.
func (e *env) setTerms(ref product.Ref, t product.Terms) {
	e.T.Helper()
	e.Must(func(st ledger.State, ev ledger.Emitter) error {
		_, err := product.UpdateTerms(st, ev, ref.Supplier, ref.ID, product.UpdateRequest{Terms: t})
		return err
	})
}

// shop is a ledger with seller's store "main" and a product "tea" (wholesale
// 9000, minimum retail 10000).
func shop(t *testing.T) (*env, product.Ref) {
	e := newEnv(t)
	e.open(seller, "main")
	return e, e.addProduct("tea", terms(9000, 10000))
}

func TestAddListingStoresAndEmits(t *testing.T) {
	e, tea := shop(t)
	var l *store.Listing
	ev := e.Must(func(st ledger.State, ev ledger.Emitter) (err error) {
		l, err = store.AddListing(st, ev, seller, store.ListingRequest{
			Store: "main", ID: "tea-1", Product: tea, Price: amt(12000), ReferralBps: 700,
		}, fee)
		return err
	})
	want := &store.Listing{
		Owner: seller, Store: "main", ID: "tea-1", Product: tea, Price: amt(12000), ReferralBps: 700,
		Status: store.ListingActive, Version: 1, CreatedAt: e.Stamp(3), UpdatedAt: e.Stamp(3),
	}
	require.Equal(t, want, l)
	require.Equal(t, store.ListingRef{Owner: seller, Store: "main", ID: "tea-1"}, l.Ref())
	require.Equal(t, store.Ref{Owner: seller, ID: "main"}, l.Ref().StoreRef())
	require.Equal(t,
		`{"owner":"`+seller+`","store":"main","id":"tea-1","product":{"supplier":"`+supplier+`","id":"tea"},"price":"12000","referralBps":700,"status":"active","version":1,"createdAt":"2026-03-01T09:00:03.000000005Z","updatedAt":"2026-03-01T09:00:03.000000005Z"}`,
		string(e.L.GetCommitted(e.Key("listing", seller, "main", "tea-1"))))
	require.Equal(t, ledger.Events{store.ListingAddedEvent{
		Type: "store.listing_added", Owner: seller, Store: "main", Listing: "tea-1",
		Product: tea, Price: amt(12000), ReferralBps: 700, Version: 1,
	}}, ev)

	got, err := e.getListing(l.Ref())
	require.NoError(t, err)
	require.Equal(t, want, got)
}

func TestAddListingRefusals(t *testing.T) {
	e, tea := shop(t)
	e.open(other, "theirs")
	hidden := e.addProduct("hidden", terms(100, 200))
	e.setTerms(hidden, product.Terms{WholesalePrice: amt(100), MinRetailPrice: amt(200), Status: product.Hidden})
	gone := e.addProduct("gone", terms(100, 200))
	e.setTerms(gone, product.Terms{WholesalePrice: amt(100), MinRetailPrice: amt(200), Status: product.Discontinued})
	// A personal shop (opened by the review flow of a later issue) cannot
	// list products itself; it is written directly here.
	e.Must(func(st ledger.State, _ ledger.Emitter) error {
		return ledger.PutJSON(st, e.Key("store", seller, "personal"),
			store.Store{Owner: seller, ID: "personal", Name: "mine", Kind: store.KindPersonal, OpenedAt: e.Stamp(1)})
	})
	e.add(store.ListingRequest{Store: "main", ID: "taken", Product: tea, Price: amt(10000)})

	ok := store.ListingRequest{Store: "main", ID: "new", Product: tea, Price: amt(10000), ReferralBps: 0}
	with := func(f func(r *store.ListingRequest)) store.ListingRequest { r := ok; f(&r); return r }
	for _, tc := range []struct {
		name  string
		owner string
		req   store.ListingRequest
		fee   money.Rate
		code  errs.Code
		msg   string
	}{
		{"owner malformed", "seller", ok, fee, errs.InvalidArgument, "owner"},
		{"store ID malformed", seller, with(func(r *store.ListingRequest) { r.Store = "" }), fee, errs.InvalidArgument, "store"},
		{"listing ID malformed", seller, with(func(r *store.ListingRequest) { r.ID = "a/b" }), fee, errs.InvalidArgument, "listing"},
		{"product supplier malformed", seller, with(func(r *store.ListingRequest) { r.Product.Supplier = "x" }), fee, errs.InvalidArgument, "supplier"},
		{"product ID malformed", seller, with(func(r *store.ListingRequest) { r.Product.ID = "" }), fee, errs.InvalidArgument, "id"},
		{"store missing", seller, with(func(r *store.ListingRequest) { r.Store = "nope" }), fee, errs.NotFound, "store nope"},
		{"another owner's store", seller, with(func(r *store.ListingRequest) { r.Store = "theirs" }), fee, errs.NotFound, "store theirs"},
		{"personal store", seller, with(func(r *store.ListingRequest) { r.Store = "personal" }), fee, errs.InvalidState, "personal"},
		{"same ID twice", seller, with(func(r *store.ListingRequest) { r.ID = "taken" }), fee, errs.AlreadyExists, "already exists"},
		{"product missing", seller, with(func(r *store.ListingRequest) { r.Product.ID = "coffee" }), fee, errs.NotFound, "coffee"},
		{"product hidden", seller, with(func(r *store.ListingRequest) { r.Product, r.Price = hidden, amt(200) }), fee, errs.InvalidState, "is hidden"},
		{"product discontinued", seller, with(func(r *store.ListingRequest) { r.Product, r.Price = gone, amt(200) }), fee, errs.InvalidState, "is discontinued"},
		{"price below minimum", seller, with(func(r *store.ListingRequest) { r.Price = amt(9999) }), 0, errs.InvalidArgument, "minimum retail price"},
		{"price zero", seller, with(func(r *store.ListingRequest) { r.Price = amt(0) }), 0, errs.InvalidArgument, "price"},
		{"referral above 100%", seller, with(func(r *store.ListingRequest) { r.ReferralBps = 10001 }), 0, errs.InvalidArgument, "referralBps"},
		{"fee above 100%", seller, ok, 10001, errs.InvalidArgument, "fee"},
		// Price 10000, wholesale 9000: the margin is 10 %, fee 5 % leaves 500 bp.
		{"referral one bp over the margin", seller, with(func(r *store.ListingRequest) { r.ReferralBps = 501 }), fee, errs.InvalidArgument, "exceed the seller's margin"},
		{"fee alone over the margin", seller, ok, 1001, errs.InvalidArgument, "exceed the seller's margin"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := e.Refused(tc.code, func(st ledger.State, ev ledger.Emitter) error {
				l, err := store.AddListing(st, ev, tc.owner, tc.req, tc.fee)
				require.Nil(t, l)
				return err
			})
			require.Contains(t, err.Error(), tc.msg)
		})
	}
	// Exactly at the margin is accepted.
	l := e.add(with(func(r *store.ListingRequest) { r.ReferralBps = 500 }))
	require.Equal(t, money.Rate(500), l.ReferralBps)
}

func TestMarginBoundaryIsExact(t *testing.T) {
	// Cases where a rounded rule would decide differently: the largest
	// accepted referral is accepted, one basis point more is refused.
	const maxAmount = 18446744073709551615
	for _, tc := range []struct {
		name             string
		wholesale, price uint64
		fee              money.Rate
		maxReferral      money.Rate
	}{
		// 3 x r <= 10000 x (3 - 2) holds up to r = 3333.
		{"one unit margin on price 3", 2, 3, 0, 3333},
		// 7 x (r + 100) <= 10000 x 2 holds up to r + 100 = 2857.
		{"price 7 margin 2 fee 1%", 5, 7, 100, 2757},
		// Margin 999 on 10000: r + 500 <= 999.
		{"margin 999", 9001, 10000, 500, 499},
		// No wholesale: referral and fee may take everything together.
		{"free goods", 0, 10000, 500, 9500},
		// The largest price: one bp of it is 1844674407370955.1615, so a
		// margin of 1844674407370956 covers 1 bp and one unit less covers
		// none, though floor(price x 1 / 10000) would fit in it.
		{"largest price, 1 bp", maxAmount - 1844674407370956, maxAmount, 0, 1},
		{"largest price, 0 bp", maxAmount - 1844674407370955, maxAmount, 0, 0},
		{"largest price and wholesale", maxAmount, maxAmount, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.open(seller, "main")
			p := e.addProduct("p", terms(tc.wholesale, max(tc.wholesale, 1)))
			req := store.ListingRequest{Store: "main", ID: "at", Product: p, Price: amt(tc.price), ReferralBps: tc.maxReferral}
			e.Must(func(st ledger.State, ev ledger.Emitter) error {
				_, err := store.AddListing(st, ev, seller, req, tc.fee)
				return err
			})
			req.ID, req.ReferralBps = "over", tc.maxReferral+1
			err := e.Refused(errs.InvalidArgument, func(st ledger.State, ev ledger.Emitter) error {
				_, err := store.AddListing(st, ev, seller, req, tc.fee)
				return err
			})
			require.Contains(t, err.Error(), "exceed the seller's margin")
		})
	}
}

func TestUpdateListingReplacesTermsAndBumpsVersion(t *testing.T) {
	e, tea := shop(t)
	l := e.add(store.ListingRequest{Store: "main", ID: "tea-1", Product: tea, Price: amt(12000), ReferralBps: 700})
	var up *store.Listing
	ev := e.Must(func(st ledger.State, ev ledger.Emitter) (err error) {
		up, err = store.UpdateListing(st, ev, seller, "main", "tea-1", store.ListingUpdate{Price: amt(11000), ReferralBps: 300}, fee)
		return err
	})
	want := *l
	want.Price, want.ReferralBps, want.Version, want.UpdatedAt = amt(11000), 300, 2, e.Stamp(4)
	require.Equal(t, &want, up)
	got, err := e.getListing(l.Ref())
	require.NoError(t, err)
	require.Equal(t, &want, got)
	require.Equal(t, l.CreatedAt, got.CreatedAt)
	require.Equal(t, ledger.Events{store.ListingUpdatedEvent{
		Type: "store.listing_updated", Owner: seller, Store: "main", Listing: "tea-1",
		Product: tea, Price: amt(11000), ReferralBps: 300, Version: 2,
	}}, ev)

	// Changing only the rate is a change too.
	e.Must(func(st ledger.State, ev ledger.Emitter) (err error) {
		up, err = store.UpdateListing(st, ev, seller, "main", "tea-1", store.ListingUpdate{Price: amt(11000), ReferralBps: 301}, fee)
		return err
	})
	require.Equal(t, uint64(3), up.Version)
}

func TestUpdateListingRefusals(t *testing.T) {
	e, tea := shop(t)
	e.add(store.ListingRequest{Store: "main", ID: "tea-1", Product: tea, Price: amt(12000), ReferralBps: 700})
	e.add(store.ListingRequest{Store: "main", ID: "old", Product: tea, Price: amt(12000)})
	e.Must(func(st ledger.State, ev ledger.Emitter) error {
		return store.RemoveListing(st, ev, seller, "main", "old")
	})
	paused := e.addProduct("paused", terms(100, 200))
	e.add(store.ListingRequest{Store: "main", ID: "paused", Product: paused, Price: amt(200)})
	e.setTerms(paused, product.Terms{WholesalePrice: amt(100), MinRetailPrice: amt(200), Status: product.Hidden})
	dear := e.addProduct("dear", terms(100, 200))
	e.add(store.ListingRequest{Store: "main", ID: "dear", Product: dear, Price: amt(200), ReferralBps: 4000})
	// The supplier raises the wholesale price: the old referral no longer fits.
	e.setTerms(dear, terms(150, 200))

	for _, tc := range []struct {
		name                    string
		owner, storeID, listing string
		req                     store.ListingUpdate
		fee                     money.Rate
		code                    errs.Code
		msg                     string
	}{
		{"owner malformed", "x", "main", "tea-1", store.ListingUpdate{Price: amt(11000)}, fee, errs.InvalidArgument, "owner"},
		{"store ID malformed", seller, "-", "tea-1", store.ListingUpdate{Price: amt(11000)}, fee, errs.InvalidArgument, "store"},
		{"listing ID malformed", seller, "main", "", store.ListingUpdate{Price: amt(11000)}, fee, errs.InvalidArgument, "listing"},
		{"listing missing", seller, "main", "nope", store.ListingUpdate{Price: amt(11000)}, fee, errs.NotFound, "nope"},
		{"another owner", other, "main", "tea-1", store.ListingUpdate{Price: amt(11000)}, fee, errs.NotFound, "tea-1"},
		{"removed", seller, "main", "old", store.ListingUpdate{Price: amt(11000)}, fee, errs.InvalidState, "removed"},
		{"unchanged", seller, "main", "tea-1", store.ListingUpdate{Price: amt(12000), ReferralBps: 700}, fee, errs.InvalidArgument, "unchanged"},
		{"below minimum", seller, "main", "tea-1", store.ListingUpdate{Price: amt(9999)}, 0, errs.InvalidArgument, "minimum"},
		{"one bp over the margin", seller, "main", "tea-1", store.ListingUpdate{Price: amt(10000), ReferralBps: 501}, fee, errs.InvalidArgument, "margin"},
		{"fee raised since", seller, "main", "tea-1", store.ListingUpdate{Price: amt(12000), ReferralBps: 699}, 2000, errs.InvalidArgument, "margin"},
		{"product hidden since", seller, "main", "paused", store.ListingUpdate{Price: amt(300)}, fee, errs.InvalidState, "is hidden"},
		{"wholesale raised since", seller, "main", "dear", store.ListingUpdate{Price: amt(200), ReferralBps: 3000}, fee, errs.InvalidArgument, "margin"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := e.Refused(tc.code, func(st ledger.State, ev ledger.Emitter) error {
				l, err := store.UpdateListing(st, ev, tc.owner, tc.storeID, tc.listing, tc.req, tc.fee)
				require.Nil(t, l)
				return err
			})
			require.Contains(t, err.Error(), tc.msg)
		})
	}
	// Exactly at the new margin is accepted.
	e.Must(func(st ledger.State, ev ledger.Emitter) error {
		_, err := store.UpdateListing(st, ev, seller, "main", "dear", store.ListingUpdate{Price: amt(200), ReferralBps: 2000}, fee)
		return err
	})
}

func TestRemoveListingKeepsTheRow(t *testing.T) {
	e, tea := shop(t)
	l := e.add(store.ListingRequest{Store: "main", ID: "tea-1", Product: tea, Price: amt(12000), ReferralBps: 700})
	ev := e.Must(func(st ledger.State, ev ledger.Emitter) error {
		return store.RemoveListing(st, ev, seller, "main", "tea-1")
	})
	require.Equal(t, ledger.Events{store.ListingRemovedEvent{
		Type: "store.listing_removed", Owner: seller, Store: "main", Listing: "tea-1", Product: tea, Version: 2,
	}}, ev)
	want := *l
	want.Status, want.Version, want.UpdatedAt = store.ListingRemoved, 2, e.Stamp(4)
	got, err := e.getListing(l.Ref())
	require.NoError(t, err)
	require.Equal(t, &want, got)

	for _, tc := range []struct {
		name                    string
		owner, storeID, listing string
		code                    errs.Code
	}{
		{"already removed", seller, "main", "tea-1", errs.InvalidState},
		{"missing", seller, "main", "tea-2", errs.NotFound},
		{"another owner", other, "main", "tea-1", errs.NotFound},
		{"malformed", seller, "main", "tea 1", errs.InvalidArgument},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e.Refused(tc.code, func(st ledger.State, ev ledger.Emitter) error {
				return store.RemoveListing(st, ev, tc.owner, tc.storeID, tc.listing)
			})
		})
	}
	// A removed listing's ID stays taken.
	e.Refused(errs.AlreadyExists, func(st ledger.State, ev ledger.Emitter) error {
		_, err := store.AddListing(st, ev, seller, store.ListingRequest{Store: "main", ID: "tea-1", Product: tea, Price: amt(12000)}, fee)
		return err
	})
}

func TestGetListingRefusals(t *testing.T) {
	e, _ := shop(t)
	for _, tc := range []struct {
		ref  store.ListingRef
		code errs.Code
	}{
		{store.ListingRef{Owner: seller, Store: "main", ID: "nope"}, errs.NotFound},
		{store.ListingRef{Owner: seller, Store: "nope", ID: "nope"}, errs.NotFound},
		{store.ListingRef{Owner: "", Store: "main", ID: "x"}, errs.InvalidArgument},
		{store.ListingRef{Owner: seller, Store: "main\x00", ID: "x"}, errs.InvalidArgument},
		{store.ListingRef{Owner: seller, Store: "main", ID: "x\U0010FFFF"}, errs.InvalidArgument},
	} {
		l, err := e.getListing(tc.ref)
		require.Nil(t, l)
		wantCode(t, err, tc.code)
	}
}

func TestConcurrentListingsOnDistinctKeysCommit(t *testing.T) {
	// Listings of one store, of different stores, an update and a removal,
	// all for the same product, simulated against the same state and
	// committed one after the other: none reads a key another writes, so
	// all commit.
	e, tea := shop(t)
	e.open(other, "main")
	e.add(store.ListingRequest{Store: "main", ID: "u", Product: tea, Price: amt(12000)})
	e.add(store.ListingRequest{Store: "main", ID: "r", Product: tea, Price: amt(12000)})

	var txs []interface{ Commit() error }
	var ev ledger.Events
	for _, id := range []string{"a", "b", "c"} {
		for _, owner := range []string{seller, other} {
			tx := e.Begin()
			_, err := store.AddListing(tx, &ev, owner, store.ListingRequest{Store: "main", ID: id, Product: tea, Price: amt(12000)}, fee)
			require.NoError(t, err)
			txs = append(txs, tx)
		}
	}
	tx := e.Begin()
	_, err := store.UpdateListing(tx, &ev, seller, "main", "u", store.ListingUpdate{Price: amt(13000)}, fee)
	require.NoError(t, err)
	txs = append(txs, tx)
	tx = e.Begin()
	require.NoError(t, store.RemoveListing(tx, &ev, seller, "main", "r"))
	txs = append(txs, tx)
	tx = e.Begin()
	_, err = store.Open(tx, &ev, seller, store.OpenRequest{ID: "second", Name: "Second"})
	require.NoError(t, err)
	txs = append(txs, tx)

	for i, tx := range txs {
		require.NoError(t, tx.Commit(), "transaction %d", i)
	}
	require.Len(t, ev, len(txs))
}

func TestConcurrentUpdatesOfOneListingConflict(t *testing.T) {
	// Two updates of the same listing both read version 1; the second to
	// commit is invalidated, so no update is lost and versions never repeat.
	e, tea := shop(t)
	e.add(store.ListingRequest{Store: "main", ID: "tea-1", Product: tea, Price: amt(12000)})
	var ev ledger.Events
	tx1, tx2 := e.Begin(), e.Begin()
	_, err := store.UpdateListing(tx1, &ev, seller, "main", "tea-1", store.ListingUpdate{Price: amt(13000)}, fee)
	require.NoError(t, err)
	_, err = store.UpdateListing(tx2, &ev, seller, "main", "tea-1", store.ListingUpdate{Price: amt(14000)}, fee)
	require.NoError(t, err)
	require.NoError(t, tx1.Commit())
	require.ErrorIs(t, tx2.Commit(), memledger.ErrMVCCConflict)
}
