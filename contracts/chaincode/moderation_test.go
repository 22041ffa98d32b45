package chaincode

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger/memledger"
	"github.com/likrcommerce/likr/contracts/moderation"
)

const (
	modRegister = `{"fee":{"bps":250,"flat":"100"},"description":"분쟁 조정 10년"}`
	modUpdate   = `{"fee":{"bps":300,"flat":"100"},"description":"분쟁 조정 10년","active":true}`
)

// newModeration is a fixture after config:Init with a second moderator
// identity, which has not registered.
func newModeration(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t)
	f.mustCall("admin", "config:Init", initJSON)
	id, err := memledger.NewIdentity("Org1MSP", "moderator2", map[string]string{"likr.role": "moderator"})
	require.NoError(t, err)
	f.ids["moderator2"] = id
	return f
}

// resolveDisputes records n resolutions for account, as package order does
// when a moderator resolves a dispute.
func (f *fixture) resolveDisputes(account string, n int) {
	f.t.Helper()
	for i := range n {
		tx := f.l.Begin(memledger.TxOptions{})
		require.NoError(f.t, moderation.RecordResolution(tx, account, fmt.Sprintf("order:x:%d", i)))
		require.NoError(f.t, tx.Commit())
	}
}

func TestModerationRoleMatrix(t *testing.T) {
	f := newModeration(t)
	account := f.account("moderator")
	for _, r := range []rule{
		{"moderation:Register", []string{modRegister}, []string{"moderator"}},
		{"moderation:Update", []string{modUpdate}, []string{"moderator"}},
		{"moderation:Get", []string{account}, []string{"*"}},
		{"moderation:List", []string{"10", ""}, []string{"*"}},
	} {
		check(t, f, r)
	}
}

func TestModerationBeforeInitIsInvalidState(t *testing.T) {
	f := newFixture(t)
	_, err := f.call("moderator", "moderation:Register", modRegister)
	require.ErrorIs(t, err, errs.ErrInvalidState)
	require.Empty(t, f.l.Snapshot())
}

func TestModerationThroughTheContract(t *testing.T) {
	f := newModeration(t)
	account := f.account("moderator")

	reg := f.invoke("moderator", "moderation:Register", modRegister)
	require.NoError(t, reg.err)
	events := businessEvents(t, reg)
	require.Equal(t, []string{moderation.EventRegistered}, eventTypes(events))
	require.Equal(t, account, events[0]["account"])
	require.Equal(t, map[string]any{"bps": float64(250), "flat": "100"}, events[0]["fee"])
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(reg.payload), &m))
	require.Equal(t, account, m["account"], "the entry is the caller's, never an argument's")
	require.Equal(t, true, m["active"])
	require.Equal(t, float64(1), m["version"])

	f.resolveDisputes(account, 3)
	profile := f.mustCall("consumer", "moderation:Get", account)
	require.Equal(t, map[string]any{"resolved": float64(3), "byFallback": float64(0)}, profile["reputation"])
	require.Equal(t, "분쟁 조정 10년", profile["description"])

	upd := f.invoke("moderator", "moderation:Update", `{"fee":{"bps":250,"flat":"100"},"description":"on leave","active":false}`)
	require.NoError(t, upd.err)
	require.Equal(t, []string{moderation.EventUpdated}, eventTypes(businessEvents(t, upd)))
	require.Equal(t, false, businessEvents(t, upd)[0]["active"])

	f.mustCall("moderator2", "moderation:Register", `{"fee":{"bps":0,"flat":"0"},"description":"free"}`)
	out, err := f.call("seller", "moderation:List", "100", "")
	require.NoError(t, err)
	var page struct {
		Moderators []map[string]any `json:"moderators"`
		Bookmark   string           `json:"bookmark"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &page))
	require.Empty(t, page.Bookmark)
	require.Len(t, page.Moderators, 2)
	byAccount := map[string]map[string]any{}
	for _, p := range page.Moderators {
		byAccount[p["account"].(string)] = p
	}
	require.Equal(t, false, byAccount[account]["active"])
	require.Equal(t, float64(2), byAccount[account]["version"])
	require.Equal(t, map[string]any{"resolved": float64(3), "byFallback": float64(0)}, byAccount[account]["reputation"])
	require.Equal(t, true, byAccount[f.account("moderator2")]["active"])

	read := f.invoke("consumer", "moderation:Get", account)
	require.NoError(t, read.err)
	require.Nil(t, read.event, "a read emits nothing")
	require.Empty(t, read.writes)
}

func TestModerationErrorsAreCoded(t *testing.T) {
	f := newModeration(t)
	f.mustCall("moderator", "moderation:Register", modRegister)
	account := f.account("moderator")
	for _, tc := range []struct {
		who, fn string
		args    []string
		want    error
		msg     string
	}{
		{"moderator", "moderation:Register", []string{modRegister}, errs.ErrAlreadyExists, "already registered"},
		{"moderator2", "moderation:Update", []string{modUpdate}, errs.ErrNotFound, "not registered"},
		{"moderator", "moderation:Update", []string{`{"fee":{"bps":250,"flat":"100"},"description":"분쟁 조정 10년","active":true}`}, errs.ErrInvalidArgument, "unchanged"},
		{"moderator", "moderation:Update", []string{`{"fee":{"bps":300,"flat":"100"},"description":"x"}`}, errs.ErrInvalidArgument, "active is required"},
		{"moderator", "moderation:Update", []string{`{"description":"x","active":true}`}, errs.ErrInvalidArgument, "fee is required"},
		{"moderator2", "moderation:Register", []string{`{"description":"x"}`}, errs.ErrInvalidArgument, "fee is required"},
		{"moderator2", "moderation:Register", []string{`{"fee":{"bps":10001,"flat":"0"},"description":"x"}`}, errs.ErrInvalidArgument, "rate"},
		{"moderator2", "moderation:Register", []string{`{"fee":{"bps":1,"flat":1},"description":"x"}`}, errs.ErrInvalidArgument, "amount"},
		{"moderator2", "moderation:Register", []string{`{"fee":{"bps":1,"flat":"1"},"description":""}`}, errs.ErrInvalidArgument, "description"},
		{"moderator2", "moderation:Register", []string{`{"fee":{"bps":1,"flat":"1"},"description":"a\u0007b"}`}, errs.ErrInvalidArgument, "description"},
		{"moderator2", "moderation:Register", []string{`{"fee":{"bps":1,"flat":"1"},"description":"x","account":"` + account + `"}`}, errs.ErrInvalidArgument, "unknown field"},
		{"moderator2", "moderation:Register", []string{`[]`}, errs.ErrInvalidArgument, "request"},
		{"consumer", "moderation:Get", []string{f.account("moderator2")}, errs.ErrNotFound, "not registered"},
		{"consumer", "moderation:Get", []string{"alice"}, errs.ErrInvalidArgument, "account ID"},
		{"consumer", "moderation:Get", []string{account, "extra"}, errs.ErrInvalidArgument, "takes 1 arguments"},
		{"consumer", "moderation:List", []string{"0", ""}, errs.ErrInvalidArgument, "page size"},
		{"consumer", "moderation:List", []string{"101", ""}, errs.ErrInvalidArgument, "page size"},
		{"consumer", "moderation:List", []string{"ten", ""}, errs.ErrInvalidArgument, "pageSize"},
		{"consumer", "moderation:List", []string{"10", "forged"}, errs.ErrInvalidArgument, "bookmark"},
	} {
		_, err := f.call(tc.who, tc.fn, tc.args...)
		require.ErrorIs(t, err, tc.want, "%s %q as %s", tc.fn, tc.args, tc.who)
		require.Contains(t, err.Error(), tc.msg, "%s %q as %s", tc.fn, tc.args, tc.who)
	}
}
