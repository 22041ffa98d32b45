package store_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/codec"
	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/ledger/memledger"
	"github.com/likrcommerce/likr/contracts/store"
)

var (
	consumer = acct(3)
	friend   = acct(4)
)

// referable is a ledger with seller's store "main" listing product "tea"
// twice ("tea-1" and "tea-2").
func referable(t *testing.T) (*env, *store.Listing, *store.Listing) {
	e, tea := shop(t)
	l1 := e.add(store.ListingRequest{Store: "main", ID: "tea-1", Product: tea, Price: amt(12000), ReferralBps: 700})
	l2 := e.add(store.ListingRequest{Store: "main", ID: "tea-2", Product: tea, Price: amt(15000), ReferralBps: 1000})
	return e, l1, l2
}

func (e *env) convert(owner string, of *store.Listing) (*store.Conversion, ledger.Events) {
	e.T.Helper()
	var c *store.Conversion
	ev := e.Must(func(st ledger.State, ev ledger.Emitter) (err error) {
		c, err = store.Convert(st, ev, owner, of)
		return err
	})
	return c, ev
}

func TestReferralListingIDIsDeterministicAndValid(t *testing.T) {
	a := store.ListingRef{Owner: seller, Store: "main", ID: "tea-1"}
	id := store.ReferralListingID(a)
	require.Equal(t, id, store.ReferralListingID(a))
	require.Len(t, id, 44)
	require.Regexp(t, `^ref-[0-9a-f]{40}$`, id)
	require.NoError(t, codec.ID("listing", id))
	for _, b := range []store.ListingRef{
		{Owner: other, Store: "main", ID: "tea-1"},
		{Owner: seller, Store: "main2", ID: "tea-1"},
		{Owner: seller, Store: "main", ID: "tea-2"},
		{Owner: seller, Store: "mai", ID: "ntea-1"}, // the same bytes without separators
	} {
		require.NotEqual(t, id, store.ReferralListingID(b), "%+v", b)
	}
}

func TestOpenPersonalOnceAndOnlyOnce(t *testing.T) {
	e := newEnv(t)
	var s *store.Store
	var opened bool
	ev := e.Must(func(st ledger.State, ev ledger.Emitter) (err error) {
		s, opened, err = store.OpenPersonal(st, ev, consumer)
		return err
	})
	require.True(t, opened)
	want := &store.Store{Owner: consumer, ID: "personal", Name: store.PersonalShopName, Kind: store.KindPersonal, OpenedAt: e.Stamp(1)}
	require.Equal(t, want, s)
	require.Equal(t, ledger.Events{store.PersonalOpenedEvent{Type: "store.personal_opened", Owner: consumer, Store: "personal"}}, ev)
	require.Equal(t,
		`{"owner":"`+consumer+`","id":"personal","name":"Personal shop","kind":"personal","openedAt":"`+e.Stamp(1)+`"}`,
		string(e.L.GetCommitted(e.Key("store", consumer, "personal"))))
	require.Equal(t, store.Ref{Owner: consumer, ID: store.PersonalShopID}, store.PersonalRef(consumer))

	// Again: the existing shop, nothing written, nothing emitted.
	before := e.Snapshot()
	tx := e.Begin()
	var again ledger.Events
	s2, opened, err := store.OpenPersonal(tx, &again, consumer)
	require.NoError(t, err)
	require.False(t, opened)
	require.Equal(t, want, s2)
	require.Empty(t, tx.Writes())
	require.Empty(t, again)
	require.NoError(t, tx.Commit())
	require.Equal(t, before, e.Snapshot())

	e.Refused(errs.InvalidArgument, func(st ledger.State, ev ledger.Emitter) error {
		_, _, err := store.OpenPersonal(st, ev, "not-an-account")
		return err
	})
}

func TestSellerStoresCannotTakeThePersonalID(t *testing.T) {
	e := newEnv(t)
	err := e.Refused(errs.InvalidArgument, func(st ledger.State, ev ledger.Emitter) error {
		_, err := store.Open(st, ev, seller, store.OpenRequest{ID: store.PersonalShopID, Name: "Mine"})
		return err
	})
	require.ErrorContains(t, err, "reserved")
	e.open(seller, "Personal") // IDs are case-sensitive; only the exact ID is reserved
}

func TestConvertOpensTheShopAndAddsAReferralInOneTransaction(t *testing.T) {
	e, l1, l2 := referable(t)
	c, ev := e.convert(consumer, l1)
	n := e.N()
	shop := &store.Store{Owner: consumer, ID: "personal", Name: store.PersonalShopName, Kind: store.KindPersonal, OpenedAt: e.Stamp(n)}
	refID := store.ReferralListingID(l1.Ref())
	of := l1.Ref()
	want := &store.Listing{
		Owner: consumer, Store: "personal", ID: refID, Product: l1.Product, Price: amt(12000), ReferralBps: 700,
		Status: store.ListingActive, Version: 1, CreatedAt: e.Stamp(n), UpdatedAt: e.Stamp(n), ReferralOf: &of,
	}
	require.Equal(t, &store.Conversion{Shop: shop, ShopOpened: true, Referral: want, ReferralAdded: true}, c)
	require.Equal(t, ledger.Events{
		store.PersonalOpenedEvent{Type: "store.personal_opened", Owner: consumer, Store: "personal"},
		store.ReferralAddedEvent{Type: "store.referral_added", Owner: consumer, Store: "personal", Listing: refID, ReferralOf: of},
	}, ev)
	data, err := json.Marshal(want)
	require.NoError(t, err)
	require.Equal(t, string(data), string(e.L.GetCommitted(e.Key("listing", consumer, "personal", refID))))
	require.Contains(t, string(data), `"referralOf":{"owner":"`+seller+`","store":"main","id":"tea-1"}`)
	got, err := e.getListing(want.Ref())
	require.NoError(t, err)
	require.Equal(t, want, got)

	// The same listing again: nothing new, nothing written.
	before := e.Snapshot()
	c, ev = e.convert(consumer, l1)
	require.Equal(t, &store.Conversion{Shop: shop, Referral: want}, c)
	require.Empty(t, ev)
	require.Equal(t, before, e.Snapshot())

	// Another listing: the same shop, a second referral.
	c, ev = e.convert(consumer, l2)
	require.False(t, c.ShopOpened)
	require.True(t, c.ReferralAdded)
	require.Equal(t, store.ReferralListingID(l2.Ref()), c.Referral.ID)
	require.Len(t, ev, 1)

	var page *store.ListingPage
	require.NoError(t, e.Read(func(st ledger.State) (err error) {
		page, err = store.ListListings(st, store.PersonalRef(consumer), 10, "")
		return err
	}))
	require.Len(t, page.Listings, 2)
	for _, l := range page.Listings {
		ok, err := isReferral(e, store.PersonalRef(consumer), *l.ReferralOf)
		require.NoError(t, err)
		require.True(t, ok)
	}
}

func isReferral(e *env, shop store.Ref, of store.ListingRef) (ok bool, err error) {
	err = e.Read(func(st ledger.State) error {
		ok, err = store.IsReferralFor(st, shop, of)
		return err
	})
	return ok, err
}

func TestAddReferralTakesTheShopOpenedInTheSameTransaction(t *testing.T) {
	e, l1, _ := referable(t)
	var added bool
	var ref *store.Listing
	ev := e.Must(func(st ledger.State, ev ledger.Emitter) error {
		shop, opened, err := store.OpenPersonal(st, ev, consumer)
		if err != nil || !opened {
			return err
		}
		ref, added, err = store.AddReferral(st, ev, shop, l1)
		return err
	})
	require.True(t, added)
	require.Equal(t, l1.Ref(), *ref.ReferralOf)
	require.Len(t, ev, 2)

	// A second time, with the shop read back: not added again.
	var shop *store.Store
	require.NoError(t, e.Read(func(st ledger.State) (err error) {
		shop, err = store.Get(st, store.PersonalRef(consumer))
		return err
	}))
	before := e.Snapshot()
	ev = e.Must(func(st ledger.State, ev ledger.Emitter) (err error) {
		ref, added, err = store.AddReferral(st, ev, shop, l1)
		return err
	})
	require.False(t, added)
	require.Equal(t, store.ReferralListingID(l1.Ref()), ref.ID)
	require.Empty(t, ev)
	require.Equal(t, before, e.Snapshot())
}

func TestReferralRefusals(t *testing.T) {
	e, l1, l2 := referable(t)
	sellerShop := e.open(other, "main")
	var personal *store.Store
	e.Must(func(st ledger.State, ev ledger.Emitter) (err error) {
		personal, _, err = store.OpenPersonal(st, ev, consumer)
		return err
	})
	supplierShop := &store.Store{Owner: supplier, ID: "personal", Kind: store.KindPersonal}
	sellerPersonal := &store.Store{Owner: seller, ID: "personal", Kind: store.KindPersonal}
	e.Must(func(st ledger.State, ev ledger.Emitter) error {
		return store.RemoveListing(st, ev, seller, "main", l2.ID)
	})
	removed, err := e.getListing(l2.Ref())
	require.NoError(t, err)
	referral := *l1
	referral.ReferralOf = &store.ListingRef{Owner: other, Store: "x", ID: "y"}

	for _, tc := range []struct {
		name string
		shop *store.Store
		of   *store.Listing
		code errs.Code
	}{
		{"a seller store", sellerShop, l1, errs.InvalidState},
		{"a removed listing", personal, removed, errs.InvalidState},
		{"a referral of a referral", personal, &referral, errs.InvalidArgument},
		{"the seller's own listing", sellerPersonal, l1, errs.InvalidArgument},
		{"the supplier's product", supplierShop, l1, errs.InvalidArgument},
		{"no shop", nil, l1, errs.Internal},
		{"no listing", personal, nil, errs.Internal},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e.T = t
			e.Refused(tc.code, func(st ledger.State, ev ledger.Emitter) error {
				_, _, err := store.AddReferral(st, ev, tc.shop, tc.of)
				return err
			})
		})
	}
	e.T = t

	// Convert refuses a party of the listing before opening anything.
	for _, owner := range []string{seller, supplier} {
		e.Refused(errs.InvalidArgument, func(st ledger.State, ev ledger.Emitter) error {
			_, err := store.Convert(st, ev, owner, l1)
			return err
		})
	}
	e.Refused(errs.InvalidArgument, func(st ledger.State, ev ledger.Emitter) error {
		_, err := store.Convert(st, ev, "nobody", l1)
		return err
	})

	// A personal shop never lists products itself.
	e.Refused(errs.InvalidState, func(st ledger.State, ev ledger.Emitter) error {
		_, err := store.AddListing(st, ev, consumer, store.ListingRequest{
			Store: "personal", ID: "x", Product: l1.Product, Price: amt(12000),
		}, fee)
		return err
	})
}

func TestConvertWithARemovedListingOpensTheShopOnly(t *testing.T) {
	e, l1, _ := referable(t)
	e.Must(func(st ledger.State, ev ledger.Emitter) error {
		return store.RemoveListing(st, ev, seller, "main", l1.ID)
	})
	removed, err := e.getListing(l1.Ref())
	require.NoError(t, err)
	c, ev := e.convert(consumer, removed)
	require.True(t, c.ShopOpened)
	require.Nil(t, c.Referral)
	require.False(t, c.ReferralAdded)
	require.Len(t, ev, 1)
	ok, err := isReferral(e, store.PersonalRef(consumer), l1.Ref())
	require.NoError(t, err)
	require.False(t, ok)
}

func TestConvertRefusesAStoreOfAnotherKindUnderThePersonalID(t *testing.T) {
	e, l1, _ := referable(t)
	// A seller store under the personal ID, as a chaincode before the
	// reservation could have written it.
	e.Must(func(st ledger.State, _ ledger.Emitter) error {
		return ledger.PutJSON(st, e.Key("store", consumer, "personal"), store.Store{Owner: consumer, ID: "personal", Name: "old", Kind: store.KindSeller})
	})
	e.Refused(errs.InvalidState, func(st ledger.State, ev ledger.Emitter) error {
		_, err := store.Convert(st, ev, consumer, l1)
		return err
	})
	e.Refused(errs.InvalidState, func(st ledger.State, ev ledger.Emitter) error {
		_, _, err := store.OpenPersonal(st, ev, consumer)
		return err
	})
}

func TestIsReferralFor(t *testing.T) {
	e, l1, l2 := referable(t)
	e.convert(consumer, l1)
	mine := store.PersonalRef(consumer)
	for _, tc := range []struct {
		name string
		shop store.Ref
		of   store.ListingRef
		want bool
		code errs.Code
	}{
		{"the referral", mine, l1.Ref(), true, ""},
		{"another listing", mine, l2.Ref(), false, ""},
		{"a listing that does not exist", mine, store.ListingRef{Owner: seller, Store: "main", ID: "nope"}, false, ""},
		{"a shop that does not exist", store.PersonalRef(friend), l1.Ref(), false, ""},
		{"a seller store", store.Ref{Owner: seller, ID: "main"}, l1.Ref(), false, ""},
		{"a bad shop", store.Ref{Owner: "x", ID: "personal"}, l1.Ref(), false, errs.InvalidArgument},
		{"a bad listing", mine, store.ListingRef{Owner: seller, Store: "main", ID: ""}, false, errs.InvalidArgument},
	} {
		got, err := isReferral(e, tc.shop, tc.of)
		if tc.code != "" {
			wantCode(t, err, tc.code)
			continue
		}
		require.NoError(t, err, tc.name)
		require.Equal(t, tc.want, got, tc.name)
	}
}

// Two consumers converting on the same listing at once touch only their
// own keys, so both commit.
func TestConcurrentConversionsCommit(t *testing.T) {
	e, l1, _ := referable(t)
	var txs []*memledger.Tx
	for _, owner := range []string{consumer, friend} {
		tx := e.Begin()
		var ev ledger.Events
		_, err := store.Convert(tx, &ev, owner, l1)
		require.NoError(t, err)
		txs = append(txs, tx)
	}
	for _, tx := range txs {
		require.NoError(t, tx.Commit())
	}
	for _, owner := range []string{consumer, friend} {
		ok, err := isReferral(e, store.PersonalRef(owner), l1.Ref())
		require.NoError(t, err)
		require.True(t, ok, owner)
	}
}
