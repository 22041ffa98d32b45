// Package bench is the load generator behind `make bench` (command
// likrbench): it drives the gateways of a test network with many
// transactions in flight and measures every Likr workload as a ratio
// against a calibration baseline (the likrcal chaincode, deployed beside
// likr) measured in the same run, at the same concurrency, just before and
// just after it.
//
// # The load
//
// A lane is a closed loop with one transaction in flight: it endorses a
// proposal, submits the transaction (asynchronously: Submit returns once
// the orderer has it) and waits for its commit status, then starts the
// next. Concurrency is the number of lanes. Every identity has one
// fabric-gateway Gateway, and all the identities of an org share one gRPC
// connection to their org's peer (Env).
//
// Lanes keep their state across segments (World): each pays from two
// coins of its own, used in turn, and learns the change coin of each
// payment from the transaction's chaincode event, so a coin is spent at
// least one transaction after it was created (the other org's peer may be
// a block behind the gateway's). Uniform order workloads give the orders
// in flight distinct (product, shard) pairs of a 64-product catalogue; hot
// ones order one product with 256 stock shards, each lane on its own
// shard, as client.PlaceOrder's picker does. The order lifecycle takes two
// orders at a time through placement, shipping and settlement,
// alternating, for the same reason.
//
// # The measurement
//
// A segment runs one workload at one concurrency: a warm-up, then a
// measured window aligned to blocks (the transactions of the blocks after
// the first the window saw, up to the last), so that no block is counted
// by chance. It records offered and valid transactions per second,
// invalid ones by validation code, attempts that never reached a block by
// reason, p50/p95/p99 latency of endorse, submit and commit, transactions
// per block, transaction size, and CPU-seconds per valid transaction of
// the peers, orderers and chaincode servers from /proc, with the CPU that
// other work on the machine used meanwhile.
//
// A plan (Plan) sweeps the concurrency with the baselines and the
// headline workload until goodput stops rising, then runs every workload
// between two segments of its baseline at the sweep's knee (in alternating
// order over passes), then measures latency with the offered load capped
// at a share of the goodput. The Report judges the goals of issue 7 and is
// written as JSON and Markdown. Profiling records CPU profiles of the
// peers during chosen segments.
package bench
