package store_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/ledger/memledger"
	"github.com/likrcommerce/likr/contracts/store"
)

// open opens store id of owner and fails the test on an error.
func (e *env) open(owner, id string) *store.Store {
	e.T.Helper()
	var s *store.Store
	e.Must(func(st ledger.State, ev ledger.Emitter) (err error) {
		s, err = store.Open(st, ev, owner, store.OpenRequest{ID: id, Name: "Store " + id})
		return err
	})
	return s
}

func TestOpenStoresTheStoreAndEmits(t *testing.T) {
	e := newEnv(t)
	var s *store.Store
	ev := e.Must(func(st ledger.State, ev ledger.Emitter) (err error) {
		s, err = store.Open(st, ev, seller, store.OpenRequest{ID: "main", Name: "서울 Shop\tOne"})
		return err
	})
	want := &store.Store{Owner: seller, ID: "main", Name: "서울 Shop\tOne", Kind: store.KindSeller, OpenedAt: e.Stamp(1)}
	require.Equal(t, want, s)
	require.Equal(t,
		`{"owner":"`+seller+`","id":"main","name":"서울 Shop\tOne","kind":"seller","openedAt":"2026-03-01T09:00:01.000000005Z"}`,
		string(e.L.GetCommitted(e.Key("store", seller, "main"))))
	require.Equal(t, ledger.Events{store.StoreOpenedEvent{Type: "store.opened", Owner: seller, Store: "main", Name: "서울 Shop\tOne", Kind: store.KindSeller}}, ev)
	require.Equal(t, store.Ref{Owner: seller, ID: "main"}, s.Ref())

	var got *store.Store
	require.NoError(t, e.Read(func(st ledger.State) (err error) {
		got, err = store.Get(st, store.Ref{Owner: seller, ID: "main"})
		return err
	}))
	require.Equal(t, want, got)

	// IDs are scoped to their owner.
	e.open(other, "main")
}

func TestOpenRefusals(t *testing.T) {
	e := newEnv(t)
	e.open(seller, "main")
	long := strings.Repeat("가", store.MaxNameRunes)
	for _, tc := range []struct {
		name  string
		owner string
		req   store.OpenRequest
		code  errs.Code
		msg   string
	}{
		{"owner not hex", strings.Repeat("g", 40), store.OpenRequest{ID: "s", Name: "n"}, errs.InvalidArgument, "owner"},
		{"owner upper case", strings.ToUpper(seller[:39]) + "a", store.OpenRequest{ID: "s", Name: "n"}, errs.InvalidArgument, "owner"},
		{"owner short", seller[:39], store.OpenRequest{ID: "s", Name: "n"}, errs.InvalidArgument, "owner"},
		{"owner empty", "", store.OpenRequest{ID: "s", Name: "n"}, errs.InvalidArgument, "owner"},
		{"id empty", seller, store.OpenRequest{ID: "", Name: "n"}, errs.InvalidArgument, "id"},
		{"id leading underscore", seller, store.OpenRequest{ID: "_s", Name: "n"}, errs.InvalidArgument, "id"},
		{"id NUL", seller, store.OpenRequest{ID: "s\x00", Name: "n"}, errs.InvalidArgument, "id"},
		{"id too long", seller, store.OpenRequest{ID: strings.Repeat("s", 65), Name: "n"}, errs.InvalidArgument, "id"},
		{"name empty", seller, store.OpenRequest{ID: "s", Name: ""}, errs.InvalidArgument, "name"},
		{"name blank", seller, store.OpenRequest{ID: "s", Name: " \t\n"}, errs.InvalidArgument, "name"},
		{"name too long", seller, store.OpenRequest{ID: "s", Name: long + "x"}, errs.InvalidArgument, "name"},
		{"name bidi override", seller, store.OpenRequest{ID: "s", Name: "a\u202eb"}, errs.InvalidArgument, "name"},
		{"name control", seller, store.OpenRequest{ID: "s", Name: "a\x07b"}, errs.InvalidArgument, "name"},
		{"name invalid UTF-8", seller, store.OpenRequest{ID: "s", Name: "a\xffb"}, errs.InvalidArgument, "name"},
		{"same ID twice", seller, store.OpenRequest{ID: "main", Name: "another name"}, errs.AlreadyExists, "already exists"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := e.Refused(tc.code, func(st ledger.State, ev ledger.Emitter) error {
				s, err := store.Open(st, ev, tc.owner, tc.req)
				require.Nil(t, s)
				return err
			})
			require.Contains(t, err.Error(), tc.msg)
		})
	}
	// The longest name passes.
	e.Must(func(st ledger.State, ev ledger.Emitter) error {
		_, err := store.Open(st, ev, seller, store.OpenRequest{ID: "long", Name: long})
		return err
	})
}

func TestOpenSameIDConcurrentlyConflicts(t *testing.T) {
	// Two transactions opening the same store both see it missing; the
	// second to commit must be invalidated, or one would overwrite the other.
	e := newEnv(t)
	tx1, tx2 := e.Begin(), e.Begin()
	var ev ledger.Events
	_, err := store.Open(tx1, &ev, seller, store.OpenRequest{ID: "main", Name: "one"})
	require.NoError(t, err)
	_, err = store.Open(tx2, &ev, seller, store.OpenRequest{ID: "main", Name: "two"})
	require.NoError(t, err)
	require.NoError(t, tx1.Commit())
	require.ErrorIs(t, tx2.Commit(), memledger.ErrMVCCConflict)
	require.Contains(t, string(e.L.GetCommitted(e.Key("store", seller, "main"))), `"name":"one"`)
}

func TestGetRefusals(t *testing.T) {
	e := newEnv(t)
	e.open(seller, "main")
	for _, tc := range []struct {
		ref  store.Ref
		code errs.Code
	}{
		{store.Ref{Owner: seller, ID: "other"}, errs.NotFound},
		{store.Ref{Owner: other, ID: "main"}, errs.NotFound},
		{store.Ref{Owner: "alice", ID: "main"}, errs.InvalidArgument},
		{store.Ref{Owner: seller, ID: ""}, errs.InvalidArgument},
		{store.Ref{Owner: seller, ID: "a b"}, errs.InvalidArgument},
	} {
		err := e.Read(func(st ledger.State) error {
			s, err := store.Get(st, tc.ref)
			require.Nil(t, s)
			return err
		})
		wantCode(t, err, tc.code)
	}
}

func TestListByOwnerPagesThroughOwnStoresOnly(t *testing.T) {
	e := newEnv(t)
	var want []string
	for i := range 7 {
		id := fmt.Sprintf("s%02d", i)
		e.open(seller, id)
		want = append(want, id)
	}
	e.open(other, "s99")
	e.open(acct(3), "s00")

	var got []string
	bookmark, pages := "", 0
	for {
		var page *store.StorePage
		require.NoError(t, e.Read(func(st ledger.State) (err error) {
			page, err = store.ListByOwner(st, seller, 3, bookmark)
			return err
		}))
		pages++
		require.LessOrEqual(t, len(page.Stores), 3)
		for _, s := range page.Stores {
			require.Equal(t, seller, s.Owner)
			require.Equal(t, store.KindSeller, s.Kind)
			got = append(got, s.ID)
		}
		if page.Bookmark == "" {
			break
		}
		bookmark = page.Bookmark
	}
	require.Equal(t, want, got)
	require.Equal(t, 3, pages)

	// An owner without stores gets an empty list, not null.
	var page *store.StorePage
	require.NoError(t, e.Read(func(st ledger.State) (err error) {
		page, err = store.ListByOwner(st, acct(4), 10, "")
		return err
	}))
	require.NotNil(t, page.Stores)
	require.Empty(t, page.Stores)
	require.Empty(t, page.Bookmark)

	foreign := e.Key("store", other, "s99")
	for _, tc := range []struct {
		owner    string
		size     int32
		bookmark string
	}{
		{seller, 0, ""},
		{seller, ledger.MaxPageSize + 1, ""},
		{"nobody", 10, ""},
		{seller, 10, foreign}, // a bookmark of another owner's query
	} {
		err := e.Read(func(st ledger.State) error {
			_, err := store.ListByOwner(st, tc.owner, tc.size, tc.bookmark)
			return err
		})
		wantCode(t, err, errs.InvalidArgument)
	}
}
