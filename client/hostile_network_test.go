package client_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/client"
	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/money"
)

// TestHostileInputThroughTheGateway sends hostile calls through a real
// gateway (contracts/chaincode/hostile_test.go covers every family on the
// in-memory ledger; this is the subset that crosses the wire): each is
// refused with its stable code, nothing reaches a block, and the
// chaincode keeps serving.
func TestHostileInputThroughTheGateway(t *testing.T) {
	n, ctx, dial := onNetwork(t, 3*time.Minute)
	admin, minji, jisoo, seller, rogue := dial("admin"), dial("minji"), dial("jisoo"), dial("seller"), dial("rogue-admin")
	_, err := admin.InitConfig(ctx, testConfig())
	require.NoError(t, err)
	_, err = admin.Mint(ctx, minji.Account(), money.NewAmount(1000))
	require.NoError(t, err)
	coins, err := minji.Coins(ctx, minji.Account(), client.PageRequest{})
	require.NoError(t, err)
	minjiCoin := `["` + coins.Coins[0].ID + `"]`

	height := func() uint64 {
		h, err := n.Height(n.Peer("Org1"))
		require.NoError(t, err)
		return h
	}
	before := height()
	deep := strings.Repeat(`{"a":`, 40) + "1" + strings.Repeat("}", 40)
	for _, tc := range []struct {
		name string
		as   *client.Client
		fn   string
		args []string
		want *errs.Error
	}{
		{"unknown function", minji, "wallet:Steal", nil, errs.ErrInvalidArgument},
		{"unknown contract", minji, "bank:Transfer", nil, errs.ErrInvalidArgument},
		{"empty function", minji, "wallet:", nil, errs.ErrInvalidArgument},
		{"extra argument", minji, "wallet:Supply", []string{"x"}, errs.ErrInvalidArgument},
		{"malformed JSON", minji, "order:Place", []string{`{"id":`}, errs.ErrInvalidArgument},
		{"unknown field", minji, "order:Place", []string{`{"id":"o","price":"1"}`}, errs.ErrInvalidArgument},
		{"duplicate field", seller, "store:Open", []string{`{"id":"a","id":"b","name":"x"}`}, errs.ErrInvalidArgument},
		{"wrong type", minji, "order:Place", []string{`{"id":"o","quantity":"1"}`}, errs.ErrInvalidArgument},
		{"trailing data", seller, "store:Open", []string{`{"id":"a","name":"x"} {}`}, errs.ErrInvalidArgument},
		{"deep nesting", minji, "product:VerifyAttributes", []string{minji.Account(), "p", deep}, errs.ErrInvalidArgument},
		{"oversized payload", minji, "order:Place", []string{`{"id":"` + strings.Repeat("a", 70<<10) + `"}`}, errs.ErrInvalidArgument},
		{"negative amount", minji, "wallet:Transfer", []string{jisoo.Account(), "-1", minjiCoin}, errs.ErrInvalidArgument},
		{"decimal amount", minji, "wallet:Transfer", []string{jisoo.Account(), "1.5", minjiCoin}, errs.ErrInvalidArgument},
		{"exponent amount", minji, "wallet:Transfer", []string{jisoo.Account(), "1e3", minjiCoin}, errs.ErrInvalidArgument},
		{"leading zero", minji, "wallet:Transfer", []string{jisoo.Account(), "007", minjiCoin}, errs.ErrInvalidArgument},
		{"above the maximum", minji, "wallet:Transfer", []string{jisoo.Account(), "18446744073709551616", minjiCoin}, errs.ErrInvalidArgument},
		{"zero amount", minji, "wallet:Transfer", []string{jisoo.Account(), "0", minjiCoin}, errs.ErrInvalidArgument},
		{"ID with U+0000", minji, "order:Get", []string{minji.Account(), "a\x00b"}, errs.ErrInvalidArgument},
		{"ID with U+10FFFF", minji, "order:Get", []string{minji.Account(), "a\U0010FFFFb"}, errs.ErrInvalidArgument},
		{"invalid UTF-8", minji, "order:Get", []string{minji.Account(), "a\xffb"}, errs.ErrInvalidArgument},
		{"huge ID", minji, "order:Get", []string{minji.Account(), strings.Repeat("a", 100<<10)}, errs.ErrInvalidArgument},
		{"page size 0", minji, "wallet:Coins", []string{minji.Account(), "0", ""}, errs.ErrInvalidArgument},
		{"page size enormous", minji, "wallet:Coins", []string{minji.Account(), "1000000", ""}, errs.ErrInvalidArgument},
		{"forged bookmark", minji, "wallet:Coins", []string{minji.Account(), "10", "\x00coin\x00" + jisoo.Account() + "\x00"}, errs.ErrInvalidArgument},
		{"another account's coins", jisoo, "wallet:Transfer", []string{minji.Account(), "1", minjiCoin}, errs.ErrNotFound},
		{"another account's balance", jisoo, "wallet:Balance", []string{minji.Account()}, errs.ErrForbidden},
		{"admin role from the untrusted org", rogue, "wallet:Mint", []string{rogue.Account(), "5"}, errs.ErrForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.as.Submit(ctx, tc.fn, tc.args...)
			require.ErrorIs(t, err, tc.want, "%v", err)
			var endorse *client.EndorseError
			require.True(t, errors.As(err, &endorse), "refused at endorsement, before ordering: %v", err)
		})
	}
	require.Equal(t, before, height(), "no refused call reached a block")
	// The chaincode keeps serving.
	_, err = minji.Transfer(ctx, jisoo.Account(), money.NewAmount(10))
	require.NoError(t, err)
	require.Equal(t, before+1, height())
}
