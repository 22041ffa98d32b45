// Package order is Likr's order book: a buyer pays a listing's price into
// escrow, the seller ships, and the escrow is settled exactly once, to the
// supplier, the referrer, the platform and the seller, or refunded exactly
// once, with the stock returned.
//
// This is a domain package: the contract layer authenticates the caller and
// passes its account ID; rules that depend on the order itself (only the
// buyer confirms, only the store owner or the supplier ships) are checked
// here and refused with FORBIDDEN.
//
// # Life of an order
//
//	placed ──Ship──▶ shipped ──ConfirmDelivery / Release──▶ completed (settled)
//	  │                 │
//	  │                 └──OpenDispute──▶ disputed ──ResolveDispute──▶ completed
//	  ├──Cancel (buyer)──▶ cancelled (refunded)
//	  └──Reject (seller)─▶ rejected  (refunded)
//
// Release is callable by anyone once the auto-release time recorded at
// shipping has passed, measured by transaction timestamps; a disputed order
// is never released. ResolveDispute is the chosen moderator's, or an
// admin's once the dispute timeout has passed. Every other transition, and
// every transition out of a final state, is INVALID_STATE, so release and
// refund each happen at most once.
//
// # Rewards
//
// Settlement carves the purchase and referred-sale rewards out of the
// order's platform fee and reserves the review and conversion rewards in
// the order's own reserve holder (~reserve:<buyer>:<orderID>); the buyer's
// review pays them (PayReviewRewards), or anyone returns them to the
// platform after the review window (ExpireReserve). A reward the fee cannot
// cover, or that the reward package refuses, is skipped and recorded as an
// event. No rewards when the buyer is the seller, the supplier or the
// referrer.
//
// # Key layout
//
//	order          buyer orderID                  -> Order
//	order~store    owner storeID buyer orderID    -> Ref   (index, written once at Place)
//	order~supplier supplier buyer orderID         -> Ref   (index, written once at Place)
//
// Order IDs are scoped to the buyer, so two buyers never contend for an ID
// and a repeated ID is ALREADY_EXISTS. The escrow is the wallet system
// holder ~escrow:<buyer>:<orderID>, holding one coin whose ID the order
// records.
//
// # What each transaction reads and writes
//
//	Place    reads  the order key (absent), the listing, the product, the
//	                referrer store, the hinted stock shard (others only when
//	                it runs short), the buyer's named coins;
//	         writes the order, its two index rows, the stock shard(s), the
//	                buyer's change coin and history, the escrow coin and
//	                history.
//	Ship     reads and writes the order.
//	Cancel   reads and writes the order, reads and writes the shards it
//	Reject   took; spends the escrow coin; writes a refund coin (blind).
//	Confirm  reads and writes the order; spends the escrow coin; credits
//	Release  supplier, referrer, platform and seller as blind new coins;
//	         writes the sales record, its index rows and daily delta rows
//	         (blind).
//
//	Resolve  reads and writes the order; spends the escrow coin; credits
//	Dispute  the refund, the moderator's fee and the proportional shares
//	         (blind); writes the sales record and a moderator reputation
//	         row (blind).
//	Review   reads and writes the order; spends the reserve coin; credits
//	rewards  the rewards and the rest to the platform (blind), and the
//	         reward dedupe rows of this order.
//	Settlement also reads the four reward rule rows (written only by
//	admins) and each grant's own dedupe row.
//
// No transaction reads a key that other orders write, except the stock
// shard that the client's hint selects; a client spreads its orders over
// distinct shards, so concurrent orders of one product, settlements to one
// supplier and fees to the platform commit without conflicts.
package order
