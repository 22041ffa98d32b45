package client

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/config"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/money"
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

func TestBoundsMatchTheContracts(t *testing.T) {
	require.Equal(t, wallet.MaxInputs, MaxInputs)
	require.Equal(t, ledger.MaxPageSize, MaxPageSize)
}

// fill sets every field of v to a non-zero value, so that omitempty hides
// none of them.
func fill(v reflect.Value) {
	if v.Type() == reflect.TypeOf(money.Amount{}) {
		v.Set(reflect.ValueOf(money.NewAmount(7)))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int32, reflect.Int64:
		v.SetInt(1)
	case reflect.Uint16:
		v.SetUint(1)
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
