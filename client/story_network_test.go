package client_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/client"
	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/fixtures"
	testnetwork "github.com/likrcommerce/likr/test-network"
)

// TestTheStory plays the demo's commerce story (fixtures/demo.sh plays the
// same through the likr CLI) through the library on a real network, and
// asserts every balance, stock level, sales record and business event.
// The figures follow from the config (5% platform fee) and the reward
// rules below; the comments show the arithmetic.
func TestTheStory(t *testing.T) {
	n, ctx, dial := onNetwork(t, 5*time.Minute)
	admin, auditor, moderator := dial("admin"), dial("auditor"), dial("moderator")
	brand, seller, minji, jisoo := dial("brand"), dial("seller"), dial("minji"), dial("jisoo")
	amount := money.NewAmount
	must := func(_ any, _ client.Receipt, err error) { t.Helper(); require.NoError(t, err) }
	mustR := func(_ client.Receipt, err error) { t.Helper(); require.NoError(t, err) }

	// The event follower runs beside the story, from block 0, with a
	// checkpoint file; it is stopped and restarted in the middle.
	follower := newFollower(t, auditor, filepath.Join(t.TempDir(), "events.checkpoint"))
	follower.start(ctx)
	// A second follower is the likr CLI in its own process, which the test
	// SIGKILLs mid-story and starts again on the same checkpoint file.
	cli := newCLIFollower(t, n)
	cli.start()

	// 1. The admin founds the platform, sets the reward rules, mints, funds
	// the campaign pool and gives the two consumers 100000 LKC each.
	cfg := testConfig()
	mustR(admin.InitConfig(ctx, cfg))
	for _, r := range []client.RewardRule{
		{Activity: "purchase", RateBps: 100, Enabled: true},
		{Activity: "review", Fixed: amount(200), Enabled: true, DailyCap: amount(1000)},
		{Activity: "conversion", Fixed: amount(100), Enabled: true},
		{Activity: "referred_sale", RateBps: 100, Enabled: true},
	} {
		must(admin.SetRewardRule(ctx, r))
	}
	mustR(admin.Mint(ctx, admin.Account(), amount(1_000_000)))
	mustR(admin.FundPool(ctx, amount(100_000)))
	mustR(admin.BatchTransfer(ctx, []string{minji.Account(), jisoo.Account()}, amount(100_000)))

	// 2. The brand registers the catalogue; anyone can check a product's
	// description against its hash, whatever the key order.
	cat, err := fixtures.LoadCatalogue()
	require.NoError(t, err)
	for _, p := range cat.Products {
		must(brand.RegisterProduct(ctx, client.RegisterProductRequest{
			ID: p.ID, Attributes: p.Attributes, Stock: p.Stock,
			Terms: client.ProductTerms{WholesalePrice: parse(t, p.WholesalePrice), MinRetailPrice: parse(t, p.MinRetailPrice), Status: "active"},
		}))
	}
	toner := client.ProductRef{Supplier: brand.Account(), ID: "green-tea-toner"}
	v, err := jisoo.VerifyAttributes(ctx, toner, reorder(t, cat.Products[0].Attributes))
	require.NoError(t, err)
	require.True(t, v.Match, "%+v", v)

	// 3. The seller opens a store and lists the products; a moderator
	// offers to settle disputes for 500 + 1%.
	must(seller.OpenStore(ctx, client.OpenStoreRequest{ID: cat.Store.ID, Name: cat.Store.Name}))
	for _, l := range cat.Listings {
		must(seller.AddListing(ctx, client.AddListingRequest{
			Store: cat.Store.ID, ID: l.ID, Product: client.ProductRef{Supplier: brand.Account(), ID: l.Product},
			Price: parse(t, l.Price), ReferralBps: money.Rate(l.ReferralBps),
		}))
	}
	listing := func(id string) client.ListingRef {
		return client.ListingRef{Owner: seller.Account(), Store: cat.Store.ID, ID: id}
	}
	must(moderator.RegisterModerator(ctx, client.RegisterModeratorRequest{
		Fee: client.ModeratorFee{Bps: 100, Flat: amount(500)}, Description: "분쟁 조정 — fair, within a day",
	}))

	// 4. Minji buys two toners (24000), the seller ships, she confirms.
	// Settlement: brand 2 x 6000 = 12000, fee 5% = 1200 of which her
	// purchase reward 1% = 240 and a 300 reserve for her review, seller
	// 24000 - 12000 - 1200 = 10800.
	o1, _, err := minji.PlaceOrder(ctx, client.PlaceOrderRequest{ID: "o-1", Listing: listing("toner"), Quantity: 2})
	require.NoError(t, err)
	_, shipped, err := seller.ShipOrder(ctx, o1.Ref(), client.ShipOrderRequest{Carrier: "CJ대한통운", Tracking: "6012-0001"})
	require.NoError(t, err)
	// The seller's org committed it; Minji's peer (the other org) may be a
	// block behind: she waits for that block before she confirms.
	require.NoError(t, minji.WaitForBlock(ctx, shipped.Block))
	must(minji.ConfirmDelivery(ctx, o1.Ref()))

	// 5. Her review opens her personal shop: review 200 + conversion 100.
	review, _, err := minji.PostReview(ctx, client.PostReviewRequest{Order: "o-1", Rating: 5, Text: "향이 좋아요. Smells lovely."})
	require.NoError(t, err)
	require.True(t, review.ShopOpened)
	shop := *review.Shop

	follower.restart(ctx) // stopped and started again mid-story
	h, err := n.Height(n.Peer("Org1"))
	require.NoError(t, err)
	cli.waitFor(h - 1)
	cli.kill()
	cli.start()

	// 6. Jisoo buys a toner through Minji's shop; the seller ships it with
	// the stock peer CLI, showing the chaincode needs no Likr client.
	// Minji earns the commission 10% = 1200 and the referred-sale reward
	// 1% = 120; Jisoo a purchase reward of 120; the fee's rest after a 300
	// reserve is 60; the seller keeps 12000 - 6000 - 1200 - 600 = 4200.
	j1, _, err := jisoo.PlaceOrder(ctx, client.PlaceOrderRequest{ID: "j-1", Listing: listing("toner"), Quantity: 1, Referrer: &shop})
	require.NoError(t, err)
	ship, err := json.Marshal(map[string][]string{"Args": {"order:Ship", jisoo.Account(), "j-1", `{"carrier":"우체국","tracking":"KP-17"}`}})
	require.NoError(t, err)
	org1, _ := n.Org("Org1")
	org2, _ := n.Org("Org2")
	out, err := n.PeerCLIAs(ctx, "seller", append([]string{"chaincode", "invoke", "-C", testnetwork.ChannelName, "-n", testnetwork.ChaincodeName,
		"-c", string(ship), "--waitForEvent",
		"--peerAddresses", n.PeerAddress(org1), "--tlsRootCertFiles", n.PeerTLSCA(org1),
		"--peerAddresses", n.PeerAddress(org2), "--tlsRootCertFiles", n.PeerTLSCA(org2)}, n.OrdererArgs()...)...)
	require.NoError(t, err)
	require.Contains(t, string(out), "status:200")
	waitSameHeight(t, ctx, n) // the peer CLI gives no block number
	must(jisoo.ConfirmDelivery(ctx, j1.Ref()))

	// 7. Jisoo's cushion (24000) arrives damaged: she opens a dispute, the
	// moderator (fixed fee 500 + 240 = 740 at most) refunds half after a
	// 500 fee: 23500 / 2 = 11750 back; the other 11750 settles in
	// proportion: brand 14000 x 11750/24000 = 6854, fee 5% = 587 (purchase
	// reward 240, reserve 300, platform 47), seller 4309.
	j2, _, err := jisoo.PlaceOrder(ctx, client.PlaceOrderRequest{ID: "j-2", Listing: listing("cushion"), Quantity: 1})
	require.NoError(t, err)
	_, shipped, err = seller.ShipOrder(ctx, j2.Ref(), client.ShipOrderRequest{Carrier: "CJ대한통운", Tracking: "6012-0002"})
	require.NoError(t, err)
	require.NoError(t, jisoo.WaitForBlock(ctx, shipped.Block))
	d, _, err := jisoo.OpenDispute(ctx, j2.Ref(), client.DisputeRequest{Moderator: moderator.Account(), Reason: "케이스가 깨져서 왔어요 (cracked case)"})
	require.NoError(t, err)
	require.Equal(t, amount(740), d.Dispute.MaxFee)
	must(moderator.ResolveDispute(ctx, j2.Ref(), client.ResolveRequest{BuyerShareBps: 5000, Fee: amount(500)}))

	// 8. Jisoo reviews her toner: her own shop, 200 + 100. A launch
	// campaign pays both consumers 500 from the pool.
	must(jisoo.PostReview(ctx, client.PostReviewRequest{Order: "j-1", Rating: 4, Text: "좋아요"}))
	pool, err := admin.Coins(ctx, client.CampaignPool, client.PageRequest{})
	require.NoError(t, err)
	mustR(admin.BatchReward(ctx, []string{minji.Account(), jisoo.Account()}, amount(500), "launch-week", []string{pool.Coins[0].ID}))

	// Typed errors through the gateway.
	_, _, err = jisoo.ShipOrder(ctx, o1.Ref(), client.ShipOrderRequest{Carrier: "x", Tracking: "y"})
	requireCode(t, err, errs.ErrForbidden)
	_, _, err = minji.ConfirmDelivery(ctx, o1.Ref())
	requireCode(t, err, errs.ErrInvalidState)
	_, err = minji.Order(ctx, client.OrderRef{Buyer: minji.Account(), ID: "nope"})
	requireCode(t, err, errs.ErrNotFound)
	coins, err := minji.Coins(ctx, minji.Account(), client.PageRequest{Size: 1})
	require.NoError(t, err)
	_, _, err = minji.PlaceOrder(ctx, client.PlaceOrderRequest{ID: "too-much", Listing: listing("cushion"), Quantity: 4}, client.WithInputs(coins.Coins[0].ID))
	requireCode(t, err, errs.ErrInsufficientFunds)

	// Every balance: the ledger holds exactly what was minted.
	waitingReserve := "~reserve:" + jisoo.Account() + ":j-2" // j-2 is not reviewed: its reserve waits for the review window
	want := map[string]uint64{
		admin.Account():                       700_000,
		client.CampaignPool:                   99_000,
		minji.Account():                       100_000 - 24_000 + 240 + 200 + 100 + 1200 + 120 + 500,
		jisoo.Account():                       100_000 - 12_000 + 120 - 24_000 + 11_750 + 240 + 200 + 100 + 500,
		brand.Account():                       12_000 + 6000 + 6854,
		seller.Account():                      10_800 + 4200 + 4309,
		moderator.Account():                   500,
		"~platform.fees":                      660 + 60 + 47,
		waitingReserve:                        300,
		"~escrow:" + jisoo.Account() + ":j-2": 0,
	}
	var total uint64
	for who, n := range want {
		got, err := auditor.Balance(ctx, who)
		require.NoError(t, err)
		require.Equal(t, n, got.Uint64(), who)
		total += n
	}
	require.EqualValues(t, 1_000_000, total, "the balances above are all the money")
	audit, err := auditor.Audit(ctx)
	require.NoError(t, err)
	require.True(t, audit.OK)
	require.EqualValues(t, 1_000_000, audit.Held.Uint64())

	// Stock.
	for id, left := range map[string]uint64{"green-tea-toner": 117, "cushion-21": 59, "rice-lip-balm": 300} {
		p, err := auditor.Product(ctx, client.ProductRef{Supplier: brand.Account(), ID: id})
		require.NoError(t, err)
		require.Equal(t, left, p.Available, id)
	}

	// The sales ledger: three records, their day's totals, reconciled.
	page, err := auditor.SalesBySupplier(ctx, brand.Account(), client.SalesRange{}, client.PageRequest{})
	require.NoError(t, err)
	require.Len(t, page.Records, 3)
	byOrder := map[string]client.Sale{}
	for _, s := range page.Records {
		byOrder[s.Order] = s
	}
	require.Equal(t, amount(12_000), byOrder["o-1"].SupplierAmount)
	require.Equal(t, amount(1200), byOrder["j-1"].Commission)
	require.Equal(t, minji.Account(), byOrder["j-1"].Referrer)
	require.Equal(t, amount(11_750), byOrder["j-2"].Refund)
	require.Equal(t, amount(500), byOrder["j-2"].ModeratorFee)
	day := time.Now().UTC()
	totals, err := brand.DailyTotals(ctx, day, client.SupplierScope(brand.Account()))
	require.NoError(t, err)
	require.Equal(t, client.Totals{
		Orders: 3, Quantity: 4, Gross: amount(60_000), Refund: amount(11_750), SupplierAmount: amount(24_854),
		Commission: amount(1200), PlatformFee: amount(1200 + 600 + 587), ModeratorFee: amount(500), SellerAmount: amount(19_309),
	}, totals)
	report, err := auditor.Reconcile(ctx, day)
	require.NoError(t, err)
	require.True(t, report.OK, "%+v", report)

	// The events: every business event once, in ledger order.
	h, err = n.Height(n.Peer("Org1"))
	require.NoError(t, err)
	events := follower.stop(t, h-1)
	cli.waitFor(h - 1)
	cli.kill()
	fromCLI := cli.events()
	require.Len(t, fromCLI, len(events), "the killed and restarted CLI printed every event once")
	for i, e := range events {
		require.Equal(t, fmt.Sprintf("%s/%d %s", e.TxID, e.Index, e.Type), fmt.Sprintf("%s/%d %s", fromCLI[i].TxID, fromCLI[i].Index, fromCLI[i].Type))
	}
	seen := map[string]bool{}
	count := map[string]int{}
	for _, e := range events {
		key := fmt.Sprintf("%s/%d", e.TxID, e.Index)
		require.False(t, seen[key], "event %s delivered twice", key)
		seen[key] = true
		count[e.Type]++
	}
	for typ, n := range map[string]int{
		"config.initialised": 1, "product.registered": 3, "store.opened": 1, "store.listing_added": 3,
		"order.placed": 3, "order.shipped": 3, "order.disputed": 1, "order.settled": 3, "sales.recorded": 3,
		"review.posted": 2, "store.personal_opened": 2, "moderation.registered": 1,
	} {
		require.Equal(t, n, count[typ], typ)
	}
}

func parse(t *testing.T, s string) money.Amount {
	a, err := money.ParseAmount(s)
	require.NoError(t, err)
	return a
}

// reorder returns the same JSON object with its keys in reverse order.
func reorder(t *testing.T, obj json.RawMessage) json.RawMessage {
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(obj, &m))
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	var b strings.Builder
	b.WriteString("{")
	for i := len(keys) - 1; i >= 0; i-- {
		if i < len(keys)-1 {
			b.WriteString(",")
		}
		k, _ := json.Marshal(keys[i])
		b.Write(k)
		b.WriteString(":")
		b.Write(m[keys[i]])
	}
	b.WriteString("}")
	return json.RawMessage(b.String())
}

// requireCode checks that err carries code through the gateway.
func requireCode(t *testing.T, err error, code *errs.Error) {
	t.Helper()
	require.ErrorIs(t, err, code)
	var tx *client.TxError
	require.ErrorAs(t, err, &tx, "the phase that failed is typed")
}

// follower runs client.FollowEvents in the background and collects the
// events it hands over.
type follower struct {
	c      *client.Client
	path   string
	mu     sync.Mutex
	got    []client.Event
	stopFn func()
	done   chan error
}

func newFollower(t *testing.T, c *client.Client, path string) *follower {
	f := &follower{c: c, path: path}
	t.Cleanup(func() {
		if f.stopFn != nil {
			f.stopFn()
			<-f.done
		}
	})
	return f
}

func (f *follower) start(ctx context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	f.stopFn, f.done = cancel, make(chan error, 1)
	go func() {
		f.done <- f.c.FollowEvents(ctx, f.path, func(e client.Event) error {
			f.mu.Lock()
			defer f.mu.Unlock()
			f.got = append(f.got, e)
			return nil
		})
	}()
}

func (f *follower) restart(ctx context.Context) {
	f.stopFn()
	<-f.done
	f.start(ctx)
}

// stop waits until the follower has seen block last, stops it and
// returns what it collected.
func (f *follower) stop(t *testing.T, last uint64) []client.Event {
	t.Helper()
	require.Eventually(t, func() bool {
		f.mu.Lock()
		defer f.mu.Unlock()
		return len(f.got) > 0 && f.got[len(f.got)-1].BlockNumber >= last
	}, 30*time.Second, 50*time.Millisecond, "the follower reaches block %d", last)
	f.stopFn()
	<-f.done
	f.stopFn = nil
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]client.Event(nil), f.got...)
}

// cliFollower runs `likr events --follow --json --checkpoint FILE` as a
// separate process, appending what it prints to one file across restarts.
type cliFollower struct {
	t               *testing.T
	bin, network    string
	checkpoint, out string
	cmd             *exec.Cmd
}

func newCLIFollower(t *testing.T, n *testnetwork.Network) *cliFollower {
	dir := t.TempDir()
	f := &cliFollower{t: t, bin: filepath.Join(dir, "likr"), network: n.Dir,
		checkpoint: filepath.Join(dir, "cli.checkpoint"), out: filepath.Join(dir, "events.jsonl")}
	build := exec.Command("go", "build", "-o", f.bin, "./cmd/likr")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)
	t.Cleanup(f.kill)
	return f
}

func (f *cliFollower) start() {
	out, err := os.OpenFile(f.out, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	require.NoError(f.t, err)
	defer out.Close()
	f.cmd = exec.Command(f.bin, "--profile", "auditor", "--network", f.network, "--json",
		"events", "--follow", "--checkpoint", f.checkpoint)
	f.cmd.Stdout, f.cmd.Stderr = out, os.Stderr
	require.NoError(f.t, f.cmd.Start())
}

// kill SIGKILLs the follower: no chance to finish or checkpoint anything.
func (f *cliFollower) kill() {
	if f.cmd == nil {
		return
	}
	_ = f.cmd.Process.Kill()
	_ = f.cmd.Wait()
	f.cmd = nil
}

type cliEvent struct {
	Block uint64 `json:"block"`
	TxID  string `json:"txId"`
	Index int    `json:"index"`
	Type  string `json:"type"`
}

func (f *cliFollower) events() []cliEvent {
	data, err := os.ReadFile(f.out)
	require.NoError(f.t, err)
	var events []cliEvent
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if line == "" {
			continue
		}
		var e cliEvent
		require.NoError(f.t, json.Unmarshal([]byte(line), &e), "%s", line)
		events = append(events, e)
	}
	return events
}

// waitFor waits until the follower has printed an event of block last.
func (f *cliFollower) waitFor(last uint64) {
	f.t.Helper()
	require.Eventually(f.t, func() bool {
		events := f.events()
		return len(events) > 0 && events[len(events)-1].Block >= last
	}, 30*time.Second, 50*time.Millisecond, "the CLI follower reaches block %d", last)
}
