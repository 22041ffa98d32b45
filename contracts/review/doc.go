// Package review holds buyers' reviews of completed orders, the rating
// aggregates of products and stores, and the consumer-to-seller conversion
// that a review triggers.
//
// This is a domain package: it knows nothing of the contract API or of who
// the caller is. The contract layer authenticates the caller, loads the
// order the caller names (order.Get) and passes both to Post; the rules
// that depend on the order (only its buyer reviews it, only once it is
// completed, once per order) are checked here.
//
// # Rules
//
//   - Only the buyer of an order reviews it (FORBIDDEN otherwise), only when
//     it is completed (INVALID_STATE), and only once (ALREADY_EXISTS).
//   - A rating is an integer from 1 to 5; the text is optional, at most
//     MaxTextRunes characters of codec.Text (no control characters but
//     '\n' and '\t', no bidi overrides).
//   - Conversion: a review by an eligible buyer opens the buyer's personal
//     shop when they have none (their first review), and adds to it a
//     referral of the listing they bought from when the shop has none yet
//     (see store.Convert). A friend then orders that original listing with
//     the personal shop as referrer, and the buyer earns the listing's
//     commission at settlement.
//   - A buyer is NOT eligible when they are the order's seller, supplier or
//     referrer (the same account): such a review is stored and counted, but
//     converts nothing and earns no reward (Outcome.Eligible is false).
//
// # Key layout
//
// All keys are Fabric composite keys (objectType, attributes...). buyer,
// supplier and owner are 40-hex account IDs; order, product and store
// business IDs; txID the posting transaction's ID.
//
//	review         buyer order                          -> Review
//	review~product supplier product buyer order         -> the same Review
//	review~store   owner store buyer order              -> the same Review
//	rating~product supplier product txID buyer order    -> {"count":1,"sum":rating}
//	rating~store   owner store txID buyer order         -> {"count":1,"sum":rating}
//
// The store is the seller's store of the listing the order bought from. An
// order ID is scoped to its buyer, so (buyer, order) names one review. The
// index rows hold a copy of the review rather than nothing, so a page is
// one range read, and a value is never empty (Fabric reads an empty value
// as a delete).
//
// # Why ratings are delta rows
//
// A running count and sum per product would be read and rewritten by every
// review of that product: a hot key, on which all but one of concurrent
// reviews would fail with MVCC_READ_CONFLICT. Each review instead writes
// its contribution blindly under a key of its own (the transaction ID,
// then the buyer and order, so that even two reviews in one transaction
// could not share a row). Readers pay: ProductRating and StoreRating add
// up one row per review, evaluate-only and bounded by MaxRatingRows (then
// LIMIT_EXCEEDED), as in Fabric's high-throughput sample.
//
// # What each operation reads and writes
//
//	Post           reads  the review key (absent), and for an eligible buyer
//	                      the order's listing, the buyer's personal shop key
//	                      and its referral listing key of that listing;
//	               writes the review, its two index rows and its two rating
//	                      rows, and the shop and referral listing when they
//	                      are new.
//	Get            reads the review key.
//	ListByProduct  one page of review~product (evaluate).
//	ListByStore    one page of review~store (evaluate).
//	ProductRating  pages through rating~product of one product (evaluate).
//	StoreRating    pages through rating~store of one store (evaluate).
//
// Post reads no key that another buyer's review writes (listings are
// written only by their seller), so concurrent reviews of one product or
// store by different buyers commit side by side. It validates and reads
// everything before its first write, so a refused call writes nothing and
// emits nothing.
//
// # Events
//
// A Post emits, in order: store.personal_opened when it opened the shop,
// store.referral_added when it added a referral, then review.posted.
package review
