package client

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/chaincode"
	"github.com/likrcommerce/likr/contracts/money"
)

// Accounts of the tests.
var (
	supplierAccount = strings.Repeat("a", 40)
	sellerAccount   = strings.Repeat("b", 40)
	buyerAccount    = strings.Repeat("c", 40)
)

// chaincodeContracts are the chaincode's contracts by name: the client's
// calls are checked against their transactions.
var chaincodeContracts = map[string]interface{ GetEvaluateTransactions() []string }{
	"product": &chaincode.ProductContract{},
	"store":   &chaincode.StoreContract{},
	"order":   &chaincode.OrderContract{},
	"sales":   &chaincode.SalesContract{},
}

// checkTransaction fails unless fn names a transaction of the chaincode
// that takes len(args) arguments and is evaluate-only exactly when the
// client evaluates it.
func checkTransaction(t *testing.T, fn string, args []string, evaluate bool) {
	t.Helper()
	name, method, ok := strings.Cut(fn, ":")
	require.True(t, ok, fn)
	contract, ok := chaincodeContracts[name]
	require.True(t, ok, "no contract %q", name)
	m, ok := reflect.TypeOf(contract).MethodByName(method)
	require.True(t, ok, "no transaction %s", fn)
	require.Equal(t, m.Type.NumIn()-2, len(args), "arguments of %s (after the receiver and the context)", fn)
	require.Equal(t, evaluate, slices.Contains(contract.GetEvaluateTransactions(), method), "%s is evaluate-only", fn)
}

// wireCase is one typed call: the transaction and arguments it must send,
// and what the chaincode answers, which the call must return decoded.
type wireCase struct {
	call func(context.Context, *Client) (any, error)
	fn   string
	args []string
	out  any
}

// runReads checks evaluated calls against a fake that answers tc.out.
func runReads(t *testing.T, cases map[string]wireCase) {
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			checkTransaction(t, tc.fn, tc.args, true)
			var sent [][]string
			f := &fakeBackend{evaluateFn: func(_ context.Context, fn string, args []string) ([]byte, error) {
				sent = append(sent, append([]string{fn}, args...))
				return json.Marshal(tc.out)
			}}
			got, err := tc.call(context.Background(), fakeClient(t, f))
			require.NoError(t, err)
			require.Equal(t, [][]string{append([]string{tc.fn}, tc.args...)}, sent)
			require.Equal(t, tc.out, got)
			require.Empty(t, f.proposed(), "a read is never submitted")
		})
	}
}

// runWrites checks submitted calls against a fake whose transactions
// commit with tc.out as their result.
func runWrites(t *testing.T, cases map[string]wireCase) {
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			checkTransaction(t, tc.fn, tc.args, false)
			f := &fakeBackend{}
			out, err := json.Marshal(tc.out)
			require.NoError(t, err)
			c := resultClient(t, f, func(string, []string) []byte { return out })
			got, err := tc.call(context.Background(), c)
			require.NoError(t, err)
			require.Equal(t, [][]string{append([]string{tc.fn}, tc.args...)}, f.proposed())
			require.Equal(t, tc.out, got)
		})
	}
}

// resultBackend is a fakeBackend whose transactions return what result
// makes of their function and arguments, as a chaincode would.
type resultBackend struct {
	*fakeBackend
	result func(fn string, args []string) []byte
}

func (b resultBackend) propose(fn string, args []string) (proposal, error) {
	p, err := b.fakeBackend.propose(fn, args)
	if err != nil {
		return nil, err
	}
	return resultTx{p.(*fakeTx), b.result(fn, args)}, nil
}

type resultTx struct {
	*fakeTx
	out []byte
}

func (t resultTx) endorse(ctx context.Context) (endorsement, error) {
	if _, err := t.fakeTx.endorse(ctx); err != nil {
		return nil, err
	}
	return t, nil
}

func (t resultTx) result() []byte { return t.out }

// resultClient is a Client of buyerAccount over f whose transactions
// return result's answer; its retries do not wait.
func resultClient(t *testing.T, f *fakeBackend, result func(fn string, args []string) []byte) *Client {
	t.Helper()
	o, err := newOptions([]Option{WithRetry(DefaultMaxAttempts, 0)})
	require.NoError(t, err)
	return newClient(resultBackend{f, result}, o, buyerAccount)
}

var (
	sampleProductRef = ProductRef{Supplier: supplierAccount, ID: "tea-1"}
	sampleTerms      = ProductTerms{WholesalePrice: money.NewAmount(60), MinRetailPrice: money.NewAmount(80), Status: "active"}
	sampleProduct    = Product{
		Supplier: supplierAccount, ID: "tea-1", Attributes: json.RawMessage(`{"name":"Sencha","grams":100}`),
		AttributesHash: strings.Repeat("e", 64), Terms: sampleTerms, Version: 2, Shards: 4,
		RegisteredAt: "2025-05-01T10:00:00.000000000Z", UpdatedAt: "2025-05-02T10:00:00.000000000Z",
	}
	sampleStoreRef = StoreRef{Owner: sellerAccount, ID: "main"}
	sampleStore    = Store{Owner: sellerAccount, ID: "main", Name: "Main street", Kind: "seller", OpenedAt: "2025-05-01T11:00:00.000000000Z"}
	sampleListing  = Listing{
		Owner: sellerAccount, Store: "main", ID: "l1", Product: sampleProductRef, Price: money.NewAmount(100), ReferralBps: 500,
		Status: "active", Version: 1, CreatedAt: "2025-05-01T12:00:00.000000000Z", UpdatedAt: "2025-05-01T12:00:00.000000000Z",
	}
)

func TestCatalogReadsNameTheirTransactions(t *testing.T) {
	withStock := sampleProduct
	withStock.Available = 17
	page := PageRequest{Size: 5, Bookmark: "bm"}
	runReads(t, map[string]wireCase{
		"Product": {
			call: func(ctx context.Context, c *Client) (any, error) { return c.Product(ctx, sampleProductRef) },
			fn:   "product:Get", args: []string{supplierAccount, "tea-1"}, out: withStock,
		},
		"Products": {
			call: func(ctx context.Context, c *Client) (any, error) { return c.Products(ctx, supplierAccount, page) },
			fn:   "product:List", args: []string{supplierAccount, "5", "bm"},
			out: ProductPage{Products: []Product{sampleProduct}, Bookmark: "next"},
		},
		"ProductHistory": {
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.ProductHistory(ctx, sampleProductRef, PageRequest{})
			},
			fn: "product:History", args: []string{supplierAccount, "tea-1", "100", ""},
			out: ProductHistoryPage{Entries: []ProductHistoryEntry{{TxID: "tx9", Time: "2025-05-02T10:00:00.000000000Z", Product: &sampleProduct}}},
		},
		"VerifyAttributes": {
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.VerifyAttributes(ctx, sampleProductRef, json.RawMessage(`{"grams":100,"name":"Sencha"}`))
			},
			fn: "product:VerifyAttributes", args: []string{supplierAccount, "tea-1", `{"grams":100,"name":"Sencha"}`},
			out: Verification{Match: true, Hash: strings.Repeat("e", 64), StoredHash: strings.Repeat("e", 64), Version: 2},
		},
		"Store": {
			call: func(ctx context.Context, c *Client) (any, error) { return c.Store(ctx, sampleStoreRef) },
			fn:   "store:Get", args: []string{sellerAccount, "main"}, out: sampleStore,
		},
		"Listing": {
			call: func(ctx context.Context, c *Client) (any, error) { return c.Listing(ctx, sampleListing.Ref()) },
			fn:   "store:GetListing", args: []string{sellerAccount, "main", "l1"}, out: sampleListing,
		},
		"Stores": {
			call: func(ctx context.Context, c *Client) (any, error) { return c.Stores(ctx, sellerAccount, page) },
			fn:   "store:ListByOwner", args: []string{sellerAccount, "5", "bm"},
			out: StorePage{Stores: []Store{sampleStore}},
		},
		"Listings": {
			call: func(ctx context.Context, c *Client) (any, error) { return c.Listings(ctx, sampleStoreRef, page) },
			fn:   "store:ListListings", args: []string{sellerAccount, "main", "5", "bm"},
			out: ListingPage{Listings: []Listing{sampleListing}, Bookmark: "next"},
		},
	})
}

func TestCatalogWritesSendTheirRequests(t *testing.T) {
	runWrites(t, map[string]wireCase{
		"RegisterProduct": {
			call: func(ctx context.Context, c *Client) (any, error) {
				v, _, err := c.RegisterProduct(ctx, RegisterProductRequest{
					ID: "tea-1", Attributes: json.RawMessage(`{"name": "Sencha", "grams": 100}`), Terms: sampleTerms, Stock: 40,
				})
				return v, err
			},
			fn: "product:Register",
			args: []string{`{"id":"tea-1","attributes":{"name":"Sencha","grams":100},` +
				`"terms":{"wholesalePrice":"60","minRetailPrice":"80","status":"active"},"stock":40}`},
			out: sampleProduct,
		},
		"UpdateProductTerms": {
			call: func(ctx context.Context, c *Client) (any, error) {
				v, _, err := c.UpdateProductTerms(ctx, "tea-1", UpdateTermsRequest{Terms: sampleTerms})
				return v, err
			},
			fn:   "product:UpdateTerms",
			args: []string{"tea-1", `{"terms":{"wholesalePrice":"60","minRetailPrice":"80","status":"active"}}`},
			out:  sampleProduct,
		},
		"Restock": {
			call: func(ctx context.Context, c *Client) (any, error) {
				v, _, err := c.Restock(ctx, "tea-1", 18446744073709551615)
				return v, err
			},
			fn: "product:Restock", args: []string{"tea-1", "18446744073709551615"}, out: sampleProduct,
		},
		"OpenStore": {
			call: func(ctx context.Context, c *Client) (any, error) {
				v, _, err := c.OpenStore(ctx, OpenStoreRequest{ID: "main", Name: "Main street"})
				return v, err
			},
			fn: "store:Open", args: []string{`{"id":"main","name":"Main street"}`}, out: sampleStore,
		},
		"AddListing": {
			call: func(ctx context.Context, c *Client) (any, error) {
				v, _, err := c.AddListing(ctx, AddListingRequest{
					Store: "main", ID: "l1", Product: sampleProductRef, Price: money.NewAmount(100), ReferralBps: 500,
				})
				return v, err
			},
			fn: "store:AddListing",
			args: []string{`{"store":"main","id":"l1","product":{"supplier":"` + supplierAccount + `","id":"tea-1"},` +
				`"price":"100","referralBps":500}`},
			out: sampleListing,
		},
		"UpdateListing": {
			call: func(ctx context.Context, c *Client) (any, error) {
				v, _, err := c.UpdateListing(ctx, "main", "l1", UpdateListingRequest{Price: money.NewAmount(120), ReferralBps: 0})
				return v, err
			},
			fn: "store:UpdateListing", args: []string{"main", "l1", `{"price":"120","referralBps":0}`}, out: sampleListing,
		},
		"RemoveListing": {
			call: func(ctx context.Context, c *Client) (any, error) {
				_, err := c.RemoveListing(ctx, "main", "l1")
				return nil, err
			},
			fn: "store:RemoveListing", args: []string{"main", "l1"}, out: nil,
		},
	})
}

func TestAWriteWhoseResultDoesNotDecodeStillReturnsItsReceipt(t *testing.T) {
	f := &fakeBackend{} // its transactions return "result of tx1"
	p, r, err := fakeClient(t, f).Restock(context.Background(), "tea-1", 5)
	require.ErrorContains(t, err, "product:Restock: decoding the result of committed transaction tx1")
	require.Equal(t, Product{}, p)
	require.Equal(t, "tx1", r.TxID, "the write committed")
	require.Len(t, f.proposed(), 1)
}

func TestARequestThatDoesNotEncodeIsNotSent(t *testing.T) {
	f := &fakeBackend{}
	c := fakeClient(t, f)
	_, _, err := c.RegisterProduct(context.Background(), RegisterProductRequest{ID: "x", Attributes: json.RawMessage(`{"name":`)})
	require.ErrorContains(t, err, "product:Register: encoding the request")
	_, _, err = c.AddListing(context.Background(), AddListingRequest{Store: "main", ID: "l1", ReferralBps: money.MaxRate + 1})
	require.ErrorContains(t, err, "store:AddListing: encoding the request")
	require.Empty(t, f.proposed())
}
