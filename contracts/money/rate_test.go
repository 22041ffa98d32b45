package money_test

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/money"
)

func TestNewRate(t *testing.T) {
	for _, tc := range []struct {
		bps  uint64
		code errs.Code
	}{
		{0, ok},
		{1, ok},
		{9999, ok},
		{10000, ok},
		{10001, errs.InvalidArgument},
		{65536, errs.InvalidArgument}, // would be 0 if converted to uint16
		{math.MaxUint64, errs.InvalidArgument},
	} {
		r, err := money.NewRate(tc.bps)
		if tc.code == ok {
			require.NoError(t, err, tc.bps)
			assert.Equal(t, tc.bps, uint64(r))
			assert.True(t, r.Valid())
		} else {
			assert.Equal(t, tc.code, errs.CodeOf(err), tc.bps)
		}
	}
	assert.False(t, money.Rate(10001).Valid())
	assert.True(t, money.MaxRate.Valid())
}

func TestRateAdd(t *testing.T) {
	for _, tc := range []struct {
		a, b money.Rate
		want money.Rate
		code errs.Code
	}{
		{0, 0, 0, ok},
		{250, 300, 550, ok},
		{money.MaxRate, 0, money.MaxRate, ok},
		{5000, 5000, money.MaxRate, ok},
		{5000, 5001, 0, errs.InvalidArgument},
		{money.MaxRate, money.MaxRate, 0, errs.InvalidArgument},
		{money.Rate(10001), 0, 0, errs.InvalidArgument},
		{0, money.Rate(10001), 0, errs.InvalidArgument},
		{money.Rate(60000), money.Rate(5536), 0, errs.InvalidArgument}, // wraps to 0 in a uint16
	} {
		got, err := tc.a.Add(tc.b)
		if tc.code == ok {
			require.NoError(t, err, "%d + %d", tc.a, tc.b)
			assert.Equal(t, tc.want, got, "%d + %d", tc.a, tc.b)
		} else {
			assert.Equal(t, tc.code, errs.CodeOf(err), "%d + %d", tc.a, tc.b)
		}
	}
}

func TestRateMarshalJSON(t *testing.T) {
	b, err := json.Marshal(struct {
		Fee money.Rate `json:"fee"`
	}{250})
	require.NoError(t, err)
	assert.Equal(t, `{"fee":250}`, string(b))

	for r, want := range map[money.Rate]string{0: "0", 1: "1", money.MaxRate: "10000"} {
		b, err := json.Marshal(r)
		require.NoError(t, err)
		assert.Equal(t, want, string(b))
	}

	_, err = json.Marshal(money.Rate(10001))
	assert.ErrorIs(t, err, errs.ErrInternal)
}

func TestRateUnmarshalJSON(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want money.Rate
		code errs.Code
	}{
		{`0`, 0, ok},
		{`1`, 1, ok},
		{`250`, 250, ok},
		{`10000`, 10000, ok},
		{`10001`, 0, errs.InvalidArgument},
		{`65535`, 0, errs.InvalidArgument},
		{`65536`, 0, errs.InvalidArgument}, // 0 in a uint16
		{`100000`, 0, errs.InvalidArgument},
		{`18446744073709551616`, 0, errs.InvalidArgument},
		{`-1`, 0, errs.InvalidArgument},
		{`-0`, 0, errs.InvalidArgument},
		{`1.5`, 0, errs.InvalidArgument},
		{`1.0`, 0, errs.InvalidArgument},
		{`1e2`, 0, errs.InvalidArgument},
		{`01`, 0, errs.InvalidArgument},
		{`00`, 0, errs.InvalidArgument},
		{`"250"`, 0, errs.InvalidArgument},
		{`null`, 0, errs.InvalidArgument},
		{`true`, 0, errs.InvalidArgument},
		{`[]`, 0, errs.InvalidArgument},
		{` 1`, 0, errs.InvalidArgument},
		{``, 0, errs.InvalidArgument},
	} {
		got := money.Rate(42)
		err := got.UnmarshalJSON([]byte(tc.in))
		if tc.code == ok {
			require.NoError(t, err, tc.in)
			assert.Equal(t, tc.want, got, tc.in)
		} else {
			assert.Equal(t, tc.code, errs.CodeOf(err), tc.in)
			assert.Equal(t, money.Rate(42), got, "a failed decode of %s changed the value", tc.in)
		}
	}
}
