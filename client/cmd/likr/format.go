package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/likrcommerce/likr/contracts/money"
)

// How values read to a person: amounts as plain numbers with the unit,
// rates as percentages, ledger timestamps to the second in UTC.

// lkc is an amount with its unit: "9000 LKC".
func lkc(a money.Amount) string { return a.String() + " LKC" }

// lkcIf is lkc, or "" for zero (so that fields leave it out).
func lkcIf(a money.Amount) string {
	if a.IsZero() {
		return ""
	}
	return lkc(a)
}

// pct is a rate as a percentage: 500 bps is "5%", 250 "2.5%", 1 "0.01%".
func pct(r money.Rate) string {
	whole, frac := uint64(r)/100, uint64(r)%100
	if frac == 0 {
		return strconv.FormatUint(whole, 10) + "%"
	}
	return strings.TrimRight(fmt.Sprintf("%d.%02d", whole, frac), "0") + "%"
}

// pctBps is a rate as a percentage and in basis points: "5% (500 bps)".
func pctBps(r money.Rate) string {
	return fmt.Sprintf("%s (%d bps)", pct(r), r)
}

// when shortens a ledger timestamp (RFC 3339 with nanoseconds, UTC) to
// "2025-05-01 09:30:00Z"; anything else is shown as it is.
func when(stamp string) string {
	if stamp == "" {
		return ""
	}
	t, err := time.Parse(time.RFC3339Nano, stamp)
	if err != nil {
		return stamp
	}
	return t.UTC().Format("2006-01-02 15:04:05Z")
}

// productName is the "name" attribute of a product, if it has one.
func productName(attributes json.RawMessage) string {
	var v struct {
		Name any `json:"name"`
	}
	if json.Unmarshal(attributes, &v) != nil {
		return ""
	}
	if name, ok := v.Name.(string); ok {
		return name
	}
	return ""
}

// prettyJSON indents a JSON document for a record's field.
func prettyJSON(raw json.RawMessage) string {
	var b bytes.Buffer
	if json.Indent(&b, raw, "", "  ") != nil {
		return string(raw)
	}
	return b.String()
}

// count is "1 coin" or "3 coins".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// yesNo is a boolean for a record.
func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// short is the start of a long ID (a transaction or coin), for tables.
func short(id string) string {
	if len(id) <= 12 {
		return id
	}
	return id[:12]
}
