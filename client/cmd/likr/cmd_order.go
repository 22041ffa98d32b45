package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/likrcommerce/likr/client"
)

func orderGroup() *group {
	return newGroup("order", "order", "orders: escrow, shipping, settlement, refunds and disputes",
		&command{name: "place", flags: "--id ID --listing OWNER/STORE/LISTING [--qty N] [--referrer OWNER/STORE]", summary: "order a listing and pay its price into escrow (anyone, as the buyer)",
			tx: []string{"order:Place"}, setup: orderPlace},
		&command{name: "ship", flags: "--carrier CARRIER --tracking NUMBER", args: "[BUYER/]ID", summary: "report the shipment of an order (the store owner or the supplier)",
			tx: []string{"order:Ship"}, minArgs: 1, maxArgs: 1, setup: orderShip},
		&command{name: "confirm", args: "[BUYER/]ID", summary: "confirm delivery: the escrow pays out (the buyer)",
			tx: []string{"order:ConfirmDelivery"}, minArgs: 1, maxArgs: 1, setup: orderStep(API.ConfirmDelivery)},
		&command{name: "release", args: "[BUYER/]ID", summary: "settle a shipped order after its auto-release time (anyone)",
			tx: []string{"order:Release"}, minArgs: 1, maxArgs: 1, setup: orderStep(API.ReleaseOrder)},
		&command{name: "cancel", args: "[BUYER/]ID", summary: "cancel before shipping, fully refunded (the buyer)",
			tx: []string{"order:Cancel"}, minArgs: 1, maxArgs: 1, setup: orderStep(API.CancelOrder)},
		&command{name: "reject", flags: "--reason TEXT", args: "[BUYER/]ID", summary: "refuse an order before shipping, fully refunded (the store owner)",
			tx: []string{"order:Reject"}, minArgs: 1, maxArgs: 1, setup: orderReject},
		&command{name: "get", args: "[BUYER/]ID", summary: "show an order (its parties, auditors, admins)",
			tx: []string{"order:Get"}, minArgs: 1, maxArgs: 1,
			setup: recordCmd(firstArg((*session).orderRef), API.Order, (*session).orderFields)},
		&command{name: "list", flags: "[--buyer ACCOUNT | --store OWNER/STORE | --supplier ACCOUNT]", summary: "list orders by --buyer (default you), --store or --supplier",
			tx: []string{"order:ListByBuyer", "order:ListByStore", "order:ListBySupplier"}, setup: orderList},
		&command{name: "dispute", flags: "--moderator ACCOUNT --reason TEXT", args: "[BUYER/]ID", summary: "put a shipped order before a moderator (the buyer)",
			tx: []string{"order:OpenDispute"}, minArgs: 1, maxArgs: 1, setup: orderDispute},
		&command{name: "resolve", flags: "--buyer-share-bps BPS [--fee AMOUNT]", args: "BUYER/ID", summary: "settle a dispute (its moderator; an admin after the timeout)",
			tx: []string{"order:ResolveDispute"}, minArgs: 1, maxArgs: 1, setup: orderResolve},
		&command{name: "expire-reserve", args: "BUYER/ID", summary: "return an unclaimed review reward reserve after the review window (anyone)",
			tx: []string{"order:ExpireReserve"}, minArgs: 1, maxArgs: 1, setup: orderStep(API.ExpireReserve)},
	)
}

func orderPlace(fs *flag.FlagSet) runFunc {
	req := requestFlag(fs)
	id := fs.String("id", "", "your `ID` for the order")
	listing := fs.String("listing", "", "the listing to buy, `OWNER/STORE/LISTING`")
	qty := fs.Uint64("qty", 1, "how many `UNITS`")
	referrer := fs.String("referrer", "", "the shop that referred you, `OWNER/STORE`; it earns the listing's commission")
	coins := coinsFlag(fs)
	return func(ctx context.Context, s *session, _ []string) error {
		var r client.PlaceOrderRequest
		err := s.request(*req, &r, func() error {
			if *id == "" || *listing == "" {
				return s.cmd.usageErr("give --id and --listing (and --qty, --referrer), or --request FILE")
			}
			ref, err := s.listingRef(ctx, *listing)
			if err != nil {
				return err
			}
			r = client.PlaceOrderRequest{ID: *id, Listing: ref, Quantity: *qty}
			if *referrer == "" {
				return nil
			}
			shop, err := s.storeRef(ctx, *referrer)
			if err != nil {
				return err
			}
			r.Referrer = &shop
			return nil
		})
		if err != nil {
			return err
		}
		return submitOrder(ctx, s, func(api API) (client.Order, client.Receipt, error) {
			return api.PlaceOrder(ctx, r, payOptions(*coins)...)
		})
	}
}

// submitOrder connects, makes a write that returns the order, and prints
// it.
func submitOrder(ctx context.Context, s *session, call func(API) (client.Order, client.Receipt, error)) error {
	return submit(ctx, s, call, func(o client.Order) *fields { return s.orderFields(ctx, o) })
}

// writeOrder makes the write call of order args[0] with the request r:
// the one of --request FILE (file), else the one fromFlags builds; r holds
// already what the file leaves out.
func writeOrder[Req any](ctx context.Context, s *session, args []string, file string, r *Req, fromFlags func() error,
	call func(API, context.Context, client.OrderRef, Req) (client.Order, client.Receipt, error)) error {
	ref, err := s.orderRef(ctx, args[0])
	if err != nil {
		return err
	}
	if err := s.request(file, r, fromFlags); err != nil {
		return err
	}
	return submitOrder(ctx, s, func(api API) (client.Order, client.Receipt, error) { return call(api, ctx, ref, *r) })
}

func orderShip(fs *flag.FlagSet) runFunc {
	req := requestFlag(fs)
	carrier := fs.String("carrier", "", "the `CARRIER`")
	tracking := fs.String("tracking", "", "the tracking `NUMBER`")
	return func(ctx context.Context, s *session, args []string) error {
		r := client.ShipOrderRequest{Carrier: *carrier, Tracking: *tracking}
		return writeOrder(ctx, s, args, *req, &r, func() error {
			if *carrier == "" || *tracking == "" {
				return s.cmd.usageErr("give --carrier and --tracking, or --request FILE")
			}
			return nil
		}, API.ShipOrder)
	}
}

// orderStep is a command that moves an order on with step and no more
// arguments.
func orderStep(step func(API, context.Context, client.OrderRef) (client.Order, client.Receipt, error)) func(*flag.FlagSet) runFunc {
	return func(*flag.FlagSet) runFunc {
		return func(ctx context.Context, s *session, args []string) error {
			ref, err := s.orderRef(ctx, args[0])
			if err != nil {
				return err
			}
			return submitOrder(ctx, s, func(api API) (client.Order, client.Receipt, error) { return step(api, ctx, ref) })
		}
	}
}

func orderReject(fs *flag.FlagSet) runFunc {
	reason := fs.String("reason", "", "why, for the buyer (`TEXT`, required)")
	return func(ctx context.Context, s *session, args []string) error {
		if *reason == "" {
			return s.cmd.usageErr("give the buyer a reason with --reason TEXT")
		}
		ref, err := s.orderRef(ctx, args[0])
		if err != nil {
			return err
		}
		return submitOrder(ctx, s, func(api API) (client.Order, client.Receipt, error) { return api.RejectOrder(ctx, ref, *reason) })
	}
}

func orderDispute(fs *flag.FlagSet) runFunc {
	req := requestFlag(fs)
	moderator := fs.String("moderator", "", "the moderator's `ACCOUNT` (likr moderation list)")
	reason := fs.String("reason", "", "what went wrong (`TEXT`)")
	return func(ctx context.Context, s *session, args []string) error {
		var r client.DisputeRequest
		return writeOrder(ctx, s, args, *req, &r, func() error {
			if *moderator == "" || *reason == "" {
				return s.cmd.usageErr("give --moderator ACCOUNT and --reason TEXT, or --request FILE")
			}
			acct, err := s.account(*moderator)
			if err != nil {
				return err
			}
			r = client.DisputeRequest{Moderator: acct, Reason: *reason}
			return nil
		}, API.OpenDispute)
	}
}

func orderResolve(fs *flag.FlagSet) runFunc {
	req := requestFlag(fs)
	share := fs.String("buyer-share-bps", "", "the buyer's share of the total after the fee, in basis points (`BPS`, 10000 = all)")
	fee := fs.String("fee", "0", "your fee `AMOUNT`, at most the one fixed when the dispute opened (0 for an admin)")
	return func(ctx context.Context, s *session, args []string) error {
		var r client.ResolveRequest
		return writeOrder(ctx, s, args, *req, &r, func() error {
			if *share == "" {
				return s.cmd.usageErr("give the buyer's share with --buyer-share-bps BPS (and --fee AMOUNT)")
			}
			var v flagValues
			v.rate(true, &r.BuyerShareBps, "--buyer-share-bps", *share)
			v.amount(true, &r.Fee, "--fee", *fee)
			return v.err
		}, API.ResolveDispute)
	}
}

// orderFields is an order as a record, the parts it has so far.
func (s *session) orderFields(ctx context.Context, o client.Order) *fields {
	var f fields
	f.add("order", s.ref(o.Buyer, o.ID))
	f.add("status", o.Status)
	f.add("product", s.ref(o.Product.Supplier, o.Product.ID)+" v"+strconv.FormatUint(o.ProductVersion, 10))
	f.add("name", s.productLabel(ctx, o.Product))
	f.add("listing", s.ref(o.Listing.Owner, o.Listing.Store, o.Listing.ID))
	f.add("quantity", strconv.FormatUint(o.Quantity, 10))
	f.add("unit price", lkc(o.UnitPrice))
	total := lkc(o.Total)
	if o.Status == "placed" || o.Status == "shipped" || o.Status == "disputed" {
		total += " in escrow"
	}
	f.add("total", total)
	if o.Referrer != nil {
		f.add("referrer", s.ref(o.Referrer.Owner, o.Referrer.ID)+", commission "+pct(o.ReferralBps))
	}
	f.add("placed", when(o.PlacedAt))
	if sh := o.Shipment; sh != nil {
		f.add("shipped", fmt.Sprintf("%s by %s, %s %s", when(sh.ShippedAt), s.who(sh.ShippedBy), sh.Carrier, sh.Tracking))
		if o.Status == "shipped" {
			f.add("auto-release", "from "+when(sh.ReleaseAfter))
		}
	}
	if d := o.Dispute; d != nil {
		f.add("dispute", fmt.Sprintf("before %s since %s, fee at most %s", s.who(d.Moderator), when(d.OpenedAt), lkc(d.MaxFee)))
		f.add("  reason", d.Reason)
		if res := d.Resolution; res != nil {
			by := s.who(res.By)
			if res.Fallback {
				by += " (admin fallback)"
			}
			f.add("  resolved", fmt.Sprintf("%s by %s: buyer share %s, fee %s, refund %s", when(res.ResolvedAt), by, pct(res.BuyerShareBps), lkc(res.Fee), lkc(res.Refund)))
		} else {
			f.add("  admin after", when(d.FallbackAfter))
		}
	}
	if st := o.Settlement; st != nil {
		f.add("settled", st.Trigger+", "+when(o.ClosedAt))
		f.addAmounts("  supplier", st.SupplierAmount, "  commission", st.Commission, "  platform fee", st.PlatformFee,
			"  seller", st.SellerAmount, "  moderator fee", st.ModeratorFee, "  refund", st.Refund)
	}
	if r := o.Refund; r != nil {
		f.add("refunded", fmt.Sprintf("%s to the buyer, by %s, %s", lkc(r.Amount), s.who(r.By), when(o.ClosedAt)))
		f.add("  reason", r.Reason)
	}
	if rw := o.Rewards; rw != nil {
		f.add("rewards", " ")
		f.add("  purchase", lkcIf(rw.Purchase))
		f.add("  referred sale", lkcIf(rw.ReferredSale))
		f.add("  review", reserved(rw.Review, rw.ReserveClosed))
		f.add("  conversion", reserved(rw.Conversion, rw.ReserveClosed))
		if rw.ReserveClosed == "" && rw.ReserveUntil != "" {
			f.add("  reserved until", when(rw.ReserveUntil))
		}
	}
	return &f
}

// reserved describes a reward held in an order's reserve.
func reserved(a interface{ IsZero() bool }, closed string) string {
	if a.IsZero() {
		return ""
	}
	state := "reserved"
	switch closed {
	case "review":
		state = "paid"
	case "expired":
		state = "returned to the platform"
	}
	return fmt.Sprintf("%v LKC %s", a, state)
}

func orderList(fs *flag.FlagSet) runFunc {
	p := addPager(fs)
	buyer := fs.String("buyer", "", "a buyer's `ACCOUNT` (default you)")
	store := fs.String("store", "", "the orders placed at store `OWNER/STORE`")
	supplier := fs.String("supplier", "", "the orders of supplier `ACCOUNT`'s products")
	return func(ctx context.Context, s *session, _ []string) error {
		if given(*buyer, *store, *supplier) > 1 {
			return s.cmd.usageErr("give one of --buyer, --store and --supplier")
		}
		var source pageSource[client.OrderPage]
		switch {
		case *store != "":
			ref, err := s.storeRef(ctx, *store)
			if err != nil {
				return err
			}
			source = pagesOf(API.OrdersByStore, ref)
		case *supplier != "":
			acct, err := s.account(*supplier)
			if err != nil {
				return err
			}
			source = pagesOf(API.OrdersBySupplier, acct)
		default:
			var named []string
			if *buyer != "" {
				named = []string{*buyer}
			}
			acct, err := s.accountOrMe(ctx, named, 0)
			if err != nil {
				return err
			}
			source = pagesOf(API.OrdersByBuyer, acct)
		}
		return showPages(ctx, s, p, orderPage, source, func(w io.Writer, orders []client.Order) error {
			t := newTable("ORDER", "STATUS", "PRODUCT", "NAME~24", "QTY>", "TOTAL>", "LISTING", "PLACED")
			return rows(w, "no orders", t, orders, func(o client.Order) []string {
				return []string{s.ref(o.Buyer, o.ID), o.Status, s.ref(o.Product.Supplier, o.Product.ID), s.productLabel(ctx, o.Product),
					strconv.FormatUint(o.Quantity, 10), lkc(o.Total), s.ref(o.Listing.Owner, o.Listing.Store, o.Listing.ID), when(o.PlacedAt)}
			})
		})
	}
}

func orderPage(p *client.OrderPage) (*[]client.Order, *string) { return &p.Orders, &p.Bookmark }

// given counts the flags that have a value.
func given(values ...string) int {
	n := 0
	for _, v := range values {
		if v != "" {
			n++
		}
	}
	return n
}

func salesGroup() *group {
	return newGroup("sales", "sales", "the sales ledger: a record per settled order, totals and reconciliation",
		&command{name: "get", args: "[BUYER/]ORDER", summary: "show the sales record of a settled order",
			tx: []string{"sales:Get"}, minArgs: 1, maxArgs: 1, setup: recordCmd(firstArg((*session).orderRef), API.Sale, (*session).saleFields)},
		&command{name: "by-supplier", args: "[ACCOUNT]", summary: "list a supplier's sales (yours by default)",
			tx: []string{"sales:BySupplier"}, maxArgs: 1, setup: salesBy(accountArg, API.SalesBySupplier)},
		&command{name: "by-store", args: "[OWNER/]STORE", summary: "list a store's sales",
			tx: []string{"sales:ByStore"}, minArgs: 1, maxArgs: 1, setup: salesBy(firstArg((*session).storeRef), API.SalesByStore)},
		&command{name: "by-product", args: "[SUPPLIER/]ID", summary: "list a product's sales",
			tx: []string{"sales:ByProduct"}, minArgs: 1, maxArgs: 1, setup: salesBy(firstArg((*session).productRef), API.SalesByProduct)},
		&command{name: "by-referrer", args: "[ACCOUNT]", summary: "list the sales a referrer earned commission on (yours by default)",
			tx: []string{"sales:ByReferrer"}, maxArgs: 1, setup: salesBy(accountArg, API.SalesByReferrer)},
		&command{name: "by-time", flags: "[--from TIME] [--to TIME]", summary: "list every sale settled in --from..--to (auditor, admin)",
			tx: []string{"sales:ByTime"}, setup: salesBy(noArgs, salesByTime)},
		&command{name: "totals", flags: "[--day DAY] --supplier ACCOUNT | --store OWNER/STORE | --product SUPPLIER/ID", summary: "show a day's totals of a --supplier, --store or --product",
			tx: []string{"sales:DailyTotals"}, setup: salesTotals},
		&command{name: "reconcile", flags: "[--day DAY]", summary: "check a day's sales records against its totals (auditor, admin; exit 1 on a mismatch)",
			tx: []string{"sales:Reconcile"}, setup: salesReconcile},
	)
}

// saleFields is a sales record as a record.
func (s *session) saleFields(ctx context.Context, sale client.Sale) *fields {
	var f fields
	product := client.ProductRef{Supplier: sale.Supplier, ID: sale.Product}
	f.add("order", s.ref(sale.Buyer, sale.Order))
	f.add("product", s.ref(sale.Supplier, sale.Product)+" v"+strconv.FormatUint(sale.ProductVersion, 10))
	f.add("name", s.productLabel(ctx, product))
	f.add("listing", s.ref(sale.StoreOwner, sale.Store, sale.Listing))
	if sale.Referrer != "" {
		f.add("referrer", s.ref(sale.Referrer, sale.ReferrerStore))
	}
	f.add("quantity", strconv.FormatUint(sale.Quantity, 10))
	f.add("unit price", lkc(sale.UnitPrice))
	f.addAmounts("total", sale.Total, "  supplier", sale.SupplierAmount, "  commission", sale.Commission,
		"  platform fee", sale.PlatformFee, "  seller", sale.SellerAmount, "  moderator fee", sale.ModeratorFee, "  refund", sale.Refund)
	f.add("placed", when(sale.PlacedAt))
	f.add("settled", when(sale.SettledAt))
	f.add("tx", sale.TxID)
	f.add("attributes hash", sale.AttributesHash)
	return &f
}

// rangeFlags are the flags of a sales time range.
type rangeFlags struct{ from, to string }

func addRangeFlags(fs *flag.FlagSet) *rangeFlags {
	r := &rangeFlags{}
	fs.StringVar(&r.from, "from", "", "settled at or after `TIME` (a day or RFC 3339)")
	fs.StringVar(&r.to, "to", "", "settled before `TIME`")
	return r
}

func (r *rangeFlags) parse() (client.SalesRange, error) {
	from, err := parseTime("--from", r.from)
	if err != nil {
		return client.SalesRange{}, err
	}
	to, err := parseTime("--to", r.to)
	return client.SalesRange{From: from, To: to}, err
}

// salesBy is a command that lists the sales, settled in --from..--to, of
// what its arguments name: resolve makes them what list takes.
func salesBy[R any](resolve resolver[R],
	list func(API, context.Context, R, client.SalesRange, client.PageRequest) (client.SalePage, error)) func(*flag.FlagSet) runFunc {
	return func(fs *flag.FlagSet) runFunc {
		p := addPager(fs)
		rf := addRangeFlags(fs)
		return func(ctx context.Context, s *session, args []string) error {
			r, err := rf.parse()
			if err != nil {
				return err
			}
			ref, err := resolve(s, ctx, args)
			if err != nil {
				return err
			}
			source := func(api API, ctx context.Context, page client.PageRequest) (client.SalePage, error) {
				return list(api, ctx, ref, r, page)
			}
			return showPages(ctx, s, p, salePage, source, func(w io.Writer, sales []client.Sale) error {
				return s.salesTable(ctx, w, sales)
			})
		}
	}
}

func salePage(p *client.SalePage) (*[]client.Sale, *string) { return &p.Records, &p.Bookmark }

// salesByTime is API.SalesByTime as salesBy takes it.
func salesByTime(api API, ctx context.Context, _ struct{}, r client.SalesRange, page client.PageRequest) (client.SalePage, error) {
	return api.SalesByTime(ctx, r, page)
}

func (s *session) salesTable(ctx context.Context, w io.Writer, sales []client.Sale) error {
	t := newTable("SETTLED", "ORDER", "PRODUCT", "NAME~24", "QTY>", "TOTAL>", "SUPPLIER>", "COMMISSION>", "PLATFORM>", "SELLER>")
	return rows(w, "no sales", t, sales, func(sale client.Sale) []string {
		product := client.ProductRef{Supplier: sale.Supplier, ID: sale.Product}
		return []string{when(sale.SettledAt), s.ref(sale.Buyer, sale.Order), s.ref(sale.Supplier, sale.Product), s.productLabel(ctx, product),
			strconv.FormatUint(sale.Quantity, 10), lkc(sale.Total), lkc(sale.SupplierAmount), lkc(sale.Commission),
			lkc(sale.PlatformFee), lkc(sale.SellerAmount)}
	})
}

func salesTotals(fs *flag.FlagSet) runFunc {
	day := fs.String("day", "", "the UTC `DAY`, 2025-05-01 (default today)")
	supplier := fs.String("supplier", "", "the totals of supplier `ACCOUNT`")
	store := fs.String("store", "", "the totals of store `OWNER/STORE`")
	product := fs.String("product", "", "the totals of product `SUPPLIER/ID`")
	return func(ctx context.Context, s *session, _ []string) error {
		d, err := parseDay("--day", *day, time.Now())
		if err != nil {
			return err
		}
		if given(*supplier, *store, *product) != 1 {
			return s.cmd.usageErr("give whose totals: one of --supplier ACCOUNT, --store OWNER/STORE and --product SUPPLIER/ID")
		}
		var scope client.Scope
		var what string
		switch {
		case *supplier != "":
			acct, err := s.account(*supplier)
			if err != nil {
				return err
			}
			scope, what = client.SupplierScope(acct), "supplier "+s.who(acct)
		case *store != "":
			ref, err := s.storeRef(ctx, *store)
			if err != nil {
				return err
			}
			scope, what = client.StoreScope(ref), "store "+s.ref(ref.Owner, ref.ID)
		case *product != "":
			ref, err := s.productRef(ctx, *product)
			if err != nil {
				return err
			}
			scope, what = client.ProductScope(ref), "product "+s.ref(ref.Supplier, ref.ID)
		}
		t, err := read(ctx, s, func(api API, ctx context.Context) (client.Totals, error) { return api.DailyTotals(ctx, d, scope) })
		if err != nil {
			return err
		}
		return s.show(t, func(w io.Writer) error {
			var f fields
			f.add("totals of", what+" on "+d.Format(time.DateOnly)+" (UTC)")
			f.add("orders", strconv.FormatUint(t.Orders, 10))
			f.add("quantity", strconv.FormatUint(t.Quantity, 10))
			f.addAmounts("gross", t.Gross, "  supplier", t.SupplierAmount, "  commission", t.Commission,
				"  platform fee", t.PlatformFee, "  seller", t.SellerAmount, "  moderator fee", t.ModeratorFee, "  refund", t.Refund)
			return f.render(w)
		})
	}
}

func salesReconcile(fs *flag.FlagSet) runFunc {
	day := fs.String("day", "", "the UTC `DAY`, 2025-05-01 (default today)")
	return func(ctx context.Context, s *session, _ []string) error {
		d, err := parseDay("--day", *day, time.Now())
		if err != nil {
			return err
		}
		r, err := readBy(ctx, s, API.Reconcile, d)
		if err != nil {
			return err
		}
		return s.showCheck(r, func(w io.Writer) error {
			var f fields
			f.add("day", r.Day+" (UTC)")
			f.add("records", strconv.FormatUint(r.Records, 10))
			f.add("scopes", strconv.FormatUint(r.Scopes, 10))
			f.add("result", verdict(r.OK, "ok: every scope's totals match its sales", fmt.Sprintf("FAILED: %d mismatched scopes", r.MismatchCount)))
			for _, m := range r.Mismatches {
				f.add("  mismatch", fmt.Sprintf("%s %v: records say %s, totals say %s", m.Scope.Kind, m.Scope.Party, lkc(m.FromRecords.Gross), lkc(m.FromTotals.Gross)))
			}
			for _, issue := range r.Issues {
				f.add("  issue", issue)
			}
			return f.render(w)
		}, r.OK, fmt.Errorf("reconciliation of %s failed: %d mismatched scopes, %d issues", r.Day, r.MismatchCount, len(r.Issues)))
	}
}
