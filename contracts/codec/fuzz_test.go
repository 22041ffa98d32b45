package codec_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/likrcommerce/likr/contracts/codec"
	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/money"
)

// fuzzDoc has every kind of field Decode treats specially. omitzero keeps a
// re-encoding no larger and no deeper than its input, so that the round
// trip stays within Decode's limits.
type fuzzDoc struct {
	ID     string            `json:"id,omitzero"`
	Count  uint64            `json:"count,omitzero"`
	Delta  int64             `json:"delta,omitzero"`
	OK     bool              `json:"ok,omitzero"`
	Price  money.Amount      `json:"price,omitzero"`
	Fee    money.Rate        `json:"fee,omitzero"`
	Note   *string           `json:"note,omitzero"`
	Items  []fuzzItem        `json:"items,omitzero"`
	Tags   map[string]string `json:"tags,omitzero"`
	Next   *fuzzDoc          `json:"next,omitzero"`
	Free   any               `json:"free,omitzero"`
	Prices []money.Amount    `json:"prices,omitzero"`
}

type fuzzItem struct {
	SKU string `json:"sku,omitzero"`
	Qty uint32 `json:"qty,omitzero"`
}

func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{}`, `{"id":"a","count":1,"delta":-1,"ok":true,"price":"5","fee":250,"note":"n"}`,
		`{"items":[{"sku":"a","qty":1}],"tags":{"k":"v","K":"w"},"next":{"next":{}}}`,
		`{"free":{"a":[1,2.5,"x",null,true,{"b":{}}]},"prices":["0","18446744073709551615"]}`,
		`{"free":12345678901234567890}`, `{"note":null,"next":null,"free":null}`,
		`{"id":"\u00e9\ud83d\ude00<&>\u2028"}`,
		`{"a":1,"a":2}`, `{"x":{"a":1,"a":2}}`, `{"id":"a"} {}`, `{"id":"a"}x`,
		nest(codec.MaxDepth), nest(codec.MaxDepth + 1), "{\"id\":\"\xff\"}",
		`{"id":"\ud800"}`, `{"count":"1"}`, `{"ID":"a"}`, `{"price":1}`, `{"fee":10001}`,
		`{"id":null}`, `[]`, `null`, ``, `{"free":[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v1 fuzzDoc
		err := codec.Decode(data, &v1)
		if err != nil {
			if errs.CodeOf(err) != errs.InvalidArgument {
				t.Fatalf("error without INVALID_ARGUMENT: %v", err)
			}
			if len(err.Error()) > 600 {
				t.Fatalf("message of %d bytes", len(err.Error()))
			}
			return
		}
		if !utf8.Valid(data) || len(data) > codec.MaxPayloadBytes {
			t.Fatalf("accepted invalid UTF-8 or an oversized payload")
		}

		// Decode only ever refuses more than encoding/json: what it accepts,
		// encoding/json reads as the same value.
		var plain fuzzDoc
		std := json.NewDecoder(bytes.NewReader(data))
		std.UseNumber()
		if err := std.Decode(&plain); err != nil || !reflect.DeepEqual(v1, plain) {
			t.Fatalf("encoding/json reads %+v, %v; Decode read %+v", plain, err, v1)
		}

		// Re-encoding gives a document Decode accepts, with the same value.
		var out bytes.Buffer
		enc := json.NewEncoder(&out)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v1); err != nil {
			t.Fatalf("re-encoding %+v: %v", v1, err)
		}
		if out.Len() > codec.MaxPayloadBytes {
			// Escaping can grow a string (U+2028 becomes \u2028), so an
			// input near the limit may re-encode above it.
			return
		}
		var v2 fuzzDoc
		if err := codec.Decode(out.Bytes(), &v2); err != nil {
			t.Fatalf("Decode of the re-encoding %s: %v", out.Bytes(), err)
		}
		if !reflect.DeepEqual(v1, v2) {
			t.Fatalf("round trip changed the value:\n%+v\n%+v", v1, v2)
		}
	})
}

var idRule = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

func FuzzID(f *testing.F) {
	for _, s := range []string{
		"a", "0", "A-b_c.d", strings.Repeat("x", 64), strings.Repeat("x", 65), "", "_a", ".a", "-a",
		"a b", "a\x00", "a\U0010FFFF", "a\xff", "a\uff0eb", "a~b", "a:b", "상점",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		err := codec.ID("id", id)
		if idRule.MatchString(id) {
			if err != nil {
				t.Fatalf("ID(%q) = %v; want accepted", id, err)
			}
			return
		}
		if errs.CodeOf(err) != errs.InvalidArgument {
			t.Fatalf("ID(%q) = %v; want INVALID_ARGUMENT", id, err)
		}
	})
}

func FuzzText(f *testing.F) {
	for _, s := range []string{
		"", "hello", "정말 좋은 제품입니다", "a\nb\tc", "👩\u200d👩\u200d👧", "a\x00", "a\r", "\x7f",
		"\u0085", "\xff", "\xed\xa0\x80", "\ufffd", "\ufdd0", "\uffff", "\U0010FFFF", "\u202e", "\u2028",
	} {
		f.Add(s, uint8(10))
	}
	f.Fuzz(func(t *testing.T, s string, max uint8) {
		err := codec.Text("text", s, int(max))
		want := utf8.ValidString(s) && utf8.RuneCountInString(s) <= int(max)
		for _, r := range s {
			want = want && allowedInText(r)
		}
		if want != (err == nil) {
			t.Fatalf("Text(%q, %d) = %v; want accepted = %v", s, max, err, want)
		}
		if err != nil && errs.CodeOf(err) != errs.InvalidArgument {
			t.Fatalf("Text(%q) = %v; want INVALID_ARGUMENT", s, err)
		}
	})
}

// allowedInText restates Text's character rule from its documentation.
func allowedInText(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return true
	case r < 0x20 || 0x7F <= r && r <= 0x9F: // C0, DEL, C1
		return false
	case r == 0xFFFD, 0xFDD0 <= r && r <= 0xFDEF, r%0x10000 >= 0xFFFE:
		return false
	case 0x202A <= r && r <= 0x202E, 0x2066 <= r && r <= 0x2069, r == 0x2028, r == 0x2029:
		return false
	}
	return true
}
