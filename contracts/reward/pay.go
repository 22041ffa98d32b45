package reward

import (
	"time"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/contracts/wallet"
)

// MaxSubjectLen bounds a subject in bytes: room for a prefix, two account
// IDs and a business ID, and keys stay small.
const MaxSubjectLen = 256

// The reasons Check gives for skipping a grant, stable: clients match on
// them. Callers may Skip with reasons of their own (e.g. "self_dealing").
const (
	SkipDisabled    = "disabled"     // the activity's rule is off
	SkipZeroAmount  = "zero_amount"  // nothing to pay
	SkipAlreadyPaid = "already_paid" // this (activity, subject) was paid before
	SkipDailyCap    = "daily_cap"    // the review would take the account past its daily cap
)

// Grant is one reward to pay.
type Grant struct {
	Activity Activity     `json:"activity"`
	Subject  string       `json:"subject"` // what it is for, e.g. "order:<buyer>:<orderID>"; unique per (activity, subject)
	To       string       `json:"to"`      // account ID
	Amount   money.Amount `json:"amount"`
}

// CheckSubject returns INVALID_ARGUMENT unless s is 1-MaxSubjectLen bytes of
// printable ASCII other than space ('!' to '~'). Subjects hold ':' and
// account IDs, so codec.ID is too narrow; none of these bytes can end or
// shift a composite key attribute (U+0000, U+10FFFF).
func CheckSubject(s string) error {
	if s == "" || len(s) > MaxSubjectLen {
		return errs.New(errs.InvalidArgument, "subject must be 1-%d bytes, got %d", MaxSubjectLen, len(s))
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < '!' || c > '~' {
			return errs.New(errs.InvalidArgument, "subject: byte %#02x at %d is not printable ASCII (space excluded)", c, i)
		}
	}
	return nil
}

// validate checks a commerce grant's syntax: a rule-table activity, a
// subject, and an account as recipient (system holders are credited by the
// packages that own them, never by a reward).
func (g Grant) validate() error {
	if err := g.Activity.Validate(); err != nil {
		return err
	}
	return g.validateParties()
}

func (g Grant) validateParties() error {
	if err := CheckSubject(g.Subject); err != nil {
		return err
	}
	return wallet.CheckAccount("reward recipient", g.To)
}

// Receipt is the dedupe marker of a paid (activity, subject): who got how
// much, when.
type Receipt struct {
	To     string       `json:"to"`
	Amount money.Amount `json:"amount"`
	Source string       `json:"source"`
	Time   string       `json:"time"`
	TxID   string       `json:"txId"`
}

// HistoryEntry is one reward an account received.
type HistoryEntry struct {
	Activity Activity     `json:"activity"`
	Subject  string       `json:"subject"`
	Amount   money.Amount `json:"amount"`
	Source   string       `json:"source"` // the holder that funded it (escrow, reserve, pool)
	Time     string       `json:"time"`
	TxID     string       `json:"txId"`
}

// dayRow is the stored value of a reward.day row.
type dayRow struct {
	Amount money.Amount `json:"amount"`
}

// The event types, stable: clients match on them.
const (
	EventPaid    = "reward.paid"
	EventSkipped = "reward.skipped"
)

// PaidEvent is emitted for each reward paid.
type PaidEvent struct {
	Type     string       `json:"type"`
	Activity Activity     `json:"activity"`
	Subject  string       `json:"subject"`
	To       string       `json:"to"`
	Amount   money.Amount `json:"amount"`
	Source   string       `json:"source"`
	Coin     string       `json:"coin"` // the recipient's new coin
}

// SkippedEvent records a reward that was not paid, and why.
type SkippedEvent struct {
	Type     string       `json:"type"`
	Activity Activity     `json:"activity"`
	Subject  string       `json:"subject"`
	To       string       `json:"to"`
	Amount   money.Amount `json:"amount"`
	Reason   string       `json:"reason"`
}

// Skip records that g is not paid, for reason, in the transaction's event.
// It writes nothing.
func Skip(ev ledger.Emitter, g Grant, reason string) {
	ev.Emit(SkippedEvent{Type: EventSkipped, Activity: g.Activity, Subject: g.Subject, To: g.To, Amount: g.Amount, Reason: reason})
}

// Check decides whether g can be paid now; see Session.Check. day is the
// transaction's UTC day in ledger.DayLayout, or "" for it. It keeps no
// memory: see the package doc for paying several rewards in one
// transaction.
func Check(st ledger.State, g Grant, day string) (skip string, err error) {
	return (&Session{st: st, day: day}).Check(g)
}

// Pay pays a checked grant; see Session.Pay. It keeps no memory: see the
// package doc for paying several rewards in one transaction.
func Pay(st ledger.State, k *wallet.Keeper, ev ledger.Emitter, g Grant, source, day string) error {
	return (&Session{st: st, k: k, ev: ev, day: day}).Pay(g, source)
}

// Session pays the rewards of one transaction. It remembers the markers it
// wrote and the capped review amounts it paid per account, because Fabric
// has no read-your-writes: without it a second Pay of the same (activity,
// subject) in the transaction would see no marker, and a second capped
// review would see the day row as it was before the first.
//
// Use one Session, with the transaction's one wallet.Keeper, for every
// reward of a transaction. It only looks values up in its maps, never
// iterates them, so what it writes does not depend on map order.
type Session struct {
	st  ledger.State
	k   *wallet.Keeper
	ev  ledger.Emitter
	day string // the transaction's UTC day; checked or filled on first use

	tx      *txInfo
	rules   map[Activity]*Rule
	paid    map[string]bool         // marker keys written in this transaction
	capped  map[string]money.Amount // day row key -> total written in this transaction
	checked bool                    // day was checked against the transaction time
}

type txInfo struct {
	id, stamp string
}

// NewSession returns the reward session of the transaction st, paying
// through its Keeper k and emitting to ev.
func NewSession(st ledger.State, k *wallet.Keeper, ev ledger.Emitter) *Session {
	return &Session{st: st, k: k, ev: ev}
}

// payment is a checked grant: the keys it will write and the values.
type payment struct {
	g        Grant
	marker   string
	dayKey   string       // "" unless the reward counts against a daily cap
	dayTotal money.Amount // the day row's new value
}

// Check decides whether g can be paid. It returns "" when g is payable, or
// the reason to skip it (SkipDisabled, SkipZeroAmount, SkipAlreadyPaid,
// SkipDailyCap); err only for real failures: INVALID_ARGUMENT for a bad
// grant or day, INTERNAL for storage. It reads the activity's rule, g's
// marker and, for a review under a daily cap, g.To's day row; it writes
// nothing.
func (s *Session) Check(g Grant) (skip string, err error) {
	skip, _, err = s.plan(g)
	return skip, err
}

// Pay pays g, which Check found payable: it credits g.To with g.Amount
// from source (the holder the caller has already debited: the order's
// escrow or reserve), and writes the marker, g.To's history row and, for a
// capped review, g.To's day row, then emits a "reward.paid" event. It runs
// Check's rules again, and an unpayable grant is INVALID_STATE: skipping is
// the caller's decision (Skip), made before it debits the source.
func (s *Session) Pay(g Grant, source string) error {
	skip, p, err := s.plan(g)
	if err != nil {
		return err
	}
	if skip != "" {
		return errs.New(errs.InvalidState, "%s reward for %s cannot be paid (%s); check it before debiting its source", g.Activity, errs.Quote(g.Subject), skip)
	}
	return s.pay(p, source)
}

// PayOrSkip pays g when it is payable, as Pay does, and otherwise records
// it as skipped (Skip) and writes nothing; it reports whether it paid. It
// reads what decides once, where Check then Pay would read it twice.
func (s *Session) PayOrSkip(g Grant, source string) (paid bool, err error) {
	skip, p, err := s.plan(g)
	if err != nil {
		return false, err
	}
	if skip != "" {
		Skip(s.ev, g, skip)
		return false, nil
	}
	return true, s.pay(p, source)
}

// Rule returns activity a's rule, read once per session; no rule row is a
// disabled rule paying nothing.
func (s *Session) Rule(a Activity) (*Rule, error) { return s.rule(a) }

// plan validates g and reads what decides whether it is payable.
func (s *Session) plan(g Grant) (string, payment, error) {
	p := payment{g: g}
	if err := g.validate(); err != nil {
		return "", p, err
	}
	day, err := s.today()
	if err != nil {
		return "", p, err
	}
	r, err := s.rule(g.Activity)
	if err != nil {
		return "", p, err
	}
	if !r.Enabled {
		return SkipDisabled, p, nil
	}
	if g.Amount.IsZero() {
		return SkipZeroAmount, p, nil
	}
	if p.marker, err = s.markerKey(g); err != nil {
		return "", p, err
	}
	if paid, err := s.isPaid(p.marker); err != nil || paid {
		return SkipAlreadyPaid, p, err
	}
	if g.Activity != Review || r.DailyCap.IsZero() {
		return "", p, nil
	}
	if p.dayKey, err = ledger.Key(s.st, dayType, g.To, day); err != nil {
		return "", p, err
	}
	soFar, err := s.dayTotal(p.dayKey)
	if err != nil {
		return "", p, err
	}
	// An overflowing sum is past any cap.
	if p.dayTotal, err = soFar.Add(g.Amount); err != nil || r.DailyCap.LT(p.dayTotal) {
		return SkipDailyCap, p, nil
	}
	return "", p, nil
}

// pay writes a planned payment. Credit validates before it writes, so a
// refused credit (a bad source) leaves the ledger as it was.
func (s *Session) pay(p payment, source string) error {
	if s.k == nil || s.ev == nil {
		return errs.New(errs.Internal, "reward session has no keeper or emitter")
	}
	if source == "" {
		return errs.New(errs.InvalidArgument, "a reward names the holder that funded it")
	}
	tx, err := s.txn()
	if err != nil {
		return err
	}
	g := p.g
	histKey, err := ledger.Key(s.st, histType, g.To, tx.stamp, tx.id, string(g.Activity), g.Subject)
	if err != nil {
		return err
	}
	coin, err := s.k.Credit(g.To, g.Amount, g.Activity.Kind(), source)
	if err != nil {
		return err
	}
	if err := ledger.PutJSON(s.st, p.marker, Receipt{To: g.To, Amount: g.Amount, Source: source, Time: tx.stamp, TxID: tx.id}); err != nil {
		return err
	}
	if err := ledger.PutJSON(s.st, histKey, HistoryEntry{Activity: g.Activity, Subject: g.Subject, Amount: g.Amount, Source: source, Time: tx.stamp, TxID: tx.id}); err != nil {
		return err
	}
	if s.paid == nil {
		s.paid = map[string]bool{}
	}
	s.paid[p.marker] = true
	if p.dayKey != "" {
		if err := ledger.PutJSON(s.st, p.dayKey, dayRow{p.dayTotal}); err != nil {
			return err
		}
		if s.capped == nil {
			s.capped = map[string]money.Amount{}
		}
		s.capped[p.dayKey] = p.dayTotal
	}
	s.ev.Emit(PaidEvent{Type: EventPaid, Activity: g.Activity, Subject: g.Subject, To: g.To, Amount: g.Amount, Source: source, Coin: coin})
	return nil
}

// rule returns a's rule, read once per session.
func (s *Session) rule(a Activity) (*Rule, error) {
	if r, ok := s.rules[a]; ok {
		return r, nil
	}
	r, err := GetRule(s.st, a)
	if err != nil {
		return nil, err
	}
	if s.rules == nil {
		s.rules = map[Activity]*Rule{}
	}
	s.rules[a] = r
	return r, nil
}

func (s *Session) markerKey(g Grant) (string, error) {
	return ledger.Key(s.st, paidType, string(g.Activity), g.Subject)
}

// isPaid reports whether a marker was written in this session or before.
func (s *Session) isPaid(marker string) (bool, error) {
	if s.paid[marker] {
		return true, nil
	}
	b, err := s.st.GetState(marker)
	if err != nil {
		return false, errs.Wrap(errs.Internal, err, "read reward marker")
	}
	return b != nil, nil
}

// dayTotal returns what a day row holds, as this session last wrote it or
// else as committed (zero without a row).
func (s *Session) dayTotal(key string) (money.Amount, error) {
	if v, ok := s.capped[key]; ok {
		return v, nil
	}
	var row dayRow
	if _, err := ledger.GetJSON(s.st, key, &row); err != nil {
		return row.Amount, err
	}
	return row.Amount, nil
}

// today returns the transaction's UTC day. A day the caller gave must be
// it: a day taken from anywhere else would let a caller dodge the cap.
func (s *Session) today() (string, error) {
	if s.checked {
		return s.day, nil
	}
	tx, err := s.txn()
	if err != nil {
		return "", err
	}
	want := tx.stamp[:len(ledger.DayLayout)]
	if s.day != "" && s.day != want {
		return "", errs.New(errs.InvalidArgument, "day %s is not the transaction's UTC day %s", errs.Quote(s.day), want)
	}
	s.day, s.checked = want, true
	return want, nil
}

// txn returns the transaction's ID and time, read once.
func (s *Session) txn() (*txInfo, error) {
	if s.tx != nil {
		return s.tx, nil
	}
	t, err := ledger.TxTime(s.st)
	if err != nil {
		return nil, err
	}
	s.tx = &txInfo{id: s.st.GetTxID(), stamp: ledger.Stamp(t)}
	return s.tx, nil
}

// Day returns t's UTC day in ledger.DayLayout, the day argument of Check
// and Pay for a transaction at t.
func Day(t time.Time) string { return t.UTC().Format(ledger.DayLayout) }

// Lookup returns the receipt of a paid (activity, subject); NOT_FOUND when
// it was never paid. activity may be Campaign, with subject
// "<campaign>:<recipient>".
func Lookup(st ledger.State, a Activity, subject string) (*Receipt, error) {
	if a != Campaign {
		if err := a.Validate(); err != nil {
			return nil, err
		}
	}
	if err := CheckSubject(subject); err != nil {
		return nil, err
	}
	key, err := ledger.Key(st, paidType, string(a), subject)
	if err != nil {
		return nil, err
	}
	var r Receipt
	found, err := ledger.GetJSON(st, key, &r)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, errs.New(errs.NotFound, "no %s reward was paid for %s", a, errs.Quote(subject))
	}
	return &r, nil
}
