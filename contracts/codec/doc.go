// Package codec is the one way Likr contracts turn untrusted input into
// values: [Decode] for JSON requests, [ID] for business identifiers and
// [Text] for free text. Every rejection is an errs.InvalidArgument error that
// names the offending field or JSON path and never echoes more than a short
// prefix of the input.
//
// The rules are stricter than encoding/json's because a chaincode's input is
// signed, endorsed and replayed by parties written in other languages: any
// input that two JSON parsers could read differently (duplicate keys,
// invalid UTF-8, keys that differ from a field name only in case) is refused
// rather than interpreted.
package codec
