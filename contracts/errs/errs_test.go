package errs

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestMessageStartsWithCodeAndMatchesSentinel(t *testing.T) {
	err := New(Forbidden, "requires role %s", "admin")
	require.Equal(t, "FORBIDDEN: requires role admin", err.Error())
	require.ErrorIs(t, err, ErrForbidden)
	require.NotErrorIs(t, err, ErrNotFound)
	wrapped := fmt.Errorf("context: %w", err)
	require.ErrorIs(t, wrapped, ErrForbidden)
	require.Equal(t, Forbidden, CodeOf(wrapped))
}

func TestWrapUnwrapsAndEnsureCodesEverything(t *testing.T) {
	cause := errors.New("disk")
	err := Wrap(Internal, cause, "read %s", "k")
	require.ErrorIs(t, err, cause)
	require.Equal(t, "INTERNAL: read k: disk", err.Error())

	require.Nil(t, Ensure(nil))
	coded := New(NotFound, "x")
	require.Same(t, coded, Ensure(coded))
	require.Equal(t, Internal, CodeOf(Ensure(errors.New("plain"))))
	require.Equal(t, Code(""), CodeOf(nil))
}

func TestParseRecoversTheCodeFromWrappedMessages(t *testing.T) {
	cases := map[string]struct {
		code   Code
		detail string
	}{
		"INSUFFICIENT_FUNDS: need 5":                                         {InsufficientFunds, "need 5"},
		"chaincode response 500, FORBIDDEN: requires role admin":             {Forbidden, "requires role admin"},
		"rpc error: code = Aborted desc = failed to endorse; x:1: NOT_FOUND": {NotFound, ""},
	}
	for msg, want := range cases {
		got, ok := Parse(msg)
		require.True(t, ok, msg)
		require.Equal(t, want.code, got.Code, msg)
		require.Equal(t, want.detail, got.Detail, msg)
	}
	for _, msg := range []string{"", "no code here", "XFORBIDDEN: no", "FORBIDDENX"} {
		_, ok := Parse(msg)
		require.False(t, ok, msg)
	}
}
