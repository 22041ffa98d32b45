package money

import "github.com/likrcommerce/likr/contracts/errs"

// Part is one party's claim on an amount being split: Fixed plus
// floor(total x Rate / 10000).
type Part struct {
	Party string `json:"party"`
	Fixed Amount `json:"fixed"`
	Rate  Rate   `json:"rate"`
}

// Share is what one party receives from a split.
type Share struct {
	Party  string `json:"party"`
	Amount Amount `json:"amount"`
}

// Split divides total among parts and gives what is left to remainderTo.
//
// The result has one share per part, in the order of parts, followed by the
// remainder share; shares may be zero, so the shape of the result depends
// only on the arguments' shape. The shares always add up to total exactly.
//
// Every party, remainderTo included, must be non-empty and appear once, and
// every rate must be valid; otherwise the error is errs.InvalidArgument. When
// the claims together exceed total the error is errs.InsufficientFunds.
func Split(total Amount, parts []Part, remainderTo string) ([]Share, error) {
	if remainderTo == "" {
		return nil, errs.New(errs.InvalidArgument, "split: the remainder party is empty")
	}
	// seen is only looked up, never ranged over, so the result is deterministic.
	seen := make(map[string]bool, len(parts)+1)
	seen[remainderTo] = true
	for i, p := range parts {
		switch {
		case p.Party == "":
			return nil, errs.New(errs.InvalidArgument, "split: part %d has no party", i)
		case seen[p.Party]:
			return nil, errs.New(errs.InvalidArgument, "split: party %s appears more than once", errs.Quote(p.Party))
		case !p.Rate.Valid():
			return nil, errs.New(errs.InvalidArgument, "split: rate %d bp of party %s exceeds %d bp", p.Rate, errs.Quote(p.Party), MaxRate)
		}
		seen[p.Party] = true
	}

	shares := make([]Share, 0, len(parts)+1)
	rest := total
	for _, p := range parts {
		// A claim that overflows is larger than any total, so both failures
		// mean the same thing: the claims exceed the total.
		claim, err := p.Fixed.Add(total.MulRate(p.Rate))
		if err == nil {
			rest, err = rest.Sub(claim)
		}
		if err != nil {
			return nil, errs.New(errs.InsufficientFunds, "split: the claims exceed the total %s (at party %s)", total, errs.Quote(p.Party))
		}
		shares = append(shares, Share{Party: p.Party, Amount: claim})
	}
	return append(shares, Share{Party: remainderTo, Amount: rest}), nil
}
