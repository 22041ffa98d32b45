package chaincode

import (
	"github.com/likrcommerce/likr/contracts/access"
	"github.com/likrcommerce/likr/contracts/config"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/order"
	"github.com/likrcommerce/likr/contracts/store"
	"github.com/likrcommerce/likr/contracts/wallet"
)

// OrderContract is the `order` contract: orders paid into escrow, shipped,
// and settled or refunded exactly once. An order is named by its buyer's
// account and the buyer's order ID. Rules that depend on the order (only
// the buyer confirms, only the seller rejects) are the order package's;
// every caller reaches it authenticated.
type OrderContract struct{ base }

// GetEvaluateTransactions tags the read-only transactions in the metadata.
func (c *OrderContract) GetEvaluateTransactions() []string {
	return []string{"Get", "ListByBuyer", "ListByStore", "ListBySupplier"}
}

// Place orders a listing for the caller, paying from the caller's input
// coins into the order's escrow (submit); request is an order.PlaceRequest.
// Caller: anyone, as the buyer.
func (c *OrderContract) Place(ctx *Context, request string) (string, error) {
	caller, err := ctx.Authorize(access.Anyone)
	if err != nil {
		return "", err
	}
	cfg, err := ctx.Config()
	if err != nil {
		return "", err
	}
	var req order.PlaceRequest
	if err := decodeArg("request", request, &req); err != nil {
		return "", err
	}
	o, err := order.Place(ctx.GetStub(), ctx.Wallet(), ctx, cfg, caller.Account, req)
	if err != nil {
		return "", err
	}
	return result(o)
}

// Ship records the shipment of a placed order (submit); request is an
// order.ShipRequest. Caller: the store's owner or the product's supplier.
func (c *OrderContract) Ship(ctx *Context, buyer, id, request string) (string, error) {
	var req order.ShipRequest
	if err := decodeArg("request", request, &req); err != nil {
		return "", err
	}
	return c.move(ctx, buyer, id, func(st ledger.State, _ *wallet.Keeper, ev ledger.Emitter, cfg *config.Config, caller string, ref order.Ref) (*order.Order, error) {
		return order.Ship(st, ev, cfg, caller, ref, req)
	})
}

// ConfirmDelivery settles a shipped order (submit). Caller: the buyer.
func (c *OrderContract) ConfirmDelivery(ctx *Context, buyer, id string) (string, error) {
	return c.move(ctx, buyer, id, order.ConfirmDelivery)
}

// Release settles a shipped order once its auto-release time has passed
// (submit). Caller: anyone.
func (c *OrderContract) Release(ctx *Context, buyer, id string) (string, error) {
	return c.move(ctx, buyer, id, order.Release)
}

// Cancel refunds a placed order (submit). Caller: the buyer, before
// shipping.
func (c *OrderContract) Cancel(ctx *Context, buyer, id string) (string, error) {
	return c.move(ctx, buyer, id, order.Cancel)
}

// Reject refunds a placed order with a reason (submit). Caller: the store's
// owner, before shipping.
func (c *OrderContract) Reject(ctx *Context, buyer, id, reason string) (string, error) {
	return c.move(ctx, buyer, id, func(st ledger.State, k *wallet.Keeper, ev ledger.Emitter, _ *config.Config, caller string, ref order.Ref) (*order.Order, error) {
		return order.Reject(st, k, ev, caller, ref, reason)
	})
}

// ExpireReserve returns a settled order's unclaimed review reward reserve
// to the platform after the review window (submit). Caller: anyone.
func (c *OrderContract) ExpireReserve(ctx *Context, buyer, id string) (string, error) {
	return c.move(ctx, buyer, id, order.ExpireReserve)
}

// OpenDispute puts a shipped order before a registered moderator, fixing
// the moderator's fee (submit); request is an order.DisputeRequest.
// Caller: the buyer, before release.
func (c *OrderContract) OpenDispute(ctx *Context, buyer, id, request string) (string, error) {
	var req order.DisputeRequest
	if err := decodeArg("request", request, &req); err != nil {
		return "", err
	}
	return c.move(ctx, buyer, id, func(st ledger.State, _ *wallet.Keeper, ev ledger.Emitter, cfg *config.Config, caller string, ref order.Ref) (*order.Order, error) {
		return order.OpenDispute(st, ev, cfg, caller, ref, req)
	})
}

// ResolveDispute settles a disputed order (submit); request is an
// order.ResolveRequest. Caller: the dispute's moderator; after the
// dispute timeout, an admin, without a fee.
func (c *OrderContract) ResolveDispute(ctx *Context, buyer, id, request string) (string, error) {
	var req order.ResolveRequest
	if err := decodeArg("request", request, &req); err != nil {
		return "", err
	}
	return c.move(ctx, buyer, id, func(st ledger.State, k *wallet.Keeper, ev ledger.Emitter, cfg *config.Config, caller string, ref order.Ref) (*order.Order, error) {
		who, err := ctx.Caller()
		if err != nil {
			return nil, err
		}
		return order.ResolveDispute(st, k, ev, cfg, caller, who.Require(access.Admin) == nil, ref, req)
	})
}

// move runs a transition of an order for the caller.
func (c *OrderContract) move(ctx *Context, buyer, id string, step func(ledger.State, *wallet.Keeper, ledger.Emitter, *config.Config, string, order.Ref) (*order.Order, error)) (string, error) {
	caller, err := ctx.Authorize(access.Anyone)
	if err != nil {
		return "", err
	}
	cfg, err := ctx.Config()
	if err != nil {
		return "", err
	}
	o, err := step(ctx.GetStub(), ctx.Wallet(), ctx, cfg, caller.Account, order.Ref{Buyer: buyer, ID: id})
	if err != nil {
		return "", err
	}
	return result(o)
}

// Get returns an order (evaluate). Caller: a party of the order (buyer,
// seller, supplier, referrer), an auditor or an admin.
// likr:evaluate
func (c *OrderContract) Get(ctx *Context, buyer, id string) (string, error) {
	if _, err := ctx.Caller(); err != nil {
		return "", err
	}
	o, err := order.Get(ctx.GetStub(), order.Ref{Buyer: buyer, ID: id})
	if err != nil {
		return "", err
	}
	if _, err := ctx.Authorize(access.PartiesOr(o.Parties(), access.Auditor, access.Admin)); err != nil {
		return "", err
	}
	return result(o)
}

// ListByBuyer lists a buyer's orders (evaluate). Caller: the buyer, an
// auditor or an admin.
// likr:evaluate
func (c *OrderContract) ListByBuyer(ctx *Context, buyer, pageSize, bookmark string) (string, error) {
	return listOrders(ctx, buyer, pageSize, func(size int32) (*order.Page, error) {
		return order.ListByBuyer(ctx.GetStub(), buyer, size, bookmark)
	})
}

// ListByStore lists the orders of a store (evaluate). Caller: the store's
// owner, an auditor or an admin.
// likr:evaluate
func (c *OrderContract) ListByStore(ctx *Context, owner, storeID, pageSize, bookmark string) (string, error) {
	return listOrders(ctx, owner, pageSize, func(size int32) (*order.Page, error) {
		return order.ListByStore(ctx.GetStub(), store.Ref{Owner: owner, ID: storeID}, size, bookmark)
	})
}

// ListBySupplier lists the orders of a supplier's products (evaluate).
// Caller: the supplier, an auditor or an admin.
// likr:evaluate
func (c *OrderContract) ListBySupplier(ctx *Context, supplier, pageSize, bookmark string) (string, error) {
	return listOrders(ctx, supplier, pageSize, func(size int32) (*order.Page, error) {
		return order.ListBySupplier(ctx.GetStub(), supplier, size, bookmark)
	})
}

// listOrders runs an order list of party's, which party itself, auditors
// and admins may read.
// likr:evaluate
func listOrders(ctx *Context, party, pageSize string, list func(size int32) (*order.Page, error)) (string, error) {
	if _, err := ctx.Authorize(access.SelfOr(party, access.Auditor, access.Admin)); err != nil {
		return "", err
	}
	size, err := parsePageSize(pageSize)
	if err != nil {
		return "", err
	}
	page, err := list(size)
	if err != nil {
		return "", err
	}
	return result(page)
}
