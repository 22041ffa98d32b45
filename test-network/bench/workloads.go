package bench

import "fmt"

// Lane is one closed loop of the load: it runs one transaction at a time,
// the next as soon as the previous one is over, and keeps its own state
// (coins, orders in progress) across the segments of the run.
type Lane interface {
	// Next returns the transaction to run now; false when the lane has
	// nothing it can run (it lost its coins).
	Next() (Op, bool)
	// Done tells the lane what happened to the transaction Next returned.
	Done(Op, Outcome)
}

// Workload is one kind of load.
type Workload struct {
	Name    string // "place-order/hot"
	Family  string // "place-order"
	Variant string // "uniform", "hot" or ""
	// Baseline names the workload this one is a ratio of ("" for a
	// baseline).
	Baseline string
	Read     bool
	// Unit is what one unit of goodput is: "tx", or "order" for the
	// lifecycle (three transactions).
	Unit string
	Doc  string
	// Lane returns lane number lane of lanes for segment seg (which makes
	// the IDs it creates unique in the run).
	Lane func(seg, lane, lanes int) Lane
}

// Baseline workload names.
const (
	NoOp        = "noop"
	CreateAsset = "create-asset"
	ReadAsset   = "read-asset"
	Counter     = "naive-counter"
)

// funcLane is a lane without state but a counter.
type funcLane struct {
	n    int
	next func(n int) Op
}

func (l *funcLane) Next() (Op, bool) { l.n++; return l.next(l.n), true }
func (l *funcLane) Done(Op, Outcome) {}

// payLane is a lane whose every transaction spends one of its coins.
type payLane struct {
	n     int
	coins *coins
	next  func(n int, coin string) Op
}

func (l *payLane) Next() (Op, bool) {
	coin, ok := l.coins.next()
	if !ok {
		return Op{}, false
	}
	l.n++
	op := l.next(l.n, coin)
	op.WantEvent = true
	return op, true
}

func (l *payLane) Done(_ Op, o Outcome) { l.coins.settle(o) }

// Workloads returns every workload of the bench on world w.
func Workloads(w *World) []Workload {
	cal := func(id *Identity, fn string, args ...string) Op {
		return Op{ID: id, Chaincode: CalibrationChaincode, Fn: fn, Args: args}
	}
	buyer := func(lane int) *Identity { return w.buyers[lane%buyerCount] }
	reader := func(lane int) *Identity { return w.auditors[lane%len(w.auditors)] }
	// spread gives the in-flight transactions of distinct lanes distinct
	// (product, shard) pairs of the uniform catalogue: with each lane
	// alternating between two slots, the 2 x lanes slots map one-to-one
	// onto 64 products x 16 shards up to 512 lanes.
	spread := func(lane, lanes, slot int) (listing, int) {
		g := lane + lanes*slot
		return w.catalogue[g%uniformCount], (g / uniformCount) % stockShards
	}
	// hotShard gives the in-flight orders of the best seller distinct
	// shards, as client.PlaceOrder's picker does, up to 256 lanes.
	hotShard := func(lane, lanes, slot int) int { return (lane + lanes*slot) % hotShards }
	synthetic := func(seg, lane, n int) string { return fmt.Sprintf("%08x%08x%024x", seg, lane, n) }

	ws := []Workload{
		{Name: NoOp, Unit: "tx", Doc: "likrcal NoOp: reads and writes nothing; the pipeline's ceiling",
			Lane: func(seg, lane, lanes int) Lane {
				return &funcLane{next: func(int) Op { return cal(buyer(lane), "calibration:NoOp") }}
			}},
		{Name: CreateAsset, Unit: "tx", Doc: "likrcal CreateAsset: one new key with an existence check; the write denominator",
			Lane: func(seg, lane, lanes int) Lane {
				return &funcLane{next: func(n int) Op {
					return cal(buyer(lane), "calibration:CreateAsset", fmt.Sprintf("c%d-%d-%d", seg, lane, n))
				}}
			}},
		{Name: Counter, Unit: "tx", Doc: "likrcal IncrementCounter: every transaction reads and writes one key; the naive control",
			Lane: func(seg, lane, lanes int) Lane {
				return &funcLane{next: func(int) Op { return cal(buyer(lane), "calibration:IncrementCounter") }}
			}},
		{Name: ReadAsset, Read: true, Unit: "tx", Doc: "likrcal ReadAsset: one key read (evaluate); the read denominator",
			Lane: func(seg, lane, lanes int) Lane {
				return &funcLane{next: func(n int) Op {
					op := cal(reader(lane), "calibration:ReadAsset", fmt.Sprintf("read-%02d", (lane+n)%readAssets))
					op.Evaluate = true
					return op
				}}
			}},
	}
	for _, variant := range []string{"uniform", "hot"} {
		hot := variant == "hot"
		ws = append(ws,
			Workload{Name: "place-order/" + variant, Family: "place-order", Variant: variant, Baseline: CreateAsset, Unit: "tx",
				Doc: map[bool]string{false: "order:Place of one unit, spread over 64 products of 4 suppliers",
					true: "order:Place of one unit of one product of one supplier, each order in flight on its own stock shard"}[hot],
				Lane: func(seg, lane, lanes int) Lane {
					return &payLane{coins: w.buyerCoins[lane], next: func(n int, coin string) Op {
						l, shard := spread(lane, lanes, n%2)
						if hot {
							l, shard = w.hot, hotShard(lane, lanes, n%2)
						}
						id := fmt.Sprintf("p%d-%d-%d", seg, lane, n)
						return likrOp(buyer(lane), "order:Place", placeRequest(id, l, shard, coin, false))
					}}
				}},
			Workload{Name: "order-lifecycle/" + variant, Family: "order-lifecycle", Variant: variant, Baseline: CreateAsset, Unit: "order",
				Doc: map[bool]string{false: "order:Place (referred) -> order:Ship -> order:ConfirmDelivery (settlement, sales record, rewards), over 64 products, 4 suppliers, 4 referrers",
					true: "the same lifecycle, every order of one product: every settlement to one supplier, every commission and referred-sale reward to one reseller"}[hot],
				Lane: func(seg, lane, lanes int) Lane {
					return &lifecycleLane{w: w, seg: seg, lane: lane, lanes: lanes, hot: hot, spread: spread, hotShard: hotShard}
				}},
			Workload{Name: "coin-transfer/" + variant, Family: "coin-transfer", Variant: variant, Baseline: CreateAsset, Unit: "tx",
				Doc: map[bool]string{false: "wallet:Transfer of one coin's worth to a new account each time",
					true: "wallet:Transfer, every payment to one account (blind credits)"}[hot],
				Lane: func(seg, lane, lanes int) Lane {
					return &payLane{coins: w.buyerCoins[lane], next: func(n int, coin string) Op {
						to := synthetic(seg, lane, n)
						if hot {
							to = w.suppliers[0].Account
						}
						return likrOp(buyer(lane), "wallet:Transfer", to, fmt.Sprint(transferAmount), jsonString([]string{coin}))
					}}
				}},
			Workload{Name: "reward-payout/" + variant, Family: "reward-payout", Variant: variant, Baseline: CreateAsset, Unit: "tx",
				Doc: map[bool]string{false: "reward:BatchReward of one recipient from the campaign pool, a new recipient each time",
					true: "reward:BatchReward, every reward to one reseller"}[hot],
				Lane: func(seg, lane, lanes int) Lane {
					return &payLane{coins: w.poolCoins[lane], next: func(n int, coin string) Op {
						to := synthetic(seg, lane, n)
						if hot {
							to = w.reseller.Account
						}
						return likrOp(w.admin, "reward:BatchReward", jsonString([]string{to}), fmt.Sprint(rewardAmount),
							fmt.Sprintf("c%d-%d-%d", seg, lane, n), jsonString([]string{coin}))
					}}
				}},
			Workload{Name: "register-product/" + variant, Family: "register-product", Variant: variant, Baseline: CreateAsset, Unit: "tx",
				Doc: map[bool]string{false: "product:Register (16 stock shards) by 4 suppliers",
					true: "product:Register (16 stock shards), every product of one supplier"}[hot],
				Lane: func(seg, lane, lanes int) Lane {
					supplier := w.suppliers[lane%supplierCount]
					if hot {
						supplier = w.suppliers[0]
					}
					return &funcLane{next: func(n int) Op {
						return likrOp(supplier, "product:Register", registerRequest(fmt.Sprintf("r%d-%d-%d", seg, lane, n), n))
					}}
				}},
		)
	}
	read := func(name, doc string, op func(lane, n int) Op) Workload {
		return Workload{Name: name, Family: name, Baseline: ReadAsset, Read: true, Unit: "tx", Doc: doc,
			Lane: func(seg, lane, lanes int) Lane {
				return &funcLane{next: func(n int) Op {
					o := op(lane, n)
					o.Evaluate = true
					return o
				}}
			}}
	}
	ws = append(ws,
		read("read-balance", "wallet:Balance of a consumer holding a few coins, by an auditor", func(lane, n int) Op {
			return likrOp(reader(lane), "wallet:Balance", w.balances[(lane+n)%len(w.balances)])
		}),
		read("read-order", "order:Get of a settled order, by an auditor", func(lane, n int) Op {
			o := w.orders[(lane+n)%len(w.orders)]
			return likrOp(reader(lane), "order:Get", o[0], o[1])
		}),
		read("read-sales-page", "sales:BySupplier, one page of 20 of the best seller's supplier, by an auditor", func(lane, n int) Op {
			return likrOp(reader(lane), "sales:BySupplier", w.suppliers[0].Account, "", "", "20", "")
		}),
	)
	return ws
}

// lifecycleLane takes orders from placement to settlement, two at a time:
// it alternates between them, so each step finds the previous step of its
// order committed one transaction earlier, on every peer.
type lifecycleLane struct {
	w                *World
	seg, lane, lanes int
	hot              bool
	spread           func(lane, lanes, slot int) (listing, int)
	hotShard         func(lane, lanes, slot int) int
	turn, n          int
	slots            [2]lifecycleSlot
}

type lifecycleSlot struct {
	step int // 0 place, 1 ship, 2 confirm
	id   string
}

var lifecycleSteps = []string{"place", "ship", "confirm"}

func (l *lifecycleLane) Next() (Op, bool) {
	slot := l.turn % 2
	s := &l.slots[slot]
	buyer := l.w.buyers[l.lane%buyerCount]
	li, shard := l.spread(l.lane, l.lanes, slot)
	if l.hot {
		li, shard = l.w.hot, l.hotShard(l.lane, l.lanes, slot)
	}
	var op Op
	switch s.step {
	case 0:
		coin, ok := l.w.buyerCoins[l.lane].next()
		if !ok {
			return Op{}, false
		}
		l.n++
		s.id = fmt.Sprintf("o%d-%d-%d", l.seg, l.lane, l.n)
		op = likrOp(buyer, "order:Place", placeRequest(s.id, li, shard, coin, true))
		op.WantEvent = true
	case 1:
		op = likrOp(li.seller, "order:Ship", buyer.Account, s.id, shipRequest(s.id))
	case 2:
		op = likrOp(buyer, "order:ConfirmDelivery", buyer.Account, s.id)
	}
	op.Step = lifecycleSteps[s.step]
	return op, true
}

func (l *lifecycleLane) Done(op Op, o Outcome) {
	s := &l.slots[l.turn%2]
	l.turn++
	if s.step == 0 {
		l.w.buyerCoins[l.lane].settle(o)
	}
	switch {
	case o.Valid():
		s.step = (s.step + 1) % 3
	case o.Unknown:
		s.step = 0 // the step may have committed: leave this order
	}
}
