package codec

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/likrcommerce/likr/contracts/errs"
)

const (
	// MaxPayloadBytes bounds a JSON request. Fabric charges no gas, so a
	// contract must bound the work an endorser does for one call itself;
	// the largest legitimate request (a product with its attribute
	// document, a review with its text) is a few kilobytes.
	MaxPayloadBytes = 64 << 10

	// MaxDepth bounds how deeply objects and arrays may nest; the top-level
	// object is depth 1. Likr's requests are a few levels deep, and a bound
	// keeps hostile input from making decoding and re-encoding recurse
	// (encoding/json itself allows 10000 levels).
	MaxDepth = 16
)

// Decode decodes the JSON document data into v, which must be a non-nil
// pointer, and refuses with errs.InvalidArgument anything that is not one
// unambiguous JSON value of v's shape:
//
//   - empty input (or only white space), input above MaxPayloadBytes, or
//     input that is not valid UTF-8, including \u escapes of unpaired UTF-16
//     surrogates (encoding/json would turn both into U+FFFD);
//   - malformed JSON, or anything but white space after the value;
//   - nesting deeper than MaxDepth;
//   - a key that occurs twice in one object, at any depth (encoding/json
//     keeps the last one, other parsers the first);
//   - a key that is not exactly the JSON name of a field of the target
//     struct: unknown keys, and keys that differ from a name only in case,
//     which encoding/json would otherwise match;
//   - a value of the wrong type; null where the Go value cannot be nil (a
//     string, number, bool or struct: leave the field out to get its zero
//     value); and any value a type's own UnmarshalJSON rejects, such as a
//     money.Amount written as a JSON number;
//   - a top-level value that is not an object when v points to a struct.
//
// Numbers decoded into an interface (any) become json.Number, not float64,
// so that no integer loses precision. Fields that data leaves out keep the
// values they had in v. On error v may be partly filled and must be
// discarded.
//
// The error names the JSON path of the offending value where it is known,
// as in `items[2].qty: unknown field`.
func Decode(data []byte, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		// A bug in the caller, not a bad request.
		return errs.New(errs.Internal, "codec.Decode needs a non-nil pointer, got %T", v)
	}
	if len(data) > MaxPayloadBytes {
		return invalid("", "request is %d bytes, at most %d are allowed", len(data), MaxPayloadBytes)
	}
	if !utf8.Valid(data) {
		return invalid("", "invalid UTF-8 at byte %d", invalidUTF8At(data))
	}
	if err := check(data, rv.Type().Elem()); err != nil {
		return err
	}
	if err := checkSurrogates(data); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	return nil
}

// check walks data token by token, tracking the Go type each value will be
// decoded into, and enforces the rules that encoding/json does not
// (see Decode). encoding/json then decodes the checked document.
func check(data []byte, root reflect.Type) error {
	c := &checker{dec: json.NewDecoder(bytes.NewReader(data)), fields: map[reflect.Type]map[string]reflect.Type{}}
	c.dec.UseNumber()
	started := false
	for {
		if started && len(c.stack) == 0 {
			// The top-level value is complete: only white space may follow.
			end := c.dec.InputOffset()
			if _, err := c.dec.Token(); err != io.EOF {
				return invalid("", "unexpected data after the JSON value, which ends at byte %d", end)
			}
			return nil
		}
		tok, err := c.dec.Token()
		switch {
		case err == io.EOF && !started:
			return invalid("", "request is empty")
		case err == io.EOF, errors.Is(err, io.ErrUnexpectedEOF):
			return invalid(c.path(), "malformed JSON: unexpected end of input")
		case err != nil:
			var se *json.SyntaxError
			if errors.As(err, &se) {
				return invalid(c.path(), "malformed JSON at byte %d: %s", se.Offset, short(se.Error()))
			}
			return invalid(c.path(), "malformed JSON: %s", short(err.Error()))
		}
		if !started {
			started = true
			if s := shape(root); s != nil && s.Kind() == reflect.Struct && tok != json.Delim('{') {
				return invalid("", "request must be a JSON object, got %s", tokenKind(tok))
			}
		}
		if err := c.token(tok, root); err != nil {
			return err
		}
	}
}

type checker struct {
	dec    *json.Decoder
	stack  []*frame
	fields map[reflect.Type]map[string]reflect.Type // structFields, memoized
}

// frame is an object or array being read.
type frame struct {
	object  bool
	wantKey bool                    // object: the next token is a key or '}'
	key     string                  // object: the current key
	keys    map[string]bool         // object: keys seen so far
	fields  map[string]reflect.Type // object decoded into a struct: its fields
	index   int                     // array: the current element
	elem    reflect.Type            // type of the current member; nil if unknown
}

func (c *checker) token(tok json.Token, root reflect.Type) error {
	var top *frame
	typ := root
	if n := len(c.stack); n > 0 {
		top = c.stack[n-1]
		typ = top.elem
	}

	if top != nil && top.object && top.wantKey {
		if tok == json.Delim('}') {
			c.pop()
			return nil
		}
		// The decoder guarantees that a key is a string.
		key := tok.(string)
		top.key, top.wantKey = key, false
		if top.keys[key] {
			return invalid(c.path(), "duplicate key")
		}
		top.keys[key] = true
		if top.fields != nil {
			ft, ok := top.fields[key]
			if !ok {
				return invalid(c.path(), "unknown field%s", caseHint(key, top.fields))
			}
			top.elem = ft
		}
		return nil
	}

	switch tok {
	case json.Delim(']'):
		c.pop()
		return nil
	case json.Delim('{'), json.Delim('['):
		if len(c.stack) == MaxDepth {
			return invalid(c.path(), "nesting is deeper than %d levels", MaxDepth)
		}
		f := &frame{object: tok == json.Delim('{')}
		s := shape(typ)
		switch {
		case f.object:
			f.wantKey, f.keys = true, map[string]bool{}
			if s != nil && s.Kind() == reflect.Struct {
				f.fields = c.structFields(s)
			} else if s != nil && s.Kind() == reflect.Map {
				f.elem = s.Elem()
			}
		case s != nil && (s.Kind() == reflect.Slice || s.Kind() == reflect.Array):
			f.elem = s.Elem()
		}
		c.stack = append(c.stack, f)
		return nil
	}

	if err := checkScalar(tok, typ); err != nil {
		return atPath(c.path(), err)
	}
	c.valueDone()
	return nil
}

func (c *checker) pop() {
	c.stack = c.stack[:len(c.stack)-1]
	c.valueDone()
}

// valueDone moves the enclosing container past the value just read.
func (c *checker) valueDone() {
	if n := len(c.stack); n > 0 {
		top := c.stack[n-1]
		if top.object {
			top.wantKey = true
		} else {
			top.index++
		}
	}
}

// path renders where the checker is, such as `items[2].qty`.
func (c *checker) path() string {
	var b strings.Builder
	for _, f := range c.stack {
		switch {
		case !f.object:
			b.WriteString("[" + strconv.Itoa(f.index) + "]")
		case f.wantKey:
			// Between members: the object itself is the place.
		case isPlainKey(f.key):
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(f.key)
		default:
			b.WriteString("[" + errs.Quote(f.key) + "]")
		}
	}
	return b.String()
}

func isPlainKey(k string) bool {
	if k == "" || len(k) > 64 || '0' <= k[0] && k[0] <= '9' {
		return false
	}
	for i := 0; i < len(k); i++ {
		if c := k[i]; !(isAlnum(c) || c == '_') {
			return false
		}
	}
	return true
}

var (
	unmarshalerType     = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// customElem returns the type T that decodes itself (*T implements
// json.Unmarshaler) when t is T or a pointer chain to it, or nil.
func customElem(t reflect.Type) reflect.Type {
	for ; t != nil; t = t.Elem() {
		if reflect.PointerTo(t).Implements(unmarshalerType) {
			return t
		}
		if t.Kind() != reflect.Pointer {
			return nil
		}
	}
	return nil
}

// shape returns the type whose layout the JSON value for t must have, after
// following pointers, or nil when Decode cannot know it: interfaces, and
// types that decode themselves.
func shape(t reflect.Type) reflect.Type {
	for ; t != nil; t = t.Elem() {
		pt := reflect.PointerTo(t)
		if t.Kind() == reflect.Interface || pt.Implements(unmarshalerType) || pt.Implements(textUnmarshalerType) {
			return nil
		}
		if t.Kind() != reflect.Pointer {
			return t
		}
	}
	return nil
}

// checkScalar checks a string, number, bool or null that will be decoded
// into a value of type t (nil if unknown).
func checkScalar(tok json.Token, t reflect.Type) error {
	if t == nil {
		return nil
	}
	if tok == nil {
		switch t.Kind() {
		case reflect.Pointer, reflect.Interface, reflect.Map, reflect.Slice:
			return nil // encoding/json sets it to nil
		}
	}
	// Run a self-decoding type's UnmarshalJSON on a scratch value now, so
	// that its error can be given a path; encoding/json cannot give one.
	if ct := customElem(t); ct != nil {
		raw, err := json.Marshal(tok) // a scalar token re-encodes to an equivalent literal
		if err != nil {
			return errs.Wrap(errs.Internal, err, "re-encoding a JSON token")
		}
		return reflect.New(ct).Interface().(json.Unmarshaler).UnmarshalJSON(raw)
	}
	if tok == nil {
		return errs.New(errs.InvalidArgument, "null is not allowed; leave the field out for its zero value")
	}
	return nil
}

// structFields maps the JSON names of struct t's fields to the fields'
// types, following encoding/json's rules: the tag's name or else the Go
// name, embedded structs without a tag name flattened, "-" and unexported
// fields skipped. When names collide, the shallowest field wins, and at one
// depth a tagged field beats an untagged one; encoding/json ignores a name
// whose collision is a tie, and its DisallowUnknownFields then rejects it.
func (c *checker) structFields(t reflect.Type) map[string]reflect.Type {
	if m, ok := c.fields[t]; ok {
		return m
	}
	type found struct {
		typ    reflect.Type
		depth  int
		tagged bool
	}
	all := map[string]found{}
	inPath := map[reflect.Type]bool{} // guards against embedding cycles
	var walk func(t reflect.Type, depth int)
	walk = func(t reflect.Type, depth int) {
		if inPath[t] {
			return
		}
		inPath[t] = true
		defer delete(inPath, t)
		for i := range t.NumField() {
			sf := t.Field(i)
			ft := sf.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if !sf.IsExported() && (!sf.Anonymous || ft.Kind() != reflect.Struct) {
				continue // an unexported embedded struct may still promote fields
			}
			tag := sf.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, _, _ := strings.Cut(tag, ",")
			if !validTagName(name) {
				name = ""
			}
			if name == "" && sf.Anonymous && ft.Kind() == reflect.Struct {
				walk(ft, depth+1)
				continue
			}
			tagged := name != ""
			if !tagged {
				name = sf.Name
			}
			if old, ok := all[name]; ok && (old.depth < depth || old.depth == depth && (old.tagged || !tagged)) {
				continue
			}
			all[name] = found{sf.Type, depth, tagged}
		}
	}
	walk(t, 0)
	m := make(map[string]reflect.Type, len(all))
	for name, f := range all {
		m[name] = f.typ
	}
	c.fields[t] = m
	return m
}

// validTagName is encoding/json's rule for a usable tag name; with any other
// name encoding/json uses the Go field name.
func validTagName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", r) && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// caseHint suggests the field a key matches except in case. It picks the
// least such name, so the message does not depend on map order.
func caseHint(key string, fields map[string]reflect.Type) string {
	best := ""
	for name := range fields {
		if strings.EqualFold(name, key) && (best == "" || name < best) {
			best = name
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (field names are case-sensitive: did you mean %q?)", best)
}

// checkSurrogates rejects \u escapes of unpaired UTF-16 surrogates. data has
// passed check, so it is valid JSON: a backslash occurs only inside strings
// and \u is always followed by four hex digits.
func checkSurrogates(data []byte) error {
	for i := 0; i < len(data); i++ {
		if data[i] != '\\' {
			continue
		}
		i++ // the escaped character; skipping it also skips an escaped '\'
		if data[i] != 'u' {
			continue
		}
		start := i - 1
		r := hexRune(data[i+1 : i+5])
		i += 4
		switch {
		case 0xD800 <= r && r < 0xDC00:
			if i+6 < len(data) && data[i+1] == '\\' && data[i+2] == 'u' {
				if lo := hexRune(data[i+3 : i+7]); 0xDC00 <= lo && lo < 0xE000 {
					i += 6
					continue
				}
			}
			return invalid("", "unpaired UTF-16 surrogate escape at byte %d", start)
		case 0xDC00 <= r && r < 0xE000:
			return invalid("", "unpaired UTF-16 surrogate escape at byte %d", start)
		}
	}
	return nil
}

func hexRune(h []byte) rune {
	v, _ := strconv.ParseUint(string(h), 16, 32) // four hex digits: cannot fail
	return rune(v)
}

func invalidUTF8At(data []byte) int {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return -1
}

// decodeError turns an error of encoding/json's Decode into a coded one.
func decodeError(err error) error {
	var coded *errs.Error
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &coded):
		return err
	case errors.As(err, &te):
		return invalid(te.Field, "wrong type: got JSON %s, want %s", short(te.Value), te.Type)
	}
	return invalid("", "%s", short(err.Error()))
}

func tokenKind(tok json.Token) string {
	switch tok.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	}
	return "an array"
}

// invalid returns an INVALID_ARGUMENT error at path ("" for the whole input).
func invalid(path, format string, args ...any) error {
	return atPath(path, errs.New(errs.InvalidArgument, format, args...))
}

// atPath prefixes err's detail with path, keeping its code.
func atPath(path string, err error) error {
	var e *errs.Error
	if !errors.As(err, &e) {
		e = errs.New(errs.InvalidArgument, "%s", short(err.Error()))
	}
	if path == "" {
		return e
	}
	return &errs.Error{Code: e.Code, Detail: path + ": " + e.Detail, Cause: err}
}

// short cuts a message from another package, which may quote parts of the
// input, to a bounded length.
func short(msg string) string {
	const max = 200
	if len(msg) > max {
		msg = strings.ToValidUTF8(msg[:max], "") + "..."
	}
	return msg
}
