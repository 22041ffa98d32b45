package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/likrcommerce/likr/client"
	"github.com/likrcommerce/likr/contracts/money"
)

// Parsing of arguments and flags. Every mistake is a usage error (exit
// status 2) that names the argument; the chaincode checks everything again.

// parseAmount reads an amount of LKC: digits only.
func parseAmount(what, s string) (money.Amount, error) {
	a, err := money.ParseAmount(s)
	if err != nil {
		return money.Amount{}, usagef("%s %q is not an amount: give a whole number of LKC, digits only, like 1500", what, s)
	}
	return a, nil
}

// parseUint reads a count (units, a quantity).
func parseUint(what, s string) (uint64, error) {
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, usagef("%s %q is not a whole number", what, s)
	}
	return n, nil
}

// parseRate reads basis points, 0 to 10000.
func parseRate(what, s string) (money.Rate, error) {
	n, err := strconv.ParseUint(s, 10, 16)
	if err != nil || n > uint64(money.MaxRate) {
		return 0, usagef("%s %q is not a rate: give basis points from 0 to 10000 (500 = 5%%)", what, s)
	}
	return money.Rate(n), nil
}

// parseTime reads an instant: a day (its midnight in UTC) or RFC 3339.
// Empty is the zero time (an open end of a range).
func parseTime(what, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	return time.Time{}, usagef("%s %q is not a time: give a day (2025-05-01) or RFC 3339 (2025-05-01T09:00:00+09:00)", what, s)
}

// parseDay reads a UTC day; empty is today.
func parseDay(what, s string, now time.Time) (time.Time, error) {
	if s == "" || s == "today" {
		y, m, d := now.UTC().Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, usagef("%s %q is not a day: give it as 2025-05-01 (UTC)", what, s)
	}
	return t, nil
}

// parseList splits a comma-separated flag value; empty is none.
func parseList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// refParts resolves a ref [OWNER/]ID1/.../IDn: with n IDs it is the
// caller's own, with one part more the first is an account.
func (s *session) refParts(ctx context.Context, what, shape, arg string, n int) (string, []string, error) {
	parts := strings.Split(arg, "/")
	for _, p := range parts {
		if p == "" {
			return "", nil, usagef("%s %q: expected %s", what, arg, shape)
		}
	}
	switch len(parts) {
	case n + 1:
		owner, err := s.account(parts[0])
		return owner, parts[1:], err
	case n:
		if strings.HasPrefix(parts[0], "@") {
			return "", nil, usagef("%s %q: expected %s", what, arg, shape)
		}
		me, err := s.me(ctx)
		return me, parts, err
	default:
		return "", nil, usagef("%s %q: expected %s", what, arg, shape)
	}
}

func (s *session) productRef(ctx context.Context, arg string) (client.ProductRef, error) {
	owner, ids, err := s.refParts(ctx, "product", "[SUPPLIER/]ID", arg, 1)
	if err != nil {
		return client.ProductRef{}, err
	}
	return client.ProductRef{Supplier: owner, ID: ids[0]}, nil
}

func (s *session) storeRef(ctx context.Context, arg string) (client.StoreRef, error) {
	owner, ids, err := s.refParts(ctx, "store", "[OWNER/]STORE", arg, 1)
	if err != nil {
		return client.StoreRef{}, err
	}
	return client.StoreRef{Owner: owner, ID: ids[0]}, nil
}

func (s *session) listingRef(ctx context.Context, arg string) (client.ListingRef, error) {
	owner, ids, err := s.refParts(ctx, "listing", "[OWNER/]STORE/LISTING", arg, 2)
	if err != nil {
		return client.ListingRef{}, err
	}
	return client.ListingRef{Owner: owner, Store: ids[0], ID: ids[1]}, nil
}

func (s *session) orderRef(ctx context.Context, arg string) (client.OrderRef, error) {
	owner, ids, err := s.refParts(ctx, "order", "[BUYER/]ID", arg, 1)
	if err != nil {
		return client.OrderRef{}, err
	}
	return client.OrderRef{Buyer: owner, ID: ids[0]}, nil
}

// readInput reads the JSON a flag gives: inline JSON, @FILE, or - for
// standard input.
func (s *session) readInput(what, value string) ([]byte, error) {
	var data []byte
	var err error
	switch {
	case value == "-":
		data, err = io.ReadAll(s.io.in)
	case strings.HasPrefix(value, "@"):
		data, err = os.ReadFile(value[1:])
	default:
		data = []byte(value)
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", what, err)
	}
	if !json.Valid(data) {
		return nil, usagef("%s is not valid JSON", what)
	}
	return data, nil
}

// readRequest decodes a full request from --request FILE (or -, standard
// input) strictly: an unknown field is a mistake, not something to drop.
func (s *session) readRequest(file string, v any) error {
	var data []byte
	var err error
	if file == "-" {
		data, err = io.ReadAll(s.io.in)
	} else {
		data, err = os.ReadFile(strings.TrimPrefix(file, "@"))
	}
	if err != nil {
		return fmt.Errorf("reading the request: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return usagef("request %s: %v", file, err)
	}
	if err := dec.Decode(new(json.RawMessage)); !errors.Is(err, io.EOF) {
		return usagef("request %s: data after the request object", file)
	}
	return nil
}

// requestFlag registers --request for commands that take one JSON request.
func requestFlag(fs *flag.FlagSet) *string {
	return fs.String("request", "", "the whole request as JSON from `FILE` (- for standard input), instead of the flags")
}

// request fills v from --request FILE when the command line gives one, else
// from the flags with fromFlags.
func (s *session) request(file string, v any, fromFlags func() error) error {
	if file != "" {
		return s.readRequest(file, v)
	}
	return fromFlags()
}

// requestUpdate is request for an update, whose flags left out keep
// their value: it connects first, so that fromFlags can read the current
// one.
func (s *session) requestUpdate(ctx context.Context, file string, v any, fromFlags func(api API) error) error {
	api, err := s.client(ctx)
	if err != nil {
		return err
	}
	return s.request(file, v, func() error { return fromFlags(api) })
}

// flagValues parses the values of flags one after another and keeps the
// first mistake, so that a command parses each flag in one line: a value
// is parsed only when its flag counts (when) and no mistake came before.
type flagValues struct{ err error }

func (v *flagValues) amount(when bool, dst *money.Amount, name, value string) {
	if when && v.err == nil {
		*dst, v.err = parseAmount(name, value)
	}
}

func (v *flagValues) rate(when bool, dst *money.Rate, name, value string) {
	if when && v.err == nil {
		*dst, v.err = parseRate(name, value)
	}
}

// flagsSet reports which flags the command line set.
func flagsSet(fs *flag.FlagSet) map[string]bool {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set
}

// pager holds the flags of a list command.
type pager struct {
	limit    int
	bookmark string
	all      bool
}

func addPager(fs *flag.FlagSet) *pager {
	p := &pager{}
	fs.IntVar(&p.limit, "limit", 0, "at most `N` entries per page (1-100; default 100)")
	fs.StringVar(&p.bookmark, "bookmark", "", "start at bookmark `B` of a previous page")
	fs.BoolVar(&p.all, "all", false, "fetch every page")
	return p
}

// pages fetches one page, or with --all every page from the bookmark on,
// and returns the bookmark of the next page (empty after the last).
func (p *pager) pages(fetch func(page client.PageRequest) (next string, err error)) (string, error) {
	if p.limit < 0 || p.limit > int(client.MaxPageSize) {
		return "", usagef("--limit %d: give 1 to %d", p.limit, client.MaxPageSize)
	}
	page := client.PageRequest{Size: int32(p.limit), Bookmark: p.bookmark}
	for {
		next, err := fetch(page)
		if err != nil {
			return "", err
		}
		if !p.all || next == "" {
			return next, nil
		}
		page.Bookmark = next
	}
}
