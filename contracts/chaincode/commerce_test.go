package chaincode

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
)

// commerce is a fixture after a whole sale: a supplier's product, a
// seller's store listing it, and the consumer's order o1, shipped and
// confirmed.
type commerce struct {
	*fixture
	supplier, seller, consumer string
	confirm                    outcome
}

const teaAttributes = `{"name":"제주 녹차 Jeju green tea","grams":80,"origin":{"island":"Jeju"}}`

func newCommerce(t *testing.T) *commerce {
	f := newFixture(t)
	f.mustCall("admin", "config:Init", initJSON)
	c := &commerce{fixture: f, supplier: f.account("supplier"), seller: f.account("seller"), consumer: f.account("consumer")}
	f.mustCall("admin", "wallet:Mint", c.consumer, "100000")
	f.mustCall("supplier", "product:Register", `{"id":"tea","attributes":`+teaAttributes+`,"terms":{"wholesalePrice":"6000","minRetailPrice":"9000","status":"active"},"stock":32}`)
	f.mustCall("seller", "store:Open", `{"id":"jeju","name":"제주 상점"}`)
	f.mustCall("seller", "store:AddListing", `{"store":"jeju","id":"tea-1","product":{"supplier":"`+c.supplier+`","id":"tea"},"price":"10000","referralBps":1000}`)
	f.mustCall("consumer", "order:Place", c.placeRequest("o1", 2, 3))
	f.mustCall("seller", "order:Ship", c.consumer, "o1", `{"carrier":"CJ대한통운","tracking":"6012"}`)
	c.confirm = f.invoke("consumer", "order:ConfirmDelivery", c.consumer, "o1")
	require.NoError(t, c.confirm.err)
	return c
}

func (c *commerce) placeRequest(id string, qty, shard int) string {
	req, err := json.Marshal(map[string]any{
		"id": id, "quantity": qty, "shard": shard, "inputs": json.RawMessage(c.coins("consumer")),
		"listing": map[string]string{"owner": c.seller, "store": "jeju", "id": "tea-1"},
	})
	require.NoError(c.t, err)
	return string(req)
}

func TestCommerceThroughTheContracts(t *testing.T) {
	c := newCommerce(t)
	require.Equal(t, []string{"wallet.debit", "wallet.credit", "wallet.credit", "wallet.credit", "sales.recorded", "order.settled"},
		eventTypes(businessEvents(t, c.confirm)), "settlement, then the sales record, then the order's event, in one chaincode event")
	// 2 x 10000: supplier 2 x 6000, platform 5% = 1000, seller the rest.
	for who, want := range map[string]string{c.supplier: "12000", c.seller: "7000", c.consumer: "80000"} {
		require.Equal(t, want, c.mustCall("admin", "wallet:Balance", who)["balance"], who)
	}
	require.Equal(t, float64(30), c.mustCall("consumer", "product:Get", c.supplier, "tea")["available"])
	verify := c.mustCall("consumer", "product:VerifyAttributes", c.supplier, "tea", `{"origin":{"island":"Jeju"},"grams":80,"name":"제주 녹차 Jeju green tea"}`)
	require.Equal(t, true, verify["match"], "key order does not change the hash")
	sale := c.mustCall("auditor", "sales:Get", c.consumer, "o1")
	require.Equal(t, "20000", sale["total"])
	day := sale["settledAt"].(string)[:len(ledger.DayLayout)]
	require.Equal(t, true, c.mustCall("auditor", "sales:Reconcile", day)["ok"])
	totals := c.mustCall("supplier", "sales:DailyTotals", day, `{"kind":"supplier","party":["`+c.supplier+`"]}`)
	require.Equal(t, "12000", totals["supplierAmount"])
	require.Equal(t, true, c.mustCall("auditor", "wallet:Audit")["ok"])
}

func TestCommerceErrorsAreCoded(t *testing.T) {
	c := newCommerce(t)
	for _, tc := range []struct {
		who, fn string
		args    []string
		want    error
	}{
		{"supplier", "product:UpdateTerms", []string{"tea", `{"terms":{"wholesalePrice":"6000","minRetailPrice":"9000","status":"active"},"attributes":{"name":"other"}}`}, errs.ErrImmutable},
		{"supplier", "product:Register", []string{`{"id":"tea","attributes":{},"terms":{"wholesalePrice":"1","minRetailPrice":"1","status":"active"},"stock":1}`}, errs.ErrAlreadyExists},
		{"supplier", "product:Restock", []string{"tea", "007"}, errs.ErrInvalidArgument},
		{"supplier", "product:Restock", []string{"tea", "-1"}, errs.ErrInvalidArgument},
		{"seller", "store:AddListing", []string{`{"store":"jeju","id":"cheap","product":{"supplier":"` + c.supplier + `","id":"tea"},"price":"8999","referralBps":0}`}, errs.ErrInvalidArgument},
		{"consumer", "order:Place", []string{c.placeRequest("o1", 1, 0)}, errs.ErrAlreadyExists},
		{"consumer", "order:Place", []string{c.placeRequest("o2", 31, 0)}, errs.ErrInsufficientStock},
		{"consumer", "order:Place", []string{`{"id":"o3","id":"o4"}`}, errs.ErrInvalidArgument},
		{"consumer", "order:ConfirmDelivery", []string{c.consumer, "o1"}, errs.ErrInvalidState},
		{"consumer", "order:Cancel", []string{c.consumer, "o1"}, errs.ErrInvalidState},
		{"seller", "order:ConfirmDelivery", []string{c.consumer, "o1"}, errs.ErrForbidden},
		{"consumer", "order:Ship", []string{c.consumer, "nope", `{"carrier":"x","tracking":"y"}`}, errs.ErrNotFound},
	} {
		_, err := c.call(tc.who, tc.fn, tc.args...)
		require.ErrorIs(t, err, tc.want, "%s as %s", tc.fn, tc.who)
	}
}

func TestCommerceRoleMatrix(t *testing.T) {
	c := newCommerce(t)
	day := c.mustCall("auditor", "sales:Get", c.consumer, "o1")["settledAt"].(string)[:len(ledger.DayLayout)]
	supplierScope := `{"kind":"supplier","party":["` + c.supplier + `"]}`
	for _, r := range []rule{
		{"product:Register", []string{`{"id":"p2","attributes":{"a":1},"terms":{"wholesalePrice":"1","minRetailPrice":"2","status":"active"},"stock":1}`}, []string{"supplier"}},
		{"product:Restock", []string{"tea", "1"}, []string{"supplier"}},
		{"store:Open", []string{`{"id":"s2","name":"Two"}`}, []string{"seller"}},
		{"product:Get", []string{c.supplier, "tea"}, []string{"*"}},
		{"product:List", []string{c.supplier, "10", ""}, []string{"*"}},
		{"product:History", []string{c.supplier, "tea", "10", ""}, []string{"*"}},
		{"store:Get", []string{c.seller, "jeju"}, []string{"*"}},
		{"store:GetListing", []string{c.seller, "jeju", "tea-1"}, []string{"*"}},
		{"store:ListListings", []string{c.seller, "jeju", "10", ""}, []string{"*"}},
		{"order:Get", []string{c.consumer, "o1"}, []string{"consumer", "seller", "supplier", "auditor", "admin"}},
		{"order:ListByBuyer", []string{c.consumer, "10", ""}, []string{"consumer", "auditor", "admin"}},
		{"order:ListByStore", []string{c.seller, "jeju", "10", ""}, []string{"seller", "auditor", "admin"}},
		{"order:ListBySupplier", []string{c.supplier, "10", ""}, []string{"supplier", "auditor", "admin"}},
		{"sales:Get", []string{c.consumer, "o1"}, []string{"consumer", "seller", "supplier", "auditor", "admin"}},
		{"sales:BySupplier", []string{c.supplier, "", "", "10", ""}, []string{"supplier", "auditor", "admin"}},
		{"sales:ByStore", []string{c.seller, "jeju", "", "", "10", ""}, []string{"seller", "auditor", "admin"}},
		{"sales:ByProduct", []string{c.supplier, "tea", "", "", "10", ""}, []string{"supplier", "auditor", "admin"}},
		{"sales:ByReferrer", []string{c.consumer, "", "", "10", ""}, []string{"consumer", "auditor", "admin"}},
		{"sales:ByTime", []string{"", "", "10", ""}, []string{"auditor", "admin"}},
		{"sales:DailyTotals", []string{day, supplierScope}, []string{"supplier", "auditor", "admin"}},
		{"sales:Reconcile", []string{day}, []string{"auditor", "admin"}},
	} {
		check(t, c.fixture, r)
	}
}

// A product's attributes reach the client as the exact bytes the ledger
// hashed, HTML-significant characters included, so a client can check the
// hash itself.
func TestProductAttributesArriveAsHashed(t *testing.T) {
	f := newFixture(t)
	f.mustCall("admin", "config:Init", initJSON)
	f.mustCall("supplier", "product:Register", `{"id":"mask","attributes":{"name":"<Mask> & Co"},"terms":{"wholesalePrice":"1","minRetailPrice":"2","status":"active"},"stock":1}`)
	out, err := f.call("consumer", "product:Get", f.account("supplier"), "mask")
	require.NoError(t, err)
	var got struct {
		Attributes     json.RawMessage `json:"attributes"`
		AttributesHash string          `json:"attributesHash"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	require.Equal(t, `{"name":"<Mask> & Co"}`, string(got.Attributes))
	sum := sha256.Sum256(got.Attributes)
	require.Equal(t, hex.EncodeToString(sum[:]), got.AttributesHash)
}
