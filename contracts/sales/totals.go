package sales

import (
	"encoding/json"
	"fmt"
	"maps"
	"math/bits"
	"slices"
	"strings"
	"time"

	"github.com/likrcommerce/likr/contracts/codec"
	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/contracts/wallet"
)

// Bounds of the evaluate-only sums: past them the call is LIMIT_EXCEEDED
// rather than unbounded.
const (
	// MaxScanRows bounds the sday rows DailyTotals adds up and the sales
	// Reconcile reads (and it reads at most three sday rows per sale).
	MaxScanRows = 10_000
	// MaxMismatches bounds the mismatches a Report lists; MismatchCount
	// counts them all.
	MaxMismatches = 100
	// maxIssues bounds the problems a Report lists.
	maxIssues = 20
)

// Totals adds up sales: the number of orders, units, and each amount of
// their splits.
type Totals struct {
	Orders         uint64       `json:"orders"`
	Quantity       uint64       `json:"quantity"`
	Gross          money.Amount `json:"gross"` // the sum of the sales' Total
	Refund         money.Amount `json:"refund"`
	SupplierAmount money.Amount `json:"supplierAmount"`
	Commission     money.Amount `json:"commission"`
	PlatformFee    money.Amount `json:"platformFee"`
	ModeratorFee   money.Amount `json:"moderatorFee"`
	SellerAmount   money.Amount `json:"sellerAmount"`
}

// contribution is what one sale adds to each of its scopes' totals.
func contribution(s *Sale) Totals {
	return Totals{
		Orders: 1, Quantity: s.Quantity, Gross: s.Total, Refund: s.Refund,
		SupplierAmount: s.SupplierAmount, Commission: s.Commission, PlatformFee: s.PlatformFee,
		ModeratorFee: s.ModeratorFee, SellerAmount: s.SellerAmount,
	}
}

// add adds o to t, OVERFLOW when any sum exceeds its type; t is unchanged
// then.
func (t *Totals) add(o Totals) error {
	sum := *t
	var c1, c2 uint64
	sum.Orders, c1 = bits.Add64(t.Orders, o.Orders, 0)
	sum.Quantity, c2 = bits.Add64(t.Quantity, o.Quantity, 0)
	if c1 != 0 || c2 != 0 {
		return errs.New(errs.Overflow, "order or unit counts exceed the largest count")
	}
	for _, p := range []struct {
		dst  *money.Amount
		a, b money.Amount
	}{
		{&sum.Gross, t.Gross, o.Gross}, {&sum.Refund, t.Refund, o.Refund},
		{&sum.SupplierAmount, t.SupplierAmount, o.SupplierAmount}, {&sum.Commission, t.Commission, o.Commission},
		{&sum.PlatformFee, t.PlatformFee, o.PlatformFee}, {&sum.ModeratorFee, t.ModeratorFee, o.ModeratorFee},
		{&sum.SellerAmount, t.SellerAmount, o.SellerAmount},
	} {
		v, err := p.a.Add(p.b)
		if err != nil {
			return err
		}
		*p.dst = v
	}
	*t = sum
	return nil
}

// ScopeKind names what daily totals are kept for.
type ScopeKind string

// The scope kinds, stable: they are part of sday keys.
const (
	ScopeSupplier ScopeKind = "supplier" // Party = [supplier]
	ScopeStore    ScopeKind = "store"    // Party = [owner, store]
	ScopeProduct  ScopeKind = "product"  // Party = [supplier, product]
)

// kindsPerSale is how many scopes, and sday rows, each sale counts in.
const kindsPerSale = 3

// Scope is one supplier, store or product, whose daily totals are kept.
type Scope struct {
	Kind  ScopeKind `json:"kind"`
	Party []string  `json:"party"`
}

// scopesOf returns the kindsPerSale scopes a sale counts in.
func scopesOf(s *Sale) []Scope {
	return []Scope{
		{ScopeSupplier, []string{s.Supplier}},
		{ScopeStore, []string{s.StoreOwner, s.Store}},
		{ScopeProduct, []string{s.Supplier, s.Product}},
	}
}

// arity returns how many party attributes a kind has, 0 for an unknown one.
func (k ScopeKind) arity() int {
	switch k {
	case ScopeSupplier:
		return 1
	case ScopeStore, ScopeProduct:
		return 2
	}
	return 0
}

// validate checks the kind and its party: an account, then an ID.
func (sc Scope) validate() error {
	n := sc.Kind.arity()
	if n == 0 {
		return errs.New(errs.InvalidArgument, "scope kind %s: must be supplier, store or product", errs.Quote(string(sc.Kind)))
	}
	if len(sc.Party) != n {
		return errs.New(errs.InvalidArgument, "scope %s: party must have %d element(s), has %d", sc.Kind, n, len(sc.Party))
	}
	if err := wallet.CheckAccount("scope party", sc.Party[0]); err != nil {
		return err
	}
	if n == 2 {
		return codec.ID("scope party", sc.Party[1])
	}
	return nil
}

// id is a scope's sort and map key: the kind and party joined with U+0000,
// which no part contains, so it sorts by kind, then party element by
// element.
func (sc Scope) id() string {
	return string(sc.Kind) + "\x00" + strings.Join(sc.Party, "\x00")
}

// parseDay checks a YYYY-MM-DD day and returns its start.
func parseDay(day string) (time.Time, error) {
	t, err := time.Parse(ledger.DayLayout, day)
	if err != nil || t.Format(ledger.DayLayout) != day || t.Year() < 1 {
		return time.Time{}, errs.New(errs.InvalidArgument, "day %s: must be a date YYYY-MM-DD in years 1-9999", errs.Quote(day))
	}
	return t, nil
}

// DailyTotals returns the totals of one scope on one UTC day (YYYY-MM-DD):
// the sum of its sday rows, zero when it sold nothing. More than
// MaxScanRows rows is LIMIT_EXCEEDED. Evaluate only.
// likr:evaluate
func DailyTotals(st ledger.State, day string, scope Scope) (*Totals, error) {
	if _, err := parseDay(day); err != nil {
		return nil, err
	}
	if err := scope.validate(); err != nil {
		return nil, err
	}
	attrs := append([]string{day, string(scope.Kind)}, scope.Party...)
	var sum Totals
	err := ledger.Scan(st, dayType, attrs, "", "", MaxScanRows, func(kv ledger.KV) error {
		var d Totals
		if err := json.Unmarshal(kv.Value, &d); err != nil {
			return errs.Wrap(errs.Internal, err, "stored daily totals row %q is corrupt", kv.Key)
		}
		return sum.add(d)
	})
	if err != nil {
		return nil, err
	}
	return &sum, nil
}

// Report is the result of Reconcile.
type Report struct {
	Day     string `json:"day"`
	Records uint64 `json:"records"` // sales settled on the day
	Scopes  uint64 `json:"scopes"`  // scopes with a sale or an sday row on the day
	OK      bool   `json:"ok"`      // no mismatch and no issue
	// Mismatches lists the first MaxMismatches scopes, in kind and party
	// order, whose sday rows do not add up to their sales.
	Mismatches    []Mismatch `json:"mismatches"`
	MismatchCount uint64     `json:"mismatchCount"`
	// Issues lists the first problems that are not a scope's sums: a sale
	// or row that does not decode or whose key is malformed, a sale that
	// does not add up or is indexed under another day.
	Issues []string `json:"issues,omitempty"`
}

// Mismatch is a scope whose totals computed from the sales differ from the
// sum of its sday rows.
type Mismatch struct {
	Scope       Scope  `json:"scope"`
	FromRecords Totals `json:"fromRecords"`
	FromTotals  Totals `json:"fromTotals"`
}

// reconciliation holds Reconcile's sums while it reads.
type reconciliation struct {
	report      *Report
	fromRecords map[string]*Totals
	fromTotals  map[string]*Totals
	scopes      map[string]Scope
}

func (r *reconciliation) issue(format string, args ...any) {
	if len(r.report.Issues) < maxIssues {
		r.report.Issues = append(r.report.Issues, fmt.Sprintf(format, args...))
	}
}

// addTo adds t to sc's entry of sums.
func (r *reconciliation) addTo(sums map[string]*Totals, sc Scope, t Totals) error {
	id := sc.id()
	if sums[id] == nil {
		sums[id] = &Totals{}
	}
	r.scopes[id] = sc
	return sums[id].add(t)
}

// Reconcile checks one UTC day (YYYY-MM-DD): it reads every sale settled
// that day (through sale~time) and every sday row of the day, recomputes
// each scope's totals from the sales and compares them with the sum of its
// rows. More than MaxScanRows sales, or more than three sday rows per
// MaxScanRows, is LIMIT_EXCEEDED; sums beyond the largest amount are
// OVERFLOW. Evaluate only.
// likr:evaluate
func Reconcile(st ledger.State, day string) (*Report, error) {
	start, err := parseDay(day)
	if err != nil {
		return nil, err
	}
	r := &reconciliation{
		report:      &Report{Day: day, Mismatches: []Mismatch{}},
		fromRecords: map[string]*Totals{}, fromTotals: map[string]*Totals{}, scopes: map[string]Scope{},
	}
	if err := r.readSales(st, start); err != nil {
		return nil, err
	}
	if err := r.readRows(st, day); err != nil {
		return nil, err
	}
	rep := r.report
	// Sorted: the report lists scopes in the same order on every peer.
	for _, id := range slices.Sorted(maps.Keys(r.scopes)) {
		rep.Scopes++
		var rec, tot Totals
		if p := r.fromRecords[id]; p != nil {
			rec = *p
		}
		if p := r.fromTotals[id]; p != nil {
			tot = *p
		}
		if rec == tot {
			continue
		}
		rep.MismatchCount++
		if len(rep.Mismatches) < MaxMismatches {
			rep.Mismatches = append(rep.Mismatches, Mismatch{Scope: r.scopes[id], FromRecords: rec, FromTotals: tot})
		}
	}
	rep.OK = rep.MismatchCount == 0 && len(rep.Issues) == 0
	return rep, nil
}

// readSales adds the day's sales to fromRecords. The day is
// [start, next day) in ledger.TimeLayout; the last day of year 9999 is
// open above, as no later time can be stamped.
// likr:evaluate
func (r *reconciliation) readSales(st ledger.State, start time.Time) error {
	from, to := ledger.Stamp(start), ""
	if end := start.AddDate(0, 0, 1); end.Year() <= 9999 {
		to = ledger.Stamp(end)
	}
	day := r.report.Day
	return ledger.Scan(st, timeIndex, nil, from, to, MaxScanRows, func(kv ledger.KV) error {
		r.report.Records++
		var s Sale
		if err := json.Unmarshal(kv.Value, &s); err != nil {
			r.issue("sale row %q does not decode: %v", kv.Key, err)
			return nil
		}
		if err := s.Validate(); err != nil {
			r.issue("sale of order %s of buyer %s: %v", s.Order, s.Buyer, err)
		}
		if !strings.HasPrefix(s.SettledAt, day) {
			r.issue("sale of order %s of buyer %s settled at %q is indexed under %s", s.Order, s.Buyer, s.SettledAt, day)
		}
		for _, sc := range scopesOf(&s) {
			if err := r.addTo(r.fromRecords, sc, contribution(&s)); err != nil {
				return err
			}
		}
		return nil
	})
}

// readRows adds the day's sday rows to fromTotals.
// likr:evaluate
func (r *reconciliation) readRows(st ledger.State, day string) error {
	return ledger.Scan(st, dayType, []string{day}, "", "", kindsPerSale*MaxScanRows, func(kv ledger.KV) error {
		_, attrs, err := st.SplitCompositeKey(kv.Key)
		// attrs: day kind party... txID buyer order
		if err != nil || len(attrs) < 2 || ScopeKind(attrs[1]).arity() == 0 || len(attrs) != 5+ScopeKind(attrs[1]).arity() {
			r.issue("daily totals row %q has a malformed key", kv.Key)
			return nil
		}
		kind := ScopeKind(attrs[1])
		sc := Scope{Kind: kind, Party: slices.Clone(attrs[2 : 2+kind.arity()])}
		var d Totals
		if err := json.Unmarshal(kv.Value, &d); err != nil {
			r.issue("daily totals row %q does not decode: %v", kv.Key, err)
			return nil
		}
		return r.addTo(r.fromTotals, sc, d)
	})
}
