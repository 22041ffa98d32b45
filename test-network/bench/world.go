package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/likrcommerce/likr/fixtures"
	testnetwork "github.com/likrcommerce/likr/test-network"
)

// The bench's cast, beside the fixture identities: buyers in both orgs
// (each load lane buys as one of them, so every write baseline and buyer
// workload spreads over both gateways alike), three more suppliers and
// sellers for the uniform catalogue, and an auditor in Org2 so reads spread
// over both gateways too.
const (
	buyerCount    = 8
	supplierCount = 4 // "brand" and three more
	sellerCount   = 4 // "seller" and three more
)

// Identities returns the fixture identities and the bench's own.
func Identities() ([]fixtures.Identity, error) {
	ids, err := fixtures.Identities()
	if err != nil {
		return nil, err
	}
	for i := range buyerCount {
		ids = append(ids, fixtures.Identity{Name: buyerName(i), Org: []string{"Org1", "Org2"}[i%2], About: "bench buyer"})
	}
	for i := 1; i < supplierCount; i++ {
		ids = append(ids, fixtures.Identity{Name: supplierName(i), Org: "Org2", Role: "supplier", About: "bench supplier"})
	}
	for i := 1; i < sellerCount; i++ {
		ids = append(ids, fixtures.Identity{Name: sellerName(i), Org: "Org2", Role: "seller", About: "bench seller"})
	}
	ids = append(ids, fixtures.Identity{Name: "bench-auditor", Org: "Org2", Role: "auditor", About: "bench reader in Org2"})
	return ids, nil
}

func buyerName(i int) string { return fmt.Sprintf("bench-buyer-%d", i) }

func supplierName(i int) string {
	if i == 0 {
		return "brand"
	}
	return fmt.Sprintf("bench-supplier-%d", i)
}

func sellerName(i int) string {
	if i == 0 {
		return "seller"
	}
	return fmt.Sprintf("bench-seller-%d", i)
}

// Catalogue sizes and amounts.
const (
	stockShards    = 16  // the config's shard count: every product but the hot one
	hotShards      = 256 // the best seller's shard count (the config's maximum)
	uniformCount   = 64  // products of the uniform catalogue
	price          = 1000
	wholesale      = 600
	referralBps    = 1000
	transferAmount = 100
	rewardAmount   = 10
	stock          = 1_000_000_000
	poolHolder     = "~pool.campaign"
	storeID        = "bench"
	readAssets     = 64 // calibration assets the read baseline reads
	settledOrders  = 20 // orders settled at set-up, for the order and sales reads
)

// listing is one product on sale: who supplies it, who lists it, and the
// store that refers buyers to it.
type listing struct {
	supplier *Identity
	product  string
	seller   *Identity
	listing  map[string]string // {"owner","store","id"}
	referrer map[string]string // {"owner","id"}
	shards   int
}

// World is the data the workloads run on, prepared by Setup.
type World struct {
	env       *Env
	admin     *Identity
	buyers    []*Identity
	suppliers []*Identity
	sellers   []*Identity
	auditors  []*Identity
	catalogue []listing // the uniform catalogue
	hot       listing   // the best seller: one product of one supplier, one reseller
	reseller  *Identity // owner of the hot listing's referrer store
	// Lane state that outlives segments: each lane pays from its own
	// coins (two, used in turn), of its buyer and of the campaign pool.
	buyerCoins []*coins
	poolCoins  []*coins
	// What the reads read.
	orders   [][2]string // settled orders (buyer account, order ID)
	balances []string    // consumer accounts holding a few coins
	config   map[string]any
}

// Lanes is how many lanes the world has coins for.
func (w *World) Lanes() int { return len(w.buyerCoins) }

// coins is one lane's coins of one holder, spent in turn so that the coin
// a transaction spends was created at least one transaction earlier: the
// endorsing peer of the other org may be a block behind the gateway's,
// and would not know a coin created by the transaction just committed.
type coins struct {
	holder string
	queue  []string
}

func (c *coins) next() (string, bool) {
	if len(c.queue) == 0 {
		return "", false
	}
	return c.queue[0], true
}

// settle updates the coins after a transaction that spent the first one:
// a valid one replaced it by its change (at the back); one that may have
// committed lost it; one that surely did not keeps it, moved to the back.
func (c *coins) settle(o Outcome) {
	if len(c.queue) == 0 {
		return
	}
	spent := c.queue[0]
	c.queue = c.queue[1:]
	switch {
	case o.Valid():
		if change, err := changeCoin(o.Events, c.holder); err == nil && change != "" {
			c.queue = append(c.queue, change)
		}
	case o.Unknown:
	default:
		c.queue = append(c.queue, spent)
	}
}

// Setup prepares a world for lanes lanes: the channel config, reward rules,
// stores, the catalogue and its listings, money for every lane, settled
// orders for the reads, and assets for the read baseline.
func Setup(ctx context.Context, env *Env, lanes int, log func(string, ...any)) (*World, error) {
	w := &World{env: env, admin: env.ID("admin")}
	for i := range buyerCount {
		w.buyers = append(w.buyers, env.ID(buyerName(i)))
	}
	for i := range supplierCount {
		w.suppliers = append(w.suppliers, env.ID(supplierName(i)))
	}
	for i := range sellerCount {
		w.sellers = append(w.sellers, env.ID(sellerName(i)))
	}
	w.auditors = []*Identity{env.ID("auditor"), env.ID("bench-auditor")}
	w.reseller = w.sellers[1]
	start := time.Now()
	steps := []struct {
		name string
		fn   func(context.Context) error
	}{
		{"config and reward rules", w.configure},
		{"stores", w.openStores},
		{"catalogue", w.registerCatalogue},
		{"listings", w.addListings},
		{"money", func(ctx context.Context) error { return w.fund(ctx, lanes) }},
		{"orders for the reads", w.settleOrders},
		{"calibration assets", w.createAssets},
	}
	for _, s := range steps {
		t := time.Now()
		if err := s.fn(ctx); err != nil {
			return nil, fmt.Errorf("set-up, %s: %w", s.name, err)
		}
		log("set-up: %s in %s", s.name, time.Since(t).Round(time.Millisecond))
	}
	log("set-up done in %s", time.Since(start).Round(time.Millisecond))
	return w, nil
}

func likrOp(id *Identity, fn string, args ...string) Op {
	return Op{ID: id, Chaincode: testnetwork.ChaincodeName, Fn: fn, Args: args}
}

func (w *World) configure(ctx context.Context) error {
	w.config = map[string]any{
		"operatorMsp": "Org1MSP",
		"trusted": map[string][]string{
			"admin": {"Org1MSP"}, "supplier": {"Org2MSP"}, "seller": {"Org2MSP"},
			"moderator": {"Org1MSP"}, "auditor": {"Org1MSP", "Org2MSP"},
		},
		"platformFeeBps": 500, "supplyCap": "1000000000000000000",
		"autoReleaseSeconds": 604800, "disputeTimeoutSeconds": 1209600,
		"stockShards": stockShards, "reviewWindowSeconds": 2592000,
	}
	if _, err := mustRun(ctx, likrOp(w.admin, "config:Init", jsonString(w.config))); err != nil {
		return err
	}
	var ops []Op
	for _, rule := range []string{
		`{"activity":"purchase","fixed":"5","rateBps":0,"enabled":true,"dailyCap":"0"}`,
		`{"activity":"review","fixed":"10","rateBps":0,"enabled":true,"dailyCap":"100"}`,
		`{"activity":"conversion","fixed":"20","rateBps":0,"enabled":true,"dailyCap":"0"}`,
		`{"activity":"referred_sale","fixed":"0","rateBps":50,"enabled":true,"dailyCap":"0"}`,
	} {
		ops = append(ops, likrOp(w.admin, "reward:SetRule", rule))
	}
	_, err := mustRunAll(ctx, ops, len(ops))
	return err
}

func (w *World) openStores(ctx context.Context) error {
	var ops []Op
	for _, s := range w.sellers {
		ops = append(ops, likrOp(s, "store:Open", jsonString(map[string]string{"id": storeID, "name": "Bench store of " + s.Name})))
	}
	_, err := mustRunAll(ctx, ops, len(ops))
	return err
}

func registerRequest(id string, n int) string {
	return jsonString(map[string]any{
		"id":         id,
		"attributes": map[string]any{"name": fmt.Sprintf("벤치 상품 Bench product %d", n), "volumeMl": 150},
		"terms":      map[string]string{"wholesalePrice": fmt.Sprint(wholesale), "minRetailPrice": fmt.Sprint(price), "status": "active"},
		"stock":      stock,
	})
}

// registerCatalogue registers the uniform catalogue with the config's shard
// count, and the best seller with the config's maximum: an operator gives a
// product that sells with many orders in flight more shards than that,
// and the shard count is fixed at registration.
func (w *World) registerCatalogue(ctx context.Context) error {
	var ops []Op
	for p := range uniformCount {
		s := p % supplierCount
		seller, referrer := w.sellers[p%sellerCount], w.sellers[(p+1)%sellerCount]
		id := fmt.Sprintf("u%02d", p)
		w.catalogue = append(w.catalogue, listing{
			supplier: w.suppliers[s], product: id, seller: seller, shards: stockShards,
			listing:  map[string]string{"owner": seller.Account, "store": storeID, "id": "l-" + id},
			referrer: map[string]string{"owner": referrer.Account, "id": storeID},
		})
		ops = append(ops, likrOp(w.suppliers[s], "product:Register", registerRequest(id, p)))
	}
	if _, err := mustRunAll(ctx, ops, 32); err != nil {
		return err
	}
	if err := w.setShards(ctx, hotShards); err != nil {
		return err
	}
	w.hot = listing{
		supplier: w.suppliers[0], product: "hot", seller: w.sellers[0], shards: hotShards,
		listing:  map[string]string{"owner": w.sellers[0].Account, "store": storeID, "id": "l-hot"},
		referrer: map[string]string{"owner": w.reseller.Account, "id": storeID},
	}
	if _, err := mustRun(ctx, likrOp(w.suppliers[0], "product:Register", registerRequest("hot", -1))); err != nil {
		return err
	}
	return w.setShards(ctx, stockShards)
}

func (w *World) setShards(ctx context.Context, n int) error {
	w.config["stockShards"] = n
	_, err := mustRun(ctx, likrOp(w.admin, "config:Update", jsonString(w.config)))
	return err
}

func (w *World) addListings(ctx context.Context) error {
	var ops []Op
	for _, l := range append(append([]listing(nil), w.catalogue...), w.hot) {
		ops = append(ops, likrOp(l.seller, "store:AddListing", jsonString(map[string]any{
			"store": storeID, "id": l.listing["id"],
			"product": map[string]string{"supplier": l.supplier.Account, "id": l.product},
			"price":   fmt.Sprint(price), "referralBps": referralBps,
		})))
	}
	_, err := mustRunAll(ctx, ops, 32)
	return err
}

// fund gives every lane two coins of its buyer and two of the campaign
// pool. Coins multiply by rounds: each buyer pays each of its coins in one
// batch to the other buyers and the admin, so the coin count grows eight
// times per round; then the admin funds the pool from each of its coins,
// round after round, until the pool has enough.
func (w *World) fund(ctx context.Context, lanes int) error {
	const big = 1_000_000_000_000_000
	o, err := mustRun(ctx, Op{ID: w.admin, Chaincode: testnetwork.ChaincodeName, Fn: "wallet:Mint", Args: []string{w.admin.Account, fmt.Sprint(big)}, WantEvent: true})
	if err != nil {
		return err
	}
	held := map[string][]string{}
	if err := collect(held, o); err != nil {
		return err
	}
	jisoo, minji := w.env.ID("jisoo"), w.env.ID("minji")
	w.balances = []string{jisoo.Account, minji.Account}
	recipients := []string{jisoo.Account, minji.Account}
	for _, b := range w.buyers {
		recipients = append(recipients, b.Account)
	}
	o, err = mustRun(ctx, Op{ID: w.admin, Chaincode: testnetwork.ChaincodeName, Fn: "wallet:BatchTransfer", WantEvent: true,
		Args: []string{jsonString(recipients), fmt.Sprint(big / 100), jsonString(held[w.admin.Account])}})
	if err != nil {
		return err
	}
	delete(held, w.admin.Account)
	if err := collect(held, o); err != nil {
		return err
	}
	// Buyers multiply their coins until each lane can have two.
	// Each round pays each recipient a sixteenth of the last round's
	// amount, so that every coin (the smallest is what the last round
	// paid) covers the eight payments of its batch.
	perBuyer := (2*lanes + buyerCount - 1) / buyerCount
	each := uint64(100_000_000_000)
	for len(held[w.buyers[0].Account]) < perBuyer {
		var ops []Op
		for i, b := range w.buyers {
			others := []string{w.admin.Account}
			for j, c := range w.buyers {
				if j != i {
					others = append(others, c.Account)
				}
			}
			for _, coin := range held[b.Account] {
				ops = append(ops, Op{ID: b, Chaincode: testnetwork.ChaincodeName, Fn: "wallet:BatchTransfer", WantEvent: true,
					Args: []string{jsonString(others), fmt.Sprint(each), jsonString([]string{coin})}})
			}
			delete(held, b.Account)
		}
		if err := runCollect(ctx, held, ops); err != nil {
			return err
		}
		each /= 16
	}
	// The admin needs one coin per pool coin: the buyers pay it the rest.
	var ops []Op
	for i := 0; len(held[w.admin.Account])+len(ops) < 2*lanes; i++ {
		b := w.buyers[i%buyerCount]
		coin := take(held, b.Account, 1)
		if len(coin) == 0 {
			return fmt.Errorf("buyer %s ran out of coins paying the admin", b.Name)
		}
		ops = append(ops, Op{ID: b, Chaincode: testnetwork.ChaincodeName, Fn: "wallet:Transfer", WantEvent: true,
			Args: []string{w.admin.Account, "1000000", jsonString(coin)}})
	}
	if err := runCollect(ctx, held, ops); err != nil {
		return err
	}
	ops = nil
	for _, coin := range take(held, w.admin.Account, 2*lanes) {
		ops = append(ops, Op{ID: w.admin, Chaincode: testnetwork.ChaincodeName, Fn: "reward:FundPool", WantEvent: true,
			Args: []string{"100000", jsonString([]string{coin})}})
	}
	if err := runCollect(ctx, held, ops); err != nil {
		return err
	}
	w.buyerCoins = make([]*coins, lanes)
	w.poolCoins = make([]*coins, lanes)
	for l := range lanes {
		b := w.buyers[l%buyerCount]
		w.buyerCoins[l] = &coins{holder: b.Account, queue: take(held, b.Account, 2)}
		w.poolCoins[l] = &coins{holder: poolHolder, queue: take(held, poolHolder, 2)}
	}
	return nil
}

// runCollect runs ops and adds the coins they create to held.
func runCollect(ctx context.Context, held map[string][]string, ops []Op) error {
	out, err := mustRunAll(ctx, ops, 64)
	if err != nil {
		return err
	}
	for _, o := range out {
		if err := collect(held, o); err != nil {
			return err
		}
	}
	return nil
}

// collect adds a transaction's new coins (credits, change) to held.
func collect(held map[string][]string, o Outcome) error {
	var list []walletEvent
	if err := json.Unmarshal(o.Events, &list); err != nil {
		return fmt.Errorf("decoding the chaincode event: %w", err)
	}
	for _, e := range list {
		if e.Coin != "" && (e.Type == "wallet.credit" || e.Type == "wallet.debit" || e.Type == "wallet.merge") {
			held[e.Holder] = append(held[e.Holder], e.Coin)
		}
	}
	return nil
}

func take(held map[string][]string, holder string, n int) []string {
	cs := held[holder]
	n = min(n, len(cs))
	out := append([]string(nil), cs[:n]...)
	held[holder] = cs[n:]
	return out
}

// settleOrders places, ships and confirms orders of the best seller, one
// per lane, so that the reads have orders and a supplier's sales to page
// through.
func (w *World) settleOrders(ctx context.Context) error {
	n := min(settledOrders, w.Lanes())
	ops := make([]Op, n)
	for lane := range n {
		coin, ok := w.buyerCoins[lane].next()
		if !ok {
			return fmt.Errorf("lane %d has no coin", lane)
		}
		ops[lane] = Op{ID: w.buyers[lane%buyerCount], Chaincode: testnetwork.ChaincodeName, Fn: "order:Place", WantEvent: true,
			Args: []string{placeRequest(fmt.Sprintf("setup-%02d", lane), w.hot, lane, coin, true)}}
	}
	out, err := mustRunAll(ctx, ops, n)
	if err != nil {
		return err
	}
	ships := make([]Op, n)
	confirms := make([]Op, n)
	for lane, o := range out {
		w.buyerCoins[lane].settle(o)
		buyer, id := ops[lane].ID, fmt.Sprintf("setup-%02d", lane)
		ships[lane] = likrOp(w.hot.seller, "order:Ship", buyer.Account, id, shipRequest(id))
		confirms[lane] = likrOp(buyer, "order:ConfirmDelivery", buyer.Account, id)
		w.orders = append(w.orders, [2]string{buyer.Account, id})
	}
	if _, err := mustRunAll(ctx, ships, n); err != nil {
		return err
	}
	_, err = mustRunAll(ctx, confirms, n)
	return err
}

func (w *World) createAssets(ctx context.Context) error {
	var ops []Op
	for i := range readAssets {
		ops = append(ops, Op{ID: w.buyers[i%buyerCount], Chaincode: CalibrationChaincode, Fn: "calibration:CreateAsset", Args: []string{fmt.Sprintf("read-%02d", i)}})
	}
	_, err := mustRunAll(ctx, ops, 32)
	return err
}

// placeRequest is order:Place's argument: one unit of l, from shard, paid
// with coin, referred by l's referrer when referred.
func placeRequest(id string, l listing, shard int, coin string, referred bool) string {
	req := map[string]any{"id": id, "listing": l.listing, "quantity": 1, "shard": shard, "inputs": []string{coin}}
	if referred {
		req["referrer"] = l.referrer
	}
	return jsonString(req)
}

func shipRequest(id string) string {
	return jsonString(map[string]string{"carrier": "CJ대한통운", "tracking": "T-" + id})
}
