package codec_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/codec"
	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/money"
)

type item struct {
	SKU string `json:"sku"`
	Qty uint64 `json:"qty"`
}

type nested struct {
	A int     `json:"a"`
	X *nested `json:"x"`
}

type request struct {
	Store string          `json:"store"`
	Items []item          `json:"items"`
	Price money.Amount    `json:"price"`
	Fee   money.Rate      `json:"fee"`
	Note  *string         `json:"note"`
	Attrs map[string]any  `json:"attrs"`
	X     *nested         `json:"x"`
	Raw   json.RawMessage `json:"raw"`
	At    time.Time       `json:"at"`
}

// nest returns depth objects nested through "x", innermost {"a":1}.
func nest(depth int) string {
	return strings.Repeat(`{"x":`, depth-1) + `{"a":1}` + strings.Repeat(`}`, depth-1)
}

func TestDecodeAccepts(t *testing.T) {
	var r request
	require.NoError(t, codec.Decode([]byte(` {"store":"s1","items":[{"sku":"a","qty":2},{"sku":"b","qty":18446744073709551615}],`+
		`"price":"100","fee":250,"note":null,"attrs":{"n":12345678901234567890,"s":"\ud83d\ude00"},`+
		`"raw":{"k":[1,2]},"at":"2025-01-02T03:04:05Z"} `+"\n"), &r))
	assert.Equal(t, "s1", r.Store)
	assert.Equal(t, []item{{"a", 2}, {"b", 18446744073709551615}}, r.Items)
	assert.Equal(t, "100", r.Price.String())
	assert.Equal(t, money.Rate(250), r.Fee)
	assert.Nil(t, r.Note)
	// Numbers in an interface keep every digit.
	assert.Equal(t, map[string]any{"n": json.Number("12345678901234567890"), "s": "😀"}, r.Attrs)
	assert.JSONEq(t, `{"k":[1,2]}`, string(r.Raw))
	assert.Equal(t, time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC), r.At)

	// Escaped digits are still a canonical amount string.
	require.NoError(t, codec.Decode([]byte(`{"price":"\u0031\u0032"}`), &r))
	assert.Equal(t, "12", r.Price.String())

	// An escaped backslash followed by "ud800" is not a surrogate escape.
	require.NoError(t, codec.Decode([]byte(`{"store":"\\ud800"}`), &r))
	assert.Equal(t, `\ud800`, r.Store)

	// Exactly MaxDepth levels.
	var n nested
	require.NoError(t, codec.Decode([]byte(nest(codec.MaxDepth)), &n))
	depth := 1
	for p := &n; p.X != nil; p = p.X {
		depth++
	}
	assert.Equal(t, codec.MaxDepth, depth)

	// Exactly MaxPayloadBytes.
	doc := []byte(`{"store":"s"}`)
	doc = append(doc, []byte(strings.Repeat(" ", codec.MaxPayloadBytes-len(doc)))...)
	require.NoError(t, codec.Decode(doc, &request{}))

	// Non-struct targets take any JSON value.
	var m map[string]any
	require.NoError(t, codec.Decode([]byte(`{"a":{"b":[true,null]}}`), &m))
	assert.Equal(t, map[string]any{"a": map[string]any{"b": []any{true, nil}}}, m)
	var list []int
	require.NoError(t, codec.Decode([]byte(`[1,2]`), &list))
	assert.Equal(t, []int{1, 2}, list)
	var amount money.Amount
	require.NoError(t, codec.Decode([]byte(`"7"`), &amount))
	assert.Equal(t, "7", amount.String())
}

func TestDecodeRejects(t *testing.T) {
	deep := strings.Repeat("[", codec.MaxDepth) + strings.Repeat("]", codec.MaxDepth)
	huge := strings.Repeat("k", 10000)
	for _, tc := range []struct {
		name string
		in   string
		into func() any // default: *request
		msg  string     // the error contains this
	}{
		{"empty", ``, nil, "request is empty"},
		{"white space only", " \n\t", nil, "request is empty"},
		{"oversized by one byte", `{"store":"s"}` + strings.Repeat(" ", codec.MaxPayloadBytes-12), nil, "request is 65537 bytes, at most 65536 are allowed"},
		{"invalid UTF-8 in a string", "{\"store\":\"\xff\"}", nil, "invalid UTF-8 at byte 10"},
		{"invalid UTF-8 in a key", "{\"\xc3\":1}", nil, "invalid UTF-8 at byte 2"},
		{"UTF-8 encoded surrogate", "{\"store\":\"\xed\xa0\x80\"}", nil, "invalid UTF-8"},
		{"lone high surrogate escape", `{"store":"\ud800"}`, nil, "unpaired UTF-16 surrogate escape at byte 10"},
		{"lone low surrogate escape", `{"store":"\udc00"}`, nil, "unpaired UTF-16 surrogate"},
		{"high surrogate then a letter", `{"store":"\ud800\u0041"}`, nil, "unpaired UTF-16 surrogate"},
		{"reversed surrogate pair", `{"store":"\ude00\ud83d"}`, nil, "unpaired UTF-16 surrogate"},
		{"surrogate escape in a key", `{"attrs":{"\ud800":1}}`, nil, "unpaired UTF-16 surrogate"},
		{"byte order mark", "\xef\xbb\xbf{}", nil, "malformed JSON"},

		{"duplicate key", `{"store":"a","store":"b"}`, nil, "store: duplicate key"},
		{"duplicate key, same value", `{"store":"a","store":"a"}`, nil, "store: duplicate key"},
		{"duplicate key, escaped", `{"store":"a","\u0073tore":"b"}`, nil, "store: duplicate key"},
		{"duplicate key in a nested object", `{"x":{"a":1,"a":2}}`, nil, "x.a: duplicate key"},
		{"duplicate key in an array element", `{"items":[{"sku":"a"},{"sku":"b","sku":"c"}]}`, nil, "items[1].sku: duplicate key"},
		{"duplicate key in a map", `{"attrs":{"k":1,"k":2}}`, nil, "attrs.k: duplicate key"},
		{"duplicate key in raw JSON", `{"raw":{"a":{"b":1,"b":1}}}`, nil, "raw.a.b: duplicate key"},
		{"duplicate key into a map target", `{"a":1,"a":2}`, newMap, "a: duplicate key"},
		{"duplicate odd key", `{"attrs":{"a b":1,"a b":2}}`, nil, `attrs["a b"]: duplicate key`},

		{"unknown field", `{"a":1}`, nil, "a: unknown field"},
		{"unknown nested field", `{"items":[{"sku":"a","color":"red"}]}`, nil, "items[0].color: unknown field"},
		{"field in the wrong case", `{"Store":"a"}`, nil, `Store: unknown field (field names are case-sensitive: did you mean "store"?)`},
		{"field with a Kelvin sign", `{"s\u212au":"a"}`, nil, "unknown field"},

		{"data after the value", `{"a":1} {}`, newMap, "unexpected data after the JSON value, which ends at byte 7"},
		{"garbage after the value", `{"a":1}x`, newMap, "unexpected data after the JSON value"},
		{"data after the value, struct", `{"store":"a"}{}`, nil, "unexpected data after the JSON value"},
		{"second scalar", `1 2`, newAny, "unexpected data after the JSON value"},

		{"17 levels of objects", nest(codec.MaxDepth + 1), newNested, "nesting is deeper than 16 levels"},
		{"17 levels of arrays", `{"attrs":{"k":` + deep + `}}`, nil, "attrs.k" + strings.Repeat("[0]", codec.MaxDepth-2) + ": nesting is deeper than 16 levels"},

		{"top-level array", `[]`, nil, "request must be a JSON object, got an array"},
		{"top-level string", `"x"`, nil, "request must be a JSON object, got a string"},
		{"top-level number", `1`, nil, "request must be a JSON object, got a number"},
		{"top-level null", `null`, nil, "request must be a JSON object, got null"},
		{"top-level bool", `true`, nil, "request must be a JSON object, got a boolean"},

		{"string for a string field as number", `{"store":5}`, nil, "store: wrong type: got JSON number, want string"},
		{"string for a number", `{"items":[{"qty":"2"}]}`, nil, "items.qty: wrong type: got JSON string, want uint64"},
		{"negative count", `{"items":[{"qty":-1}]}`, nil, "items.qty: wrong type"},
		{"fractional count", `{"items":[{"qty":1.5}]}`, nil, "items.qty: wrong type"},
		{"count above 2^64-1", `{"items":[{"qty":18446744073709551616}]}`, nil, "items.qty: wrong type"},
		{"object for an array", `{"items":{}}`, nil, "items: wrong type: got JSON object"},
		{"array for an object", `{"x":[]}`, nil, "x: wrong type"},
		{"null for a string", `{"store":null}`, nil, "store: null is not allowed"},
		{"null for a struct", `{"items":[null]}`, nil, "items[0]: null is not allowed"},
		{"amount as a JSON number", `{"price":100}`, nil, "price: amount must be a JSON string of decimal digits, got a number"},
		{"amount with a leading zero", `{"price":"0100"}`, nil, `price: amount "0100" has a leading zero`},
		{"amount null", `{"price":null}`, nil, "price: amount must be a JSON string of decimal digits, got null"},
		{"amount too large", `{"price":"18446744073709551616"}`, nil, "price: amount"},
		{"rate above 100 %", `{"fee":10001}`, nil, "fee: rate must be a JSON integer"},
		{"rate as a string", `{"fee":"250"}`, nil, "fee: rate must be a JSON integer"},
		{"bad time", `{"at":"yesterday"}`, nil, "at: "},

		{"trailing comma", `{"store":"a",}`, nil, "malformed JSON"},
		{"missing value", `{"store"}`, nil, "malformed JSON"},
		{"unterminated object", `{"store":"a"`, nil, "malformed JSON: unexpected end of input"},
		{"unterminated array", `{"items":[`, nil, "malformed JSON: unexpected end of input"},
		{"open brace", `{`, nil, "malformed JSON"},
		{"single quotes", `{'store':'a'}`, nil, "malformed JSON"},
		{"NaN", `{"attrs":{"n":NaN}}`, nil, "malformed JSON"},

		{"huge unknown key", `{"` + huge + `":1}`, nil, "unknown field"},
		{"huge duplicate key", `{"attrs":{"` + huge + `":1,"` + huge + `":1}}`, nil, "duplicate key"},
		{"huge wrong-type value", `{"items":[{"qty":` + strings.Repeat("9", 10000) + `}]}`, nil, "wrong type"},
		{"huge amount", `{"price":"` + strings.Repeat("9", 10000) + `"}`, nil, "price: amount"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			into := tc.into
			if into == nil {
				into = func() any { return &request{} }
			}
			err := codec.Decode([]byte(tc.in), into())
			require.Error(t, err)
			assert.Equal(t, errs.InvalidArgument, errs.CodeOf(err), "%v", err)
			assert.ErrorIs(t, err, errs.ErrInvalidArgument)
			assert.Contains(t, err.Error(), tc.msg)
			assert.True(t, strings.HasPrefix(err.Error(), "INVALID_ARGUMENT: "), err.Error())
			assert.Less(t, len(err.Error()), 400, "the message echoes the input")
		})
	}
}

func newMap() any    { return &map[string]any{} }
func newAny() any    { return new(any) }
func newNested() any { return &nested{} }

func TestDecodeNeedsAPointer(t *testing.T) {
	for _, v := range []any{nil, request{}, (*request)(nil)} {
		err := codec.Decode([]byte(`{}`), v)
		assert.Equal(t, errs.Internal, errs.CodeOf(err), "%T: %v", v, err)
	}
}

// Field names follow encoding/json's rules, including embedded structs, so
// Decode neither refuses a field encoding/json would fill nor lets through
// one it would not.
func TestDecodeFieldNames(t *testing.T) {
	type Base struct {
		ID      string `json:"id"`
		Created string
	}
	type extra struct {
		Extra string `json:"extra"`
	}
	type Other struct {
		Note string `json:"note"`
	}
	type doc struct {
		Base
		*extra
		Other   `json:"other"` // tagged: a field, not flattened
		Name    string         `json:"name,omitempty"`
		Count   uint64         `json:"count,string"`
		Odd     string         `json:"a\"b"` // invalid tag name: the Go name is used
		Dash    string         `json:"-,"`
		Ignored string         `json:"-"`
		hidden  string
	}
	var d doc
	require.NoError(t, codec.Decode([]byte(`{"id":"1","Created":"c","name":"n","count":"5","Odd":"o","-":"d","other":{"note":"x"}}`), &d))
	assert.Equal(t, "1", d.ID)
	assert.Equal(t, "c", d.Created)
	assert.Equal(t, "n", d.Name)
	assert.Equal(t, uint64(5), d.Count)
	assert.Equal(t, "o", d.Odd)
	assert.Equal(t, "d", d.Dash)
	assert.Equal(t, "x", d.Other.Note)

	// encoding/json cannot fill a field through a nil pointer to an
	// unexported struct, and reports an error; Decode must still fail.
	err := codec.Decode([]byte(`{"extra":"e"}`), &doc{})
	assert.Equal(t, errs.InvalidArgument, errs.CodeOf(err), "%v", err)

	for _, key := range []string{"Ignored", "hidden", "Base", "note", "Name", "a\\\"b", "ID"} {
		err := codec.Decode([]byte(`{"`+key+`":"x"}`), &doc{})
		assert.ErrorContains(t, err, "unknown field", key)
	}
}

type shadowInner struct {
	ID   money.Amount `json:"id"` // would refuse "top"
	Name string       // untagged "Name"; would refuse null
}

type shadowSibling struct {
	Label *string `json:"Name"` // tagged "Name", same depth as shadowInner.Name
}

// Two orders of the same fields, so that neither "first found wins" nor
// "last found wins" passes by accident.
type (
	shadowFirst struct {
		ID string `json:"id"` // shallower than shadowInner.ID
		shadowSibling
		shadowInner
	}
	shadowLast struct {
		shadowInner
		shadowSibling
		ID string `json:"id"`
	}
)

// The shadowing rules: a shallower field hides a deeper one of the same
// name, and a tagged field hides an untagged one at the same depth. Decode
// must check a value against the field encoding/json fills, not a hidden
// one: each hidden field here has a type that would refuse the value.
func TestDecodeFieldShadowing(t *testing.T) {
	t.Run("shallow and tagged first", func(t *testing.T) { checkShadowing[shadowFirst](t) })
	t.Run("deep and untagged first", func(t *testing.T) { checkShadowing[shadowLast](t) })
}

func checkShadowing[T shadowFirst | shadowLast](t *testing.T) {
	var v T
	require.NoError(t, codec.Decode([]byte(`{"id":"top","Name":null}`), &v))
	require.NoError(t, codec.Decode([]byte(`{"Name":"tagged"}`), &v))
	var plain T
	require.NoError(t, json.Unmarshal([]byte(`{"id":"top","Name":"tagged"}`), &plain))
	assert.Equal(t, plain, v)
}
