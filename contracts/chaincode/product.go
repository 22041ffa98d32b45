package chaincode

import (
	"encoding/json"

	"github.com/likrcommerce/likr/contracts/access"
	"github.com/likrcommerce/likr/contracts/product"
)

// ProductContract is the `product` contract: the suppliers' catalogue.
// Products are public; only their supplier changes them.
type ProductContract struct{ base }

// GetEvaluateTransactions tags the read-only transactions in the metadata.
func (c *ProductContract) GetEvaluateTransactions() []string {
	return []string{"Get", "List", "History", "VerifyAttributes"}
}

// Register adds a product with immutable attributes, terms and initial
// stock (submit); request is a product.RegisterRequest. The stock is split
// over the config's shard count. Caller: supplier.
func (c *ProductContract) Register(ctx *Context, request string) (string, error) {
	caller, err := ctx.Authorize(access.Supplier)
	if err != nil {
		return "", err
	}
	cfg, err := ctx.Config()
	if err != nil {
		return "", err
	}
	var req product.RegisterRequest
	if err := decodeArg("request", request, &req); err != nil {
		return "", err
	}
	p, err := product.Register(ctx.GetStub(), ctx, caller.Account, req, cfg.StockShards)
	if err != nil {
		return "", err
	}
	return result(p)
}

// UpdateTerms replaces the mutable terms of one of the caller's products
// and bumps its version (submit); request is a product.UpdateRequest. An
// attempt to change the attributes is IMMUTABLE. Caller: the supplier.
func (c *ProductContract) UpdateTerms(ctx *Context, id, request string) (string, error) {
	caller, err := ctx.Authorize(access.Supplier)
	if err != nil {
		return "", err
	}
	var req product.UpdateRequest
	if err := decodeArg("request", request, &req); err != nil {
		return "", err
	}
	p, err := product.UpdateTerms(ctx.GetStub(), ctx, caller.Account, id, req)
	if err != nil {
		return "", err
	}
	return result(p)
}

// Restock adds units to one of the caller's products (submit). Caller: the
// supplier.
func (c *ProductContract) Restock(ctx *Context, id, units string) (string, error) {
	caller, err := ctx.Authorize(access.Supplier)
	if err != nil {
		return "", err
	}
	n, err := parseCount("units", units)
	if err != nil {
		return "", err
	}
	p, err := product.Restock(ctx.GetStub(), ctx, caller.Account, id, n)
	if err != nil {
		return "", err
	}
	return result(p)
}

// ProductView is a product with the stock available now.
type ProductView struct {
	*product.Product
	Available uint64 `json:"available"`
}

// Get returns a product and its available stock (evaluate). Caller: anyone.
// likr:evaluate
func (c *ProductContract) Get(ctx *Context, supplier, id string) (string, error) {
	if _, err := ctx.Authorize(access.Anyone); err != nil {
		return "", err
	}
	p, err := product.Get(ctx.GetStub(), product.Ref{Supplier: supplier, ID: id})
	if err != nil {
		return "", err
	}
	n, err := product.Available(ctx.GetStub(), p)
	if err != nil {
		return "", err
	}
	return result(ProductView{p, n})
}

// List lists a supplier's products, a page at a time (evaluate). Caller:
// anyone.
// likr:evaluate
func (c *ProductContract) List(ctx *Context, supplier, pageSize, bookmark string) (string, error) {
	if _, err := ctx.Authorize(access.Anyone); err != nil {
		return "", err
	}
	size, err := parsePageSize(pageSize)
	if err != nil {
		return "", err
	}
	page, err := product.List(ctx.GetStub(), supplier, size, bookmark)
	if err != nil {
		return "", err
	}
	return result(page)
}

// History lists a product's versions, newest first, a page at a time
// (evaluate). Caller: anyone.
// likr:evaluate
func (c *ProductContract) History(ctx *Context, supplier, id, pageSize, bookmark string) (string, error) {
	if _, err := ctx.Authorize(access.Anyone); err != nil {
		return "", err
	}
	size, err := parsePageSize(pageSize)
	if err != nil {
		return "", err
	}
	page, err := product.History(ctx.GetStub(), product.Ref{Supplier: supplier, ID: id}, size, bookmark)
	if err != nil {
		return "", err
	}
	return result(page)
}

// VerifyAttributes checks an off-chain description of a product against
// the hash of its immutable attributes (evaluate). Caller: anyone.
// likr:evaluate
func (c *ProductContract) VerifyAttributes(ctx *Context, supplier, id, attributes string) (string, error) {
	if _, err := ctx.Authorize(access.Anyone); err != nil {
		return "", err
	}
	v, err := product.Verify(ctx.GetStub(), product.Ref{Supplier: supplier, ID: id}, json.RawMessage(attributes))
	if err != nil {
		return "", err
	}
	return result(v)
}
