// Package wallet is Likr's money ledger: every LKC balance, escrow, reserve
// and pool is a set of coin rows (the UTXO model of Fabric's token-utxo and
// high-throughput samples), and every balance change in the chaincode goes
// through one Credit and one Debit path here. The invariant is then a plain
// sum: all coin rows together = minted - burned.
//
// This is a domain package: it knows nothing of the contract API or of who
// the caller is. The contract layer authenticates, decides who may do what
// (only admin mints, a payer is always the caller), and calls a Keeper.
//
// # Holders
//
// A holder owns coins. It is one of:
//
//   - an account ID: exactly 40 lowercase hex characters, derived from a
//     caller's MSP ID and certificate by the identity code, never from
//     arguments;
//   - a system holder: "~" followed by one or more segments joined by ":",
//     each segment a user-style ID ([A-Za-z0-9][A-Za-z0-9._-]*, 1-64 bytes),
//     for example "~pool.campaign" or "~escrow:<buyer>:<order>". Build them
//     with [SystemHolder].
//
// Neither "~" nor ":" can occur in an account ID or in a user-chosen ID, so a
// system holder can never equal an account, and its segments can never be
// re-split differently: "~escrow:a:b" names exactly one escrow.
//
// # Key layout
//
// All keys are Fabric composite keys (objectType, attributes...):
//
//	coin   holder coinID               -> {"amount":"N"}   one unspent coin of holder
//	whist  holder time txID seq        -> HistoryEntry      one movement in or out of holder
//	burn   txID seq                    -> {"amount":"N"}   one burn
//	minted                             -> {"amount":"N"}   total ever minted
//
// coinID is "<txID>.<seq>" and seq a six-digit per-transaction counter kept
// in the Keeper, so IDs are deterministic, unique, and need no ledger read.
// time is the transaction timestamp in UTC with fixed-width nanoseconds
// ("2006-01-02T15:04:05.000000000Z"), so history sorts by time, then by
// transaction and by order inside the transaction.
//
// # What each operation reads and writes
//
//	Credit        reads nothing; writes a new coin and a history row (blind).
//	Debit         reads the named input coins of the payer only; deletes them,
//	              writes a change coin (when the inputs exceed the amount) and
//	              a history row.
//	Merge         like Debit without a payment: the inputs become one coin.
//	Transfer      Debit of the payer + Credit of the payee.
//	BatchTransfer one Debit of the payer for count x amount (checked
//	              multiplication), one Credit per recipient, one payer
//	              history row per recipient.
//	Burn          Debit of the payer + a blind burn row.
//	Mint          reads and writes the minted key (admin-only and rare, so
//	              the one shared key is not a hot key) + Credit.
//
// Because a credit is a blind write of a fresh key, any number of concurrent
// transactions crediting one busy account commit without MVCC conflicts. Two
// transactions spending the same coin conflict, which is exactly the
// double-spend protection. No submit path runs a range query.
//
// Balance, Coins, History, Supply and Audit use paginated range queries and
// must only be called from evaluate (read-only) transactions. Balance, Supply
// and Audit page through their rows internally and stop with LIMIT_EXCEEDED
// beyond a fixed bound instead of running unbounded.
//
// # Rules every operation shares
//
// Amounts are positive: a zero amount is INVALID_ARGUMENT. A movement whose
// counterparty is the holder itself (self-transfer, paying yourself in a
// batch) is INVALID_ARGUMENT. Both rules live in one function (checkMovement)
// used by every operation. A failed call writes nothing and leaves the Keeper
// unchanged: every operation validates and reads everything before its first
// write, so a domain package may go on after a refused payment (a reward
// that cannot be paid must not fail the order).
//
// # One Keeper per transaction
//
// The Keeper holds the transaction's sequence counter and remembers the
// coins it spent and created, because Fabric has no read-your-writes: a coin
// deleted earlier in the same transaction still reads as present, and only
// the Keeper can refuse to spend it twice. Create exactly one Keeper per
// transaction and hand the same *Keeper to every domain package that moves
// money in it; two Keepers in one transaction would hand out the same coin
// IDs. A coin created in the transaction cannot be spent before it commits.
//
// # Events
//
// The Keeper records one [Event] per balance change, in order (a credit, a
// debit, or a merge); [Keeper.Events] returns them for the contract layer to
// put into the transaction's single chaincode event. Events carry the coin
// IDs created and spent, so a client can track its coins without a query.
package wallet
