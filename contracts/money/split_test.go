package money_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/money"
)

func TestSplit(t *testing.T) {
	type share struct {
		party  string
		amount uint64
	}
	for _, tc := range []struct {
		name  string
		total uint64
		parts []money.Part
		want  []share
	}{
		{
			name:  "no parts: all to the remainder",
			total: 100,
			want:  []share{{"seller", 100}},
		},
		{
			name:  "settlement: wholesale, commission, fee, seller remainder",
			total: 10000,
			parts: []money.Part{
				{Party: "supplier", Fixed: amt(6000)},
				{Party: "referrer", Rate: 500},
				{Party: "platform", Rate: 300},
			},
			want: []share{{"supplier", 6000}, {"referrer", 500}, {"platform", 300}, {"seller", 3200}},
		},
		{
			name:  "fixed and rate in one claim",
			total: 1000,
			parts: []money.Part{{Party: "a", Fixed: amt(7), Rate: 1000}},
			want:  []share{{"a", 107}, {"seller", 893}},
		},
		{
			name:  "rounding residue goes to the remainder",
			total: 101,
			parts: []money.Part{{Party: "a", Rate: 3333}, {Party: "b", Rate: 3333}, {Party: "c", Rate: 3334}},
			want:  []share{{"a", 33}, {"b", 33}, {"c", 33}, {"seller", 2}},
		},
		{
			name:  "zero total",
			total: 0,
			parts: []money.Part{{Party: "a", Rate: money.MaxRate}},
			want:  []share{{"a", 0}, {"seller", 0}},
		},
		{
			name:  "claims take everything",
			total: 10,
			parts: []money.Part{{Party: "a", Fixed: amt(4)}, {Party: "b", Fixed: amt(6)}},
			want:  []share{{"a", 4}, {"b", 6}, {"seller", 0}},
		},
		{
			name:  "max total, 100 %",
			total: maxU64,
			parts: []money.Part{{Party: "a", Rate: money.MaxRate}},
			want:  []share{{"a", maxU64}, {"seller", 0}},
		},
		{
			name:  "max total, two halves round down",
			total: maxU64,
			parts: []money.Part{{Party: "a", Rate: 5000}, {Party: "b", Rate: 5000}},
			want:  []share{{"a", maxU64 / 2}, {"b", maxU64 / 2}, {"seller", 1}},
		},
		{
			name:  "rates above 100 % that round to claims within the total",
			total: 1,
			parts: []money.Part{{Party: "a", Rate: 6000}, {Party: "b", Rate: 6000}},
			want:  []share{{"a", 0}, {"b", 0}, {"seller", 1}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := money.Split(amt(tc.total), tc.parts, "seller")
			require.NoError(t, err)
			var gotShares []share
			for _, s := range got {
				gotShares = append(gotShares, share{s.Party, s.Amount.Uint64()})
			}
			assert.Equal(t, tc.want, gotShares)
		})
	}
}

func TestSplitErrors(t *testing.T) {
	for _, tc := range []struct {
		name      string
		total     uint64
		parts     []money.Part
		remainder string
		code      errs.Code
	}{
		{"fixed claim above total", 100, []money.Part{{Party: "a", Fixed: amt(101)}}, "r", errs.InsufficientFunds},
		{"claims together above total", 100, []money.Part{{Party: "a", Fixed: amt(60)}, {Party: "b", Fixed: amt(41)}}, "r", errs.InsufficientFunds},
		{"rates above 100 %", 10000, []money.Part{{Party: "a", Rate: 6000}, {Party: "b", Rate: 6000}}, "r", errs.InsufficientFunds},
		{"claim overflows", maxU64, []money.Part{{Party: "a", Fixed: amt(1), Rate: money.MaxRate}}, "r", errs.InsufficientFunds},
		{"claims overflow together", maxU64, []money.Part{{Party: "a", Fixed: amt(maxU64)}, {Party: "b", Fixed: amt(maxU64)}}, "r", errs.InsufficientFunds},
		{"empty remainder party", 100, nil, "", errs.InvalidArgument},
		{"empty party", 100, []money.Part{{Party: ""}}, "r", errs.InvalidArgument},
		{"duplicate party", 100, []money.Part{{Party: "a"}, {Party: "a"}}, "r", errs.InvalidArgument},
		{"party is the remainder party", 100, []money.Part{{Party: "r"}}, "r", errs.InvalidArgument},
		{"invalid rate", 100, []money.Part{{Party: "a", Rate: money.Rate(10001)}}, "r", errs.InvalidArgument},
		// Arguments are checked before amounts.
		{"bad argument and short total", 0, []money.Part{{Party: "a", Fixed: amt(1)}, {Party: "a"}}, "r", errs.InvalidArgument},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := money.Split(amt(tc.total), tc.parts, tc.remainder)
			assert.Equal(t, tc.code, errs.CodeOf(err), "err = %v", err)
			assert.Nil(t, got)
		})
	}
}
