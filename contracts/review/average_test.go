package review

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/errs"
)

// Averages are rounded half up to two decimals, in integers only.
func TestAverageRoundsHalfUp(t *testing.T) {
	for _, c := range []struct {
		sum, count uint64
		want       string
	}{
		{0, 0, "0.00"},
		{5, 1, "5.00"},
		{9, 2, "4.50"},
		{10, 3, "3.33"},
		{11, 3, "3.67"},
		{1, 8, "0.13"},   // 0.125 rounds up
		{3, 8, "0.38"},   // 0.375 rounds up
		{7, 6, "1.17"},   // 1.1666...
		{1, 200, "0.01"}, // 0.005 rounds up
		{1, 201, "0.00"}, // 0.00497...
		{5 * 10_000, 10_000, "5.00"},
	} {
		got, err := average(c.sum, c.count)
		require.NoError(t, err)
		require.Equal(t, c.want, got, "%d/%d", c.sum, c.count)
	}
	_, err := average(math.MaxUint64/100, 1)
	require.ErrorIs(t, err, errs.ErrOverflow)
	_, err = average(1, math.MaxUint64)
	require.ErrorIs(t, err, errs.ErrOverflow)
}
