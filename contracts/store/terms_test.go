package store_test

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/contracts/product"
	"github.com/likrcommerce/likr/contracts/store"
)

func prod(wholesale, minRetail uint64, status product.Status) *product.Product {
	return &product.Product{Supplier: supplier, ID: "p", Terms: product.Terms{
		WholesalePrice: amt(wholesale), MinRetailPrice: amt(minRetail), Status: status,
	}}
}

func TestCheckTerms(t *testing.T) {
	for _, tc := range []struct {
		name      string
		p         *product.Product
		price     uint64
		ref, fee  money.Rate
		code      errs.Code // "" for accepted
		msgSubstr string
	}{
		{"accepted", prod(90, 100, product.Active), 120, 1000, 500, "", ""},
		{"at the minimum", prod(90, 100, product.Active), 100, 500, 500, "", ""},
		{"hidden", prod(90, 100, product.Hidden), 120, 0, 0, errs.InvalidState, "is hidden"},
		{"discontinued", prod(90, 100, product.Discontinued), 120, 0, 0, errs.InvalidState, "is discontinued"},
		{"unknown status", prod(90, 100, ""), 120, 0, 0, errs.InvalidState, "is "},
		{"no product", nil, 120, 0, 0, errs.Internal, ""},
		{"zero price", prod(0, 0, product.Active), 0, 0, 0, errs.InvalidArgument, "greater than zero"},
		{"below the minimum", prod(90, 100, product.Active), 99, 0, 0, errs.InvalidArgument, "minimum retail price 100"},
		{"referral above 100%", prod(0, 1, product.Active), 100, 10001, 0, errs.InvalidArgument, "referralBps"},
		{"fee above 100%", prod(0, 1, product.Active), 100, 0, 10001, errs.InvalidArgument, "fee"},
		{"rates add to 100% of a free product", prod(0, 1, product.Active), 100, 5000, 5000, "", ""},
		{"rates add beyond 100%", prod(0, 1, product.Active), 100, 5000, 5001, errs.InvalidArgument, "exceed the seller's margin"},
		{"at the margin", prod(90, 100, product.Active), 100, 500, 500, "", ""},
		{"one bp over the margin", prod(90, 100, product.Active), 100, 501, 500, errs.InvalidArgument, "exceed the seller's margin"},
		{"no margin, no rates", prod(100, 100, product.Active), 100, 0, 0, "", ""},
		{"no margin, fee only", prod(100, 100, product.Active), 100, 0, 1, errs.InvalidArgument, "exceed the seller's margin"},
		{"largest amounts", prod(math.MaxUint64, 1, product.Active), math.MaxUint64, 0, 0, "", ""},
		{"largest amounts, 1 bp", prod(math.MaxUint64-1, 1, product.Active), math.MaxUint64, 0, 1, errs.InvalidArgument, "exceed the seller's margin"},
		{"largest rates on the largest price", prod(0, 1, product.Active), math.MaxUint64, 10000, 0, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := store.CheckTerms(tc.p, amt(tc.price), tc.ref, tc.fee)
			if tc.code == "" {
				require.NoError(t, err)
				return
			}
			wantCode(t, err, tc.code)
			require.Contains(t, err.Error(), tc.msgSubstr)
		})
	}
}

var tenThousand = big.NewInt(10000)

func bigU(v uint64) *big.Int { return new(big.Int).SetUint64(v) }

// marginHolds is the margin rule in arbitrary precision:
// wholesale x 10000 + price x (referral + fee) <= price x 10000.
func marginHolds(wholesale, price uint64, referral, fee money.Rate) bool {
	lhs := new(big.Int).Mul(bigU(wholesale), tenThousand)
	lhs.Add(lhs, new(big.Int).Mul(bigU(price), big.NewInt(int64(referral)+int64(fee))))
	return lhs.Cmp(new(big.Int).Mul(bigU(price), tenThousand)) <= 0
}

// settlementFits reports whether the claims of a settlement of qty units,
// floor(total x referral / 10000) + floor(total x fee / 10000) +
// wholesale x qty, fit in total = price x qty, in arbitrary precision.
func settlementFits(wholesale, price uint64, referral, fee money.Rate, qty uint64) bool {
	total := new(big.Int).Mul(bigU(price), bigU(qty))
	claims := new(big.Int).Mul(bigU(wholesale), bigU(qty))
	for _, r := range []money.Rate{referral, fee} {
		share := new(big.Int).Mul(total, big.NewInt(int64(r)))
		claims.Add(claims, share.Quo(share, tenThousand))
	}
	return claims.Cmp(total) <= 0
}

// checkSettlement checks CheckTerms on one case against the arbitrary
// precision rule, and what it promises for settlement:
//   - accepted terms settle within the total for qty (and for the
//     quantities where rounding matters most), and when the total fits in an
//     amount money.Split, which order settlement uses, succeeds and sums to it;
//   - refused terms would overdraw an order of 10000 units, where every
//     floor is exact, so the rule is as loose as it can be.
func checkSettlement(t *testing.T, wholesale, price uint64, referral, fee money.Rate, qty uint64) {
	t.Helper()
	err := store.CheckTerms(prod(wholesale, 1, product.Active), amt(price), referral, fee)
	want := marginHolds(wholesale, price, referral, fee)
	if price == 0 {
		wantCode(t, err, errs.InvalidArgument)
		return
	}
	if !want {
		wantCode(t, err, errs.InvalidArgument)
		require.Contains(t, err.Error(), "exceed the seller's margin")
		require.False(t, settlementFits(wholesale, price, referral, fee, 10000),
			"refused terms w=%d p=%d r=%d f=%d would settle 10000 units", wholesale, price, referral, fee)
		return
	}
	require.NoError(t, err, "w=%d p=%d r=%d f=%d", wholesale, price, referral, fee)
	for _, q := range []uint64{qty, 1, 2, 3, 9999, 10000, 10001, math.MaxUint64} {
		require.True(t, settlementFits(wholesale, price, referral, fee, q),
			"accepted terms w=%d p=%d r=%d f=%d overdraw %d units", wholesale, price, referral, fee, q)
		total, err := amt(price).MulUint(q)
		if err != nil {
			continue // the order refuses such a quantity with OVERFLOW
		}
		supply, err := amt(wholesale).MulUint(q)
		require.NoError(t, err, "wholesale x qty fits when price x qty does")
		shares, err := money.Split(total, []money.Part{
			{Party: "supplier", Fixed: supply},
			{Party: "referrer", Rate: referral},
			{Party: "platform", Rate: fee},
		}, "seller")
		require.NoError(t, err, "w=%d p=%d r=%d f=%d q=%d", wholesale, price, referral, fee, q)
		sum, err := money.Sum(shares[0].Amount, shares[1].Amount, shares[2].Amount, shares[3].Amount)
		require.NoError(t, err)
		require.True(t, sum.Equal(total))
	}
}

// maxWholesale is the largest wholesale price the rule accepts for price and
// rates: floor(price x (10000 - referral - fee) / 10000), or -1 when none.
func maxWholesale(price uint64, referral, fee money.Rate) *big.Int {
	keep := int64(10000) - int64(referral) - int64(fee)
	if keep < 0 {
		return big.NewInt(-1)
	}
	w := new(big.Int).Mul(bigU(price), big.NewInt(keep))
	return w.Quo(w, tenThousand)
}

// clampU turns v into a uint64 in range, or reports that it is not.
func clampU(v *big.Int) (uint64, bool) {
	if v.Sign() < 0 || !v.IsUint64() {
		return 0, false
	}
	return v.Uint64(), true
}

func randRate(rng *rand.Rand) money.Rate {
	switch rng.IntN(4) {
	case 0:
		return money.Rate(rng.IntN(3)) // 0, 1, 2
	case 1:
		return money.Rate(10000 - rng.IntN(3))
	}
	return money.Rate(rng.IntN(10001))
}

func randAmount(rng *rand.Rand) uint64 {
	return rng.Uint64() >> rng.IntN(64) // every magnitude equally often
}

func TestCheckTermsGuaranteesSettlement(t *testing.T) {
	rng := rand.New(rand.NewPCG(2026, 3))
	n := 20000
	if testing.Short() {
		n = 2000
	}
	for range n {
		price, referral, fee := randAmount(rng), randRate(rng), randRate(rng)
		qty := randAmount(rng)
		// Wholesale prices right at, just below and just above the
		// boundary, where an inexact rule would err, and a random one.
		edge := maxWholesale(price, referral, fee)
		for _, d := range []int64{-1, 0, 1} {
			if w, ok := clampU(new(big.Int).Add(edge, big.NewInt(d))); ok {
				checkSettlement(t, w, price, referral, fee, qty)
			}
		}
		checkSettlement(t, randAmount(rng)%(price|1), price, referral, fee, qty)
	}
}

func FuzzCheckTerms(f *testing.F) {
	f.Add(uint64(9000), uint64(10000), uint16(500), uint16(500), uint64(3))
	f.Add(uint64(2), uint64(3), uint16(3333), uint16(0), uint64(10000))
	f.Add(uint64(math.MaxUint64-1844674407370956), uint64(math.MaxUint64), uint16(1), uint16(0), uint64(1))
	f.Add(uint64(0), uint64(1), uint16(10000), uint16(0), uint64(math.MaxUint64))
	f.Fuzz(func(t *testing.T, wholesale, price uint64, referral, fee uint16, qty uint64) {
		checkSettlement(t, wholesale, price, money.Rate(referral%10001), money.Rate(fee%10001), qty)
	})
}
