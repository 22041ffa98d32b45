// Package sales is Likr's sales ledger: an append-only record of every
// settled order (its parties, the product version and attributes hash it
// was sold under, quantity, every amount of the escrow's split, timestamps
// and the settling transaction's ID), indexes to query it by supplier,
// store, product, referrer and time, daily totals per supplier, store and
// product, and an evaluate-only reconciliation of the records against the
// totals.
//
// This is a domain package: it knows nothing of the contract API or of who
// the caller is. Package order calls [Record] inside the settlement
// transaction, so the record commits atomically with the payout. Access is
// decided by the contract layer: auditors and admins read everything;
// suppliers, sellers and referrers read their own sales and totals, which is
// why every query takes its party as an argument rather than returning a
// mixture.
//
// # Key layout
//
// All keys are Fabric composite keys (objectType, attributes...). buyer,
// supplier, owner and referrer are 40-hex account IDs; order, product,
// store and listing business IDs (codec.ID); settledAt is the settling
// transaction's time in ledger.TimeLayout, which sorts like time; day its
// UTC date in ledger.DayLayout.
//
//	sale          buyer order                         -> Sale JSON
//	sale~supplier supplier settledAt buyer order      -> the same Sale JSON
//	sale~store    owner store settledAt buyer order   -> the same Sale JSON
//	sale~product  supplier product settledAt buyer order -> the same Sale JSON
//	sale~referrer referrer settledAt buyer order      -> the same Sale JSON (only with a referrer)
//	sale~time     settledAt buyer order               -> the same Sale JSON
//	sday          day kind party... txID buyer order  -> Totals of this one sale (Orders = 1)
//
// An order ID is scoped to its buyer, so (buyer, order) names one sale. The
// index rows hold a copy of the record rather than nothing: a query page is
// then one range read with no point read per row, and a value is never
// empty, which Fabric would take for a delete. Within an index the time
// attribute follows the party, so a party's sales come in settlement order
// and a time range is one key range (ledger.QueryRange).
//
// sday rows are the daily totals, one row per sale and scope, for the kinds
// supplier (party = supplier), store (owner, store) and product (supplier,
// product). A day's totals of a scope are the sum of its rows.
//
// # What each operation reads and writes
//
//	Record       reads the sale key only (ALREADY_EXISTS when present);
//	             writes the sale key, four or five index rows and three sday
//	             rows, and emits one "sales.recorded" event.
//	Get          reads the sale key.
//	Query        one page of one index over a time range (evaluate).
//	DailyTotals  pages through the sday rows of one day and scope (evaluate).
//	Reconcile    pages through the day's sale~time rows and all its sday rows
//	             (evaluate).
//
// Record validates the whole sale and reads before its first write, so a
// refused call writes nothing and emits nothing.
//
// # Why totals are delta rows
//
// A running total per supplier (or store, or product) would be read and
// rewritten by every settlement of that supplier: a hot key, on which all
// but one of the concurrent settlements of a popular supplier would fail
// with MVCC_READ_CONFLICT. Instead each settlement writes its contribution
// blindly (without reading) under a key no other transaction can write: the
// key holds the transaction ID, and (buyer, order), which also keeps apart
// two sales recorded in one transaction. The only key Record reads is the
// sale's own, which no other order writes, so concurrent settlements never
// conflict, however busy the supplier, store or product. The price is paid
// by readers: DailyTotals adds up one row per sale, which is why it is
// evaluate-only and bounded (MaxScanRows, then LIMIT_EXCEEDED), in the
// manner of Fabric's high-throughput sample.
//
// Because the row key ends with the sale's identity, recording the same sale
// twice in one transaction (which no read can detect, as Fabric has no
// read-your-writes) overwrites the same rows rather than counting twice.
//
// # Times
//
// SettledAt is the settling transaction's timestamp, set by Record; PlacedAt
// is copied from the order. Transaction timestamps come from the submitting
// clients, so Record does not insist that PlacedAt precede SettledAt: a
// client clock behind another's must not block a settlement.
//
// # Reconciliation
//
// Reconcile recomputes every scope's totals of a day from the sale records
// and compares them with the sday rows: a delta row written, changed or
// deleted outside Record shows as a mismatch, and a record or row that does
// not decode, or a record indexed under the wrong day, as an issue.
package sales
