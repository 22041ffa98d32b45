package product

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"

	"github.com/likrcommerce/likr/contracts/codec"
	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
)

// MaxAttributesBytes bounds an attribute document, as sent and in canonical
// form. A product description is a few hundred bytes; the bound keeps the
// work of canonicalising (and the stored row) small whatever a caller sends.
const MaxAttributesBytes = 16 << 10

// Canonical checks that attributes is one JSON object and returns its
// canonical bytes and their hex SHA-256 (lowercase). Refusals are
// INVALID_ARGUMENT: empty input, input or canonical form above
// MaxAttributesBytes, anything but an object at the top level, and whatever
// codec.Decode refuses (malformed JSON, invalid UTF-8 or unpaired surrogate
// escapes, a key twice in one object, nesting deeper than codec.MaxDepth).
//
// The canonical form (see the package doc) is what the ledger stores and
// hashes, so two descriptions that differ only in key order or white space
// get the same hash, while any change of a value changes it. Numbers are
// kept exactly as written: 1, 1.0 and 1e0 are different attributes.
func Canonical(attributes json.RawMessage) (canonical []byte, hash string, err error) {
	if len(attributes) > MaxAttributesBytes {
		return nil, "", errs.New(errs.InvalidArgument, "attributes are %d bytes, at most %d are allowed", len(attributes), MaxAttributesBytes)
	}
	trimmed := bytes.TrimLeft(attributes, " \t\r\n")
	if len(trimmed) == 0 {
		return nil, "", errs.New(errs.InvalidArgument, "attributes are empty; send a JSON object")
	}
	if trimmed[0] != '{' {
		return nil, "", errs.New(errs.InvalidArgument, "attributes must be a JSON object")
	}
	// codec.Decode refuses what two parsers could read differently, and
	// decodes numbers into json.Number, whose text is the literal as
	// written, so no number is rounded or respelled.
	var doc map[string]any
	if err := codec.Decode(attributes, &doc); err != nil {
		return nil, "", inField("attributes", err)
	}
	if doc == nil {
		return nil, "", errs.New(errs.InvalidArgument, "attributes must be a JSON object")
	}
	canonical, err = encodeCanonical(doc)
	if err != nil {
		return nil, "", err
	}
	if len(canonical) > MaxAttributesBytes {
		// Escaping can lengthen a string (a raw U+2028 becomes \u2028).
		return nil, "", errs.New(errs.InvalidArgument, "attributes are %d bytes in canonical form, at most %d are allowed", len(canonical), MaxAttributesBytes)
	}
	return canonical, hashOf(canonical), nil
}

// encodeCanonical writes doc as encoding/json does with HTML escaping off:
// object keys sorted by their bytes at every level (encoding/json sorts map
// keys), json.Number as its literal, no white space. HTML escaping is off so
// that '<', '>' and '&' stay literal, as most other JSON encoders write them.
func encodeCanonical(doc map[string]any) ([]byte, error) {
	b, err := ledger.Marshal(doc)
	if err != nil {
		return nil, errs.Wrap(errs.Internal, err, "encode attributes")
	}
	return b, nil
}

// inField prefixes the detail of a coded error with field, keeping its code
// (codec's refusals are INVALID_ARGUMENT), so the message reads
// "INVALID_ARGUMENT: attributes: duplicate key" rather than repeating a code.
func inField(field string, err error) error {
	var e *errs.Error
	if !errors.As(err, &e) {
		return errs.Wrap(errs.InvalidArgument, err, "%s", field)
	}
	return &errs.Error{Code: e.Code, Detail: field + ": " + e.Detail, Cause: err}
}

// hashOf is the lowercase hex SHA-256 of b.
func hashOf(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
