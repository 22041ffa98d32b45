package product_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/codec"
	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/product"
)

func canon(t *testing.T, s string) (string, string) {
	t.Helper()
	c, h, err := product.Canonical(json.RawMessage(s))
	require.NoError(t, err, "%s", s)
	return string(c), h
}

func TestCanonicalForm(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"a":1}`, `{"a":1}`},
		{` { "b" : 2 ,
		   "a" : [ 3 , { "d" : true , "c" : null } ] } `, `{"a":[3,{"c":null,"d":true}],"b":2}`},
		{`{}`, `{}`},
		{`{"z":{"y":{"x":{}}},"a":[]}`, `{"a":[],"z":{"y":{"x":{}}}}`},
		// Keys sort by their UTF-8 bytes: upper case before lower case,
		// "a" before "ab", and U+00E9 after every ASCII key.
		{`{"é":1,"b":2,"ab":3,"a":4,"B":5,"":6}`, `{"":6,"B":5,"a":4,"ab":3,"b":2,"é":1}`},
		// Numbers are kept exactly as written.
		{`{"n":[1.0,1e0,1E+0,-0,0.10,123456789012345678901234567890]}`, `{"n":[1.0,1e0,1E+0,-0,0.10,123456789012345678901234567890]}`},
		// Escapes become the encoder's: literal UTF-8 and '/', short
		// escapes for controls, no HTML escaping, \u2028 escaped.
		{`{"s":"\u00e9\/\u0041\u000a\u0001<&>\"\\"}`, `{"s":"é/A\n\u0001<&>\"\\"}`},
		{"{\"s\":\"\u2028\"}", `{"s":"\u2028"}`},
		// Escaped keys are the same keys.
		{`{"\u0062":1,"a":2}`, `{"a":2,"b":1}`},
	} {
		got, h := canon(t, tc.in)
		require.Equal(t, tc.want, got, "%s", tc.in)
		sum := sha256.Sum256([]byte(tc.want))
		require.Equal(t, hex.EncodeToString(sum[:]), h)
	}
}

// The hash is pinned to the bytes, so a change of canonical form cannot
// pass unnoticed: sha256 of `{"a":1}` computed outside Go.
func TestCanonicalHashIsHexSHA256(t *testing.T) {
	_, h := canon(t, ` {"a" : 1} `)
	require.Equal(t, "015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862", h)
	c, h := canon(t, mugAttrs)
	require.Equal(t, mugCanonical, c)
	require.Equal(t, "3b0c01d537905d8bb6405fc9f33af9df730e1e9913cfb4fc89fa8af5a02d03d7", h)
}

func TestKeyOrderAndWhiteSpaceDoNotChangeTheHash(t *testing.T) {
	_, want := canon(t, mugAttrs)
	for _, same := range []string{
		`{"tags":["kitchen","gift"],"size":{"w":8,"h":10},"name":"Mug","color":"blue"}`,
		"{\n  \"color\": \"blue\",\n  \"name\": \"Mug\",\n  \"size\": {\"h\": 10, \"w\": 8},\n  \"tags\": [\"kitchen\", \"gift\"]\n}\n",
		`{"color":"\u0062lue","name":"Mug","size":{"h":10,"w":8},"tags":["kitchen","gift"]}`,
	} {
		_, h := canon(t, same)
		require.Equal(t, want, h, "%s", same)
	}
}

func TestEveryValueChangeChangesTheHash(t *testing.T) {
	_, base := canon(t, `{"n":1,"s":"x","a":[1,2],"b":true}`)
	for _, other := range []string{
		`{"n":1.0,"s":"x","a":[1,2],"b":true}`, // numbers compare as written
		`{"n":1e0,"s":"x","a":[1,2],"b":true}`,
		`{"n":2,"s":"x","a":[1,2],"b":true}`,
		`{"n":"1","s":"x","a":[1,2],"b":true}`,
		`{"n":1,"s":"X","a":[1,2],"b":true}`,
		`{"n":1,"s":"x","a":[2,1],"b":true}`, // array order is significant
		`{"n":1,"s":"x","a":[1,2],"b":false}`,
		`{"n":1,"s":"x","a":[1,2]}`,
		`{"n":1,"s":"x","a":[1,2],"b":true,"c":null}`,
		`{"N":1,"s":"x","a":[1,2],"b":true}`,
	} {
		_, h := canon(t, other)
		require.NotEqual(t, base, h, "%s", other)
	}
}

func TestCanonicalRefusals(t *testing.T) {
	deep := strings.Repeat(`{"a":`, codec.MaxDepth+1) + "1" + strings.Repeat("}", codec.MaxDepth+1)
	okDeep := strings.Repeat(`{"a":`, codec.MaxDepth) + "1" + strings.Repeat("}", codec.MaxDepth)
	_, _ = canon(t, okDeep)
	big := `{"a":"` + strings.Repeat("x", product.MaxAttributesBytes) + `"}`
	// Under the bound as sent, above it once each raw U+2028 becomes \u2028.
	grows := `{"a":"` + strings.Repeat("\u2028", product.MaxAttributesBytes/3-10) + `"}`
	require.LessOrEqual(t, len(grows), product.MaxAttributesBytes)
	for _, tc := range []struct{ name, in, msg string }{
		{"empty", ``, "empty"},
		{"white space", "  \n", "empty"},
		{"null", `null`, "JSON object"},
		{"array", `[{"a":1}]`, "JSON object"},
		{"string", `"a"`, "JSON object"},
		{"number", `1`, "JSON object"},
		{"duplicate key", `{"a":1,"a":1}`, "duplicate key"},
		{"duplicate escaped key", `{"a":1,"\u0061":2}`, "duplicate key"},
		{"nested duplicate", `{"x":[{"a":1,"b":2,"a":3}]}`, "duplicate key"},
		{"invalid UTF-8", "{\"a\":\"\xff\"}", "UTF-8"},
		{"unpaired surrogate", `{"a":"\ud800"}`, "attributes"},
		{"too deep", deep, "deeper"},
		{"too large", big, "at most"},
		{"too large in canonical form", grows, "canonical form"},
		{"trailing data", `{"a":1} {}`, "after the JSON value"},
		{"malformed", `{"a":}`, "malformed"},
		{"unterminated", `{"a":1`, "malformed"},
		{"bare word", `{"a":nul}`, "malformed"},
	} {
		c, h, err := product.Canonical(json.RawMessage(tc.in))
		require.ErrorIs(t, err, errs.ErrInvalidArgument, tc.name)
		require.ErrorContains(t, err, tc.msg, tc.name)
		require.Nil(t, c, tc.name)
		require.Empty(t, h, tc.name)
		require.Less(t, len(err.Error()), 400, "%s: message echoes the input", tc.name)
	}
}
