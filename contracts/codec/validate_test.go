package codec_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/likrcommerce/likr/contracts/codec"
	"github.com/likrcommerce/likr/contracts/errs"
)

func TestIDAccepts(t *testing.T) {
	for _, id := range []string{
		"a", "Z", "0", "9",
		"store-1", "store_1", "store.1", "A-b_c.d", "a--", "a..b", "0_",
		strings.Repeat("x", codec.MaxIDBytes),
	} {
		assert.NoError(t, codec.ID("storeId", id), "%q", id)
	}
}

func TestIDRejects(t *testing.T) {
	for _, tc := range []struct {
		id  string
		msg string
	}{
		{"", "storeId: ID is empty"},
		{strings.Repeat("x", codec.MaxIDBytes+1), "storeId: ID is 65 bytes long, at most 64 are allowed"},
		{strings.Repeat("x", 100000), "at most 64"},
		{"_design", `storeId: ID must start with a letter or digit, not '_'`},
		{".a", "must start with a letter or digit, not '.'"},
		{"-a", "must start with a letter or digit, not '-'"},
		{"a b", "found ' ' at byte 1"},
		{"a\x00b", "found U+0000 at byte 1"},
		{"\x00", "found U+0000 at byte 0"},
		{"a\x01", "found U+0001 at byte 1"},
		{"a\tb", "found U+0009 at byte 1"},
		{"a\nb", "found U+000A"},
		{"a\x7f", "found U+007F"},
		{"a\U0010FFFF", "found U+10FFFF at byte 1"}, // composite key range end
		{"a~b", "found '~' at byte 1"},
		{"a:b", "found ':'"},
		{"a/b", "found '/'"},
		{"a\\b", `found '\'`},
		{"a\"b", `found '"'`},
		{"a\xffb", "found invalid UTF-8 at byte 1"},
		{"\xc3", "found invalid UTF-8 at byte 0"},
		{"a\uff0eb", "found U+FF0E"}, // fullwidth full stop
		{"a\u2024b", "found U+2024"}, // one dot leader
		{"a\u2010b", "found U+2010"}, // hyphen
		{"a\u200bb", "found U+200B"}, // zero width space
		{"ｓtore", "found U+FF53 at byte 0"},
		{"café", "found U+00E9 at byte 3"},
		{"상점", "found U+C0C1 at byte 0"},
	} {
		err := codec.ID("storeId", tc.id)
		assert.Equal(t, errs.InvalidArgument, errs.CodeOf(err), "%q: %v", tc.id, err)
		assert.ErrorContains(t, err, tc.msg, "%q", tc.id)
		assert.ErrorContains(t, err, "storeId", "%q", tc.id)
	}
}

func TestText(t *testing.T) {
	for _, tc := range []struct {
		name string
		text string
		max  int
		msg  string // "" when the text is accepted
	}{
		{"empty", "", 10, ""},
		{"ASCII", "Great product", 13, ""},
		{"Korean, counted in runes", "정말 좋은 제품입니다", 11, ""},
		{"Korean, one rune too many", "정말 좋은 제품입니다", 10, "review: text is longer than 10 characters"},
		{"newline and tab", "line 1\nline 2\tend", 100, ""},
		{"emoji with skin tone", "👍🏽", 2, ""},
		{"emoji ZWJ sequence", "👩\u200d👩\u200d👧", 5, ""},
		{"Arabic with a mark", "مرحبا\u200f", 10, ""}, // RIGHT-TO-LEFT MARK is not an override
		{"zero max", "", 0, ""},
		{"zero max, one rune", "a", 0, "longer than 0"},

		{"NUL", "a\x00b", 10, "review: character U+0000 at byte 1 is not allowed"},
		{"carriage return", "a\r\nb", 10, "U+000D at byte 1"},
		{"escape", "\x1b[31mred", 10, "U+001B at byte 0"},
		{"DEL", "a\x7f", 10, "U+007F"},
		{"C1 control", "a\u0085", 10, "U+0085"},
		{"invalid UTF-8", "ab\xff", 10, "review: invalid UTF-8 at byte 2"},
		{"truncated UTF-8", "정\xeb\xa7", 10, "invalid UTF-8 at byte 3"},
		{"encoded surrogate", "a\xed\xa0\x80", 10, "invalid UTF-8 at byte 1"},
		{"replacement character", "a\ufffd", 10, "U+FFFD at byte 1"},
		{"noncharacter FDD0", "\ufdd0", 10, "U+FDD0"},
		{"noncharacter FFFF", "\uffff", 10, "U+FFFF"},
		{"noncharacter 10FFFF", "\U0010FFFF", 10, "U+10FFFF"},
		{"noncharacter 1FFFE", "\U0001FFFE", 10, "U+1FFFE"},
		{"right-to-left override", "abc\u202etxt.exe", 20, "U+202E at byte 3"},
		{"first strong isolate", "\u2068x", 20, "U+2068"},
		{"line separator", "a\u2028b", 20, "U+2028"},
		{"paragraph separator", "a\u2029b", 20, "U+2029"},
	} {
		err := codec.Text("review", tc.text, tc.max)
		if tc.msg == "" {
			assert.NoError(t, err, tc.name)
			continue
		}
		assert.Equal(t, errs.InvalidArgument, errs.CodeOf(err), "%s: %v", tc.name, err)
		assert.ErrorContains(t, err, tc.msg, tc.name)
	}
}

func TestTextMessageDoesNotEchoText(t *testing.T) {
	secret := strings.Repeat("비밀", 1000)
	for _, text := range []string{secret + "\x00", secret} {
		err := codec.Text("review", text, 100)
		if assert.Error(t, err) {
			assert.NotContains(t, err.Error(), "비밀")
		}
	}
}
