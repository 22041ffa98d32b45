package client

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/chaincode"
	"github.com/likrcommerce/likr/contracts/codec"
	"github.com/likrcommerce/likr/contracts/config"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/moderation"
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/contracts/order"
	"github.com/likrcommerce/likr/contracts/product"
	"github.com/likrcommerce/likr/contracts/review"
	"github.com/likrcommerce/likr/contracts/reward"
	"github.com/likrcommerce/likr/contracts/sales"
	"github.com/likrcommerce/likr/contracts/store"
	"github.com/likrcommerce/likr/contracts/wallet"
)

// The client's result types must decode every field the contracts send
// and lose none: a contract value with every field set is decoded strictly
// into the client's type and encoded again to the same JSON.
func TestResultTypesMatchTheContracts(t *testing.T) {
	for name, pair := range map[string]struct{ contract, client any }{
		"CoinPage":     {&wallet.CoinPage{}, &CoinPage{}},
		"HistoryPage":  {&wallet.HistoryPage{}, &HistoryPage{}},
		"SupplyReport": {&wallet.SupplyReport{}, &SupplyReport{}},
		"AuditReport":  {&wallet.AuditReport{}, &AuditReport{}},
		"Config":       {&config.Config{}, &Config{}},

		"Product":             {&chaincode.ProductView{}, &Product{}},
		"ProductRef":          {&product.Ref{}, &ProductRef{}},
		"ProductTerms":        {&product.Terms{}, &ProductTerms{}},
		"ProductPage":         {&product.Page{}, &ProductPage{}},
		"ProductHistoryEntry": {&product.HistoryEntry{}, &ProductHistoryEntry{}},
		"ProductHistoryPage":  {&product.HistoryPage{}, &ProductHistoryPage{}},
		"Verification":        {&product.Verification{}, &Verification{}},
		"Store":               {&store.Store{}, &Store{}},
		"StoreRef":            {&store.Ref{}, &StoreRef{}},
		"Listing":             {&store.Listing{}, &Listing{}},
		"ListingRef":          {&store.ListingRef{}, &ListingRef{}},
		"StorePage":           {&store.StorePage{}, &StorePage{}},
		"ListingPage":         {&store.ListingPage{}, &ListingPage{}},
		"Order":               {&order.Order{}, &Order{}},
		"OrderRef":            {&order.Ref{}, &OrderRef{}},
		"Take":                {&product.Take{}, &Take{}},
		"Shipment":            {&order.Shipment{}, &Shipment{}},
		"Settlement":          {&order.Settlement{}, &Settlement{}},
		"Refund":              {&order.Refund{}, &Refund{}},
		"Dispute":             {&order.Dispute{}, &Dispute{}},
		"Rewards":             {&order.Rewards{}, &Rewards{}},
		"OrderPage":           {&order.Page{}, &OrderPage{}},
		"Sale":                {&sales.Sale{}, &Sale{}},
		"SalePage":            {&sales.Page{}, &SalePage{}},
		"Totals":              {&sales.Totals{}, &Totals{}},
		"Scope":               {&sales.Scope{}, &Scope{}},
		"ReconcileReport":     {&sales.Report{}, &ReconcileReport{}},
		"Mismatch":            {&sales.Mismatch{}, &Mismatch{}},
		"Resolution":          {&order.Resolution{}, &Resolution{}},

		"Review":             {&review.Review{}, &Review{}},
		"ReviewOutcome":      {&review.Outcome{}, &ReviewOutcome{}},
		"ReviewPage":         {&review.Page{}, &ReviewPage{}},
		"Rating":             {&review.Rating{}, &Rating{}},
		"RewardRule":         {&reward.Rule{}, &RewardRule{}},
		"RewardHistoryEntry": {&reward.HistoryEntry{}, &RewardHistoryEntry{}},
		"RewardHistoryPage":  {&reward.HistoryPage{}, &RewardHistoryPage{}},
		"ModeratorFee":       {&moderation.Fee{}, &ModeratorFee{}},
		"Moderator":          {&moderation.Moderator{}, &Moderator{}},
		"Reputation":         {&moderation.Reputation{}, &Reputation{}},
		"ModeratorProfile":   {&moderation.ModeratorProfile{}, &ModeratorProfile{}},
		"ModeratorPage":      {&moderation.Page{}, &ModeratorPage{}},
	} {
		t.Run(name, func(t *testing.T) {
			fill(reflect.ValueOf(pair.contract).Elem())
			sent, err := json.Marshal(pair.contract)
			require.NoError(t, err)
			dec := json.NewDecoder(bytes.NewReader(sent))
			dec.DisallowUnknownFields()
			require.NoError(t, dec.Decode(pair.client), "%s", sent)
			again, err := json.Marshal(pair.client)
			require.NoError(t, err)
			require.JSONEq(t, string(sent), string(again))
		})
	}
}

// The config the client sends is one config:Init accepts as it is.
func TestConfigRequestDecodesInTheContract(t *testing.T) {
	want := Config{
		OperatorMSP: "Org1MSP",
		Trusted: Trusted{Admin: []string{"Org1MSP"}, Supplier: []string{"Org2MSP"}, Seller: []string{"Org2MSP"},
			Moderator: []string{"Org1MSP"}, Auditor: []string{"Org1MSP"}},
		PlatformFeeBps: 500, SupplyCap: money.NewAmount(1_000_000), AutoReleaseSeconds: 60, DisputeTimeoutSeconds: 120, StockShards: 4,
	}
	data, err := json.Marshal(want)
	require.NoError(t, err)
	got, err := config.Decode(data)
	require.NoError(t, err)
	back, err := json.Marshal(got)
	require.NoError(t, err)
	require.JSONEq(t, string(data), string(back))
}

// Every request the client sends decodes strictly in the contract into the
// request type it names, and loses nothing: a request with every field set
// is encoded, decoded with codec.Decode as the contract layer does, and
// encoded again to the same JSON.
func TestRequestsDecodeInTheContract(t *testing.T) {
	for name, pair := range map[string]struct{ client, contract any }{
		"RegisterProductRequest": {&RegisterProductRequest{}, &product.RegisterRequest{}},
		"UpdateTermsRequest":     {&UpdateTermsRequest{}, &product.UpdateRequest{}},
		"OpenStoreRequest":       {&OpenStoreRequest{}, &store.OpenRequest{}},
		"AddListingRequest":      {&AddListingRequest{}, &store.ListingRequest{}},
		"UpdateListingRequest":   {&UpdateListingRequest{}, &store.ListingUpdate{}},
		"ShipOrderRequest":       {&ShipOrderRequest{}, &order.ShipRequest{}},
		"placeRequest":           {&placeRequest{}, &order.PlaceRequest{}},
		"Scope":                  {&Scope{}, &sales.Scope{}},

		"PostReviewRequest":        {&PostReviewRequest{}, &review.PostRequest{}},
		"RewardRule":               {&RewardRule{}, &reward.Rule{}},
		"RegisterModeratorRequest": {&RegisterModeratorRequest{}, &moderation.RegisterRequest{}},
		"UpdateModeratorRequest":   {&UpdateModeratorRequest{}, &moderation.UpdateRequest{}},
		"DisputeRequest":           {&DisputeRequest{}, &order.DisputeRequest{}},
		"ResolveRequest":           {&ResolveRequest{}, &order.ResolveRequest{}},
	} {
		t.Run(name, func(t *testing.T) {
			fill(reflect.ValueOf(pair.client).Elem())
			sent, err := json.Marshal(pair.client)
			require.NoError(t, err)
			require.NoError(t, codec.Decode(sent, pair.contract), "%s", sent)
			again, err := json.Marshal(pair.contract)
			require.NoError(t, err)
			require.JSONEq(t, string(sent), string(again))
		})
	}
	// The optional fields may be left out.
	for name, pair := range map[string]struct {
		sent     any
		contract any
	}{
		"UpdateTermsRequest without attributes": {UpdateTermsRequest{Terms: ProductTerms{Status: "active"}}, &product.UpdateRequest{}},
		"placeRequest without referrer":         {placeRequest{ID: "o1", Inputs: []string{"c"}}, &order.PlaceRequest{}},
	} {
		t.Run(name, func(t *testing.T) {
			sent, err := json.Marshal(pair.sent)
			require.NoError(t, err)
			require.NotContains(t, string(sent), "null")
			require.NoError(t, codec.Decode(sent, pair.contract), "%s", sent)
		})
	}
}

func TestBoundsMatchTheContracts(t *testing.T) {
	require.Equal(t, wallet.MaxInputs, MaxInputs)
	require.Equal(t, ledger.MaxPageSize, MaxPageSize)
	require.Equal(t, product.MaxShards, maxShards)
	require.Equal(t, ledger.TimeLayout, timeLayout)
	require.Equal(t, ledger.DayLayout, dayLayout)
}

// fill sets every field of v to a non-zero value, so that omitempty hides
// none of them.
func fill(v reflect.Value) {
	switch v.Type() {
	case reflect.TypeOf(money.Amount{}):
		v.Set(reflect.ValueOf(money.NewAmount(7)))
		return
	case reflect.TypeOf(json.RawMessage{}):
		v.Set(reflect.ValueOf(json.RawMessage(`{"x":["y",1]}`)))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int32, reflect.Int64:
		v.SetInt(1)
	case reflect.Uint16, reflect.Uint64:
		v.SetUint(1)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem())
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0))
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i))
			}
		}
	default:
		panic("fill: no value for " + v.Type().String())
	}
}
