package review_test

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/ledger/memledger"
	"github.com/likrcommerce/likr/contracts/order"
	"github.com/likrcommerce/likr/contracts/product"
	"github.com/likrcommerce/likr/contracts/review"
	"github.com/likrcommerce/likr/contracts/store"
	"github.com/likrcommerce/likr/contracts/wallet"
)

func TestFirstReviewStoresItAndConvertsTheBuyer(t *testing.T) {
	e := newEnv(t)
	e.completed(buyer, "o1", teaOne, nil)
	out, ev, err := e.post(buyer, "o1", 4, "맛있어요\n– great tea")
	require.NoError(t, err)
	n := e.N() // the Post transaction

	want := &review.Review{
		Buyer: buyer, Order: "o1", Product: tea, Listing: teaOne, Rating: 4, Text: "맛있어요\n– great tea",
		PostedAt: out.Review.PostedAt, TxID: "tx" + pad(n),
	}
	require.Equal(t, want, out.Review)
	require.True(t, out.Eligible)
	require.True(t, out.ShopOpened)
	require.Equal(t, &store.Ref{Owner: buyer, ID: store.PersonalShopID}, out.Shop)
	require.NotNil(t, out.Referral)
	require.Equal(t, store.ReferralListingID(teaOne), out.Referral.ID)
	require.Equal(t, teaOne, *out.Referral.ReferralOf)
	require.Equal(t, store.ListingActive, out.Referral.Status)

	require.Equal(t, []string{"store.personal_opened", "store.referral_added", "review.posted"}, types(ev))
	require.Equal(t, review.PostedEvent{Type: "review.posted", Buyer: buyer, Order: "o1", Product: tea, Listing: teaOne, Rating: 4, Eligible: true}, ev[2])

	// The review and its index copies, byte for byte; the rating rows.
	doc, err := json.Marshal(want)
	require.NoError(t, err)
	require.Equal(t, `{"buyer":"`+buyer+`","order":"o1","product":{"supplier":"`+supplier+`","id":"tea"},"listing":{"owner":"`+seller+`","store":"jeju","id":"tea-1"},"rating":4,"text":"맛있어요\n– great tea","postedAt":"`+want.PostedAt+`","txId":"`+want.TxID+`"}`, string(doc))
	for _, k := range []string{
		e.Key("review", buyer, "o1"),
		e.Key("review~product", supplier, "tea", buyer, "o1"),
		e.Key("review~store", seller, "jeju", buyer, "o1"),
	} {
		require.Equal(t, string(doc), string(e.L.GetCommitted(k)))
	}
	for _, k := range []string{
		e.Key("rating~product", supplier, "tea", want.TxID, buyer, "o1"),
		e.Key("rating~store", seller, "jeju", want.TxID, buyer, "o1"),
	} {
		require.Equal(t, `{"count":1,"sum":4}`, string(e.L.GetCommitted(k)))
	}

	var got *review.Review
	require.NoError(t, e.Read(func(st ledger.State, _ *wallet.Keeper) (err error) {
		got, err = review.Get(st, buyer, "o1")
		return err
	}))
	require.Equal(t, want, got)
	require.True(t, e.isReferral(buyer, teaOne))
}

func pad(n int) string { return fmt.Sprintf("%06d", n) }

func types(ev ledger.Events) []string {
	var out []string
	for _, x := range ev {
		data, _ := json.Marshal(x)
		var v struct{ Type string }
		_ = json.Unmarshal(data, &v)
		out = append(out, v.Type)
	}
	return out
}

func (e *env) isReferral(owner string, of store.ListingRef) bool {
	e.T.Helper()
	var ok bool
	if err := e.Read(func(st ledger.State, _ *wallet.Keeper) (err error) {
		ok, err = store.IsReferralFor(st, store.PersonalRef(owner), of)
		return err
	}); err != nil {
		e.T.Fatal(err)
	}
	return ok
}

func TestLaterReviewsOpenNoSecondShopAndReferEachListingOnce(t *testing.T) {
	e := newEnv(t)
	for _, o := range []struct {
		id string
		l  store.ListingRef
	}{{"o1", teaOne}, {"o2", teaOne}, {"o3", teaTwo}, {"o4", cupOne}} {
		e.completed(buyer, o.id, o.l, nil)
	}
	first, _ := e.mustPost(buyer, "o1", 5)
	require.True(t, first.ShopOpened)

	// Another order of the same listing: no new shop, no duplicate referral.
	before := e.L.Snapshot()
	second, ev := e.mustPost(buyer, "o2", 3)
	require.True(t, second.Eligible)
	require.False(t, second.ShopOpened)
	require.Equal(t, first.Shop, second.Shop)
	require.Nil(t, second.Referral)
	require.Equal(t, []string{"review.posted"}, types(ev))
	require.Len(t, e.L.Snapshot(), len(before)+5, "the review, two index rows and two rating rows")

	// A different listing of the same product, and another product: a
	// referral each.
	for _, c := range []struct {
		id string
		l  store.ListingRef
	}{{"o3", teaTwo}, {"o4", cupOne}} {
		out, ev := e.mustPost(buyer, c.id, 4)
		require.False(t, out.ShopOpened)
		require.NotNil(t, out.Referral, c.id)
		require.Equal(t, c.l, *out.Referral.ReferralOf)
		require.Equal(t, []string{"store.referral_added", "review.posted"}, types(ev))
		require.True(t, e.isReferral(buyer, c.l))
	}

	var page *store.ListingPage
	require.NoError(t, e.Read(func(st ledger.State, _ *wallet.Keeper) (err error) {
		page, err = store.ListListings(st, store.PersonalRef(buyer), 10, "")
		return err
	}))
	require.Len(t, page.Listings, 3)
	var stores *store.StorePage
	require.NoError(t, e.Read(func(st ledger.State, _ *wallet.Keeper) (err error) {
		stores, err = store.ListByOwner(st, buyer, 10, "")
		return err
	}))
	require.Len(t, stores.Stores, 1, "one personal shop")
}

// A removed listing gets no referral, but the buyer's shop still opens.
func TestReviewOfARemovedListingOpensTheShopOnly(t *testing.T) {
	e := newEnv(t)
	e.completed(buyer, "o1", teaOne, nil)
	e.Must(func(st ledger.State, _ *wallet.Keeper, ev ledger.Emitter) error {
		return store.RemoveListing(st, ev, seller, teaOne.Store, teaOne.ID)
	})
	out, ev := e.mustPost(buyer, "o1", 2)
	require.True(t, out.Eligible)
	require.True(t, out.ShopOpened)
	require.Nil(t, out.Referral)
	require.Equal(t, []string{"store.personal_opened", "review.posted"}, types(ev))
}

func TestNoConversionWhenTheBuyerIsThePartyOfTheSale(t *testing.T) {
	e := newEnv(t)
	// The supplier buys its own product from a seller's listing.
	e.completed(supplier, "own", teaOne, nil)
	out, ev := e.mustPost(supplier, "own", 5)
	require.False(t, out.Eligible)
	require.False(t, out.ShopOpened)
	require.Nil(t, out.Shop)
	require.Nil(t, out.Referral)
	require.Equal(t, []string{"review.posted"}, types(ev))
	require.Equal(t, review.PostedEvent{Type: "review.posted", Buyer: supplier, Order: "own", Product: tea, Listing: teaOne, Rating: 5}, ev[0])
	require.Nil(t, e.L.GetCommitted(e.Key("store", supplier, store.PersonalShopID)), "no personal shop")
	r := e.productRating(tea)
	require.Equal(t, uint64(1), r.Count, "the review still counts")

	// Eligibility of orders order.Place cannot produce, by the rule itself.
	base := order.Order{Buyer: buyer, Listing: teaOne, Product: tea}
	for _, c := range []struct {
		name string
		edit func(o *order.Order)
		want bool
	}{
		{"a third party", func(*order.Order) {}, true},
		{"referred by another", func(o *order.Order) { o.Referrer = &picks }, true},
		{"the seller", func(o *order.Order) { o.Buyer = seller }, false},
		{"the supplier", func(o *order.Order) { o.Buyer = supplier }, false},
		{"the referrer", func(o *order.Order) { o.Referrer = &store.Ref{Owner: buyer, ID: "x"} }, false},
	} {
		o := base
		c.edit(&o)
		require.Equal(t, c.want, review.Eligible(&o), c.name)
	}
}

func TestPostRefusals(t *testing.T) {
	e := newEnv(t)
	done := e.completed(buyer, "done", teaOne, nil)
	e.place(buyer, "placed", teaOne, nil)
	e.place(buyer, "shipped", teaOne, nil)
	e.ship(buyer, "shipped")
	e.place(buyer, "cancelled", teaOne, nil)
	e.Must(func(st ledger.State, k *wallet.Keeper, ev ledger.Emitter) error {
		_, err := order.Cancel(st, k, ev, e.cfg, buyer, order.Ref{Buyer: buyer, ID: "cancelled"})
		return err
	})
	e.completed(other, "reviewed", teaOne, nil)
	e.mustPost(other, "reviewed", 5)

	ok := review.PostRequest{Order: "done", Rating: 3}
	withRating := func(n int) review.PostRequest { r := ok; r.Rating = n; return r }
	withText := func(s string) review.PostRequest { r := ok; r.Text = s; return r }
	for _, tc := range []struct {
		name  string
		buyer string
		req   review.PostRequest
		o     *order.Order
		code  errs.Code
	}{
		{"buyer not an account", "buyer", ok, done, errs.InvalidArgument},
		{"order ID empty", buyer, review.PostRequest{Rating: 3}, done, errs.InvalidArgument},
		{"order ID with NUL", buyer, review.PostRequest{Order: "do\x00ne", Rating: 3}, done, errs.InvalidArgument},
		{"rating 0", buyer, withRating(0), done, errs.InvalidArgument},
		{"rating 6", buyer, withRating(6), done, errs.InvalidArgument},
		{"rating negative", buyer, withRating(-1), done, errs.InvalidArgument},
		{"text too long", buyer, withText(strings.Repeat("가", review.MaxTextRunes+1)), done, errs.InvalidArgument},
		{"text with a control character", buyer, withText("good\x07"), done, errs.InvalidArgument},
		{"text with NUL", buyer, withText("good\x00"), done, errs.InvalidArgument},
		{"text with a bidi override", buyer, withText("a\u202eb"), done, errs.InvalidArgument},
		{"text not UTF-8", buyer, withText("a\xffb"), done, errs.InvalidArgument},
		{"no order", buyer, ok, nil, errs.NotFound},
		{"another order than requested", buyer, review.PostRequest{Order: "placed", Rating: 3}, done, errs.InvalidArgument},
		{"not the buyer", other, ok, done, errs.Forbidden},
		{"the seller", seller, ok, done, errs.Forbidden},
		{"placed", buyer, review.PostRequest{Order: "placed", Rating: 3}, e.getOrder(buyer, "placed"), errs.InvalidState},
		{"shipped", buyer, review.PostRequest{Order: "shipped", Rating: 3}, e.getOrder(buyer, "shipped"), errs.InvalidState},
		{"cancelled", buyer, review.PostRequest{Order: "cancelled", Rating: 3}, e.getOrder(buyer, "cancelled"), errs.InvalidState},
		{"reviewed before", other, review.PostRequest{Order: "reviewed", Rating: 1}, e.getOrder(other, "reviewed"), errs.AlreadyExists},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e.T = t
			defer func() { e.T = t }()
			e.Refused(tc.code, func(st ledger.State, _ *wallet.Keeper, ev ledger.Emitter) error {
				_, err := review.Post(st, ev, tc.buyer, tc.req, tc.o)
				return err
			})
		})
	}
	e.T = t

	// The bounds themselves pass.
	e.completed(buyer, "long", teaOne, nil)
	e.completed(buyer, "empty", teaOne, nil)
	_, _, err := e.post(buyer, "long", 1, strings.Repeat("가", review.MaxTextRunes))
	require.NoError(t, err)
	_, _, err = e.post(buyer, "empty", 5, "")
	require.NoError(t, err)
	_, _, err = e.post(buyer, "done", 3, "tab\tand\nnewline")
	require.NoError(t, err)
	// Once only, even with another rating.
	_, _, err = e.post(buyer, "done", 4, "")
	wantCode(t, err, errs.AlreadyExists)
}

// The whole loop: a buyer reviews, a friend orders the ORIGINAL listing
// with the buyer's personal shop as referrer, and at settlement the buyer
// holds the listing's commission.
func TestAFriendBuysThroughThePersonalShop(t *testing.T) {
	e := newEnv(t)
	e.completed(buyer, "o1", teaOne, nil)
	out, _ := e.mustPost(buyer, "o1", 5)
	shop := *out.Shop

	before := e.balance(buyer)
	placed := e.place(friend, "gift", teaOne, &shop)
	require.Equal(t, &shop, placed.Referrer)
	require.Equal(t, referral, placed.ReferralBps)
	e.ship(friend, "gift")
	settled := e.confirm(friend, "gift")
	require.Equal(t, order.Completed, settled.Status)
	commission := price * uint64(referral) / 10000
	require.Equal(t, commission, settled.Settlement.Commission.Uint64())
	require.Equal(t, before+commission, e.balance(buyer))

	// The friend's own review converts the friend in turn; the buyer's
	// shop is the friend's order's referrer, not the friend.
	fo, _ := e.mustPost(friend, "gift", 4)
	require.True(t, fo.Eligible)
	require.True(t, fo.ShopOpened)
	require.Equal(t, teaOne, *fo.Referral.ReferralOf)
}

func (e *env) productRating(p product.Ref) *review.Rating {
	e.T.Helper()
	var r *review.Rating
	if err := e.Read(func(st ledger.State, _ *wallet.Keeper) (err error) {
		r, err = review.ProductRating(st, p)
		return err
	}); err != nil {
		e.T.Fatal(err)
	}
	return r
}

func (e *env) storeRating(s store.Ref) *review.Rating {
	e.T.Helper()
	var r *review.Rating
	if err := e.Read(func(st ledger.State, _ *wallet.Keeper) (err error) {
		r, err = review.StoreRating(st, s)
		return err
	}); err != nil {
		e.T.Fatal(err)
	}
	return r
}

func TestRatingsAddUpPerProductAndStore(t *testing.T) {
	e := newEnv(t)
	require.Equal(t, &review.Rating{Average: "0.00"}, e.productRating(tea))
	require.Equal(t, &review.Rating{Average: "0.00"}, e.storeRating(jeju))
	for i, c := range []struct {
		who    string
		l      store.ListingRef
		rating int
	}{
		{buyer, teaOne, 5}, {other, teaTwo, 4}, {friend, teaOne, 4}, {buyer, cupOne, 1},
	} {
		id := "o" + strconv.Itoa(i)
		e.completed(c.who, id, c.l, nil)
		e.mustPost(c.who, id, c.rating)
	}
	require.Equal(t, &review.Rating{Count: 3, Sum: 13, Average: "4.33"}, e.productRating(tea))
	require.Equal(t, &review.Rating{Count: 1, Sum: 1, Average: "1.00"}, e.productRating(cup))
	require.Equal(t, &review.Rating{Count: 4, Sum: 14, Average: "3.50"}, e.storeRating(jeju))
	require.Equal(t, &review.Rating{Average: "0.00"}, e.storeRating(picks))
	require.Equal(t, &review.Rating{Average: "0.00"}, e.productRating(product.Ref{Supplier: supplier, ID: "te"}), "no prefix match")

	for _, bad := range []func(st ledger.State) error{
		func(st ledger.State) error {
			_, err := review.ProductRating(st, product.Ref{Supplier: "x", ID: "tea"})
			return err
		},
		func(st ledger.State) error {
			_, err := review.ProductRating(st, product.Ref{Supplier: supplier})
			return err
		},
		func(st ledger.State) error {
			_, err := review.StoreRating(st, store.Ref{Owner: seller, ID: "a\x00b"})
			return err
		},
	} {
		wantCode(t, e.Read(func(st ledger.State, _ *wallet.Keeper) error { return bad(st) }), errs.InvalidArgument)
	}
}

// The sum is bounded: past MaxRatingRows rows it is LIMIT_EXCEEDED, never
// an unbounded scan.
func TestRatingSumIsBounded(t *testing.T) {
	e := newEnv(t)
	write := func(from, to int) {
		e.Must(func(st ledger.State, _ *wallet.Keeper, _ ledger.Emitter) error {
			for i := from; i < to; i++ {
				key, err := st.CreateCompositeKey("rating~product", []string{supplier, "tea", "t" + pad(i), buyer, "o"})
				if err != nil {
					return err
				}
				if err := st.PutState(key, []byte(`{"count":1,"sum":5}`)); err != nil {
					return err
				}
			}
			return nil
		})
	}
	write(0, review.MaxRatingRows)
	require.Equal(t, &review.Rating{Count: review.MaxRatingRows, Sum: 5 * review.MaxRatingRows, Average: "5.00"}, e.productRating(tea))
	write(review.MaxRatingRows, review.MaxRatingRows+1)
	err := e.Read(func(st ledger.State, _ *wallet.Keeper) error {
		_, err := review.ProductRating(st, tea)
		return err
	})
	wantCode(t, err, errs.LimitExceeded)
}

func TestListsPageThroughReviews(t *testing.T) {
	e := newEnv(t)
	var ids []string
	for i, who := range []string{buyer, other, friend} {
		id := "o" + strconv.Itoa(i)
		e.completed(who, id, teaOne, nil)
		e.mustPost(who, id, 3+i)
		ids = append(ids, who+"/"+id)
	}
	e.completed(buyer, "cup", cupOne, nil)
	e.mustPost(buyer, "cup", 2)

	pageOf := func(list func(st ledger.State, bookmark string) (*review.Page, error)) []string {
		var got []string
		bookmark := ""
		for range 10 {
			var p *review.Page
			require.NoError(t, e.Read(func(st ledger.State, _ *wallet.Keeper) (err error) {
				p, err = list(st, bookmark)
				return err
			}))
			require.LessOrEqual(t, len(p.Reviews), 2)
			for _, r := range p.Reviews {
				got = append(got, r.Buyer+"/"+r.Order)
			}
			if bookmark = p.Bookmark; bookmark == "" {
				break
			}
		}
		return got
	}
	byTea := pageOf(func(st ledger.State, b string) (*review.Page, error) { return review.ListByProduct(st, tea, 2, b) })
	require.ElementsMatch(t, ids, byTea)
	byStore := pageOf(func(st ledger.State, b string) (*review.Page, error) { return review.ListByStore(st, jeju, 2, b) })
	require.ElementsMatch(t, append(ids, buyer+"/cup"), byStore)
	require.Equal(t, []string(nil), pageOf(func(st ledger.State, b string) (*review.Page, error) { return review.ListByStore(st, picks, 2, b) }))

	var empty *review.Page
	require.NoError(t, e.Read(func(st ledger.State, _ *wallet.Keeper) (err error) {
		empty, err = review.ListByProduct(st, product.Ref{Supplier: supplier, ID: "none"}, 5, "")
		return err
	}))
	data, err := json.Marshal(empty)
	require.NoError(t, err)
	require.Equal(t, `{"reviews":[],"bookmark":""}`, string(data))

	for _, bad := range []func(st ledger.State) error{
		func(st ledger.State) error { _, err := review.ListByProduct(st, tea, 0, ""); return err },
		func(st ledger.State) error {
			_, err := review.ListByProduct(st, tea, ledger.MaxPageSize+1, "")
			return err
		},
		func(st ledger.State) error {
			_, err := review.ListByProduct(st, tea, 5, e.Key("review~product", supplier, "cup", buyer, "cup"))
			return err
		},
		func(st ledger.State) error {
			_, err := review.ListByStore(st, store.Ref{Owner: "x", ID: "jeju"}, 5, "")
			return err
		},
		func(st ledger.State) error {
			_, err := review.ListByProduct(st, product.Ref{Supplier: supplier, ID: ""}, 5, "")
			return err
		},
	} {
		wantCode(t, e.Read(func(st ledger.State, _ *wallet.Keeper) error { return bad(st) }), errs.InvalidArgument)
	}
}

func TestGetRefusals(t *testing.T) {
	e := newEnv(t)
	e.completed(buyer, "o1", teaOne, nil)
	for _, c := range []struct {
		buyer, order string
		code         errs.Code
	}{
		{buyer, "o1", errs.NotFound}, // completed but not reviewed
		{other, "o1", errs.NotFound},
		{"x", "o1", errs.InvalidArgument},
		{buyer, "", errs.InvalidArgument},
		{buyer, strings.Repeat("o", 65), errs.InvalidArgument},
	} {
		err := e.Read(func(st ledger.State, _ *wallet.Keeper) error {
			_, err := review.Get(st, c.buyer, c.order)
			return err
		})
		wantCode(t, err, c.code)
	}
}

// Reviews of one product and store by different buyers, even first
// reviews that open shops and add referrals of the same listing, touch no
// common key: begun together, both commit.
func TestConcurrentReviewsOfOneProductCommit(t *testing.T) {
	e := newEnv(t)
	who := []string{buyer, other, friend}
	for _, b := range who {
		e.completed(b, "o1", teaOne, nil)
		e.completed(b, "o2", teaTwo, nil)
	}
	for _, round := range []string{"o1", "o2"} {
		var txs []*memledger.Tx
		for _, b := range who {
			o := e.getOrder(b, round)
			tx := e.Begin()
			var ev ledger.Events
			_, err := review.Post(tx, &ev, b, review.PostRequest{Order: round, Rating: 5}, o)
			require.NoError(t, err)
			txs = append(txs, tx)
		}
		for i, tx := range txs {
			require.NoError(t, tx.Commit(), "%s of %s", round, who[i])
		}
	}
	require.Equal(t, &review.Rating{Count: 6, Sum: 30, Average: "5.00"}, e.productRating(tea))
	for _, b := range who {
		require.True(t, e.isReferral(b, teaOne))
		require.True(t, e.isReferral(b, teaTwo))
	}
}

// The same order reviewed in two transactions begun together: the second
// to commit read the review key the first wrote, so it fails (and its
// rating rows never count).
func TestConcurrentReviewsOfOneOrderConflict(t *testing.T) {
	e := newEnv(t)
	e.completed(buyer, "o1", teaOne, nil)
	o := e.getOrder(buyer, "o1")
	var txs []*memledger.Tx
	for range 2 {
		tx := e.Begin()
		var ev ledger.Events
		_, err := review.Post(tx, &ev, buyer, review.PostRequest{Order: "o1", Rating: 5}, o)
		require.NoError(t, err)
		txs = append(txs, tx)
	}
	require.NoError(t, txs[0].Commit())
	require.ErrorIs(t, txs[1].Commit(), memledger.ErrMVCCConflict)
	require.Equal(t, uint64(1), e.productRating(tea).Count)
}
