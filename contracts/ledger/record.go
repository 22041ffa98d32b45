package ledger

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/likrcommerce/likr/contracts/errs"
)

// Emitter collects the business events of a transaction, in order, for its
// one chaincode event. The contract layer's context implements it; tests
// use Events.
type Emitter interface {
	Emit(events ...any)
}

// Events is an Emitter that keeps what it is given, in order.
type Events []any

// Emit implements Emitter.
func (e *Events) Emit(events ...any) { *e = append(*e, events...) }

// Key builds a composite key. Attributes that Fabric cannot encode (invalid
// UTF-8, U+0000, U+10FFFF) are INVALID_ARGUMENT; domain packages validate
// IDs before, so this is a second line of defence.
func Key(st State, objectType string, attrs ...string) (string, error) {
	key, err := st.CreateCompositeKey(objectType, attrs)
	if err != nil {
		return "", errs.Wrap(errs.InvalidArgument, err, "%s key", objectType)
	}
	return key, nil
}

// Marshal encodes v as JSON the way Likr stores and returns documents:
// struct fields in declaration order, map keys sorted (so the same value
// always gives the same bytes), and no HTML escaping, so that '<', '>' and
// '&' stay literal: a product's canonical attributes are stored and sent as
// the very bytes their hash is of.
func Marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	// Encode ends the document with a newline, which is not part of it.
	return bytes.TrimSuffix(buf.Bytes(), []byte{'\n'}), nil
}

// PutJSON writes v, encoded by Marshal, under key.
func PutJSON(st State, key string, v any) error {
	data, err := Marshal(v)
	if err != nil {
		return errs.Wrap(errs.Internal, err, "encode %q", key)
	}
	if err := st.PutState(key, data); err != nil {
		return errs.Wrap(errs.Internal, err, "write %q", key)
	}
	return nil
}

// GetJSON reads the committed value of key into v and reports whether the
// key exists. Stored documents are decoded leniently, so that rows written
// by an older chaincode (lacking a newer field) still read; requests, which
// come from callers, are decoded strictly by package codec instead.
func GetJSON(st State, key string, v any) (bool, error) {
	data, err := st.GetState(key)
	if err != nil {
		return false, errs.Wrap(errs.Internal, err, "read %q", key)
	}
	if data == nil {
		return false, nil
	}
	if err := json.Unmarshal(data, v); err != nil {
		return false, errs.Wrap(errs.Internal, err, "stored %q is corrupt", key)
	}
	return true, nil
}

// TimeLayout is how Likr stores instants: RFC 3339 in UTC with fixed-width
// nanoseconds, so that the strings sort like the instants they name (years
// 1-9999) and can be composite key attributes.
const TimeLayout = "2006-01-02T15:04:05.000000000Z"

// DayLayout names a UTC day, the unit of daily totals.
const DayLayout = "2006-01-02"

// TxTime returns the transaction's timestamp in UTC: the only clock a
// contract may read, the same on every endorsing peer.
func TxTime(st State) (time.Time, error) {
	ts, err := st.GetTxTimestamp()
	if err != nil {
		return time.Time{}, errs.Wrap(errs.Internal, err, "read transaction timestamp")
	}
	if err := ts.CheckValid(); err != nil {
		return time.Time{}, errs.Wrap(errs.Internal, err, "transaction timestamp")
	}
	t := ts.AsTime().UTC()
	if t.Year() < 1 || t.Year() > 9999 {
		return time.Time{}, errs.New(errs.Internal, "transaction timestamp %v is outside years 1-9999", t)
	}
	return t, nil
}

// Stamp formats t in TimeLayout.
func Stamp(t time.Time) string { return t.UTC().Format(TimeLayout) }

// ParseStamp parses a TimeLayout instant or any RFC 3339 one a caller
// sends; field names the argument in the error.
func ParseStamp(field, s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || t.Year() < 1 || t.Year() > 9999 {
		return time.Time{}, errs.New(errs.InvalidArgument, "%s %q must be an RFC 3339 time in years 1-9999", field, s)
	}
	return t.UTC(), nil
}
