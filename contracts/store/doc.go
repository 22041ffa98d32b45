// Package store holds sellers' stores and their listings of supplier
// products: a listing offers one product of one supplier at the seller's
// retail price, with the referral commission the seller grants a shop that
// refers a buyer.
//
// This is a domain package: it knows nothing of the contract API or of who
// the caller is. The contract layer authenticates the caller, authorises the
// seller role and passes the caller's account ID as owner, together with the
// platform fee from config; this package checks the owner's syntax only
// (wallet.IsAccountID). Store and listing IDs are chosen by the owner and
// scoped to them: two sellers may both have a store "main".
//
// # Key layout
//
// All keys are Fabric composite keys (objectType, attributes...):
//
//	store    owner storeID            -> Store
//	listing  owner storeID listingID  -> Listing
//
// A personal shop is the store "personal" of its owner (kind personal),
// opened by the owner's first review of a completed purchase; its
// listings are referrals ("ref-" and a hash of the listing they point at),
// copies of a seller's listing with ReferralOf set. Orders go to the
// seller's listing with the shop as referrer (see personal.go).
//
// Each key is written only by its owner's own transactions, and orders only
// read listings, so neither is a hot key: any number of sellers (and one
// seller's different stores and listings) work concurrently without MVCC
// conflicts. Listings are never deleted: a removed listing keeps its row with
// status "removed", because orders refer to it.
//
// # What each operation reads and writes
//
//	Open          reads the store key; writes it.
//	Get           reads the store key.
//	AddListing    reads the store key, the listing key and the product key;
//	              writes the listing key.
//	UpdateListing reads the listing key and the product key; writes the
//	              listing key.
//	RemoveListing reads the listing key; writes it.
//	GetListing    reads the listing key.
//	ListByOwner   pages through the owner's store keys (evaluate only).
//	ListListings  reads the store key and pages through its listing keys
//	              (evaluate only).
//
// Every operation validates its arguments and reads everything before its
// first write, so a refused call writes nothing and emits no event. Each
// successful write emits one event (StoreOpenedEvent, ListingAddedEvent,
// ListingUpdatedEvent, ListingRemovedEvent) to the transaction's Emitter.
//
// # The margin rule
//
// [CheckTerms] is the one rule deciding whether a product may be sold at a
// price, used both when a listing is added or updated and when an order is
// placed (with the platform fee of that moment). The product must be active,
// the price positive and at least the supplier's minimum retail price, and
// the seller's margin must cover the referral commission and the platform
// fee exactly, without rounding:
//
//	wholesale x 10000 + price x (referral + fee) <= price x 10000
//
// The products are formed in 128 bits (math/bits), so the comparison is
// exact for every pair of amounts and cannot overflow.
//
// Why this exact form: settlement of an order of qty units splits
// total = price x qty into the supplier's wholesale x qty, the referrer's
// floor(total x referral / 10000), the platform's floor(total x fee / 10000)
// and the seller's remainder (money.Split). Dropping the floors can only
// increase the claims, so
//
//	floor(total x referral / 10000) + floor(total x fee / 10000) + wholesale x qty
//	  <= (total x (referral + fee) + wholesale x qty x 10000) / 10000
//	  =  qty x (price x (referral + fee) + wholesale x 10000) / 10000
//	  <= qty x price x 10000 / 10000           (the margin rule, times qty >= 0)
//	  =  total
//
// for every quantity (whose total fits in an amount at all: the order
// computes it with checked multiplication). The seller's remainder is then
// never negative and the split never fails. The rule is also the loosest
// that guarantees this: at qty = 10000 both floors are exact, so terms that
// break it would owe more than the total of a 10000-unit order. A rounded
// per-unit form such as floor(price x rate / 10000) <= price - wholesale
// would not do: the rounding residue it ignores on one unit adds up over
// qty units (price 3, wholesale 2, referral and fee 3333 bp each pass it,
// yet 10000 units owe 9999 + 9999 + 20000 > 30000).
package store
