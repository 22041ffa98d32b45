package sales

import (
	"encoding/json"
	"unicode/utf8"

	"github.com/likrcommerce/likr/contracts/codec"
	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/contracts/wallet"
)

// Object types of the composite keys (see the package doc).
const (
	saleType      = "sale"
	supplierIndex = "sale~supplier"
	storeIndex    = "sale~store"
	productIndex  = "sale~product"
	referrerIndex = "sale~referrer"
	timeIndex     = "sale~time"
	dayType       = "sday"
)

// maxTxIDLen bounds the transaction ID in sday keys. Fabric's are 64 hex
// characters.
const maxTxIDLen = 100

// hashLen is the length of a lowercase hex SHA-256, product.AttributesHash.
const hashLen = 64

// Sale is the record of one settled order. It is named Sale rather than
// Record because Go cannot give a type and a function of one package the
// same name, and the function, [Record], is what settlement calls.
type Sale struct {
	Buyer          string       `json:"buyer"` // account
	Order          string       `json:"order"` // order ID, scoped to the buyer
	Supplier       string       `json:"supplier"`
	Product        string       `json:"product"`
	ProductVersion uint64       `json:"productVersion"` // the terms version sold under, from 1
	AttributesHash string       `json:"attributesHash"` // lowercase hex SHA-256 of the product's attributes
	StoreOwner     string       `json:"storeOwner"`     // the seller
	Store          string       `json:"store"`
	Listing        string       `json:"listing"`
	Referrer       string       `json:"referrer,omitempty"`      // account of the referrer shop's owner
	ReferrerStore  string       `json:"referrerStore,omitempty"` // that shop's ID
	Quantity       uint64       `json:"quantity"`
	UnitPrice      money.Amount `json:"unitPrice"`
	Total          money.Amount `json:"total"`  // = UnitPrice x Quantity = the escrow
	Refund         money.Amount `json:"refund"` // to the buyer (disputes); zero otherwise
	SupplierAmount money.Amount `json:"supplierAmount"`
	Commission     money.Amount `json:"commission"`
	PlatformFee    money.Amount `json:"platformFee"`
	ModeratorFee   money.Amount `json:"moderatorFee"` // disputes; zero otherwise
	SellerAmount   money.Amount `json:"sellerAmount"`
	PlacedAt       string       `json:"placedAt"`  // ledger.TimeLayout
	SettledAt      string       `json:"settledAt"` // set by Record from the transaction time
	TxID           string       `json:"txId"`      // set by Record
}

// EventRecorded is the type of the event Record emits; stable, clients
// match on it.
const EventRecorded = "sales.recorded"

// RecordedEvent is emitted by Record.
type RecordedEvent struct {
	Type       string       `json:"type"`
	Buyer      string       `json:"buyer"`
	Order      string       `json:"order"`
	Supplier   string       `json:"supplier"`
	StoreOwner string       `json:"storeOwner"`
	Store      string       `json:"store"`
	Product    string       `json:"product"`
	Total      money.Amount `json:"total"`
	SettledAt  string       `json:"settledAt"`
}

// Record appends the sale of a settled order to the ledger, in the
// settlement transaction: it sets SettledAt from the transaction time and
// TxID from the transaction, and returns the sale as stored. It reads only
// the sale's own key: a second record of the same (buyer, order) is
// ALREADY_EXISTS. A sale that does not add up (see [Sale.Validate]) is
// INVALID_ARGUMENT. A refused call writes nothing and emits nothing; a
// successful one writes the sale, its index rows and its sday rows (see the
// package doc) and emits one RecordedEvent to ev (when ev is not nil).
// PlacedAt is stored in ledger.TimeLayout whatever RFC 3339 form it came in.
func Record(st ledger.State, ev ledger.Emitter, sale Sale) (*Sale, error) {
	if err := sale.Validate(); err != nil {
		return nil, err
	}
	placed, _ := ledger.ParseStamp("placedAt", sale.PlacedAt) // valid: checked by Validate
	now, err := ledger.TxTime(st)
	if err != nil {
		return nil, err
	}
	sale.PlacedAt, sale.SettledAt = ledger.Stamp(placed), ledger.Stamp(now)
	sale.TxID = st.GetTxID()
	if sale.TxID == "" || len(sale.TxID) > maxTxIDLen || !utf8.ValidString(sale.TxID) {
		return nil, errs.New(errs.Internal, "transaction ID %q cannot name sales rows", sale.TxID)
	}
	rows, err := saleRows(st, &sale)
	if err != nil {
		return nil, err
	}
	// The one read: the sale's own key, which only this order writes.
	existing, err := st.GetState(rows[0].key)
	if err != nil {
		return nil, errs.Wrap(errs.Internal, err, "read sale %s of %s", sale.Order, sale.Buyer)
	}
	if existing != nil {
		return nil, errs.New(errs.AlreadyExists, "order %s of buyer %s is already recorded", sale.Order, sale.Buyer)
	}
	for _, r := range rows {
		if err := st.PutState(r.key, r.value); err != nil {
			return nil, errs.Wrap(errs.Internal, err, "write sales row")
		}
	}
	if ev != nil {
		ev.Emit(RecordedEvent{
			Type: EventRecorded, Buyer: sale.Buyer, Order: sale.Order, Supplier: sale.Supplier,
			StoreOwner: sale.StoreOwner, Store: sale.Store, Product: sale.Product,
			Total: sale.Total, SettledAt: sale.SettledAt,
		})
	}
	return &sale, nil
}

// row is one key and value Record writes.
type row struct {
	key   string
	value []byte
}

// saleRows returns every row Record writes for s, the sale key first, in a
// fixed order, all built before any is written.
func saleRows(st ledger.State, s *Sale) ([]row, error) {
	doc, err := json.Marshal(s)
	if err != nil {
		return nil, errs.Wrap(errs.Internal, err, "encode sale")
	}
	keys := [][]string{
		{saleType, s.Buyer, s.Order},
		{supplierIndex, s.Supplier, s.SettledAt, s.Buyer, s.Order},
		{storeIndex, s.StoreOwner, s.Store, s.SettledAt, s.Buyer, s.Order},
		{productIndex, s.Supplier, s.Product, s.SettledAt, s.Buyer, s.Order},
		{timeIndex, s.SettledAt, s.Buyer, s.Order},
	}
	if s.Referrer != "" {
		keys = append(keys, []string{referrerIndex, s.Referrer, s.SettledAt, s.Buyer, s.Order})
	}
	rows := make([]row, 0, len(keys)+kindsPerSale)
	for _, k := range keys {
		key, err := internalKey(st, k[0], k[1:]...)
		if err != nil {
			return nil, err
		}
		rows = append(rows, row{key, doc})
	}
	delta, err := json.Marshal(contribution(s))
	if err != nil {
		return nil, errs.Wrap(errs.Internal, err, "encode sale totals")
	}
	day := s.SettledAt[:len(ledger.DayLayout)] // TimeLayout starts with DayLayout
	for _, sc := range scopesOf(s) {
		attrs := append(append([]string{day, string(sc.Kind)}, sc.Party...), s.TxID, s.Buyer, s.Order)
		key, err := internalKey(st, dayType, attrs...)
		if err != nil {
			return nil, err
		}
		rows = append(rows, row{key, delta})
	}
	return rows, nil
}

// internalKey builds a composite key from validated parts; an error here
// is a bug, not the caller's.
func internalKey(st ledger.State, objectType string, attrs ...string) (string, error) {
	key, err := st.CreateCompositeKey(objectType, attrs)
	if err != nil {
		return "", errs.Wrap(errs.Internal, err, "build %s key", objectType)
	}
	return key, nil
}

// Validate checks everything in a sale that Record does not set itself:
// the parties' syntax, a positive quantity and price, Total = UnitPrice x
// Quantity, and a split that adds up to Total exactly (Refund +
// SupplierAmount + Commission + PlatformFee + ModeratorFee + SellerAmount,
// with checked sums), with a commission only when there is a referrer.
// Every failure is INVALID_ARGUMENT.
func (s *Sale) Validate() error {
	for _, a := range []struct{ field, value string }{
		{"buyer", s.Buyer}, {"supplier", s.Supplier}, {"storeOwner", s.StoreOwner},
	} {
		if err := wallet.CheckAccount(a.field, a.value); err != nil {
			return err
		}
	}
	for _, id := range []struct{ field, value string }{
		{"order", s.Order}, {"product", s.Product}, {"store", s.Store}, {"listing", s.Listing},
	} {
		if err := codec.ID(id.field, id.value); err != nil {
			return err
		}
	}
	if err := s.checkReferrer(); err != nil {
		return err
	}
	if s.ProductVersion == 0 {
		return errs.New(errs.InvalidArgument, "productVersion: versions start at 1")
	}
	if !isLowerHex(s.AttributesHash, hashLen) {
		return errs.New(errs.InvalidArgument, "attributesHash: must be a lowercase hex SHA-256 (%d characters)", hashLen)
	}
	if _, err := ledger.ParseStamp("placedAt", s.PlacedAt); err != nil {
		return err
	}
	return s.checkAmounts()
}

// checkReferrer: a referrer is an account with its shop, or neither.
func (s *Sale) checkReferrer() error {
	if s.Referrer == "" && s.ReferrerStore == "" {
		if !s.Commission.IsZero() {
			return errs.New(errs.InvalidArgument, "commission: %s paid without a referrer", s.Commission)
		}
		return nil
	}
	if s.Referrer == "" || s.ReferrerStore == "" {
		return errs.New(errs.InvalidArgument, "referrer and referrerStore: both set or both empty")
	}
	if err := wallet.CheckAccount("referrer", s.Referrer); err != nil {
		return err
	}
	return codec.ID("referrerStore", s.ReferrerStore)
}

// checkAmounts checks the quantity, the total and the split.
func (s *Sale) checkAmounts() error {
	if s.Quantity == 0 {
		return errs.New(errs.InvalidArgument, "quantity: must be positive")
	}
	if s.UnitPrice.IsZero() {
		return errs.New(errs.InvalidArgument, "unitPrice: must be positive")
	}
	total, err := s.UnitPrice.MulUint(s.Quantity)
	if err != nil {
		return errs.Wrap(errs.InvalidArgument, err, "total: unitPrice x quantity")
	}
	if !total.Equal(s.Total) {
		return errs.New(errs.InvalidArgument, "total: %s is not unitPrice %s x quantity %d = %s", s.Total, s.UnitPrice, s.Quantity, total)
	}
	parts, err := money.Sum(s.Refund, s.SupplierAmount, s.Commission, s.PlatformFee, s.ModeratorFee, s.SellerAmount)
	if err != nil {
		return errs.Wrap(errs.InvalidArgument, err, "split: the parts add up beyond the largest amount")
	}
	if !parts.Equal(s.Total) {
		return errs.New(errs.InvalidArgument, "split: refund, supplierAmount, commission, platformFee, moderatorFee and sellerAmount add up to %s, not the total %s", parts, s.Total)
	}
	return nil
}

func isLowerHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// Get returns the sale of buyer's order, NOT_FOUND when there is none.
func Get(st ledger.State, buyer, order string) (*Sale, error) {
	if err := wallet.CheckAccount("buyer", buyer); err != nil {
		return nil, err
	}
	if err := codec.ID("order", order); err != nil {
		return nil, err
	}
	key, err := internalKey(st, saleType, buyer, order)
	if err != nil {
		return nil, err
	}
	var s Sale
	found, err := ledger.GetJSON(st, key, &s)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, errs.New(errs.NotFound, "no sale of order %s of buyer %s", order, buyer)
	}
	return &s, nil
}
