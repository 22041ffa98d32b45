package reward

import (
	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/money"
)

// Object types of the keys (see the package doc).
const (
	ruleType = "reward.rule"
	paidType = "reward.paid"
	dayType  = "reward.day"
	histType = "reward.hist"
)

// Activity is what a reward is paid for.
type Activity string

// The activities of the rule table, and Campaign, which has no rule: its
// rewards come from the campaign pool through BatchReward.
const (
	Purchase     Activity = "purchase"
	Review       Activity = "review"
	Conversion   Activity = "conversion"
	ReferredSale Activity = "referred_sale"
	Campaign     Activity = "campaign"
)

// Activities returns the activities of the rule table, in a fixed order.
func Activities() []Activity {
	return []Activity{Purchase, Review, Conversion, ReferredSale}
}

// Validate returns INVALID_ARGUMENT unless a is an activity of the rule
// table.
func (a Activity) Validate() error {
	switch a {
	case Purchase, Review, Conversion, ReferredSale:
		return nil
	}
	return errs.New(errs.InvalidArgument, "activity %s must be purchase, review, conversion or referred_sale", errs.Quote(string(a)))
}

// Kind is the wallet movement kind of a's credits ("reward.purchase").
func (a Activity) Kind() string { return "reward." + string(a) }

// Rule is what one activity pays. Field order fixes the stored bytes.
type Rule struct {
	Activity Activity     `json:"activity"`
	Fixed    money.Amount `json:"fixed"`    // paid as is ...
	RateBps  money.Rate   `json:"rateBps"`  // ... plus this share of the base amount (the order total)
	Enabled  bool         `json:"enabled"`  // a disabled rule pays nothing and keeps its terms
	DailyCap money.Amount `json:"dailyCap"` // review only: most one account receives per UTC day; zero = no cap
}

// Validate checks a rule (INVALID_ARGUMENT): a rule-table activity, a valid
// rate, a daily cap only on reviews (rewards for what others do are never
// capped, so a popular reseller's day row is never read), an enabled rule
// that pays something, and a cap that admits at least the fixed part.
func (r Rule) Validate() error {
	if err := r.Activity.Validate(); err != nil {
		return err
	}
	if !r.RateBps.Valid() {
		return errs.New(errs.InvalidArgument, "rateBps %d exceeds %d", r.RateBps, money.MaxRate)
	}
	if !r.DailyCap.IsZero() && r.Activity != Review {
		return errs.New(errs.InvalidArgument, "dailyCap applies to review rewards only, not %s", r.Activity)
	}
	if r.Enabled && r.Fixed.IsZero() && r.RateBps == 0 {
		return errs.New(errs.InvalidArgument, "an enabled %s rule must pay a fixed amount or a rate; disable it instead", r.Activity)
	}
	if !r.DailyCap.IsZero() && r.DailyCap.LT(r.Fixed) {
		return errs.New(errs.InvalidArgument, "dailyCap %s is below the fixed amount %s: no review could be paid", r.DailyCap, r.Fixed)
	}
	return nil
}

// AmountFor returns what the rule pays on base (the order total): Fixed +
// floor(base x RateBps / 10000), or OVERFLOW; zero when the rule is
// disabled.
func (r Rule) AmountFor(base money.Amount) (money.Amount, error) {
	var zero money.Amount
	if !r.Enabled {
		return zero, nil
	}
	if !r.RateBps.Valid() {
		return zero, errs.New(errs.InvalidArgument, "rateBps %d exceeds %d", r.RateBps, money.MaxRate)
	}
	sum, err := r.Fixed.Add(base.MulRate(r.RateBps))
	if err != nil {
		return zero, errs.New(errs.Overflow, "%s reward %s + %d bp of %s exceeds the largest amount", r.Activity, r.Fixed, r.RateBps, base)
	}
	return sum, nil
}

// RuleSetEvent is emitted by SetRule, with the rule as stored.
type RuleSetEvent struct {
	Type string `json:"type"`
	Rule Rule   `json:"rule"`
}

// EventRuleSet is the type of RuleSetEvent, stable: clients match on it.
const EventRuleSet = "reward.rule_set"

// SetRule stores r as its activity's rule, replacing the previous one. The
// contract layer lets only admins call it.
func SetRule(st ledger.State, ev ledger.Emitter, r Rule) error {
	if err := r.Validate(); err != nil {
		return err
	}
	key, err := ledger.Key(st, ruleType, string(r.Activity))
	if err != nil {
		return err
	}
	if err := ledger.PutJSON(st, key, r); err != nil {
		return err
	}
	ev.Emit(RuleSetEvent{Type: EventRuleSet, Rule: r})
	return nil
}

// GetRule returns a's rule; an activity without one has a disabled zero
// rule, which pays nothing.
func GetRule(st ledger.State, a Activity) (*Rule, error) {
	if err := a.Validate(); err != nil {
		return nil, err
	}
	key, err := ledger.Key(st, ruleType, string(a))
	if err != nil {
		return nil, err
	}
	r := Rule{Activity: a}
	if _, err := ledger.GetJSON(st, key, &r); err != nil {
		return nil, err
	}
	if r.Activity != a || !r.RateBps.Valid() {
		return nil, errs.New(errs.Internal, "stored rule of %s is corrupt", a)
	}
	return &r, nil
}

// ListRules returns every activity's rule, in Activities order: one point
// read each, no range query.
func ListRules(st ledger.State) ([]Rule, error) {
	var rules []Rule
	for _, a := range Activities() {
		r, err := GetRule(st, a)
		if err != nil {
			return nil, err
		}
		rules = append(rules, *r)
	}
	return rules, nil
}
