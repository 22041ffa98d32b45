package client

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sync"

	"github.com/likrcommerce/likr/contracts/money"
)

// The result types below mirror the JSON of package contracts/order
// (wire_test.go holds them to it); see wallet.go for why they are not
// imported.

// OrderRef names an order: its buyer's account ID and the buyer's ID for
// it. IDs are scoped to the buyer.
type OrderRef struct {
	Buyer string `json:"buyer"`
	ID    string `json:"id"`
}

// Take is the stock an order reserved from one shard, and gives back there
// when it is refunded.
type Take struct {
	Shard int    `json:"shard"`
	Units uint64 `json:"units"`
}

// Shipment is what the shipper reported.
type Shipment struct {
	Carrier      string `json:"carrier"`
	Tracking     string `json:"tracking"`
	ShippedBy    string `json:"shippedBy"`
	ShippedAt    string `json:"shippedAt"`
	ReleaseAfter string `json:"releaseAfter"` // anyone may release the order from this instant on
}

// Settlement is how an order's escrow was paid out; the amounts sum to the
// order's total.
type Settlement struct {
	// Trigger is "confirmed", "auto_release", "dispute" or
	// "dispute_fallback".
	Trigger        string       `json:"trigger"`
	Refund         money.Amount `json:"refund"` // to the buyer, by a dispute resolution
	ModeratorFee   money.Amount `json:"moderatorFee"`
	SupplierAmount money.Amount `json:"supplierAmount"`
	Commission     money.Amount `json:"commission"`
	PlatformFee    money.Amount `json:"platformFee"` // rewards are paid out of it
	SellerAmount   money.Amount `json:"sellerAmount"`
}

// Dispute is a shipped order put before a moderator.
type Dispute struct {
	Moderator     string       `json:"moderator"`
	MaxFee        money.Amount `json:"maxFee"` // the moderator's advertised fee for this order, at opening
	Reason        string       `json:"reason"`
	OpenedAt      string       `json:"openedAt"`
	FallbackAfter string       `json:"fallbackAfter"` // an admin may resolve it from this instant on
	Resolution    *Resolution  `json:"resolution,omitempty"`
}

// Resolution is how a dispute was settled.
type Resolution struct {
	By            string       `json:"by"`
	Fallback      bool         `json:"fallback"` // resolved by an admin after the timeout
	BuyerShareBps money.Rate   `json:"buyerShareBps"`
	Fee           money.Amount `json:"fee"`
	Refund        money.Amount `json:"refund"`
	ResolvedAt    string       `json:"resolvedAt"`
}

// Rewards are the rewards an order's settlement paid, and the reserve it
// holds for a review reward.
type Rewards struct {
	Purchase      money.Amount `json:"purchase"`
	ReferredSale  money.Amount `json:"referredSale"`
	Review        money.Amount `json:"review"`     // reserved
	Conversion    money.Amount `json:"conversion"` // reserved
	Reserve       string       `json:"reserve,omitempty"`
	ReserveCoin   string       `json:"reserveCoin,omitempty"`
	ReserveUntil  string       `json:"reserveUntil,omitempty"`
	ReserveClosed string       `json:"reserveClosed,omitempty"` // "review" or "expired"
}

// Refund is the full refund of a cancelled or rejected order.
type Refund struct {
	By     string       `json:"by"`
	Reason string       `json:"reason,omitempty"`
	Amount money.Amount `json:"amount"`
}

// Order is an order. Everything its settlement pays was fixed when it was
// placed, so later changes of terms, listings or config do not change it.
type Order struct {
	Buyer          string       `json:"buyer"`
	ID             string       `json:"id"`
	Listing        ListingRef   `json:"listing"`
	Product        ProductRef   `json:"product"`
	ProductVersion uint64       `json:"productVersion"` // the product terms it was placed under
	AttributesHash string       `json:"attributesHash"`
	Quantity       uint64       `json:"quantity"`
	UnitPrice      money.Amount `json:"unitPrice"`
	Total          money.Amount `json:"total"`          // UnitPrice x Quantity, held in escrow
	WholesalePrice money.Amount `json:"wholesalePrice"` // per unit
	ReferralBps    money.Rate   `json:"referralBps"`    // 0 without a referrer
	PlatformFeeBps money.Rate   `json:"platformFeeBps"`
	Referrer       *StoreRef    `json:"referrer,omitempty"`
	Takes          []Take       `json:"takes"`
	Escrow         string       `json:"escrow"`     // the escrow's holder
	EscrowCoin     string       `json:"escrowCoin"` // the coin holding the total
	// Status is "placed", "shipped", "disputed", or final: "completed"
	// (settled), "cancelled" or "rejected" (refunded).
	Status     string      `json:"status"`
	PlacedAt   string      `json:"placedAt"`
	Shipment   *Shipment   `json:"shipment,omitempty"`
	Settlement *Settlement `json:"settlement,omitempty"`
	Refund     *Refund     `json:"refund,omitempty"`
	Dispute    *Dispute    `json:"dispute,omitempty"`
	Rewards    *Rewards    `json:"rewards,omitempty"`
	ClosedAt   string      `json:"closedAt,omitempty"`
}

// Ref returns the order's ref.
func (o Order) Ref() OrderRef { return OrderRef{Buyer: o.Buyer, ID: o.ID} }

// OrderPage is one page of orders.
type OrderPage struct {
	Orders   []Order `json:"orders"`
	Bookmark string  `json:"bookmark"` // empty on the last page
}

// PlaceOrderRequest orders Quantity units of a listing.
type PlaceOrderRequest struct {
	ID       string // the caller's ID for the order
	Listing  ListingRef
	Quantity uint64
	// Referrer is the shop that referred the buyer, if one did; it earns
	// the listing's referral commission.
	Referrer *StoreRef
}

// ShipOrderRequest reports a shipment.
type ShipOrderRequest struct {
	Carrier  string `json:"carrier"`
	Tracking string `json:"tracking"`
}

// placeRequest is order:Place's argument, built afresh for every attempt.
type placeRequest struct {
	ID       string        `json:"id"`
	Listing  ListingRef    `json:"listing"`
	Quantity uint64        `json:"quantity"`
	Shard    int           `json:"shard"`
	Inputs   []string      `json:"inputs"`
	Referrer *StoreRef     `json:"referrer,omitempty"`
	MaxTotal *money.Amount `json:"maxTotal,omitempty"`
}

// PlaceOrder orders req.Quantity units of a listing for the caller and pays
// the listing's price x quantity from the caller's coins into the order's
// escrow (order:Place). Caller: anyone, as the buyer; the caller's own
// order ID twice is ALREADY_EXISTS.
//
// Every attempt reads the listing for its price (prices are never cached:
// the contract charges the price it reads, and refuses with INVALID_STATE
// a total above the one the client computed and sends as maxTotal, so a
// price raised in between never takes more), computes the total with
// checked arithmetic (OVERFLOW before anything is sent), picks coins for
// it as a payment does (see PayOption; WithInputs names them instead) and
// gives the order a stock shard hint. The product is read once per Client
// for its shard count, which never changes after registration. A retried
// attempt reads, picks and hints afresh.
//
// The hint is why concurrent orders of one product do not conflict. The
// stock is split over shards, and the contract reads and writes only the
// hinted shard while it holds the quantity; two orders with the same hint
// read the same key, and the second to commit loses an MVCC conflict.
// Random hints would not do: of 64 orders in flight over 64 shards, about
// 63% would share a shard with another. So a Client gives the orders of a
// product it has in flight distinct shards, rotating through the shards so
// that they drain evenly; only with more orders in flight than shards do
// some share one (the least loaded). Each Client's rotation starts at a
// random shard, so that Clients in different processes do not move in
// step.
func (c *Client) PlaceOrder(ctx context.Context, req PlaceOrderRequest, opts ...PayOption) (Order, Receipt, error) {
	const fn = "order:Place"
	p := payOptions(opts)
	r, err := c.submit(ctx, fn, func(ctx context.Context) ([]string, func(error), error) {
		return c.prepareOrder(ctx, fn, req, p)
	})
	if err != nil {
		return Order{}, Receipt{}, err
	}
	return decodeResult[Order](fn, r)
}

// prepareOrder builds one attempt of an order: it prices the listing,
// reserves coins and a stock shard, and returns the request and the func
// that frees them when the attempt is over.
func (c *Client) prepareOrder(ctx context.Context, fn string, req PlaceOrderRequest, p payment) ([]string, func(error), error) {
	l, err := c.Listing(ctx, req.Listing)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: reading the listing: %w", fn, err)
	}
	shards, err := c.shardCount(ctx, l.Product)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: reading the product: %w", fn, err)
	}
	total, err := l.Price.MulUint(req.Quantity)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", fn, err)
	}
	inputs, releaseCoins, err := c.takeCoins(ctx, fn, p, total)
	if err != nil {
		return nil, nil, err
	}
	shard := c.shards.take(l.Product, shards)
	done := func(err error) {
		c.shards.release(l.Product, shard)
		releaseCoins(err)
	}
	// A placeRequest always encodes: strings, numbers and a list.
	data, _ := json.Marshal(placeRequest{
		ID: req.ID, Listing: req.Listing, Quantity: req.Quantity,
		Shard: shard, Inputs: inputs, Referrer: req.Referrer, MaxTotal: &total,
	})
	return []string{string(data)}, done, nil
}

// shardCount returns a product's stock shard count, read once per Client
// since it is fixed when the product is registered.
func (c *Client) shardCount(ctx context.Context, ref ProductRef) (int, error) {
	if n, ok := c.shards.count(ref); ok {
		return n, nil
	}
	p, err := c.Product(ctx, ref)
	if err != nil {
		return 0, err
	}
	if p.Shards < 1 || p.Shards > maxShards {
		return 0, fmt.Errorf("product %s/%s has %d stock shards; expected 1 to %d", ref.Supplier, ref.ID, p.Shards, maxShards)
	}
	c.shards.learn(ref, p.Shards)
	return p.Shards, nil
}

// maxShards bounds a product's stock shard count (the config's bound).
const maxShards = 256

// shardPicker gives the orders one Client has in flight for a product
// distinct stock shards (see PlaceOrder). Its zero value is ready.
type shardPicker struct {
	mu       sync.Mutex
	products map[ProductRef]*productShards
	// start returns where the rotation over a product's shards starts; a
	// random shard unless a test sets it.
	start func(shards int) int
}

// productShards is the picker's state for one product.
type productShards struct {
	shards int   // the product's shard count
	load   []int // attempts in flight per shard; nil while there are none
	busy   int   // attempts in flight in all
	next   int   // the shard the next search starts at
}

// count returns a product's shard count, if the picker has learnt it.
func (s *shardPicker) count(ref ProductRef) (int, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.products[ref]
	if !ok {
		return 0, false
	}
	return p.shards, true
}

// learn records a product's shard count (1..maxShards); a count learnt
// before stays.
func (s *shardPicker) learn(ref ProductRef, shards int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.learnLocked(ref, shards)
}

func (s *shardPicker) learnLocked(ref ProductRef, shards int) *productShards {
	if p, ok := s.products[ref]; ok {
		return p
	}
	if s.products == nil {
		s.products = map[ProductRef]*productShards{}
	}
	start := rand.IntN
	if s.start != nil {
		start = s.start
	}
	p := &productShards{shards: shards, next: start(shards)}
	s.products[ref] = p
	return p
}

// take picks a shard of the product for an attempt and holds it until
// release: the first shard from the cursor on that no attempt holds, or,
// when all are held, the one held by the fewest, the lowest of those. The
// cursor then moves past it. shards is the product's shard count, for a
// product the picker has not learnt yet.
func (s *shardPicker) take(ref ProductRef, shards int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.learnLocked(ref, shards)
	if p.load == nil {
		p.load = make([]int, p.shards)
	}
	pick := -1
	for i := range p.shards {
		if shard := (p.next + i) % p.shards; p.load[shard] == 0 {
			pick = shard
			break
		}
	}
	if pick < 0 {
		pick = 0
		for shard, n := range p.load {
			if n < p.load[pick] {
				pick = shard
			}
		}
	}
	p.load[pick]++
	p.busy++
	p.next = (pick + 1) % p.shards
	return pick
}

// release ends an attempt's hold on a shard of the product.
func (s *shardPicker) release(ref ProductRef, shard int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.products[ref]
	p.load[shard]--
	p.busy--
	if p.busy == 0 {
		p.load = nil // idle products keep only their count and cursor
	}
}

// ShipOrder records the shipment of a placed order (order:Ship) and starts
// its auto-release clock. Caller: the store's owner or the product's
// supplier.
func (c *Client) ShipOrder(ctx context.Context, ref OrderRef, req ShipOrderRequest) (Order, Receipt, error) {
	const fn = "order:Ship"
	arg, err := jsonArg(fn, req)
	if err != nil {
		return Order{}, Receipt{}, err
	}
	return submitFor[Order](ctx, c, fn, ref.Buyer, ref.ID, arg)
}

// ConfirmDelivery settles a shipped order: its escrow pays the supplier,
// the referrer, the platform and the seller, and the sale is recorded
// (order:ConfirmDelivery). Caller: the buyer.
func (c *Client) ConfirmDelivery(ctx context.Context, ref OrderRef) (Order, Receipt, error) {
	return submitFor[Order](ctx, c, "order:ConfirmDelivery", ref.Buyer, ref.ID)
}

// ReleaseOrder settles a shipped order whose auto-release time has passed,
// as ConfirmDelivery does (order:Release). Caller: anyone.
func (c *Client) ReleaseOrder(ctx context.Context, ref OrderRef) (Order, Receipt, error) {
	return submitFor[Order](ctx, c, "order:Release", ref.Buyer, ref.ID)
}

// CancelOrder refunds a placed order and returns its stock (order:Cancel).
// Caller: the buyer, before shipping.
func (c *Client) CancelOrder(ctx context.Context, ref OrderRef) (Order, Receipt, error) {
	return submitFor[Order](ctx, c, "order:Cancel", ref.Buyer, ref.ID)
}

// RejectOrder refunds a placed order with a reason and returns its stock
// (order:Reject). Caller: the store's owner, before shipping.
func (c *Client) RejectOrder(ctx context.Context, ref OrderRef, reason string) (Order, Receipt, error) {
	return submitFor[Order](ctx, c, "order:Reject", ref.Buyer, ref.ID, reason)
}

// Order returns an order (order:Get). Caller: a party of the order (buyer,
// seller, supplier, referrer), an auditor or an admin.
func (c *Client) Order(ctx context.Context, ref OrderRef) (Order, error) {
	return evaluateJSON[Order](ctx, c, "order:Get", ref.Buyer, ref.ID)
}

// OrdersByBuyer returns one page of a buyer's orders, in ID order
// (order:ListByBuyer). Caller: the buyer, an auditor or an admin.
func (c *Client) OrdersByBuyer(ctx context.Context, buyer string, page PageRequest) (OrderPage, error) {
	return evaluateJSON[OrderPage](ctx, c, "order:ListByBuyer", append([]string{buyer}, page.args()...)...)
}

// OrdersByStore returns one page of the orders placed at a store
// (order:ListByStore). Caller: the store's owner, an auditor or an admin.
func (c *Client) OrdersByStore(ctx context.Context, store StoreRef, page PageRequest) (OrderPage, error) {
	return evaluateJSON[OrderPage](ctx, c, "order:ListByStore", append([]string{store.Owner, store.ID}, page.args()...)...)
}

// OrdersBySupplier returns one page of the orders of a supplier's products
// (order:ListBySupplier). Caller: the supplier, an auditor or an admin.
func (c *Client) OrdersBySupplier(ctx context.Context, supplier string, page PageRequest) (OrderPage, error) {
	return evaluateJSON[OrderPage](ctx, c, "order:ListBySupplier", append([]string{supplier}, page.args()...)...)
}
