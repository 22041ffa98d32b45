// Package moderation is Likr's directory of dispute moderators: each
// moderator registers a fee and a description, and earns a reputation from
// the disputes it resolves. A buyer who opens a dispute picks a moderator
// from this directory; package order fixes the moderator's fee for that
// dispute when it opens (Fee.For of the order total), so a later fee rise
// never applies to it.
//
// This is a domain package: it knows nothing of the contract API or of who
// the caller is. The contract layer checks that a registering or updating
// caller holds the moderator role and passes its account ID; an entry is
// always the caller's own.
//
// # Key layout
//
// All keys are Fabric composite keys (objectType, attributes...):
//
//	moderator account                 -> Moderator                 the entry, one per account
//	modrep    account txID subject    -> {"resolved":1}            one resolved dispute (blind)
//	                                  or {"byFallback":1}          one dispute an admin resolved instead
//
// account is a 40-hex account ID. A reputation row is a delta written once
// and never read on a submit path: its key is new in every transaction (the
// transaction ID) and names the dispute (subject, such as
// "order:<buyer>:<orderID>"), so any number of resolutions for one busy
// moderator commit concurrently without MVCC or phantom conflicts, and the
// moderator entry is never a hot key.
//
// # What each operation reads and writes
//
//	Register          reads  the entry (absent);      writes the entry.
//	Update            reads  the entry;               writes the entry (Version + 1).
//	Get               reads  the entry (a point read, safe on submit paths:
//	                  package order calls it when a dispute opens).
//	RecordResolution  reads  nothing;                 writes one reputation row.
//	RecordFallback    reads  nothing;                 writes one reputation row.
//	Profile           evaluate only: the entry and its reputation rows.
//	List              evaluate only: a page of entries and their reputation rows.
//
// A failed call writes nothing: each validates and reads everything before
// its one write.
//
// # Reputation
//
// A moderator's [Reputation] is the sum of its rows: Resolved counts the
// disputes it resolved, ByFallback the disputes it let time out so that an
// admin resolved them through the fallback. There is no ranking key: a
// ranking that every resolution rewrote would be the hot key the design
// forbids, so clients sort a List page by reputation themselves.
//
// Summing is bounded. Profile adds up at most MaxReputationRows rows and is
// LIMIT_EXCEEDED beyond. List reads at most ledger.MaxPageSize entries and
// at most MaxReputationRows reputation rows per call: when the next entry's
// rows would pass that budget, the page ends before it and its bookmark
// starts the next page at that entry; an entry whose own rows pass the
// bound is LIMIT_EXCEEDED, as its Profile would be. The bound is far above
// what one moderator resolves in years; a moderator that reaches it needs
// its rows folded into a summary row, which this package does not do yet.
//
// # Events
//
// Register and Update emit an [Event] ("moderation.registered",
// "moderation.updated") carrying the whole new entry, so an off-chain
// directory can follow the ledger without queries. Reputation rows emit
// nothing: the resolving transaction's own event (package order) reports the
// resolution.
package moderation
