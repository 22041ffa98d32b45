package chaincode

import (
	"errors"
	"strconv"

	"github.com/likrcommerce/likr/contracts/codec"
	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
)

// parsePageSize parses a page size argument: a canonical decimal from 1 to
// ledger.MaxPageSize ("+5", "05" and "5.0" are refused like any other
// non-canonical number).
func parsePageSize(s string) (int32, error) {
	n, err := strconv.ParseInt(s, 10, 32)
	if err != nil || strconv.FormatInt(n, 10) != s {
		return 0, errs.New(errs.InvalidArgument, "pageSize %q must be a decimal number from 1 to %d", s, ledger.MaxPageSize)
	}
	return int32(n), ledger.CheckPageSize(int32(n))
}

// argError names the argument a coded decoding error is about, keeping its
// code: "INVALID_ARGUMENT: inputs: [2]: ...".
func argError(arg string, err error) error {
	var e *errs.Error
	if !errors.As(err, &e) {
		return errs.Wrap(errs.InvalidArgument, err, "%s", arg)
	}
	return &errs.Error{Code: e.Code, Detail: arg + ": " + e.Detail, Cause: err}
}

// decodeArg strictly decodes the JSON argument named arg into v.
func decodeArg(arg, s string, v any) error {
	if err := codec.Decode([]byte(s), v); err != nil {
		return argError(arg, err)
	}
	return nil
}

// parseCount parses a count argument (units of stock): a canonical decimal
// from 1 to the largest uint64.
func parseCount(arg, s string) (uint64, error) {
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n == 0 || strconv.FormatUint(n, 10) != s {
		return 0, errs.New(errs.InvalidArgument, "%s %q must be a decimal number greater than zero, without sign or leading zeros", arg, s)
	}
	return n, nil
}

// decodeRecipients decodes a JSON array of payees, each an account ID (see
// checkRecipient).
func decodeRecipients(recipients string) ([]string, error) {
	var to []string
	if err := decodeArg("recipients", recipients, &to); err != nil {
		return nil, err
	}
	for _, r := range to {
		if err := checkRecipient(r); err != nil {
			return nil, err
		}
	}
	return to, nil
}
