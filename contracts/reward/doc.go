// Package reward pays Likr coin for contributions: purchases, reviews,
// conversions and referred sales, at rates an admin sets in a rule table,
// inside the transaction that triggers them, each (activity, subject) at
// most once; and campaign rewards from the foundation's admin-funded pool.
//
// This is a domain package: it knows nothing of the contract API or of who
// the caller is. The contract layer lets only admins set rules, fund the
// pool and run batches; the commerce packages call [Check], [Pay] and
// [Skip] inside their own transactions.
//
// # Who funds a reward
//
// A commerce reward is funded by the order it belongs to, never by a shared
// pool key: the caller (package order, at settlement or review) first debits
// the order's escrow or reserve coin, then calls Pay, which credits the
// recipient with the source named as counterparty. Pay itself never debits
// anything and never reads a pool, so a reward adds no key that other orders
// touch. The campaign pool (wallet.CampaignPool) is read only by
// [BatchReward], which an admin runs naming the pool's coins, and written by
// [FundPool] and BatchReward.
//
// # The flow of one commerce reward
//
//	amount := rule.AmountFor(order total)       // GetRule first
//	skip, err := Check(st, grant, day)          // err: bad input or storage
//	if skip != "" { Skip(ev, grant, skip) }     // recorded, nothing written
//	else { debit the source; Pay(st, k, ev, grant, source, day) }
//
// A reward that cannot be paid is skipped and recorded in the transaction's
// event; it never fails the business transaction. Pay runs the checks again
// and refuses an unpayable grant with INVALID_STATE: that is a caller's bug,
// not a skip.
//
// # Key layout
//
// All keys are Fabric composite keys (objectType, attributes...). account is
// a 40-hex account ID, day a UTC date in ledger.DayLayout, time the paying
// transaction's timestamp in ledger.TimeLayout (which sorts like time).
//
//	reward.rule  activity                          -> Rule
//	reward.paid  activity subject                  -> Receipt   the dedupe marker
//	reward.day   account day                       -> {"amount":"N"} review rewards paid that day
//	reward.hist  account time txID activity subject -> HistoryEntry
//
// A subject says what a reward is for, e.g. "order:<buyer>:<orderID>"; it
// is 1-256 bytes of printable ASCII without space (see [CheckSubject]), so
// it can hold ':' and account IDs but never U+0000, which separates
// composite key attributes. Campaign rewards use activity "campaign" and
// subject "<campaign>:<recipient>" (a campaign ID cannot contain ':').
//
// The history key ends with (activity, subject), which is unique per
// reward, so two rewards of one account in one transaction never share a
// row, without a sequence counter.
//
// # What each operation reads and writes
//
//	SetRule      reads nothing; writes the rule key (admin, rare).
//	GetRule      reads the rule key.
//	ListRules    reads the four rule keys, one point read each.
//	Check        reads the rule key of the grant's activity (written only by
//	             admins, so not a hot key), the grant's marker and, for a
//	             review under a daily cap, the account's day row.
//	Pay          Check's reads; writes a blind credit coin and wallet history
//	             row (wallet.Keeper.Credit), the marker, the account's reward
//	             history row and, for a capped review, the account's day row.
//	Skip         reads and writes nothing; emits one event.
//	FundPool     debits the admin's named coins, credits the pool (blind).
//	BatchReward  reads the markers of (campaign, recipient) and the pool's
//	             named coins; debits them, and per recipient writes a blind
//	             credit, the marker and a history row.
//	History      one page of an account's history rows (evaluate).
//
// Nothing Pay reads is written by another account's or another order's
// rewards: the marker belongs to one subject; the day row to one account,
// and only that account's own reviews touch it (a person does not review in
// parallel), while rewards for what others do (referred sales) are
// uncapped and never touch it. So concurrent rewards to one busy account
// from different subjects commit without conflicts, and two transactions
// paying the same (activity, subject) conflict, which is exactly the
// at-most-once guarantee.
//
// # Within one transaction
//
// Fabric has no read-your-writes: a marker or day row written earlier in
// the transaction still reads as absent or stale. The package functions
// Check and Pay keep no memory, so a transaction must not pay the same
// (activity, subject) twice, nor two capped reviews of one account, through
// them. A transaction that pays several rewards uses one [Session], which
// remembers what it paid and adds it to what it reads. A failed call writes
// nothing: every operation validates and reads before its first write.
//
// # Events
//
// "reward.paid" per reward paid, "reward.skipped" per reward skipped (with
// the reason), "reward.rule_set" per rule change and "reward.batch" after a
// BatchReward, joined by the wallet's own balance-change events.
package reward
