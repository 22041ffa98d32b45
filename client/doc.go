// Package client is Likr's typed Go client: one method per business
// operation of the chaincode's contracts, over fabric-gateway.
//
// # Connecting
//
// A Profile names an identity's MSP, certificate, key and its org's gateway
// peer; test-network writes one per fixture identity and LoadProfile reads
// it. Dial connects as that identity; share one Client per identity (it is
// safe for concurrent use) and Close it when done. Every call takes a
// context, and each phase of a call has its own timeout inside it
// (WithTimeouts).
//
// # Calls
//
// Reads are evaluated on the peers and never ordered: Config, WhoAmI;
// Balance, Coins, History, Supply, Audit; Product, Products,
// ProductHistory, VerifyAttributes; Store, Listing, Stores, Listings;
// Order, OrdersByBuyer, OrdersByStore, OrdersBySupplier; Sale,
// SalesBySupplier, SalesByStore, SalesByProduct, SalesByReferrer,
// SalesByTime, DailyTotals, Reconcile; Review, ReviewsByProduct,
// ReviewsByStore, ProductRating, StoreRating; RewardRules, RewardHistory;
// Moderator, Moderators. Writes are endorsed, submitted and awaited until
// they commit, and return a Receipt (and, where the chaincode returns one,
// the decoded result): InitConfig, UpdateConfig; Mint, Transfer,
// BatchTransfer, Burn, Merge; RegisterProduct, UpdateProductTerms,
// Restock; OpenStore, AddListing, UpdateListing, RemoveListing;
// PlaceOrder, ShipOrder, ConfirmDelivery, ReleaseOrder, CancelOrder,
// RejectOrder, OpenDispute, ResolveDispute, ExpireReserve; PostReview;
// SetRewardRule, FundPool, BatchReward; RegisterModerator,
// UpdateModerator. Evaluate and Submit call any function by name with
// string arguments, for what has no typed method yet.
//
// A write has committed on the writer's gateway peer when it returns;
// peers of other orgs may be a block behind, so a read through another
// org's gateway right after it may not see it yet.
//
// # Errors
//
// Every error the chaincode raises starts with a stable code (package
// errs). The gateway reports them only in its per-peer error details; the
// client recovers them, so
//
//	errors.Is(err, errs.ErrInsufficientFunds)
//
// works on what any method returns, and errors.As(err, &codedErr) with a
// *errs.Error gives the code and the chaincode's message. Which phase
// failed is told by the error's type: *EvaluateError, *EndorseError,
// *SubmitError, *CommitStatusError or *CommitError (a transaction that
// failed validation, with its validation code); errors.As with a *TxError
// finds any of them. The gateway's own error stays in the chain, so
// errors.As to fabric-gateway's error types and status.Code work too.
//
// # Conflicts and retries
//
// A write that loses a conflict wrote nothing, so the client endorses it
// again as a new transaction, with a jittered, growing wait, up to the
// attempts of WithRetry. The conflicts are MVCC_READ_CONFLICT and
// PHANTOM_READ_CONFLICT at validation, and endorsing peers that disagree
// because they are at different block heights: their results differ
// ("ProposalResponsePayloads do not match"), or one endorses while the
// other's chaincode refuses. Nothing else is retried: a business error the
// endorsing peers agree on would be refused again, and after a submit or
// commit-status failure the transaction may still commit. Stats counts attempts, retries and
// conflicts, so a load test can report its conflict rate.
//
// # Payments
//
// A payment (Transfer, BatchTransfer, Burn, FundPool) spends coins (the
// wallet keeps balances as unspent coins) and names them. By default the
// client picks the caller's coins, largest first, and keeps concurrent
// payments of one Client on distinct coins; WithInputs names them instead.
// BatchReward spends the campaign pool's coins, which the admin names
// (Coins of CampaignPool lists them).
//
// # Orders
//
// PlaceOrder pays like a payment: it reads the listing's price (never
// cached), pays price x quantity, and picks coins the same way. It also
// names the stock shard the contract takes the units from. Concurrent
// orders of one product conflict only when they use the same shard, so
// the Client gives the orders of a product it has in flight distinct
// shards, rotating through them, rather than random ones, which would
// collide (see PlaceOrder). Run many concurrent orders of a popular
// product through one Client, or a few, rather than one Client per order.
//
// # Events
//
// Every committed transaction with business events emits one chaincode
// event, EventName, listing its business events ("order.placed",
// "wallet.credit", ...). Follow streams them from the gateway peer and
// calls a handler with each, as an Event: the block, the transaction ID,
// the event's index in the transaction, its type and its JSON
// (BusinessEvent.Decode, DecodeEvent). With a checkpoint file
// (WithCheckpointFile, or FollowEvents) it records each transaction once
// the handler has taken all its events, resumes after it when restarted,
// and reopens a broken stream where it broke: no event is lost, and only
// the transaction in progress when a follower died or its handler failed
// is delivered again, whole (see Follow for the exact guarantee).
package client
