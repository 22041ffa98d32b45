package order

import (
	"errors"
	"time"

	"github.com/likrcommerce/likr/contracts/codec"
	"github.com/likrcommerce/likr/contracts/config"
	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/contracts/product"
	"github.com/likrcommerce/likr/contracts/store"
	"github.com/likrcommerce/likr/contracts/wallet"
)

// Object types of the keys (see the package doc).
const (
	orderType        = "order"
	byStoreType      = "order~store"
	bySupplierType   = "order~supplier"
	escrowHolderName = "escrow"
	kindEscrow       = "order.escrow"
	kindSettle       = "order.settle"
	kindRefund       = "order.refund"
	maxCarrierRunes  = 64
	maxTrackingRunes = 64
	maxReasonRunes   = 280
	maxQuantity      = 1_000_000
)

// Status is where an order is in its life (see the package doc).
type Status string

// The statuses. Completed, Cancelled and Rejected are final; a disputed
// order is completed by its resolution.
const (
	Placed    Status = "placed"
	Shipped   Status = "shipped"
	Disputed  Status = "disputed"
	Completed Status = "completed"
	Cancelled Status = "cancelled"
	Rejected  Status = "rejected"
)

// Ref names an order: its ID is scoped to its buyer.
type Ref struct {
	Buyer string `json:"buyer"`
	ID    string `json:"id"`
}

// Validate checks the syntax of r (INVALID_ARGUMENT).
func (r Ref) Validate() error {
	if err := wallet.CheckAccount("order buyer", r.Buyer); err != nil {
		return err
	}
	return codec.ID("order id", r.ID)
}

// Order is the stored order. Everything settlement needs is fixed at Place
// (prices, rates, the referrer), so later changes of terms, listings or
// config never change what an order pays.
type Order struct {
	Buyer          string           `json:"buyer"`
	ID             string           `json:"id"`
	Listing        store.ListingRef `json:"listing"`
	Product        product.Ref      `json:"product"`
	ProductVersion uint64           `json:"productVersion"`
	AttributesHash string           `json:"attributesHash"`
	Quantity       uint64           `json:"quantity"`
	UnitPrice      money.Amount     `json:"unitPrice"`
	Total          money.Amount     `json:"total"`
	WholesalePrice money.Amount     `json:"wholesalePrice"` // per unit
	ReferralBps    money.Rate       `json:"referralBps"`    // 0 without a referrer
	PlatformFeeBps money.Rate       `json:"platformFeeBps"`
	Referrer       *store.Ref       `json:"referrer,omitempty"`
	Takes          []product.Take   `json:"takes"` // stock reserved, per shard
	Escrow         string           `json:"escrow"`
	EscrowCoin     string           `json:"escrowCoin"`
	Status         Status           `json:"status"`
	PlacedAt       string           `json:"placedAt"`
	Shipment       *Shipment        `json:"shipment,omitempty"`
	Settlement     *Settlement      `json:"settlement,omitempty"`
	Refund         *Refund          `json:"refund,omitempty"`
	Dispute        *Dispute         `json:"dispute,omitempty"`
	Rewards        *Rewards         `json:"rewards,omitempty"`
	ClosedAt       string           `json:"closedAt,omitempty"`
}

// Ref returns the order's reference.
func (o *Order) Ref() Ref { return Ref{o.Buyer, o.ID} }

// Shipment is what the shipper reported.
type Shipment struct {
	Carrier      string `json:"carrier"`
	Tracking     string `json:"tracking"`
	ShippedBy    string `json:"shippedBy"`
	ShippedAt    string `json:"shippedAt"`
	ReleaseAfter string `json:"releaseAfter"` // auto-release from this instant on
}

// Settlement is how the escrow was split; the amounts sum to Total.
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

// Refund records a full refund.
type Refund struct {
	By     string       `json:"by"`
	Reason string       `json:"reason,omitempty"`
	Amount money.Amount `json:"amount"`
}

// PlaceRequest is a buyer's order. Shard is the client's stock shard hint
// (0 to the product's shard count - 1): a client with several orders in
// flight gives each a different shard, so they do not collide. MaxTotal,
// when set, is the most the buyer agrees to pay: the price is always the
// listing's, read on chain, and a seller who raises it between the buyer's
// read and the endorsement gets INVALID_STATE instead of more money.
type PlaceRequest struct {
	ID       string           `json:"id"`
	Listing  store.ListingRef `json:"listing"`
	Quantity uint64           `json:"quantity"`
	Shard    int              `json:"shard"`
	Inputs   []string         `json:"inputs"`
	Referrer *store.Ref       `json:"referrer,omitempty"`
	MaxTotal *money.Amount    `json:"maxTotal,omitempty"`
}

// ShipRequest reports a shipment.
type ShipRequest struct {
	Carrier  string `json:"carrier"`
	Tracking string `json:"tracking"`
}

// Event is a business event about an order.
type Event struct {
	Type     string         `json:"type"`
	Buyer    string         `json:"buyer"`
	ID       string         `json:"id"`
	By       string         `json:"by,omitempty"`
	Status   Status         `json:"status"`
	Total    money.Amount   `json:"total"`
	Takes    []product.Take `json:"takes,omitempty"`
	Shipment *Shipment      `json:"shipment,omitempty"`
	Split    *Settlement    `json:"settlement,omitempty"`
	Refund   *Refund        `json:"refund,omitempty"`
	Dispute  *Dispute       `json:"dispute,omitempty"`
	Rewards  *Rewards       `json:"rewards,omitempty"`
}

// The event types, stable: clients match on them.
const (
	EventPlaced    = "order.placed"
	EventShipped   = "order.shipped"
	EventSettled   = "order.settled"
	EventCancelled = "order.cancelled"
	EventRejected  = "order.rejected"
	EventDisputed  = "order.disputed"
	EventReserve   = "order.reserve_closed"
)

func event(typ, by string, o *Order) Event {
	return Event{Type: typ, Buyer: o.Buyer, ID: o.ID, By: by, Status: o.Status, Total: o.Total}
}

// Place creates an order of buyer: it prices the listing on chain, reserves
// the stock and moves the price from the buyer's inputs to the order's
// escrow, all in the caller's transaction.
func Place(st ledger.State, k *wallet.Keeper, ev ledger.Emitter, cfg *config.Config, buyer string, req PlaceRequest) (*Order, error) {
	ref := Ref{buyer, req.ID}
	if err := ref.Validate(); err != nil {
		return nil, err
	}
	if err := req.Listing.Validate(); err != nil {
		return nil, err
	}
	if req.Quantity < 1 || req.Quantity > maxQuantity {
		return nil, errs.New(errs.InvalidArgument, "quantity %d must be between 1 and %d", req.Quantity, maxQuantity)
	}
	key, err := orderKey(st, ref)
	if err != nil {
		return nil, err
	}
	if _, found, err := load(st, key); err != nil {
		return nil, err
	} else if found {
		return nil, errs.New(errs.AlreadyExists, "order %s of buyer %s already exists", req.ID, buyer)
	}
	l, err := store.GetListing(st, req.Listing)
	if err != nil {
		return nil, err
	}
	if l.Status != store.ListingActive {
		return nil, errs.New(errs.InvalidState, "listing %s of store %s is %s", l.ID, l.Store, l.Status)
	}
	if l.ReferralOf != nil {
		// A personal shop's listing only refers buyers to the seller's: the
		// order goes to that listing, with the shop as its referrer.
		return nil, errs.New(errs.InvalidArgument, "listing %s is a referral: order listing %s of store %s with referrer %s/%s",
			l.ID, l.ReferralOf.ID, l.ReferralOf.Store, l.Owner, l.Store)
	}
	if l.Owner == buyer {
		return nil, errs.New(errs.InvalidArgument, "a seller cannot buy from its own store %s", l.Store)
	}
	p, err := product.Get(st, l.Product)
	if err != nil {
		return nil, err
	}
	referral, err := checkReferrer(st, req.Referrer, buyer, l, p)
	if err != nil {
		return nil, err
	}
	// The listing was valid when added; terms, status or the fee may have
	// changed since, and an order must never settle below the supplier's
	// price or the platform's fee.
	if err := store.CheckTerms(p, l.Price, referral, cfg.PlatformFeeBps); err != nil {
		// A state the buyer cannot fix, whatever code the check used.
		var e *errs.Error
		if errors.As(err, &e) {
			err = errors.New(e.Detail)
		}
		return nil, errs.New(errs.InvalidState, "listing %s cannot be ordered under the current terms: %v", l.ID, err)
	}
	total, err := l.Price.MulUint(req.Quantity)
	if err != nil {
		return nil, errs.New(errs.Overflow, "%d x %s exceeds the largest amount", req.Quantity, l.Price)
	}
	if req.MaxTotal != nil && req.MaxTotal.LT(total) {
		return nil, errs.New(errs.InvalidState, "the total is %s (%d x %s), above the buyer's maxTotal %s", total, req.Quantity, l.Price, *req.MaxTotal)
	}
	now, err := ledger.TxTime(st)
	if err != nil {
		return nil, err
	}
	escrow, err := wallet.SystemHolder(escrowHolderName, buyer, req.ID)
	if err != nil {
		return nil, err
	}
	// The stock is checked first (a shortage is reported before lack of
	// funds), Debit checks before it writes, and the reservation is
	// written last: a refused order writes nothing, and every shard and
	// coin is read once.
	reservation, err := product.PlanReserve(st, p, req.Shard, req.Quantity)
	if err != nil {
		return nil, err
	}
	if _, err := k.Debit(buyer, req.Inputs, total, kindEscrow, escrow); err != nil {
		return nil, err
	}
	takes, err := reservation.Apply(st)
	if err != nil {
		return nil, err
	}
	coin, err := k.Credit(escrow, total, kindEscrow, buyer)
	if err != nil {
		return nil, err
	}
	o := &Order{
		Buyer: buyer, ID: req.ID, Listing: req.Listing, Product: l.Product,
		ProductVersion: p.Version, AttributesHash: p.AttributesHash,
		Quantity: req.Quantity, UnitPrice: l.Price, Total: total,
		WholesalePrice: p.Terms.WholesalePrice, ReferralBps: referral, PlatformFeeBps: cfg.PlatformFeeBps,
		Referrer: req.Referrer, Takes: takes, Escrow: escrow, EscrowCoin: coin,
		Status: Placed, PlacedAt: ledger.Stamp(now),
	}
	if err := ledger.PutJSON(st, key, o); err != nil {
		return nil, err
	}
	if err := writeIndexes(st, o); err != nil {
		return nil, err
	}
	e := event(EventPlaced, buyer, o)
	e.Takes = takes
	ev.Emit(e)
	return o, nil
}

// checkReferrer validates an order's referrer shop and returns the
// commission rate that applies: the listing's, or 0 without a referrer. A
// referrer must be a third party: paying the buyer, the seller or the
// supplier a commission on its own order would be a commission to oneself.
func checkReferrer(st ledger.State, ref *store.Ref, buyer string, l *store.Listing, p *product.Product) (money.Rate, error) {
	if ref == nil {
		return 0, nil
	}
	if err := ref.Validate(); err != nil {
		return 0, err
	}
	if ref.Owner == buyer || ref.Owner == l.Owner || ref.Owner == p.Supplier {
		return 0, errs.New(errs.InvalidArgument, "referrer store %s belongs to a party of the order; a referrer must be a third party", ref.ID)
	}
	shop, err := store.Get(st, *ref)
	if err != nil {
		return 0, err
	}
	if shop.Kind == store.KindPersonal {
		// A personal shop earns commission only on what it refers to.
		refers, err := store.IsReferralFor(st, *ref, l.Ref())
		if err != nil {
			return 0, err
		}
		if !refers {
			return 0, errs.New(errs.InvalidArgument, "personal shop of %s does not refer to listing %s", ref.Owner, l.ID)
		}
	}
	return l.ReferralBps, nil
}

// writeIndexes writes the order's rows in the store and supplier indexes.
// They hold the order's Ref (never an empty value, which Fabric reads as a
// delete) and are written once, so they never conflict.
func writeIndexes(st ledger.State, o *Order) error {
	ref := o.Ref()
	for _, idx := range [][]string{
		{byStoreType, o.Listing.Owner, o.Listing.Store, o.Buyer, o.ID},
		{bySupplierType, o.Product.Supplier, o.Buyer, o.ID},
	} {
		key, err := ledger.Key(st, idx[0], idx[1:]...)
		if err != nil {
			return err
		}
		if err := ledger.PutJSON(st, key, ref); err != nil {
			return err
		}
	}
	return nil
}

// Ship records the shipment of a placed order and starts the auto-release
// clock. Caller: the store owner or the product's supplier.
func Ship(st ledger.State, ev ledger.Emitter, cfg *config.Config, caller string, ref Ref, req ShipRequest) (*Order, error) {
	if req.Carrier == "" || req.Tracking == "" {
		return nil, errs.New(errs.InvalidArgument, "carrier and tracking are required")
	}
	if err := codec.Text("carrier", req.Carrier, maxCarrierRunes); err != nil {
		return nil, err
	}
	if err := codec.Text("tracking", req.Tracking, maxTrackingRunes); err != nil {
		return nil, err
	}
	return transition(st, ref, func(o *Order, now time.Time) error {
		if caller != o.Listing.Owner && caller != o.Product.Supplier {
			return errs.New(errs.Forbidden, "only the store owner or the supplier ships order %s", o.ID)
		}
		if err := o.expect(Placed, "ship"); err != nil {
			return err
		}
		o.Status = Shipped
		o.Shipment = &Shipment{
			Carrier: req.Carrier, Tracking: req.Tracking, ShippedBy: caller, ShippedAt: ledger.Stamp(now),
			ReleaseAfter: ledger.Stamp(now.Add(time.Duration(cfg.AutoReleaseSeconds) * time.Second)),
		}
		e := event(EventShipped, caller, o)
		e.Shipment = o.Shipment
		ev.Emit(e)
		return nil
	})
}

// ConfirmDelivery settles a shipped order on its buyer's word. Caller: the
// buyer.
func ConfirmDelivery(st ledger.State, k *wallet.Keeper, ev ledger.Emitter, cfg *config.Config, caller string, ref Ref) (*Order, error) {
	return transition(st, ref, func(o *Order, now time.Time) error {
		if caller != o.Buyer {
			return errs.New(errs.Forbidden, "only the buyer confirms delivery of order %s", o.ID)
		}
		if err := o.expect(Shipped, "confirm delivery of"); err != nil {
			return err
		}
		return settleInFull(st, k, ev, cfg, caller, o, "confirmed", now)
	})
}

// Release settles a shipped order whose auto-release time has passed, by
// the transaction's timestamp. Caller: anyone, so that a seller is paid
// even when the buyer never confirms.
func Release(st ledger.State, k *wallet.Keeper, ev ledger.Emitter, cfg *config.Config, caller string, ref Ref) (*Order, error) {
	return transition(st, ref, func(o *Order, now time.Time) error {
		if err := o.expect(Shipped, "release"); err != nil {
			return err
		}
		if ledger.Stamp(now) < o.Shipment.ReleaseAfter {
			return errs.New(errs.InvalidState, "order %s can be released from %s on; the transaction time is %s", o.ID, o.Shipment.ReleaseAfter, ledger.Stamp(now))
		}
		return settleInFull(st, k, ev, cfg, caller, o, "auto_release", now)
	})
}

// Cancel refunds a placed order in full and returns its stock. Caller: the
// buyer, before shipping.
func Cancel(st ledger.State, k *wallet.Keeper, ev ledger.Emitter, _ *config.Config, caller string, ref Ref) (*Order, error) {
	return transition(st, ref, func(o *Order, now time.Time) error {
		if caller != o.Buyer {
			return errs.New(errs.Forbidden, "only the buyer cancels order %s", o.ID)
		}
		if err := o.expect(Placed, "cancel"); err != nil {
			return err
		}
		return refund(st, k, ev, o, Cancelled, &Refund{By: caller, Amount: o.Total}, now)
	})
}

// Reject refunds a placed order in full and returns its stock. Caller: the
// store owner, before shipping, with a reason for the buyer.
func Reject(st ledger.State, k *wallet.Keeper, ev ledger.Emitter, caller string, ref Ref, reason string) (*Order, error) {
	if reason == "" {
		return nil, errs.New(errs.InvalidArgument, "reason is required")
	}
	if err := codec.Text("reason", reason, maxReasonRunes); err != nil {
		return nil, err
	}
	return transition(st, ref, func(o *Order, now time.Time) error {
		if caller != o.Listing.Owner {
			return errs.New(errs.Forbidden, "only the store owner rejects order %s", o.ID)
		}
		if err := o.expect(Placed, "reject"); err != nil {
			return err
		}
		return refund(st, k, ev, o, Rejected, &Refund{By: caller, Reason: reason, Amount: o.Total}, now)
	})
}

// settleInFull settles o with the whole total to the seller side.
func settleInFull(st ledger.State, k *wallet.Keeper, ev ledger.Emitter, cfg *config.Config, by string, o *Order, trigger string, now time.Time) error {
	s, err := Split(o)
	if err != nil {
		return err
	}
	s.Trigger = trigger
	return settle(st, k, ev, cfg, by, o, s, now)
}

// expect refuses an action unless o is in status want.
func (o *Order) expect(want Status, action string) error {
	if o.Status != want {
		return errs.New(errs.InvalidState, "cannot %s order %s: it is %s, not %s", action, o.ID, o.Status, want)
	}
	return nil
}

// transition loads an order, lets change check and modify it, and stores
// it. change sees the order as committed (Fabric has no read-your-writes,
// so one transaction changes an order at most once: the chaincode never
// runs two transitions in one transaction).
func transition(st ledger.State, ref Ref, change func(o *Order, now time.Time) error) (*Order, error) {
	o, key, err := get(st, ref)
	if err != nil {
		return nil, err
	}
	now, err := ledger.TxTime(st)
	if err != nil {
		return nil, err
	}
	if err := change(o, now); err != nil {
		return nil, err
	}
	if err := ledger.PutJSON(st, key, o); err != nil {
		return nil, err
	}
	return o, nil
}

// refund returns the escrow to the buyer and the stock to its shards, and
// closes o with status final.
func refund(st ledger.State, k *wallet.Keeper, ev ledger.Emitter, o *Order, final Status, r *Refund, now time.Time) error {
	if err := product.Restore(st, o.Product, o.Takes); err != nil {
		return err
	}
	if _, err := k.Debit(o.Escrow, []string{o.EscrowCoin}, o.Total, kindRefund, o.Buyer); err != nil {
		return err
	}
	if _, err := k.Credit(o.Buyer, o.Total, kindRefund, o.Escrow); err != nil {
		return err
	}
	o.Status, o.Refund, o.ClosedAt = final, r, ledger.Stamp(now)
	typ := EventCancelled
	if final == Rejected {
		typ = EventRejected
	}
	e := event(typ, r.By, o)
	e.Refund, e.Takes = r, o.Takes
	ev.Emit(e)
	return nil
}

// Get returns an order; NOT_FOUND when there is none. Who may read it is
// the contract layer's decision (see Parties).
func Get(st ledger.State, ref Ref) (*Order, error) {
	o, _, err := get(st, ref)
	return o, err
}

// get reads an order and returns its key too; NOT_FOUND when there is
// none.
func get(st ledger.State, ref Ref) (*Order, string, error) {
	if err := ref.Validate(); err != nil {
		return nil, "", err
	}
	key, err := orderKey(st, ref)
	if err != nil {
		return nil, "", err
	}
	o, found, err := load(st, key)
	if err != nil {
		return nil, "", err
	}
	if !found {
		return nil, "", errs.New(errs.NotFound, "order %s of buyer %s not found", ref.ID, ref.Buyer)
	}
	return o, key, nil
}

// Parties returns the accounts involved in o: buyer, seller, supplier and
// the referrer when there is one. They may read it.
func (o *Order) Parties() []string {
	p := []string{o.Buyer, o.Listing.Owner, o.Product.Supplier}
	if o.Referrer != nil {
		p = append(p, o.Referrer.Owner)
	}
	return p
}

func orderKey(st ledger.State, ref Ref) (string, error) {
	return ledger.Key(st, orderType, ref.Buyer, ref.ID)
}

func load(st ledger.State, key string) (*Order, bool, error) {
	var o Order
	found, err := ledger.GetJSON(st, key, &o)
	if err != nil || !found {
		return nil, found, err
	}
	return &o, true, nil
}
