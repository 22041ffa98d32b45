package reward

import (
	"encoding/json"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/wallet"
)

// HistoryPage is one page of an account's rewards, oldest first.
type HistoryPage struct {
	Entries  []HistoryEntry `json:"entries"`
	Bookmark string         `json:"bookmark"` // empty on the last page
}

// History returns one page of the rewards account received, oldest first
// (then by transaction, activity and subject). pageSize is
// 1..ledger.MaxPageSize; a bookmark must come from the previous page.
// Evaluate only.
// likr:evaluate
func History(st ledger.State, account string, pageSize int32, bookmark string) (*HistoryPage, error) {
	if err := wallet.CheckAccount("account", account); err != nil {
		return nil, err
	}
	kvs, next, err := ledger.QueryPage(st, histType, []string{account}, pageSize, bookmark)
	if err != nil {
		return nil, err
	}
	page := &HistoryPage{Entries: make([]HistoryEntry, 0, len(kvs)), Bookmark: next}
	for _, kv := range kvs {
		var e HistoryEntry
		if err := json.Unmarshal(kv.Value, &e); err != nil {
			return nil, errs.Wrap(errs.Internal, err, "stored reward history row %q is corrupt", kv.Key)
		}
		page.Entries = append(page.Entries, e)
	}
	return page, nil
}
