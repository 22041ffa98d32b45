package wallet

import (
	"strings"

	"github.com/likrcommerce/likr/contracts/codec"
	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/money"
)

const (
	// systemPrefix starts every system holder. Account IDs are hex and
	// user IDs never contain it, so it cannot collide with either.
	systemPrefix = "~"
	// systemSep joins the segments of a system holder; IDs never contain it.
	systemSep = ":"
	// accountIDLen is the length of an account ID in hex characters.
	accountIDLen = 40
	// MaxHolderLen bounds a system holder, so keys stay small.
	MaxHolderLen = 256
)

// CampaignPool is the foundation's admin-funded pool for campaigns and
// BatchReward.
const CampaignPool = systemPrefix + "pool.campaign"

// PlatformFees receives the platform fee of every settled order, as blind
// credits, so that it is never a hot key.
const PlatformFees = systemPrefix + "platform.fees"

// SystemHolder builds the system holder "~name:part:...", for escrow,
// reserves and pools. name and each part must be valid IDs (account IDs are).
func SystemHolder(name string, parts ...string) (string, error) {
	segs := append([]string{name}, parts...)
	for _, s := range segs {
		if err := codec.ID("system holder segment", s); err != nil {
			return "", err
		}
	}
	h := systemPrefix + strings.Join(segs, systemSep)
	if len(h) > MaxHolderLen {
		return "", errs.New(errs.InvalidArgument, "system holder is %d bytes, more than %d", len(h), MaxHolderLen)
	}
	return h, nil
}

// IsAccountID reports whether s has the syntax of an account ID.
func IsAccountID(s string) bool {
	if len(s) != accountIDLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// CheckAccount returns INVALID_ARGUMENT unless s has the syntax of an
// account ID; field names the argument in the message. That the account
// is the caller's is the contract layer's business.
func CheckAccount(field, s string) error {
	if IsAccountID(s) {
		return nil
	}
	return errs.New(errs.InvalidArgument, "%s %s is not an account ID (%d lowercase hex characters)", field, errs.Quote(s), accountIDLen)
}

// IsSystemHolder reports whether s is a well-formed system holder.
func IsSystemHolder(s string) bool {
	rest, ok := strings.CutPrefix(s, systemPrefix)
	if !ok || len(s) > MaxHolderLen {
		return false
	}
	for seg := range strings.SplitSeq(rest, systemSep) {
		if codec.ID("holder", seg) != nil {
			return false
		}
	}
	return true
}

// CheckHolder returns INVALID_ARGUMENT unless h is an account ID or a system
// holder. field names the argument in the message.
func CheckHolder(field, h string) error {
	if IsAccountID(h) || IsSystemHolder(h) {
		return nil
	}
	return errs.New(errs.InvalidArgument, "%s %q is neither an account ID (40 lowercase hex characters) nor a system holder (~name[:part...])", field, h)
}

// maxKindLen bounds a movement kind.
const maxKindLen = 32

// checkKind accepts kinds like "transfer" or "order.escrow": lowercase
// letters first, then lowercase letters, digits, '.' and '_'. Kinds come
// from code, not users, but they are stored, so they are checked anyway.
func checkKind(kind string) error {
	ok := kind != "" && len(kind) <= maxKindLen && 'a' <= kind[0] && kind[0] <= 'z'
	for i := 0; ok && i < len(kind); i++ {
		c := kind[i]
		ok = 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '.' || c == '_'
	}
	if !ok {
		return errs.New(errs.InvalidArgument, "kind %q must be 1-%d characters of [a-z0-9._], starting with a letter", kind, maxKindLen)
	}
	return nil
}

// checkMovement is the one place that decides whether a balance movement of
// holder is acceptable: a valid holder, a positive amount, a valid kind, and
// a counterparty that is empty (mint, burn, system credits) or another valid
// holder. Zero amounts and self-transfers are refused everywhere because
// they would only write history rows and events for nothing.
func checkMovement(holder string, amount money.Amount, kind, counterparty string) error {
	if err := CheckHolder("holder", holder); err != nil {
		return err
	}
	if amount.IsZero() {
		return errs.New(errs.InvalidArgument, "amount must be greater than zero")
	}
	if err := checkKind(kind); err != nil {
		return err
	}
	if counterparty == "" {
		return nil
	}
	if err := CheckHolder("counterparty", counterparty); err != nil {
		return err
	}
	if counterparty == holder {
		return errs.New(errs.InvalidArgument, "holder %s cannot move money to or from itself", holder)
	}
	return nil
}
