package sales

import (
	"bytes"
	"encoding/json"

	"github.com/likrcommerce/likr/contracts/codec"
	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/wallet"
)

// By names the index a Query reads.
type By string

// The query kinds and the Party each takes.
const (
	BySupplier By = "supplier" // [supplier]
	ByStore    By = "store"    // [owner, store]
	ByProduct  By = "product"  // [supplier, product]
	ByReferrer By = "referrer" // [referrer]
	ByTime     By = "time"     // [] (every sale)
)

// Filter selects sales: those of one party (By and Party), settled in
// [From, To). From and To are RFC 3339 times; "" leaves that end open.
type Filter struct {
	By    By       `json:"by"`
	Party []string `json:"party"`
	From  string   `json:"from"`
	To    string   `json:"to"`
}

// Page is one page of sales in settlement order (then buyer, then order).
type Page struct {
	Records  []Sale `json:"records"`
	Bookmark string `json:"bookmark"` // empty on the last page
}

// index returns the object type of f's index after checking f's party:
// accounts first, then an ID where the kind has two parts.
func (f Filter) index() (string, error) {
	var objectType string
	var fields []string
	switch f.By {
	case BySupplier:
		objectType, fields = supplierIndex, []string{"supplier"}
	case ByStore:
		objectType, fields = storeIndex, []string{"owner", "store"}
	case ByProduct:
		objectType, fields = productIndex, []string{"supplier", "product"}
	case ByReferrer:
		objectType, fields = referrerIndex, []string{"referrer"}
	case ByTime:
		objectType = timeIndex
	default:
		return "", errs.New(errs.InvalidArgument, "by %s: must be supplier, store, product, referrer or time", errs.Quote(string(f.By)))
	}
	if len(f.Party) != len(fields) {
		return "", errs.New(errs.InvalidArgument, "a query by %s takes %d party element(s) %v, got %d", f.By, len(fields), fields, len(f.Party))
	}
	for i, field := range fields {
		var err error
		if i == 0 {
			err = wallet.CheckAccount(field, f.Party[i])
		} else {
			err = codec.ID(field, f.Party[i])
		}
		if err != nil {
			return "", err
		}
	}
	return objectType, nil
}

// bounds returns From and To in ledger.TimeLayout, the form of the settledAt
// key attribute, so that any RFC 3339 form of an instant selects the same
// keys. From after To is INVALID_ARGUMENT.
func (f Filter) bounds() (from, to string, err error) {
	if f.From != "" {
		t, err := ledger.ParseStamp("from", f.From)
		if err != nil {
			return "", "", err
		}
		from = ledger.Stamp(t)
	}
	if f.To != "" {
		t, err := ledger.ParseStamp("to", f.To)
		if err != nil {
			return "", "", err
		}
		to = ledger.Stamp(t)
	}
	if from != "" && to != "" && from > to {
		return "", "", errs.New(errs.InvalidArgument, "from %s is after to %s", f.From, f.To)
	}
	return from, to, nil
}

// Query returns one page of the sales f selects, in settlement order, and
// the bookmark of the next page. pageSize is 1..ledger.MaxPageSize; a
// bookmark must come from the previous page of the same query. Evaluate
// only.
// likr:evaluate
func Query(st ledger.State, f Filter, pageSize int32, bookmark string) (*Page, error) {
	kvs, next, err := queryRows(st, f, pageSize, bookmark)
	if err != nil {
		return nil, err
	}
	page := &Page{Records: make([]Sale, 0, len(kvs)), Bookmark: next}
	for _, kv := range kvs {
		var s Sale
		if err := json.Unmarshal(kv.Value, &s); err != nil {
			return nil, errs.Wrap(errs.Internal, err, "stored sale row %q is corrupt", kv.Key)
		}
		page.Records = append(page.Records, s)
	}
	return page, nil
}

// QueryJSON is Query encoded as JSON, the same document, built from the
// stored rows without decoding them: every index row holds the sale's JSON
// as Record wrote it, and decoding twenty of them only to encode them again
// was most of a page's cost. Evaluate only.
// likr:evaluate
func QueryJSON(st ledger.State, f Filter, pageSize int32, bookmark string) ([]byte, error) {
	kvs, next, err := queryRows(st, f, pageSize, bookmark)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(`{"records":[`)
	for i, kv := range kvs {
		if !json.Valid(kv.Value) {
			return nil, errs.New(errs.Internal, "stored sale row %q is corrupt", kv.Key)
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(kv.Value)
	}
	b.WriteString(`],"bookmark":`)
	mark, err := json.Marshal(next)
	if err != nil {
		return nil, errs.Wrap(errs.Internal, err, "encode bookmark")
	}
	b.Write(mark)
	b.WriteByte('}')
	return b.Bytes(), nil
}

// queryRows reads the stored rows of one page of f.
// likr:evaluate
func queryRows(st ledger.State, f Filter, pageSize int32, bookmark string) ([]ledger.KV, string, error) {
	if err := ledger.CheckPageSize(pageSize); err != nil {
		return nil, "", err
	}
	objectType, err := f.index()
	if err != nil {
		return nil, "", err
	}
	from, to, err := f.bounds()
	if err != nil {
		return nil, "", err
	}
	return ledger.QueryRange(st, objectType, f.Party, from, to, pageSize, bookmark)
}
