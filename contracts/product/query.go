package product

import (
	"encoding/json"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/wallet"
)

// Page is one page of a supplier's products, in ID order.
type Page struct {
	Products []Product `json:"products"`
	Bookmark string    `json:"bookmark"` // empty on the last page
}

// HistoryEntry is one committed version of a product document.
type HistoryEntry struct {
	TxID string `json:"txId"`
	// Time is the writing transaction's timestamp (ledger.TimeLayout).
	Time    string `json:"time"`
	Deleted bool   `json:"deleted"`
	// Product is the document as that transaction wrote it; nil for a
	// delete (products are never deleted today).
	Product *Product `json:"product,omitempty"`
}

// HistoryPage is one page of a product's history, newest first.
type HistoryPage struct {
	Entries []HistoryEntry `json:"entries"`
	// Bookmark continues the listing after this page; empty on the last
	// page. It is opaque: pass it back unchanged.
	Bookmark string `json:"bookmark"`
}

// List returns one page of supplier's products. Evaluate only: it runs a
// paginated range query over the supplier's product keys.
// likr:evaluate
func List(st ledger.State, supplier string, pageSize int32, bookmark string) (*Page, error) {
	if err := wallet.CheckAccount("supplier", supplier); err != nil {
		return nil, err
	}
	rows, next, err := ledger.QueryPage(st, ProductType, []string{supplier}, pageSize, bookmark)
	if err != nil {
		return nil, err
	}
	page := &Page{Products: make([]Product, 0, len(rows)), Bookmark: next}
	for _, row := range rows {
		var p Product
		if err := json.Unmarshal(row.Value, &p); err != nil {
			return nil, errs.Wrap(errs.Internal, err, "stored product %q is corrupt", row.Key)
		}
		page.Products = append(page.Products, p)
	}
	return page, nil
}

// History returns one page of the versions of ref's product document,
// newest first: its registration and each terms update, with the writing
// transaction's ID and time. The bookmark is the transaction ID of the last
// entry of the previous page; one that names no entry of this product is
// INVALID_ARGUMENT. Evaluate only: it reads the key's history.
//
// Fabric's history API has no pagination, so History skips to the bookmark
// itself; a product has one entry per terms update, a supplier action, so
// the walk stays short.
// likr:evaluate
func History(st ledger.State, ref Ref, pageSize int32, bookmark string) (*HistoryPage, error) {
	if err := ref.Validate(); err != nil {
		return nil, err
	}
	if err := ledger.CheckPageSize(pageSize); err != nil {
		return nil, err
	}
	key, err := productKey(st, ref)
	if err != nil {
		return nil, err
	}
	it, err := st.GetHistoryForKey(key)
	if err != nil {
		return nil, errs.Wrap(errs.Internal, err, "history of product %s", ref)
	}
	defer it.Close()

	page := &HistoryPage{Entries: []HistoryEntry{}}
	skipping := bookmark != ""
	for it.HasNext() {
		mod, err := it.Next()
		if err != nil {
			return nil, errs.Wrap(errs.Internal, err, "history of product %s", ref)
		}
		if skipping {
			skipping = mod.GetTxId() != bookmark
			continue
		}
		if len(page.Entries) == int(pageSize) {
			// There is more: continue after the last entry returned.
			page.Bookmark = page.Entries[len(page.Entries)-1].TxID
			return page, nil
		}
		e := HistoryEntry{TxID: mod.GetTxId(), Deleted: mod.GetIsDelete()}
		ts := mod.GetTimestamp()
		if err := ts.CheckValid(); err != nil {
			return nil, errs.Wrap(errs.Internal, err, "history of product %s: timestamp of %s", ref, e.TxID)
		}
		e.Time = ledger.Stamp(ts.AsTime())
		if !e.Deleted {
			var p Product
			if err := json.Unmarshal(mod.GetValue(), &p); err != nil {
				return nil, errs.Wrap(errs.Internal, err, "history of product %s: version of %s is corrupt", ref, e.TxID)
			}
			e.Product = &p
		}
		page.Entries = append(page.Entries, e)
	}
	if skipping {
		return nil, errs.New(errs.InvalidArgument, "bookmark does not name an entry of product %s's history", ref)
	}
	return page, nil
}
