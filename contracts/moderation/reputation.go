package moderation

import (
	"encoding/json"
	"math/bits"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/wallet"
)

// Bounds of the reputation sums (see the package doc).
const (
	// MaxReputationRows bounds the reputation rows one Profile adds up, and
	// those one List page adds up for all its entries together.
	MaxReputationRows = 100_000
	// MaxSubjectBytes bounds the subject of a reputation row.
	MaxSubjectBytes = 200
	// maxTxIDBytes bounds the transaction ID in a reputation key. Fabric's
	// are 64 hex characters.
	maxTxIDBytes = 100
)

// Reputation counts the disputes a moderator closed.
type Reputation struct {
	// Resolved counts the disputes the moderator resolved itself.
	Resolved uint64 `json:"resolved"`
	// ByFallback counts the disputes it let time out, so that an admin
	// resolved them through the fallback.
	ByFallback uint64 `json:"byFallback"`
}

// delta is one reputation row. Zero fields are left out, so a row reads
// {"resolved":1}; a row is never empty, which Fabric would take for a
// delete.
type delta struct {
	Resolved   uint64 `json:"resolved,omitempty"`
	ByFallback uint64 `json:"byFallback,omitempty"`
}

// ModeratorProfile is an entry with its reputation: what a buyer picks a
// moderator by. (It is not named Profile because the function Profile
// returns it.)
type ModeratorProfile struct {
	Moderator
	Reputation Reputation `json:"reputation"`
}

// Page is one page of moderators with their reputation, in account order.
type Page struct {
	Moderators []ModeratorProfile `json:"moderators"`
	Bookmark   string             `json:"bookmark"` // empty on the last page
}

// RecordResolution counts one dispute, named by subject, as resolved by
// moderator. Package order calls it in the transaction that resolves the
// dispute. It reads nothing, not even the entry, and writes one new row
// whose key holds the transaction ID, so concurrent resolutions never
// conflict with each other nor with an Update of the entry. subject is
// 1 to MaxSubjectBytes printable ASCII characters without spaces, such as
// "order:<buyer>:<orderID>"; recording the same subject twice in one
// transaction writes one row. INVALID_ARGUMENT for a malformed moderator or
// subject.
func RecordResolution(st ledger.State, moderator, subject string) error {
	return record(st, moderator, subject, delta{Resolved: 1})
}

// RecordFallback counts one dispute, named by subject, that moderator let
// time out, so that an admin resolved it. Like RecordResolution it reads
// nothing and writes one new row.
func RecordFallback(st ledger.State, moderator, subject string) error {
	return record(st, moderator, subject, delta{ByFallback: 1})
}

func record(st ledger.State, moderator, subject string, d delta) error {
	if err := wallet.CheckAccount("moderator", moderator); err != nil {
		return err
	}
	if len(subject) == 0 || len(subject) > MaxSubjectBytes || !printable(subject) {
		return errs.New(errs.InvalidArgument, "subject %s must be 1 to %d printable ASCII characters without spaces", errs.Quote(subject), MaxSubjectBytes)
	}
	txID := st.GetTxID()
	if len(txID) == 0 || len(txID) > maxTxIDBytes || !printable(txID) {
		return errs.New(errs.Internal, "transaction ID %s cannot name a reputation row", errs.Quote(txID))
	}
	key, err := ledger.Key(st, reputationType, moderator, txID, subject)
	if err != nil {
		return err
	}
	return ledger.PutJSON(st, key, d)
}

// printable reports whether s is ASCII from '!' to '~': a composite key
// attribute that needs no escaping and cannot hold U+0000.
func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '!' || s[i] > '~' {
			return false
		}
	}
	return true
}

// Profile returns account's entry with its reputation; NOT_FOUND when there
// is none, LIMIT_EXCEEDED when it has more than MaxReputationRows
// reputation rows. Evaluate only.
// likr:evaluate
func Profile(st ledger.State, account string) (*ModeratorProfile, error) {
	return profile(st, account, MaxReputationRows)
}

// profile is Profile with the row bound as a parameter, for tests.
// likr:evaluate
func profile(st ledger.State, account string, maxRows int) (*ModeratorProfile, error) {
	m, err := Get(st, account)
	if err != nil {
		return nil, err
	}
	r, err := reputationOf(st, account, maxRows)
	if err != nil {
		return nil, err
	}
	return &ModeratorProfile{Moderator: *m, Reputation: r}, nil
}

// List returns one page (1..ledger.MaxPageSize entries) of moderators,
// active or not, with their reputation, in account order. A page may hold
// fewer entries than pageSize yet have a bookmark: it ends early when the
// next entry's reputation rows would take the page past MaxReputationRows
// rows. LIMIT_EXCEEDED when one entry alone has more. Evaluate only.
// likr:evaluate
func List(st ledger.State, pageSize int32, bookmark string) (*Page, error) {
	return list(st, pageSize, bookmark, MaxReputationRows)
}

// list is List with the row budget as a parameter, for tests.
// likr:evaluate
func list(st ledger.State, pageSize int32, bookmark string, budget int) (*Page, error) {
	rows, next, err := ledger.QueryPage(st, moderatorType, nil, pageSize, bookmark)
	if err != nil {
		return nil, err
	}
	page := &Page{Moderators: make([]ModeratorProfile, 0, len(rows)), Bookmark: next}
	left := budget
	for i, kv := range rows {
		var m Moderator
		if err := json.Unmarshal(kv.Value, &m); err != nil {
			return nil, errs.Wrap(errs.Internal, err, "stored %q is corrupt", kv.Key)
		}
		r, n, err := count(st, m.Account, left)
		if errs.CodeOf(err) == errs.LimitExceeded && i > 0 {
			// The page is full: the next one starts at this entry. Its key
			// lies in the queried prefix, so QueryPage accepts it as a
			// bookmark, and the peer starts a scan at its bookmark.
			page.Bookmark = kv.Key
			return page, nil
		}
		if err != nil {
			return nil, err
		}
		left -= n
		page.Moderators = append(page.Moderators, ModeratorProfile{Moderator: m, Reputation: r})
	}
	return page, nil
}

// reputationOf adds up account's reputation rows; LIMIT_EXCEEDED beyond
// maxRows.
// likr:evaluate
func reputationOf(st ledger.State, account string, maxRows int) (Reputation, error) {
	r, _, err := count(st, account, maxRows)
	return r, err
}

// count adds up account's reputation rows, page by page, and returns the
// sum and the number of rows. It reads at most maxRows + 1 rows and is
// LIMIT_EXCEEDED when there are more than maxRows.
// likr:evaluate
func count(st ledger.State, account string, maxRows int) (Reputation, int, error) {
	var r Reputation
	rows := 0
	err := ledger.Scan(st, reputationType, []string{account}, "", "", maxRows, func(kv ledger.KV) (err error) {
		rows++
		r, err = add(r, kv)
		return err
	})
	if errs.CodeOf(err) == errs.LimitExceeded {
		return Reputation{}, rows, errs.New(errs.LimitExceeded, "moderator %s has more than %d reputation rows to add up", account, maxRows)
	}
	if err != nil {
		return Reputation{}, rows, err
	}
	return r, rows, nil
}

// add adds one stored reputation row to r. Rows are decoded leniently, like
// ledger.GetJSON, so rows of an older chaincode still count.
func add(r Reputation, kv ledger.KV) (Reputation, error) {
	var d delta
	if err := json.Unmarshal(kv.Value, &d); err != nil {
		return r, errs.Wrap(errs.Internal, err, "stored reputation row %q is corrupt", kv.Key)
	}
	var c1, c2 uint64
	r.Resolved, c1 = bits.Add64(r.Resolved, d.Resolved, 0)
	r.ByFallback, c2 = bits.Add64(r.ByFallback, d.ByFallback, 0)
	if c1|c2 != 0 {
		return r, errs.New(errs.Internal, "reputation row %q overflows the count", kv.Key)
	}
	return r, nil
}
