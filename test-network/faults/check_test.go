package faults_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/client"
)

// view is what one org's peer answers, as the auditor, to every query the
// checks compare. Both peers must give the same bytes.
type view struct {
	org       string
	orders    map[string][]client.Order // by buyer name, all pages
	balances  map[string]uint64         // by buyer name
	audit     client.AuditReport
	supply    client.SupplyReport
	products  map[string]client.Product // by product ID
	sales     []client.Sale             // every sale, in settlement order
	reconcile []client.ReconcileReport  // one per day the test ran
}

// read collects a view through org's gateway. The gateway evaluates on its
// own org's peer first, and the checks run with both peers up, so each
// view is one peer's.
func (w *world) read(t *testing.T, org string) view {
	t.Helper()
	ctx := w.ctx
	c := w.dial(t, "auditor", org, client.WithTimeouts(loadTimeouts))
	v := view{org: org, orders: map[string][]client.Order{}, balances: map[string]uint64{}, products: map[string]client.Product{}}
	var err error
	for _, b := range w.tracked {
		for page := (client.PageRequest{}); ; {
			p, err := c.OrdersByBuyer(ctx, b.c.Account(), page)
			require.NoError(t, err, "%s: orders of %s", org, b.name)
			v.orders[b.name] = append(v.orders[b.name], p.Orders...)
			if p.Bookmark == "" {
				break
			}
			page.Bookmark = p.Bookmark
		}
		bal, err := c.Balance(ctx, b.c.Account())
		require.NoError(t, err, "%s: balance of %s", org, b.name)
		v.balances[b.name] = bal.Uint64()
	}
	v.audit, err = c.Audit(ctx)
	require.NoError(t, err, org)
	v.supply, err = c.Supply(ctx)
	require.NoError(t, err, org)
	for ref := range w.stockCopy() {
		v.products[ref.ID], err = c.Product(ctx, ref)
		require.NoError(t, err, "%s: product %s", org, ref.ID)
	}
	for page := (client.PageRequest{}); ; {
		p, err := c.SalesByTime(ctx, client.SalesRange{}, page)
		require.NoError(t, err, "%s: sales", org)
		v.sales = append(v.sales, p.Records...)
		if p.Bookmark == "" {
			break
		}
		page.Bookmark = p.Bookmark
	}
	for _, day := range w.testDays() {
		r, err := c.Reconcile(ctx, day)
		require.NoError(t, err, "%s: reconcile %s", org, day.Format(time.DateOnly))
		v.reconcile = append(v.reconcile, r)
	}
	return v
}

func (w *world) stockCopy() map[client.ProductRef]uint64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := map[client.ProductRef]uint64{}
	for k, v := range w.stockIn {
		out[k] = v
	}
	return out
}

func (w *world) ackedCopy() map[client.OrderRef]bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := map[client.OrderRef]bool{}
	for k, v := range w.acked {
		out[k] = v
	}
	return out
}

// testDays are the UTC days from the test's start to now (sales are
// totalled per UTC day, and a run may cross midnight).
func (w *world) testDays() []time.Time {
	var days []time.Time
	end := time.Now().UTC().Truncate(24 * time.Hour)
	for d := w.start.UTC().Truncate(24 * time.Hour); !d.After(end); d = d.Add(24 * time.Hour) {
		days = append(days, d)
	}
	return days
}

// checkResult is what verify measured.
type checkResult struct {
	height  uint64
	orders  int // orders on the ledger (each peer)
	acked   int
	sales   int
	settle  time.Duration // until every node was at one height
	elapsed time.Duration
}

// verify checks the network after a fault, with no load running: every
// peer and orderer at one height; every acknowledged order on both peers;
// the supply audit and each day's sales reconciliation pass; every buyer's
// funding is exactly its balance plus its orders' totals (an order applied
// twice, or paid without being recorded, breaks it); every unit put into a
// product is available or in an order; and both peers answer every query
// identically.
func (w *world) verify(t *testing.T, fault string) checkResult {
	t.Helper()
	start := time.Now()
	height, err := w.n.WaitSameHeight(w.ctx)
	require.NoError(t, err)
	res := checkResult{height: height, settle: time.Since(start)}

	views := []view{w.read(t, "Org1"), w.read(t, "Org2")}
	// No one wrote while reading.
	after, err := w.n.WaitSameHeight(w.ctx)
	require.NoError(t, err)
	require.Equal(t, height, after, "the ledger grew during the checks")

	a, b := views[0], views[1]
	for _, part := range []struct {
		name string
		x, y any
	}{
		{"orders", a.orders, b.orders}, {"balances", a.balances, b.balances}, {"audit", a.audit, b.audit},
		{"supply", a.supply, b.supply}, {"products", a.products, b.products}, {"sales", a.sales, b.sales},
		{"reconcile", a.reconcile, b.reconcile},
	} {
		require.JSONEq(t, mustJSON(t, part.x), mustJSON(t, part.y), "%s: Org1's and Org2's peers differ", part.name)
	}

	require.True(t, a.audit.OK, "supply audit: %+v", a.audit)
	require.Equal(t, a.supply.Circulating, a.audit.Held, "every coin minted and not burned is held")
	for _, r := range a.reconcile {
		require.True(t, r.OK, "reconcile %s: %+v", r.Day, r)
	}

	present := map[client.OrderRef]client.Order{}
	sold := map[string]uint64{} // units ordered, by product ID
	for _, buyer := range w.tracked {
		var spent uint64
		for _, o := range a.orders[buyer.name] {
			_, dup := present[o.Ref()]
			require.False(t, dup, "order %s listed twice", o.ID)
			present[o.Ref()] = o
			require.Equal(t, buyer.c.Account(), o.Buyer)
			spent += o.Total.Uint64()
			sold[o.Product.ID] += o.Quantity
			res.orders++
		}
		require.Equal(t, buyer.funded, a.balances[buyer.name]+spent,
			"%s: funded %d = balance %d + order totals %d", buyer.name, buyer.funded, a.balances[buyer.name], spent)
	}
	acked := w.ackedCopy()
	for ref := range acked {
		_, ok := present[ref]
		require.True(t, ok, "acknowledged order %s of %s is not on the ledger", ref.ID, ref.Buyer)
	}
	res.acked = len(acked)
	for ref, in := range w.stockCopy() {
		p := a.products[ref.ID]
		require.Equal(t, in, p.Available+sold[ref.ID], "product %s: %d units in = %d available + %d ordered", ref.ID, in, p.Available, sold[ref.ID])
	}
	settled := 0
	for _, o := range present {
		if o.Status == "completed" {
			settled++
		}
	}
	require.Len(t, a.sales, settled, "one sales record per completed order")
	res.sales = len(a.sales)
	res.elapsed = time.Since(start)
	t.Logf("RESULT %s: checked at height %d (all nodes equal after %s): %d orders on both peers, %d acknowledged, %d sales; audit and reconcile ok; peers identical (checks took %s)",
		fault, res.height, fmtDur(res.settle), res.orders, res.acked, res.sales, fmtDur(res.elapsed))
	return res
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	data, err := json.Marshal(v)
	require.NoError(t, err)
	return string(data)
}
