package main

import (
	"io"

	"github.com/likrcommerce/likr/contracts/money"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Terminal layout. text/tabwriter counts a rune as one column, so a
// Korean product name (each syllable two columns wide) would push every
// column after it out of line; the tables here measure text with
// displayWidth instead.

// displayWidth is the number of terminal columns s takes: two for East
// Asian wide and fullwidth characters (Hangul, CJK, fullwidth forms, most
// emoji), none for combining marks and other zero-width characters, one
// for the rest.
func displayWidth(s string) int {
	w := 0
	for _, r := range s {
		w += runeWidth(r)
	}
	return w
}

func runeWidth(r rune) int {
	switch {
	case r < 0x20 || r >= 0x7f && r < 0xa0:
		return 0
	case r < 0x7f:
		return 1
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
		return 0
	case r >= 0x1160 && r <= 0x11ff:
		return 0 // Hangul medial vowels and final consonants join the initial
	case isWide(r):
		return 2
	}
	return 1
}

// wideRanges are the East Asian Wide (W) and Fullwidth (F) blocks of
// Unicode's EastAsianWidth.txt, merged into blocks.
var wideRanges = [][2]rune{
	{0x1100, 0x115f},   // Hangul Jamo initial consonants
	{0x231a, 0x231b},   // watch, hourglass
	{0x2329, 0x232a},   // angle brackets
	{0x23e9, 0x23f3},   // media symbols
	{0x25fd, 0x25fe},   // squares
	{0x2614, 0x2615},   // umbrella, hot beverage
	{0x2648, 0x2653},   // zodiac
	{0x26a1, 0x26a1},   // high voltage
	{0x26bd, 0x26be},   // balls
	{0x2705, 0x2705},   // check mark
	{0x270a, 0x270b},   // fists
	{0x2728, 0x2728},   // sparkles
	{0x274c, 0x274c},   // cross mark
	{0x2753, 0x2757},   // question and exclamation marks
	{0x2795, 0x2797},   // plus, minus, division
	{0x2b1b, 0x2b1c},   // large squares
	{0x2b50, 0x2b50},   // star
	{0x2b55, 0x2b55},   // circle
	{0x2e80, 0x303e},   // CJK radicals, Kangxi, ideographic description, CJK symbols and punctuation
	{0x3041, 0x33ff},   // Hiragana, Katakana, Bopomofo, Hangul compatibility Jamo, Kanbun, CJK strokes and compatibility
	{0x3400, 0x4dbf},   // CJK extension A
	{0x4e00, 0x9fff},   // CJK unified ideographs
	{0xa000, 0xa4cf},   // Yi
	{0xa960, 0xa97f},   // Hangul Jamo extended A
	{0xac00, 0xd7a3},   // Hangul syllables
	{0xf900, 0xfaff},   // CJK compatibility ideographs
	{0xfe10, 0xfe19},   // vertical forms
	{0xfe30, 0xfe6f},   // CJK compatibility and small forms
	{0xff00, 0xff60},   // fullwidth forms
	{0xffe0, 0xffe6},   // fullwidth signs
	{0x16fe0, 0x18cff}, // Tangut and others
	{0x1b000, 0x1b2ff}, // Kana supplement and extensions, Nushu
	{0x1f004, 0x1f004}, // mahjong tile
	{0x1f0cf, 0x1f0cf}, // playing card
	{0x1f18e, 0x1f18e}, // AB button
	{0x1f191, 0x1f19a}, // squared words
	{0x1f200, 0x1f2ff}, // enclosed ideographic supplement
	{0x1f300, 0x1f64f}, // pictographs, emoticons
	{0x1f680, 0x1f6ff}, // transport and map symbols
	{0x1f7e0, 0x1f7eb}, // coloured circles and squares
	{0x1f900, 0x1faff}, // supplemental symbols and pictographs
	{0x20000, 0x2fffd}, // CJK extensions B-F, compatibility supplement
	{0x30000, 0x3fffd}, // CJK extensions G-H
}

func isWide(r rune) bool {
	for _, rg := range wideRanges {
		if r < rg[0] {
			return false
		}
		if r <= rg[1] {
			return true
		}
	}
	return false
}

// clean makes text from the ledger safe to print on one table line: line
// breaks and tabs become spaces, and control characters (an ESC sequence
// in a product name could rewrite the terminal) and bidirectional
// overrides (which could make one account ID look like another) become
// U+FFFD. Invalid UTF-8 becomes U+FFFD as well.
func clean(s string) string {
	if isPlain(s) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t' || r == '\r':
			b.WriteByte(' ')
		case unicode.IsControl(r), r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f:
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteRune(r) // invalid UTF-8 ranges as RuneError already
		}
	}
	return b.String()
}

// isPlain reports whether s is printable ASCII, the common case.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// truncate shortens s to at most max columns, ending it with "..." when
// it was cut (ASCII: terminals set to show ambiguous-width characters such
// as "…" two columns wide, common with Korean fonts, would misalign it).
// max < 4 means no limit.
func truncate(s string, max int) string {
	if max < 4 || displayWidth(s) <= max {
		return s
	}
	w := 0
	for i, r := range s {
		rw := runeWidth(r)
		if w+rw > max-3 {
			return s[:i] + "..."
		}
		w += rw
	}
	return s
}

// pad fills s with spaces to width columns, on the right or, for right,
// on the left.
func pad(s string, width int, right bool) string {
	n := width - displayWidth(s)
	if n <= 0 {
		return s
	}
	if right {
		return strings.Repeat(" ", n) + s
	}
	return s + strings.Repeat(" ", n)
}

// table is a list rendered as aligned columns under a header.
type table struct {
	header []string
	right  []bool // per column: align right (numbers)
	max    []int  // per column: the widest a cell may be, 0 for no limit
	rows   [][]string
}

// newTable starts a table. A column name ending in ">" is aligned right
// (the ">" is not shown); one ending in "~N" is cut to N columns.
func newTable(columns ...string) *table {
	t := &table{}
	for _, c := range columns {
		right, max := false, 0
		if name, ok := strings.CutSuffix(c, ">"); ok {
			c, right = name, true
		}
		if i := strings.LastIndex(c, "~"); i > 0 {
			n := 0
			for _, d := range c[i+1:] {
				n = n*10 + int(d-'0')
			}
			c, max = c[:i], n
		}
		t.header = append(t.header, c)
		t.right = append(t.right, right)
		t.max = append(t.max, max)
	}
	return t
}

// add appends a row; cells are cleaned and cut to their column's limit.
func (t *table) add(cells ...string) {
	row := make([]string, len(t.header))
	for i := range row {
		if i < len(cells) {
			row[i] = truncate(clean(cells[i]), t.max[i])
		}
	}
	t.rows = append(t.rows, row)
}

// render writes the header and the rows, columns two spaces apart, with
// no trailing spaces.
func (t *table) render(w io.Writer) error { return t.write(w, true) }

// renderBody writes the rows only: a record of labelled numbers.
func (t *table) renderBody(w io.Writer) error { return t.write(w, false) }

func (t *table) write(w io.Writer, header bool) error {
	widths := make([]int, len(t.right))
	if header {
		for i, h := range t.header {
			widths[i] = displayWidth(h)
		}
	}
	for _, row := range t.rows {
		for i, cell := range row {
			widths[i] = max(widths[i], displayWidth(cell))
		}
	}
	var b strings.Builder
	line := func(cells []string) {
		var l strings.Builder
		for i, cell := range cells {
			if i > 0 {
				l.WriteString("  ")
			}
			l.WriteString(pad(cell, widths[i], t.right[i]))
		}
		b.WriteString(strings.TrimRight(l.String(), " "))
		b.WriteByte('\n')
	}
	if header {
		line(t.header)
	}
	for _, row := range t.rows {
		line(row)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// fields is one record rendered as "key  value" lines, keys aligned. A
// key that starts with spaces is a sub-field of the one above it.
type fields struct {
	keys, values []string
}

// add appends a field; an empty value leaves the field out, so optional
// parts of a record disappear rather than show as blanks.
func (f *fields) add(key, value string) {
	if value == "" {
		return
	}
	f.keys = append(f.keys, key)
	f.values = append(f.values, value)
}

// addAmounts appends labelled amounts (label, money.Amount, label, ...),
// zeros included, the numbers aligned right among themselves.
func (f *fields) addAmounts(pairs ...any) {
	var labels, values []string
	width := 0
	for i := 0; i+1 < len(pairs); i += 2 {
		labels = append(labels, pairs[i].(string))
		values = append(values, lkc(pairs[i+1].(money.Amount)))
		width = max(width, displayWidth(values[len(values)-1]))
	}
	for i := range labels {
		f.add(labels[i], pad(values[i], width, true))
	}
}

// addBlock appends a field whose value spans several lines (a JSON
// document); they are cleaned one by one and indented under the value
// column.
func (f *fields) addBlock(key, value string) {
	f.add(key, strings.TrimRight(value, "\n"))
}

func (f *fields) render(w io.Writer) error {
	width := 0
	for _, k := range f.keys {
		width = max(width, displayWidth(k))
	}
	var b strings.Builder
	for i, k := range f.keys {
		for j, line := range strings.Split(f.values[i], "\n") {
			key := ""
			if j == 0 {
				key = k
			}
			b.WriteString(strings.TrimRight(pad(key, width, false)+"  "+clean(line), " "))
			b.WriteByte('\n')
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
