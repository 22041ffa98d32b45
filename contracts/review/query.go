package review

import (
	"encoding/json"
	"fmt"
	"math"
	"math/bits"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/product"
	"github.com/likrcommerce/likr/contracts/store"
)

// MaxRatingRows bounds the rating rows ProductRating and StoreRating add
// up; past it the call is LIMIT_EXCEEDED rather than unbounded.
const MaxRatingRows = 10_000

// Page is one page of reviews, in buyer then order ID order.
type Page struct {
	Reviews  []Review `json:"reviews"`
	Bookmark string   `json:"bookmark"` // empty on the last page
}

// Rating is the aggregate of a product's or a store's reviews.
type Rating struct {
	Count uint64 `json:"count"`
	Sum   uint64 `json:"sum"`
	// Average is Sum / Count rounded half up to two decimals ("4.50"),
	// computed with integers; "0.00" without reviews.
	Average string `json:"average"`
}

// ListByProduct returns one page (1..ledger.MaxPageSize rows) of the
// reviews of a product. Evaluate only.
// likr:evaluate
func ListByProduct(st ledger.State, ref product.Ref, pageSize int32, bookmark string) (*Page, error) {
	if err := ref.Validate(); err != nil {
		return nil, err
	}
	return list(st, byProductType, []string{ref.Supplier, ref.ID}, pageSize, bookmark)
}

// ListByStore returns one page (1..ledger.MaxPageSize rows) of the reviews
// of orders from a store's listings. Evaluate only.
// likr:evaluate
func ListByStore(st ledger.State, ref store.Ref, pageSize int32, bookmark string) (*Page, error) {
	if err := ref.Validate(); err != nil {
		return nil, err
	}
	return list(st, byStoreType, []string{ref.Owner, ref.ID}, pageSize, bookmark)
}

// list reads one page of an index.
// likr:evaluate
func list(st ledger.State, objectType string, attrs []string, pageSize int32, bookmark string) (*Page, error) {
	rows, next, err := ledger.QueryPage(st, objectType, attrs, pageSize, bookmark)
	if err != nil {
		return nil, err
	}
	page := &Page{Reviews: make([]Review, 0, len(rows)), Bookmark: next}
	for _, kv := range rows {
		var r Review
		if err := json.Unmarshal(kv.Value, &r); err != nil {
			return nil, errs.Wrap(errs.Internal, err, "stored review row %q is corrupt", kv.Key)
		}
		page.Reviews = append(page.Reviews, r)
	}
	return page, nil
}

// ProductRating adds up the ratings of a product's reviews. More than
// MaxRatingRows reviews is LIMIT_EXCEEDED. Evaluate only.
// likr:evaluate
func ProductRating(st ledger.State, ref product.Ref) (*Rating, error) {
	if err := ref.Validate(); err != nil {
		return nil, err
	}
	return aggregate(st, productRatings, []string{ref.Supplier, ref.ID})
}

// StoreRating adds up the ratings of the reviews of orders from a store's
// listings. More than MaxRatingRows reviews is LIMIT_EXCEEDED. Evaluate
// only.
// likr:evaluate
func StoreRating(st ledger.State, ref store.Ref) (*Rating, error) {
	if err := ref.Validate(); err != nil {
		return nil, err
	}
	return aggregate(st, storeRatings, []string{ref.Owner, ref.ID})
}

// aggregate sums the delta rows under (objectType, attrs...), page by page.
// likr:evaluate
func aggregate(st ledger.State, objectType string, attrs []string) (*Rating, error) {
	var sum delta
	err := ledger.Scan(st, objectType, attrs, "", "", MaxRatingRows, func(kv ledger.KV) error {
		var d delta
		if err := json.Unmarshal(kv.Value, &d); err != nil {
			return errs.Wrap(errs.Internal, err, "stored rating row %q is corrupt", kv.Key)
		}
		var c1, c2 uint64
		sum.Count, c1 = bits.Add64(sum.Count, d.Count, 0)
		sum.Sum, c2 = bits.Add64(sum.Sum, d.Sum, 0)
		if c1 != 0 || c2 != 0 {
			return errs.New(errs.Overflow, "rating sums exceed the largest count")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	avg, err := average(sum.Sum, sum.Count)
	if err != nil {
		return nil, err
	}
	return &Rating{Count: sum.Count, Sum: sum.Sum, Average: avg}, nil
}

// average renders sum / count rounded half up to two decimals, in integer
// arithmetic: hundredths = floor((200 x sum + count) / (2 x count)).
func average(sum, count uint64) (string, error) {
	if count == 0 {
		return "0.00", nil
	}
	if count > math.MaxUint64/2 || sum > (math.MaxUint64-count)/200 {
		return "", errs.New(errs.Overflow, "average of %d ratings summing to %d exceeds the arithmetic", count, sum)
	}
	h := (200*sum + count) / (2 * count)
	return fmt.Sprintf("%d.%02d", h/100, h%100), nil
}
