// Package errs defines Likr's stable error codes. Every error that leaves a
// contract starts with one of them, so clients (and people reading a CLI
// message) can branch on the code without parsing prose.
package errs

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Code is a stable, machine-readable error code.
type Code string

// The codes of ../shared/DESIGN.md. Never rename one: clients match on them.
const (
	InvalidArgument   Code = "INVALID_ARGUMENT"
	NotFound          Code = "NOT_FOUND"
	AlreadyExists     Code = "ALREADY_EXISTS"
	Forbidden         Code = "FORBIDDEN"
	InsufficientFunds Code = "INSUFFICIENT_FUNDS"
	InsufficientStock Code = "INSUFFICIENT_STOCK"
	Overflow          Code = "OVERFLOW"
	InvalidState      Code = "INVALID_STATE"
	Immutable         Code = "IMMUTABLE"
	LimitExceeded     Code = "LIMIT_EXCEEDED"
	// Internal marks a failure that is not the caller's fault (a ledger
	// read failed, stored data did not decode). It is not in the design's
	// list because callers cannot act on it beyond retrying.
	Internal Code = "INTERNAL"
)

// codes lists every code in a fixed order.
func codes() []Code {
	return []Code{
		InvalidArgument, NotFound, AlreadyExists, Forbidden, InsufficientFunds,
		InsufficientStock, Overflow, InvalidState, Immutable, LimitExceeded, Internal,
	}
}

// Error is an error with a stable code. Its message is "CODE: detail".
type Error struct {
	Code   Code
	Detail string
	// Cause is an underlying error, if any; it is not part of the message
	// sent to clients when it could leak internals, but it unwraps.
	Cause error
}

func (e *Error) Error() string {
	if e.Detail == "" {
		return string(e.Code)
	}
	return string(e.Code) + ": " + e.Detail
}

func (e *Error) Unwrap() error { return e.Cause }

// Is makes errors.Is(err, errs.ErrNotFound) match any error with that code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Detail == "" && t.Cause == nil && t.Code == e.Code
}

// Sentinels for errors.Is: errors.Is(err, errs.ErrForbidden).
var (
	ErrInvalidArgument   = &Error{Code: InvalidArgument}
	ErrNotFound          = &Error{Code: NotFound}
	ErrAlreadyExists     = &Error{Code: AlreadyExists}
	ErrForbidden         = &Error{Code: Forbidden}
	ErrInsufficientFunds = &Error{Code: InsufficientFunds}
	ErrInsufficientStock = &Error{Code: InsufficientStock}
	ErrOverflow          = &Error{Code: Overflow}
	ErrInvalidState      = &Error{Code: InvalidState}
	ErrImmutable         = &Error{Code: Immutable}
	ErrLimitExceeded     = &Error{Code: LimitExceeded}
	ErrInternal          = &Error{Code: Internal}
)

// New returns an error with code and a formatted detail.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Detail: fmt.Sprintf(format, args...)}
}

// Wrap returns an error with code whose detail is the formatted text
// followed by cause's message, and which unwraps to cause.
func Wrap(code Code, cause error, format string, args ...any) *Error {
	detail := fmt.Sprintf(format, args...)
	if cause != nil {
		detail += ": " + cause.Error()
	}
	return &Error{Code: code, Detail: detail, Cause: cause}
}

// CodeOf returns the code of the first *Error in err's chain, or Internal
// when there is none (an error without a code is a bug, not a user error).
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// Ensure returns err unchanged when it carries a code, and otherwise wraps it
// as Internal, so every message leaving a contract starts with a code.
func Ensure(err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	return Wrap(Internal, err, "internal error")
}

// Parse recovers a coded error from a message that contains "CODE: detail",
// such as a chaincode message after the gateway wrapped it. It finds the
// first known code that starts the message or follows ": " or "message: ".
func Parse(msg string) (*Error, bool) {
	best := -1
	var found Code
	for _, c := range codes() {
		idx := indexCode(msg, string(c))
		if idx >= 0 && (best < 0 || idx < best) {
			best, found = idx, c
		}
	}
	if best < 0 {
		return nil, false
	}
	rest := msg[best+len(found):]
	rest = strings.TrimPrefix(rest, ":")
	return &Error{Code: found, Detail: strings.TrimSpace(rest)}, true
}

// indexCode finds code in msg at a word boundary: at the start, or after a
// space or colon, and followed by ':' or the end.
func indexCode(msg, code string) int {
	from := 0
	for {
		i := strings.Index(msg[from:], code)
		if i < 0 {
			return -1
		}
		i += from
		startOK := i == 0 || msg[i-1] == ' ' || msg[i-1] == ':'
		end := i + len(code)
		endOK := end == len(msg) || msg[end] == ':'
		if startOK && endOK {
			return i
		}
		from = i + 1
	}
}

// quoteMax bounds the bytes of a caller's value that an error message
// repeats.
const quoteMax = 64

// Quote renders a value a caller sent for an error message: quoted (so
// control characters and invalid UTF-8 show as escapes) and cut to
// quoteMax bytes, so that a hostile argument cannot make a message long.
func Quote(s string) string {
	if len(s) > quoteMax {
		return strconv.Quote(s[:quoteMax]) + "..."
	}
	return strconv.Quote(s)
}
