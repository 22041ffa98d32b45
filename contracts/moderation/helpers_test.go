package moderation_test

import (
	"testing"
	"time"

	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/ledger/ledgertest"
	"github.com/likrcommerce/likr/contracts/moderation"
)

// epoch is the time of the first test transaction; each next one is a
// second later.
var epoch = time.Date(2026, 3, 1, 9, 0, 1, 5, time.UTC)

// acct returns the i-th test account ID.
func acct(i int) string { return ledgertest.Account(0x30de0000, i) }

var (
	mod   = acct(1)
	other = acct(2)
)

var (
	amt      = ledgertest.Amount
	wantCode = ledgertest.WantCode
)

// env is the shared harness with bodies that need no wallet.
type env struct {
	*ledgertest.Env[ledgertest.StateBody, ledgertest.StateView]
}

func newEnv(t testing.TB) *env {
	return &env{ledgertest.New[ledgertest.StateBody, ledgertest.StateView](t, epoch)}
}

// register registers account with fee and description and fails the test
// on an error.
func (e *env) register(account string, fee moderation.Fee, description string) *moderation.Moderator {
	e.T.Helper()
	var m *moderation.Moderator
	e.Must(func(st ledger.State, ev ledger.Emitter) (err error) {
		m, err = moderation.Register(st, ev, account, moderation.RegisterRequest{Fee: fee, Description: description})
		return err
	})
	return m
}

// resolve records, in one transaction, one resolution of moderator per
// subject.
func (e *env) resolve(moderator string, subjects ...string) {
	e.T.Helper()
	e.Must(func(st ledger.State, _ ledger.Emitter) error {
		for _, s := range subjects {
			if err := moderation.RecordResolution(st, moderator, s); err != nil {
				return err
			}
		}
		return nil
	})
}

// profile reads account's profile in an evaluate.
func (e *env) profile(account string) (*moderation.ModeratorProfile, error) {
	e.T.Helper()
	var p *moderation.ModeratorProfile
	err := e.Read(func(st ledger.State) (err error) {
		p, err = moderation.Profile(st, account)
		return err
	})
	return p, err
}
