package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/likrcommerce/likr/client"
)

func eventsGroup() *group {
	return newGroup("events", "", "the chaincode's business events, in ledger order",
		&command{flags: "[--follow] [--checkpoint FILE] [--from-block N]", summary: "print business events: those committed so far, or with --follow live; " +
			"with --checkpoint, resume where the last run stopped",
			setup: eventsRun},
	)
}

// eventJSON is how --json prints an event: one JSON object per line.
type eventJSON struct {
	Block uint64          `json:"block"`
	TxID  string          `json:"txId"`
	Index int             `json:"index"`
	Type  string          `json:"type"`
	Event json.RawMessage `json:"event"`
}

func eventsRun(fs *flag.FlagSet) runFunc {
	follow := fs.Bool("follow", false, "keep printing events as blocks commit, until interrupted")
	checkpoint := fs.String("checkpoint", "", "keep the position in `FILE` and resume from it (created when missing)")
	fromBlock := fs.Int64("from-block", -1, "start at block `N` when there is no checkpoint (default: the first block, or with --follow the next one)")
	idle := fs.Duration("idle", 2*time.Second, "without --follow: stop when no event came for this `DURATION`")
	return func(ctx context.Context, s *session, _ []string) error {
		api, err := s.client(ctx)
		if err != nil {
			return err
		}
		plan := planEvents(*follow, *checkpoint, *fromBlock)
		var opts []client.EventOption
		if plan.fromBlock != nil {
			opts = append(opts, client.FromBlock(*plan.fromBlock))
		}
		if plan.checkpoint != "" {
			opts = append(opts, client.WithCheckpointFile(plan.checkpoint))
		}
		opts = append(opts, client.OnReconnect(func(err error) {
			fmt.Fprintf(s.io.err, "likr: event stream broken (%s); reconnecting\n", oneLine(err.Error()))
		}))

		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		var timer *idleTimer
		if !*follow {
			timer = newIdleTimer(*idle, cancel)
			defer timer.stop()
		}
		p := &eventPrinter{s: s}
		err = api.Follow(ctx, func(e client.Event) error {
			timer.reset()
			return p.print(e)
		}, opts...)
		if errors.Is(err, context.Canceled) {
			err = nil // interrupted, or idle: a normal end
		}
		if err == nil && !s.g.json && p.n == 0 {
			fmt.Fprintln(s.io.err, "no events")
		}
		return err
	}
}

// eventPlan is where an events command starts and keeps its position.
type eventPlan struct {
	fromBlock  *uint64 // start here when there is no checkpoint; nil: the next block
	checkpoint string  // the checkpoint file, if any
}

// planEvents decides where to start: --from-block when given; else the
// first block when there is a checkpoint (nothing before the first one
// may be missed) or when not following (a look at what happened starts at
// the beginning); else, following without a checkpoint, the next block.
func planEvents(follow bool, checkpoint string, fromBlock int64) eventPlan {
	p := eventPlan{checkpoint: checkpoint}
	switch {
	case fromBlock >= 0:
		n := uint64(fromBlock)
		p.fromBlock = &n
	case checkpoint != "" || !follow:
		p.fromBlock = new(uint64)
	}
	return p
}

// idleTimer calls stop once no reset came for d. A nil timer does nothing.
type idleTimer struct {
	mu sync.Mutex
	t  *time.Timer
	d  time.Duration
}

func newIdleTimer(d time.Duration, stop func()) *idleTimer {
	return &idleTimer{t: time.AfterFunc(d, stop), d: d}
}

func (t *idleTimer) reset() {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.t.Reset(t.d)
}

func (t *idleTimer) stop() {
	if t != nil {
		t.t.Stop()
	}
}

// eventPrinter prints events as they come: --json as JSON lines, else one
// line per event with fixed columns (a stream cannot be measured first),
// the block and transaction on a transaction's first event only.
type eventPrinter struct {
	s *session
	n int
}

const eventTypeWidth = 22

func (p *eventPrinter) print(e client.Event) error {
	w := p.s.io.out
	p.n++
	if p.s.g.json {
		data, err := json.Marshal(eventJSON{Block: e.BlockNumber, TxID: e.TxID, Index: e.Index, Type: e.Type, Event: e.Raw})
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "%s\n", data)
		return err
	}
	if p.n == 1 {
		if _, err := fmt.Fprintf(w, "%6s  %-12s  %s  %s\n", "BLOCK", "TX", pad("EVENT", eventTypeWidth, false), "DETAILS"); err != nil {
			return err
		}
	}
	block, tx := "", ""
	if e.Index == 0 {
		block, tx = strconv.FormatUint(e.BlockNumber, 10), short(e.TxID)
	}
	text := fmt.Sprintf("%6s  %-12s  %s  %s", block, tx, pad(clean(e.Type), eventTypeWidth, false), p.details(e.Raw))
	_, err := fmt.Fprintln(w, strings.TrimRight(text, " "))
	return err
}

// details renders an event's fields, but its type, as key=value pairs in
// the event's own order: accounts by profile name, amounts with their
// unit, references as OWNER/ID paths.
func (p *eventPrinter) details(raw json.RawMessage) string {
	fields, err := orderedFields(raw)
	if err != nil {
		return clean(string(raw))
	}
	var parts []string
	for _, f := range fields {
		if f.key == "type" {
			continue
		}
		if v := p.value(f.key, f.value); v != "" {
			parts = append(parts, f.key+"="+v)
		}
	}
	return strings.Join(parts, "  ")
}

// value renders one field's value; "" leaves out empty ones.
func (p *eventPrinter) value(key string, raw json.RawMessage) string {
	var str string
	if json.Unmarshal(raw, &str) == nil {
		switch {
		case str == "":
			return ""
		case isAccountID(str):
			return p.s.who(str)
		case isAmountKey(key) && isDigits(str):
			return str + " LKC"
		}
		return clean(quoteIfSpaced(str))
	}
	if fields, err := orderedFields(raw); err == nil {
		if ref, ok := p.refPath(fields); ok {
			return ref
		}
		var parts []string
		for _, f := range fields {
			if v := p.value(f.key, f.value); v != "" {
				parts = append(parts, f.key+"="+v)
			}
		}
		return "{" + strings.Join(parts, " ") + "}"
	}
	var compact bytes.Buffer
	if json.Compact(&compact, raw) != nil {
		return clean(string(raw))
	}
	if s := compact.String(); s != "null" && s != "[]" && s != "{}" {
		return clean(s)
	}
	return ""
}

// refPath renders an object that is a reference, such as
// {"supplier":"…","id":"tea"}, as "@brand/tea".
func (p *eventPrinter) refPath(fields []field) (string, bool) {
	if len(fields) < 2 || len(fields) > 3 {
		return "", false
	}
	var parts []string
	for i, f := range fields {
		var v string
		if json.Unmarshal(f.value, &v) != nil || v == "" {
			return "", false
		}
		if i == 0 {
			if !isAccountID(v) {
				return "", false
			}
			v = p.s.who(v)
		} else if !slices.Contains([]string{"id", "store", "listing", "order", "product"}, f.key) {
			return "", false
		}
		parts = append(parts, v)
	}
	return clean(strings.Join(parts, "/")), true
}

// isAmountKey tells, by its name, whether a field holds an amount of LKC.
func isAmountKey(key string) bool {
	k := strings.ToLower(key)
	if strings.HasSuffix(k, "bps") {
		return false
	}
	for _, word := range []string{"amount", "total", "price", "fee", "refund", "commission", "balance", "change", "purchase", "review", "conversion", "referredsale", "gross", "cap", "fixed"} {
		if strings.Contains(k, word) {
			return true
		}
	}
	return false
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func quoteIfSpaced(s string) string {
	if strings.ContainsAny(s, " \t\n\"") {
		return strconv.Quote(s)
	}
	return s
}

// field is one member of a JSON object.
type field struct {
	key   string
	value json.RawMessage
}

// orderedFields returns the members of a JSON object in their order (a
// map would lose it, and the chaincode writes them in a meaningful one).
func orderedFields(raw json.RawMessage) ([]field, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, errors.New("not an object")
	}
	var out []field
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		out = append(out, field{key, v})
	}
	return out, nil
}

func profilesGroup() *group {
	return newGroup("profiles", "", "the test network's identities: name, org, role and account (no network call)",
		&command{summary: "list the identities --profile and @NAME can name, with their accounts", setup: profilesRun},
	)
}

// profileRow is one identity, as --json prints it.
type profileRow struct {
	Name    string `json:"name"`
	Org     string `json:"org"`
	MSPID   string `json:"mspId"`
	Role    string `json:"role"`
	Account string `json:"account"`
	Path    string `json:"path"`
}

func profilesRun(*flag.FlagSet) runFunc {
	return func(_ context.Context, s *session, _ []string) error {
		d := s.directory()
		rows := []profileRow{}
		for _, name := range d.list() {
			p, err := d.profile(name)
			if err != nil {
				return err
			}
			account, err := profileAccount(p)
			if err != nil {
				return fmt.Errorf("profile %s: %w", name, err)
			}
			role := p.Role
			if role == "" {
				role = "consumer"
			}
			rows = append(rows, profileRow{Name: name, Org: p.Org, MSPID: p.MSPID, Role: role, Account: account, Path: d.profilePath(name)})
		}
		if len(rows) == 0 {
			return fmt.Errorf("no profiles in %s%s", d.dir, d.hint)
		}
		return s.show(rows, func(w io.Writer) error {
			t := newTable("NAME", "ORG", "ROLE", "ACCOUNT")
			for _, r := range rows {
				t.add("@"+r.Name, r.Org, r.Role, r.Account)
			}
			if err := t.render(w); err != nil {
				return err
			}
			_, err := fmt.Fprintf(w, "profiles in %s\n", d.dir)
			return err
		})
	}
}
