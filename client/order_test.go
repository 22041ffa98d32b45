package client

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/codec"
	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/contracts/order"
	"github.com/likrcommerce/likr/contracts/store"
)

// fromZero makes a picker's rotation start at shard 0.
func fromZero(int) int { return 0 }

var productA, productB = ProductRef{Supplier: supplierAccount, ID: "a"}, ProductRef{Supplier: supplierAccount, ID: "b"}

func TestShardPickerGivesDistinctShardsWhileThereAreFree(t *testing.T) {
	for _, shards := range []int{1, 2, 7, 64, maxShards} {
		t.Run(fmt.Sprint(shards), func(t *testing.T) {
			s := shardPicker{}
			seen := map[int]bool{}
			for range shards {
				shard := s.take(productA, shards)
				require.True(t, 0 <= shard && shard < shards, "shard %d of %d", shard, shards)
				require.False(t, seen[shard], "shard %d given twice while in flight", shard)
				seen[shard] = true
			}
		})
	}
}

func TestShardPickerRotatesThroughTheShards(t *testing.T) {
	s := shardPicker{start: fromZero}
	var got []int
	for range 6 {
		shard := s.take(productA, 4)
		got = append(got, shard)
		s.release(productA, shard)
	}
	require.Equal(t, []int{0, 1, 2, 3, 0, 1}, got, "one order at a time still spreads over every shard, so they drain evenly")
}

func TestShardPickerReusesAReleasedShard(t *testing.T) {
	s := shardPicker{start: fromZero}
	for want := range 4 {
		require.Equal(t, want, s.take(productA, 4))
	}
	s.release(productA, 2)
	require.Equal(t, 2, s.take(productA, 4), "the only free shard")
	s.release(productA, 0)
	s.release(productA, 3)
	require.Equal(t, 3, s.take(productA, 4), "the free shard from the cursor on (past 2)")
	require.Equal(t, 0, s.take(productA, 4), "then wrapping round")
}

func TestShardPickerSharesTheLeastLoadedShardWhenAllAreInFlight(t *testing.T) {
	s := shardPicker{start: func(int) int { return 2 }}
	var got []int
	for range 4 {
		got = append(got, s.take(productA, 4))
	}
	require.Equal(t, []int{2, 3, 0, 1}, got)
	got = nil
	for range 5 {
		got = append(got, s.take(productA, 4))
	}
	require.Equal(t, []int{0, 1, 2, 3, 0}, got, "least loaded, then lowest index")
	require.Equal(t, []int{3, 2, 2, 2}, s.products[productA].load)
	s.release(productA, 0)
	s.release(productA, 0)
	s.release(productA, 2)
	require.Equal(t, 0, s.take(productA, 4), "shards 0 and 2 hold one each; the lower")
	require.Equal(t, 2, s.take(productA, 4))
	require.Equal(t, []int{2, 2, 2, 2}, s.products[productA].load, "the load stays even")
}

func TestShardPickerKeepsProductsApart(t *testing.T) {
	s := shardPicker{start: fromZero}
	require.Equal(t, 0, s.take(productA, 2))
	require.Equal(t, 0, s.take(productB, 3), "another product's shards are other keys")
	require.Equal(t, 1, s.take(productA, 2))
	require.Equal(t, 1, s.take(productB, 3))
}

func TestShardPickerLearnsAShardCountOnce(t *testing.T) {
	s := shardPicker{start: fromZero}
	_, known := s.count(productA)
	require.False(t, known)
	s.learn(productA, 2)
	s.learn(productA, 9)
	n, known := s.count(productA)
	require.True(t, known)
	require.Equal(t, 2, n, "a product's shard count never changes")
	for range 5 {
		require.Less(t, s.take(productA, 9), 2)
	}
}

func TestShardPickerStartsEachProductAtARandomShard(t *testing.T) {
	starts := map[int]bool{}
	for i := range 200 {
		s := shardPicker{}
		shard := s.take(ProductRef{Supplier: supplierAccount, ID: fmt.Sprint(i)}, 8)
		require.True(t, 0 <= shard && shard < 8)
		starts[shard] = true
	}
	require.Greater(t, len(starts), 1, "Clients in different processes do not all start at shard 0 (fails with chance 8^-199)")
}

func TestShardPickerIsSafeForConcurrentUse(t *testing.T) {
	const shards, workers = 16, 16
	var s shardPicker
	// All take at once and hold: distinct shards.
	held := make(chan int, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() { held <- s.take(productA, shards) })
	}
	wg.Wait()
	close(held)
	distinct := map[int]bool{}
	for shard := range held {
		distinct[shard] = true
		defer s.release(productA, shard)
	}
	require.Len(t, distinct, workers)

	// Churn on two products; at the end nothing is held.
	for w := range workers {
		wg.Go(func() {
			ref := []ProductRef{productA, productB}[w%2]
			for range 300 {
				shard := s.take(ref, shards)
				s.release(ref, shard)
			}
		})
	}
	wg.Wait()
	p := s.products[productB]
	require.Zero(t, p.busy)
	require.Nil(t, p.load, "an idle product keeps no load table")
}

// shop serves the reads of PlaceOrder: the listing, whose price may change
// from one read to the next, the product and the buyer's coins; and, as
// order:Place, answers an Order built from the request.
type shop struct {
	mu     sync.Mutex
	prices []uint64 // the listing's price at each read; the last one stays
	shards int
	wallet *coinsOf
	reads  map[string]int
	err    map[string]error // a read that fails
}

func (s *shop) evaluate(ctx context.Context, fn string, args []string) ([]byte, error) {
	s.mu.Lock()
	if s.reads == nil {
		s.reads = map[string]int{}
	}
	s.reads[fn]++
	err := s.err[fn]
	s.mu.Unlock()
	if err != nil {
		return nil, err
	}
	switch fn {
	case "store:GetListing":
		if !slices.Equal(args, []string{sellerAccount, "main", "l1"}) {
			return nil, fmt.Errorf("unexpected listing %q", args)
		}
		s.mu.Lock()
		l := sampleListing
		l.Price = money.NewAmount(s.prices[0])
		if len(s.prices) > 1 {
			s.prices = s.prices[1:]
		}
		s.mu.Unlock()
		return json.Marshal(l)
	case "product:Get":
		if !slices.Equal(args, []string{supplierAccount, "tea-1"}) {
			return nil, fmt.Errorf("unexpected product %q", args)
		}
		p := sampleProduct
		p.Shards = s.shards
		return json.Marshal(p)
	case "wallet:Coins":
		return s.wallet.evaluate(ctx, fn, args)
	}
	return nil, fmt.Errorf("unexpected %s", fn)
}

func (s *shop) readCount(fn string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reads[fn]
}

// place answers order:Place with the order the request asks for.
func (s *shop) place(fn string, args []string) []byte {
	var req order.PlaceRequest
	if fn != "order:Place" || len(args) != 1 || codec.Decode([]byte(args[0]), &req) != nil {
		return []byte("unexpected")
	}
	o := Order{Buyer: buyerAccount, ID: req.ID, Quantity: req.Quantity, Takes: []Take{{Shard: req.Shard, Units: req.Quantity}}, Status: "placed"}
	data, _ := json.Marshal(o)
	return data
}

// placed decodes the order:Place requests proposed to f, as the contract
// does.
func placed(t *testing.T, f *fakeBackend) []order.PlaceRequest {
	t.Helper()
	var out []order.PlaceRequest
	for _, p := range f.proposed() {
		require.Equal(t, "order:Place", p[0])
		require.Len(t, p, 2, "one argument")
		var req order.PlaceRequest
		require.NoError(t, codec.Decode([]byte(p[1]), &req), p[1])
		out = append(out, req)
	}
	return out
}

var listingL1 = ListingRef{Owner: sellerAccount, Store: "main", ID: "l1"}

func TestPlaceOrderPaysTheListingsPriceTimesTheQuantity(t *testing.T) {
	s := &shop{prices: []uint64{25}, shards: 4, wallet: &coinsOf{pages: [][]Coin{coins(30, 50, 10)}}}
	f := &fakeBackend{evaluateFn: s.evaluate}
	c := resultClient(t, f, s.place)
	referrer := &StoreRef{Owner: strings.Repeat("d", 40), ID: "blog"}

	o, r, err := c.PlaceOrder(context.Background(), PlaceOrderRequest{ID: "o1", Listing: listingL1, Quantity: 3, Referrer: referrer})

	require.NoError(t, err)
	require.Equal(t, 1, r.Attempts)
	reqs := placed(t, f)
	require.Len(t, reqs, 1)
	sent := reqs[0]
	maxTotal := money.NewAmount(75)
	require.Equal(t, order.PlaceRequest{
		ID: "o1", Listing: store.ListingRef{Owner: sellerAccount, Store: "main", ID: "l1"}, Quantity: 3,
		Shard: sent.Shard, Inputs: []string{"c001", "c000"}, Referrer: &store.Ref{Owner: strings.Repeat("d", 40), ID: "blog"},
		MaxTotal: &maxTotal,
	}, sent, "3 x 25 = 75: the largest coins, 50 and 30, cover it; the total the client priced is the most it pays")
	require.True(t, 0 <= sent.Shard && sent.Shard < 4)
	require.Equal(t, []Take{{Shard: sent.Shard, Units: 3}}, o.Takes, "the order the contract returned")

	var keys map[string]json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(f.proposed()[0][1]), &keys))
	require.ElementsMatch(t, []string{"id", "listing", "quantity", "shard", "inputs", "referrer", "maxTotal"}, slices.Collect(maps.Keys(keys)))
}

func TestPlaceOrderReadsThePriceEveryTimeAndTheShardCountOnce(t *testing.T) {
	s := &shop{prices: []uint64{10, 20}, shards: 4, wallet: &coinsOf{pages: [][]Coin{coins(10, 40, 50)}}}
	f := &fakeBackend{evaluateFn: s.evaluate}
	c := resultClient(t, f, s.place)

	_, _, err := c.PlaceOrder(context.Background(), PlaceOrderRequest{ID: "o1", Listing: listingL1, Quantity: 2})
	require.NoError(t, err)
	_, _, err = c.PlaceOrder(context.Background(), PlaceOrderRequest{ID: "o2", Listing: listingL1, Quantity: 2})
	require.NoError(t, err)

	reqs := placed(t, f)
	require.Equal(t, []string{"c002"}, reqs[0].Inputs, "2 x 10: the largest coin")
	require.Equal(t, []string{"c001"}, reqs[1].Inputs, "2 x 20: the largest coin not just spent")
	require.Equal(t, 2, s.readCount("store:GetListing"), "prices are not cached")
	require.Equal(t, 1, s.readCount("product:Get"), "the shard count is")
	require.NotEqual(t, reqs[0].Shard, reqs[1].Shard, "the rotation moved on")
}

func TestARetriedOrderIsPricedAndHintedAfresh(t *testing.T) {
	s := &shop{prices: []uint64{10, 30}, shards: 4, wallet: &coinsOf{pages: [][]Coin{coins(20, 15)}}}
	f := &fakeBackend{evaluateFn: s.evaluate, outcomes: []outcome{invalid(peer.TxValidationCode_MVCC_READ_CONFLICT)}}
	c := resultClient(t, f, s.place)
	c.shards.start = fromZero

	_, r, err := c.PlaceOrder(context.Background(), PlaceOrderRequest{ID: "o1", Listing: listingL1, Quantity: 1})

	require.NoError(t, err)
	require.Equal(t, 2, r.Attempts)
	reqs := placed(t, f)
	require.Equal(t, []string{"c000"}, reqs[0].Inputs, "the price was 10")
	require.Equal(t, []string{"c000", "c001"}, reqs[1].Inputs, "then 30: the coins of the lost attempt are free again, and one more is needed")
	require.Equal(t, []int{0, 1}, []int{reqs[0].Shard, reqs[1].Shard}, "the retry takes the next shard")
	require.Equal(t, 2, s.readCount("store:GetListing"))
	require.Equal(t, 1, s.readCount("product:Get"))
}

func TestConcurrentOrdersOfOneProductUseDistinctShards(t *testing.T) {
	const orders = 8
	s := &shop{prices: []uint64{10}, shards: orders, wallet: &coinsOf{pages: [][]Coin{coins(10, 10, 10, 10, 10, 10, 10, 10)}}}
	allInFlight := make(chan struct{})
	f := &fakeBackend{evaluateFn: s.evaluate, beforeStatus: func() { <-allInFlight }}
	c := resultClient(t, f, s.place)

	var wg sync.WaitGroup
	errCh := make(chan error, orders)
	for i := range orders {
		wg.Go(func() {
			_, _, err := c.PlaceOrder(context.Background(), PlaceOrderRequest{ID: fmt.Sprint("o", i), Listing: listingL1, Quantity: 1})
			errCh <- err
		})
	}
	require.Eventually(t, func() bool { return len(f.proposed()) == orders }, 5*time.Second, time.Millisecond,
		"every order found a shard and a coin while the others were in flight")
	close(allInFlight)
	wg.Wait()
	close(errCh)
	for err := range errCh {
		require.NoError(t, err)
	}
	shards, inputs := map[int]bool{}, map[string]bool{}
	for _, req := range placed(t, f) {
		shards[req.Shard] = true
		inputs[req.Inputs[0]] = true
	}
	require.Len(t, shards, orders, "distinct shards")
	require.Len(t, inputs, orders, "distinct coins")
	require.Zero(t, c.shards.products[sampleProductRef].busy, "every shard released")
}

func TestAnOrderThatCannotBePricedIsNotSent(t *testing.T) {
	for name, tc := range map[string]struct {
		s    *shop
		qty  uint64
		want *errs.Error
		msg  string
	}{
		"the total overflows": {
			s:   &shop{prices: []uint64{1 << 63}, shards: 2},
			qty: 2, want: errs.ErrOverflow, msg: "order:Place: OVERFLOW",
		},
		"no such listing": {
			s:   &shop{err: map[string]error{"store:GetListing": chaincodeError("NOT_FOUND: listing l1 of store main")}},
			qty: 1, want: errs.ErrNotFound, msg: "order:Place: reading the listing: evaluate store:GetListing",
		},
		"no such product": {
			s:   &shop{prices: []uint64{5}, err: map[string]error{"product:Get": chaincodeError("NOT_FOUND: product")}},
			qty: 1, want: errs.ErrNotFound, msg: "order:Place: reading the product: evaluate product:Get",
		},
		"not enough coins": {
			s:   &shop{prices: []uint64{5}, shards: 2, wallet: &coinsOf{pages: [][]Coin{coins(4)}}},
			qty: 1, want: errs.ErrInsufficientFunds, msg: "order:Place: choosing coins: INSUFFICIENT_FUNDS",
		},
	} {
		t.Run(name, func(t *testing.T) {
			f := &fakeBackend{evaluateFn: tc.s.evaluate}
			c := resultClient(t, f, tc.s.place)
			_, _, err := c.PlaceOrder(context.Background(), PlaceOrderRequest{ID: "o1", Listing: listingL1, Quantity: tc.qty})
			require.ErrorIs(t, err, tc.want)
			require.ErrorContains(t, err, tc.msg)
			require.Empty(t, f.proposed())
			require.Equal(t, Stats{Submits: 1, Failed: 1}, c.Stats())
			require.Empty(t, c.coins.coins, "no coin stays reserved")
			for _, p := range c.shards.products {
				require.Zero(t, p.busy, "no shard stays held")
			}
		})
	}
}

func TestARefusedOrderFreesItsShardAndCoins(t *testing.T) {
	s := &shop{prices: []uint64{10}, shards: 2, wallet: &coinsOf{pages: [][]Coin{coins(10)}}}
	f := &fakeBackend{evaluateFn: s.evaluate, outcomes: []outcome{{endorseErr: chaincodeError("INSUFFICIENT_STOCK: 0 left")}}}
	c := resultClient(t, f, s.place)
	_, _, err := c.PlaceOrder(context.Background(), PlaceOrderRequest{ID: "o1", Listing: listingL1, Quantity: 1})
	require.ErrorIs(t, err, errs.ErrInsufficientStock)
	require.Zero(t, c.shards.products[sampleProductRef].busy)
	_, _, err = c.PlaceOrder(context.Background(), PlaceOrderRequest{ID: "o2", Listing: listingL1, Quantity: 1})
	require.NoError(t, err, "the coin is free again")
}

func TestAnOrderSpendsTheNamedCoins(t *testing.T) {
	s := &shop{prices: []uint64{10}, shards: 2} // no wallet: a listing of coins would fail
	f := &fakeBackend{evaluateFn: s.evaluate}
	c := resultClient(t, f, s.place)
	_, _, err := c.PlaceOrder(context.Background(), PlaceOrderRequest{ID: "o1", Listing: listingL1, Quantity: 1}, WithInputs("x.000001"))
	require.NoError(t, err)
	require.Equal(t, []string{"x.000001"}, placed(t, f)[0].Inputs)
	require.Zero(t, s.readCount("wallet:Coins"))
}

func TestOrderCallsNameTheirTransactions(t *testing.T) {
	ref := OrderRef{Buyer: buyerAccount, ID: "o1"}
	shipped := Order{
		Buyer: buyerAccount, ID: "o1", Listing: listingL1, Product: sampleProductRef, ProductVersion: 2,
		Quantity: 1, UnitPrice: money.NewAmount(100), Total: money.NewAmount(100), Takes: []Take{{Shard: 1, Units: 1}},
		Status: "shipped", Shipment: &Shipment{Carrier: "post", Tracking: "T1", ShippedBy: sellerAccount},
	}
	page := OrderPage{Orders: []Order{shipped}, Bookmark: "next"}
	runWrites(t, map[string]wireCase{
		"ShipOrder": {
			call: func(ctx context.Context, c *Client) (any, error) {
				v, _, err := c.ShipOrder(ctx, ref, ShipOrderRequest{Carrier: "post", Tracking: "T1"})
				return v, err
			},
			fn: "order:Ship", args: []string{buyerAccount, "o1", `{"carrier":"post","tracking":"T1"}`}, out: shipped,
		},
		"ConfirmDelivery": {
			call: func(ctx context.Context, c *Client) (any, error) {
				v, _, err := c.ConfirmDelivery(ctx, ref)
				return v, err
			},
			fn: "order:ConfirmDelivery", args: []string{buyerAccount, "o1"}, out: shipped,
		},
		"ReleaseOrder": {
			call: func(ctx context.Context, c *Client) (any, error) {
				v, _, err := c.ReleaseOrder(ctx, ref)
				return v, err
			},
			fn: "order:Release", args: []string{buyerAccount, "o1"}, out: shipped,
		},
		"CancelOrder": {
			call: func(ctx context.Context, c *Client) (any, error) { v, _, err := c.CancelOrder(ctx, ref); return v, err },
			fn:   "order:Cancel", args: []string{buyerAccount, "o1"}, out: shipped,
		},
		"RejectOrder": {
			call: func(ctx context.Context, c *Client) (any, error) {
				v, _, err := c.RejectOrder(ctx, ref, "out of stock")
				return v, err
			},
			fn: "order:Reject", args: []string{buyerAccount, "o1", "out of stock"}, out: shipped,
		},
	})
	runReads(t, map[string]wireCase{
		"Order": {
			call: func(ctx context.Context, c *Client) (any, error) { return c.Order(ctx, ref) },
			fn:   "order:Get", args: []string{buyerAccount, "o1"}, out: shipped,
		},
		"OrdersByBuyer": {
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.OrdersByBuyer(ctx, buyerAccount, PageRequest{Size: 2, Bookmark: "b"})
			},
			fn: "order:ListByBuyer", args: []string{buyerAccount, "2", "b"}, out: page,
		},
		"OrdersByStore": {
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.OrdersByStore(ctx, sampleStoreRef, PageRequest{})
			},
			fn: "order:ListByStore", args: []string{sellerAccount, "main", "100", ""}, out: page,
		},
		"OrdersBySupplier": {
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.OrdersBySupplier(ctx, supplierAccount, PageRequest{})
			},
			fn: "order:ListBySupplier", args: []string{supplierAccount, "100", ""}, out: page,
		},
	})
	// PlaceOrder's transaction, which the tests above drive through the
	// fake.
	checkTransaction(t, "order:Place", []string{"request"}, false)
}
