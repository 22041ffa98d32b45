// Package product is Likr's supplier catalogue: a product's immutable
// attributes (canonical JSON with its SHA-256 stored, so anyone can check an
// off-chain description against the ledger), its mutable terms (wholesale
// price, minimum retail price, status) under a version that orders record,
// and its stock, split over shard keys so that concurrent orders do not
// collide.
//
// This is a domain package: it knows nothing of the contract API or of who
// the caller is. The contract layer authenticates, checks that the caller is
// a supplier, and passes the caller's account ID as supplier. A product is
// keyed by its supplier, so a supplier can only ever reach its own products
// through Register, UpdateTerms and Restock: another supplier's product is
// simply NOT_FOUND under the caller's key.
//
// # Key layout
//
// All keys are Fabric composite keys (objectType, attributes...):
//
//	product supplier id        -> Product JSON (attributes embedded in canonical form)
//	stock   supplier id NNN    -> {"units":N}   shard NNN (000..255) of the product's stock
//
// supplier is a 40-hex account ID, id a business ID (codec.ID). A stock row
// that does not exist holds zero units. Register writes only the non-zero
// shards; every later write stores the shard's value, zero as {"units":0},
// never an empty value (which Fabric would take for a delete). Products and
// stock rows are never deleted.
//
// # What each operation reads and writes
//
//	Register     reads the product key (absent: ALREADY_EXISTS otherwise);
//	             writes it and each non-zero stock shard.
//	UpdateTerms  reads and writes the product key.
//	Restock      reads the product key and every shard; writes the shards
//	             that receive units.
//	Get, Verify  read the product key.
//	Available    reads every shard (point reads).
//	Reserve      reads the hinted shard; only when it runs short, the next
//	             shards in turn until the quantity is covered; writes the
//	             shards it took from. Does not read the product key (the
//	             caller passes the product it read with Get).
//	PlanReserve  reads what Reserve reads; writes nothing (Apply writes).
//	Restore      reads the product key and the named shards; writes them.
//	List         paginated range query over "product supplier" (evaluate).
//	History      GetHistoryForKey of the product key (evaluate).
//
// # Why stock is sharded
//
// One stock key per product would be a hot key: every order reads and
// writes it, so of many concurrent orders for a popular product all but one
// would fail with MVCC_READ_CONFLICT. The stock is therefore split over
// Product.Shards keys (the config's stock shard count when the product was
// registered; it never changes, so a config change cannot move stock). The
// client spreads its in-flight orders over distinct shards with a hint, and
// Reserve touches only the hinted shard while that shard has enough, so
// orders with distinct hints commit side by side. Random picks would not
// do: with 64 orders in flight over 64 shards, most would share a shard
// with another. Only a shard that runs short makes Reserve read further
// shards, and only then can it collide with another order.
//
// Reserve can never oversell: each shard it writes is written from the
// value it read, so of two orders that read the same shard only the first
// to commit is valid, and no shard ever goes below zero. Because Fabric has
// no read-your-writes, Reserve must be called at most once per product per
// transaction.
//
// # Canonical attributes
//
// Attributes are one JSON object of at most MaxAttributesBytes, decoded
// strictly (codec.Decode: no duplicate keys, valid UTF-8, nesting at most
// codec.MaxDepth). The canonical form, which is stored and hashed, is:
//
//   - no white space between tokens;
//   - object members sorted by key, comparing the keys' UTF-8 bytes (the
//     same as Unicode code point order), at every level; array order kept;
//   - strings as Go's encoding/json writes them with HTML escaping off: '"'
//     and '\' escaped with a backslash, \b \f \n \r \t for those controls,
//     \u00XX (lowercase hex) for the other characters below U+0020, \u2028
//     and \u2029 for those two, everything else as literal UTF-8 (so "\u00e9"
//     and "é" are the same string, and "/" is never escaped);
//   - numbers exactly as written: 1, 1.0, 1e0 and 1E0 are different values
//     with different hashes, because a chaincode must not round numbers and
//     a description's "1.0" may be meant literally. Verifiers compare
//     numbers as written;
//   - true, false and null as themselves.
//
// AttributesHash is the lowercase hex SHA-256 of those bytes. Note that
// this is not RFC 8785 (JCS), which sorts keys by UTF-16 code units and
// reformats numbers.
//
// # Terms and versions
//
// Terms are valid when the status is active, hidden or discontinued, the
// minimum retail price is positive and not below the wholesale price.
// Version is 1 at Register and grows by one with every UpdateTerms; an
// update that changes nothing is refused rather than creating an empty
// version. Discontinued is final: a discontinued product takes no further
// terms update and no restock, though reserved units can still be restored.
//
// # Events
//
// Register, UpdateTerms and Restock each emit one event value through the
// ledger.Emitter (RegisteredEvent, TermsUpdatedEvent, RestockedEvent);
// Reserve and Restore emit none, since the order's own events carry the
// takes.
package product
