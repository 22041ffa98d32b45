package codec

import (
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/likrcommerce/likr/contracts/errs"
)

// MaxIDBytes is the longest business ID.
const MaxIDBytes = 64

// ID checks a business ID (a store, product or order ID chosen by a caller):
// 1 to MaxIDBytes bytes of ASCII letters, digits, '-', '_' and '.', starting
// with a letter or digit. field names the argument in the error.
//
// The charset is this narrow because IDs become attributes of Fabric
// composite keys and parts of system holder names. Composite keys separate
// attributes with U+0000 and reserve U+10FFFF as the range end, and Likr's
// own keys use '~' and ':'; none of them can occur in an ID, so no ID can
// forge or shift a key boundary. Being ASCII-only, an ID has one byte form
// and no look-alikes (no Unicode normalization, no fullwidth '.' or '-'), so
// two IDs are the same exactly when their bytes are. A leading '_' is
// reserved by CouchDB and Fabric for internal keys, and a leading '.' or '-'
// reads as a path or a flag in tools.
func ID(field, value string) error {
	if value == "" {
		return errs.New(errs.InvalidArgument, "%s: ID is empty", field)
	}
	if len(value) > MaxIDBytes {
		return errs.New(errs.InvalidArgument, "%s: ID is %d bytes long, at most %d are allowed", field, len(value), MaxIDBytes)
	}
	for i := 0; i < len(value); i++ {
		c := value[i]
		if isAlnum(c) || i > 0 && (c == '-' || c == '_' || c == '.') {
			continue
		}
		if i == 0 && (c == '-' || c == '_' || c == '.') {
			return errs.New(errs.InvalidArgument, "%s: ID must start with a letter or digit, not %q", field, c)
		}
		return errs.New(errs.InvalidArgument,
			"%s: ID may contain only ASCII letters, digits, '-', '_' and '.', found %s at byte %d",
			field, describeByte(value[i:]), i)
	}
	return nil
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// describeByte names the character that starts s for an error message.
func describeByte(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError && n <= 1 {
		return "invalid UTF-8"
	}
	if r < utf8.RuneSelf && unicode.IsPrint(r) {
		return "'" + string(r) + "'"
	}
	return describeRune(r)
}

// Text checks free text such as a name, a description or a review (which may
// be Korean or any other script): valid UTF-8 of at most maxRunes runes, with
// no control character other than '\n' and '\t', and none of the characters
// below. Empty text passes; a caller that needs a value checks for "".
//
//   - U+FFFD, the replacement character: it is what broken input turns into
//     on the way through a lenient decoder, so it means the text was damaged.
//   - Noncharacters (U+FDD0..U+FDEF and U+xxFFFE, U+xxFFFF, U+10FFFF among
//     them): Unicode reserves them for internal use, never for interchange.
//   - Bidirectional embeddings, overrides and isolates (U+202A..U+202E,
//     U+2066..U+2069): they reorder how following text is displayed, so a
//     name could render as another name ("Trojan Source" spoofing).
//   - U+2028 and U+2029: invisible line breaks that some clients honour and
//     others do not; '\n' is the one line break.
func Text(field, value string, maxRunes int) error {
	runes := 0
	for i, r := range value {
		runes++
		if runes > maxRunes {
			return errs.New(errs.InvalidArgument, "%s: text is longer than %d characters", field, maxRunes)
		}
		switch {
		case r == utf8.RuneError && !validRuneAt(value, i):
			return errs.New(errs.InvalidArgument, "%s: invalid UTF-8 at byte %d", field, i)
		case r == '\n' || r == '\t':
		case unicode.IsControl(r), r == utf8.RuneError, isNoncharacter(r), isBidiControl(r),
			r == '\u2028', r == '\u2029':
			return errs.New(errs.InvalidArgument, "%s: character %s at byte %d is not allowed in text", field, describeRune(r), i)
		}
	}
	return nil
}

// validRuneAt reports whether s holds a valid encoding at byte i, telling a
// literal U+FFFD apart from the U+FFFD that range yields for a bad byte.
func validRuneAt(s string, i int) bool {
	_, n := utf8.DecodeRuneInString(s[i:])
	return n > 1
}

func isNoncharacter(r rune) bool {
	return r >= 0xFDD0 && r <= 0xFDEF || r&0xFFFE == 0xFFFE
}

func isBidiControl(r rune) bool {
	return r >= '\u202A' && r <= '\u202E' || r >= '\u2066' && r <= '\u2069'
}

// describeRune names r without printing it, since it may be invisible or
// reorder the message around it.
func describeRune(r rune) string { return fmt.Sprintf("%U", r) }
