package order

import (
	"encoding/json"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/store"
	"github.com/likrcommerce/likr/contracts/wallet"
)

// Page is one page of orders and the bookmark of the next ("" after the
// last).
type Page struct {
	Orders   []Order `json:"orders"`
	Bookmark string  `json:"bookmark"`
}

// ListByBuyer lists a buyer's orders in ID order.
// likr:evaluate
func ListByBuyer(st ledger.State, buyer string, pageSize int32, bookmark string) (*Page, error) {
	if err := wallet.CheckAccount("buyer", buyer); err != nil {
		return nil, err
	}
	rows, next, err := ledger.QueryPage(st, orderType, []string{buyer}, pageSize, bookmark)
	if err != nil {
		return nil, err
	}
	page := &Page{Orders: make([]Order, 0, len(rows)), Bookmark: next}
	for _, row := range rows {
		var o Order
		if err := json.Unmarshal(row.Value, &o); err != nil {
			return nil, errs.Wrap(errs.Internal, err, "stored order %q is corrupt", row.Key)
		}
		page.Orders = append(page.Orders, o)
	}
	return page, nil
}

// ListByStore lists the orders placed at a store.
// likr:evaluate
func ListByStore(st ledger.State, s store.Ref, pageSize int32, bookmark string) (*Page, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return listIndex(st, byStoreType, []string{s.Owner, s.ID}, pageSize, bookmark)
}

// ListBySupplier lists the orders of a supplier's products.
// likr:evaluate
func ListBySupplier(st ledger.State, supplier string, pageSize int32, bookmark string) (*Page, error) {
	if err := wallet.CheckAccount("supplier", supplier); err != nil {
		return nil, err
	}
	return listIndex(st, bySupplierType, []string{supplier}, pageSize, bookmark)
}

// listIndex reads a page of an index and the orders it points at.
// likr:evaluate
func listIndex(st ledger.State, index string, attrs []string, pageSize int32, bookmark string) (*Page, error) {
	rows, next, err := ledger.QueryPage(st, index, attrs, pageSize, bookmark)
	if err != nil {
		return nil, err
	}
	page := &Page{Orders: make([]Order, 0, len(rows)), Bookmark: next}
	for _, row := range rows {
		var ref Ref
		if err := json.Unmarshal(row.Value, &ref); err != nil {
			return nil, errs.Wrap(errs.Internal, err, "stored index row %q is corrupt", row.Key)
		}
		o, err := Get(st, ref)
		if err != nil {
			return nil, errs.Wrap(errs.Internal, err, "index row %q points at a missing order", row.Key)
		}
		page.Orders = append(page.Orders, *o)
	}
	return page, nil
}
