package chaincode

import (
	"github.com/likrcommerce/likr/contracts/access"
	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/sales"
)

// SalesContract is the `sales` contract: the read side of the append-only
// sales ledger that settlement writes. Auditors and admins read
// everything; suppliers, sellers and referrers read their own sales. All
// its transactions are evaluate-only. from and to bound the settlement
// time, [from, to), as RFC 3339; "" leaves that end open.
type SalesContract struct{ base }

// GetEvaluateTransactions tags the read-only transactions in the metadata.
func (c *SalesContract) GetEvaluateTransactions() []string {
	return []string{"Get", "BySupplier", "ByStore", "ByProduct", "ByReferrer", "ByTime", "DailyTotals", "Reconcile"}
}

// Get returns the sales record of an order (evaluate). Caller: a party of
// the sale, an auditor or an admin.
// likr:evaluate
func (c *SalesContract) Get(ctx *Context, buyer, orderID string) (string, error) {
	if _, err := ctx.Caller(); err != nil {
		return "", err
	}
	rec, err := sales.Get(ctx.GetStub(), buyer, orderID)
	if err != nil {
		return "", err
	}
	parties := []string{rec.Buyer, rec.Supplier, rec.StoreOwner}
	if rec.Referrer != "" {
		parties = append(parties, rec.Referrer)
	}
	if _, err := ctx.Authorize(access.PartiesOr(parties, access.Auditor, access.Admin)); err != nil {
		return "", err
	}
	return result(rec)
}

// BySupplier lists a supplier's sales (evaluate). Caller: the supplier, an
// auditor or an admin.
// likr:evaluate
func (c *SalesContract) BySupplier(ctx *Context, supplier, from, to, pageSize, bookmark string) (string, error) {
	return query(ctx, supplier, sales.Filter{By: sales.BySupplier, Party: []string{supplier}, From: from, To: to}, pageSize, bookmark)
}

// ByStore lists a store's sales (evaluate). Caller: the store's owner, an
// auditor or an admin.
// likr:evaluate
func (c *SalesContract) ByStore(ctx *Context, owner, storeID, from, to, pageSize, bookmark string) (string, error) {
	return query(ctx, owner, sales.Filter{By: sales.ByStore, Party: []string{owner, storeID}, From: from, To: to}, pageSize, bookmark)
}

// ByProduct lists a product's sales (evaluate). Caller: its supplier, an
// auditor or an admin.
// likr:evaluate
func (c *SalesContract) ByProduct(ctx *Context, supplier, productID, from, to, pageSize, bookmark string) (string, error) {
	return query(ctx, supplier, sales.Filter{By: sales.ByProduct, Party: []string{supplier, productID}, From: from, To: to}, pageSize, bookmark)
}

// ByReferrer lists the sales a referrer earned commission on (evaluate).
// Caller: the referrer, an auditor or an admin.
// likr:evaluate
func (c *SalesContract) ByReferrer(ctx *Context, referrer, from, to, pageSize, bookmark string) (string, error) {
	return query(ctx, referrer, sales.Filter{By: sales.ByReferrer, Party: []string{referrer}, From: from, To: to}, pageSize, bookmark)
}

// ByTime lists every sale in a time range (evaluate). Caller: auditor or
// admin.
// likr:evaluate
func (c *SalesContract) ByTime(ctx *Context, from, to, pageSize, bookmark string) (string, error) {
	return query(ctx, "", sales.Filter{By: sales.ByTime, From: from, To: to}, pageSize, bookmark)
}

// query runs a sales query for its owner ("" when only auditors and admins
// may run it).
// likr:evaluate
func query(ctx *Context, owner string, f sales.Filter, pageSize, bookmark string) (string, error) {
	policy := access.AnyOf(access.Auditor, access.Admin)
	if owner != "" {
		policy = access.SelfOr(owner, access.Auditor, access.Admin)
	}
	if _, err := ctx.Authorize(policy); err != nil {
		return "", err
	}
	size, err := parsePageSize(pageSize)
	if err != nil {
		return "", err
	}
	page, err := sales.QueryJSON(ctx.GetStub(), f, size, bookmark)
	if err != nil {
		return "", err
	}
	return string(page), nil
}

// DailyTotals returns a day's totals (YYYY-MM-DD, UTC) of one supplier,
// store or product (evaluate); scope is a sales.Scope. Caller: the
// supplier or store owner the scope names, an auditor or an admin.
// likr:evaluate
func (c *SalesContract) DailyTotals(ctx *Context, day, scope string) (string, error) {
	var s sales.Scope
	if err := decodeArg("scope", scope, &s); err != nil {
		return "", err
	}
	if len(s.Party) == 0 {
		return "", errs.New(errs.InvalidArgument, "scope: party names the supplier or store owner first")
	}
	if _, err := ctx.Authorize(access.SelfOr(s.Party[0], access.Auditor, access.Admin)); err != nil {
		return "", err
	}
	totals, err := sales.DailyTotals(ctx.GetStub(), day, s)
	if err != nil {
		return "", err
	}
	return result(totals)
}

// Reconcile checks a day's sales records against its daily totals
// (evaluate). Caller: auditor or admin.
// likr:evaluate
func (c *SalesContract) Reconcile(ctx *Context, day string) (string, error) {
	if _, err := ctx.Authorize(access.AnyOf(access.Auditor, access.Admin)); err != nil {
		return "", err
	}
	report, err := sales.Reconcile(ctx.GetStub(), day)
	if err != nil {
		return "", err
	}
	return result(report)
}
