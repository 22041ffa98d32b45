// Package access identifies the caller of a transaction and decides what it
// may do.
//
// # Accounts
//
// A caller is its MSP ID plus its X.509 certificate. Its account ID is
// derived from both ([AccountID]) and never taken from arguments, so no
// argument can make one caller act as another.
//
// # Roles
//
// A role comes from the certificate attribute likr.role ([RoleAttribute])
// that the org's Fabric CA issues: admin, supplier, seller, moderator or
// auditor. An identity without the attribute is a consumer, and so is one
// whose value is anything else ("Admin", " admin", "root"): values match
// exactly, and an unknown value grants nothing rather than failing the
// call, so a typo at the CA demotes an identity instead of locking it out
// of consumer functions.
//
// Fabric CA attributes are not namespaced by org: any org's CA can issue
// likr.role=admin. A claimed role therefore counts only when the channel
// config trusts the caller's MSP for that role ([Trust]); otherwise the
// caller is a consumer. Before the config exists nobody holds a role.
//
// # Policies
//
// Each contract function states who may call it in one line, with a
// [Policy]: a [Role] itself, [AnyOf] several roles, [Anyone], [PartiesOr] or [SelfOr]
// (the account's owner, or one of some roles):
//
//	caller, err := ctx.Authorize(access.Admin)
//	caller, err := ctx.Authorize(access.AnyOf(access.Auditor, access.Admin))
//	caller, err := ctx.Authorize(access.SelfOr(account, access.Auditor, access.Admin))
//
// A refusal is errs.Forbidden and names what the policy requires.
//
// This package reads the creator through pkg/cid only, without the shim, so
// the client library imports it to compute its own account offline.
package access

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/hyperledger/fabric-chaincode-go/v2/pkg/cid"

	"github.com/likrcommerce/likr/contracts/errs"
)

// Role is what a caller may do.
type Role string

// The roles. Consumer is every identity without a trusted role.
const (
	Consumer  Role = "consumer"
	Admin     Role = "admin"
	Supplier  Role = "supplier"
	Seller    Role = "seller"
	Moderator Role = "moderator"
	Auditor   Role = "auditor"
)

// Roles returns the roles a likr.role attribute can grant, in a fixed order.
func Roles() []Role { return []Role{Admin, Supplier, Seller, Moderator, Auditor} }

// RoleAttribute is the certificate attribute Fabric CA issues the role in.
const RoleAttribute = "likr.role"

// accountDomain versions the account derivation: a future scheme gets a new
// tag, so its IDs can never equal this one's.
const accountDomain = "likr/account/v1"

// AccountIDLen is the length of an account ID in hex characters (160 bits).
const AccountIDLen = 40

// AccountID derives the account of a certificate in an MSP:
//
//	hex(SHA-256(f("likr/account/v1") || f(mspID) || f(RawSubject) || f(RawIssuer)))[:40]
//
// where f(x) is x prefixed with its length as a 4-byte big-endian integer,
// so that no two inputs concatenate alike. Subject and issuer are the DER
// bytes of the certificate. A renewed certificate with the same subject from
// the same CA keeps its account (as Fabric's cid.GetID does); the same
// subject in another MSP is another account. 160 bits keep keys short while
// making a collision (2^80 work) impractical.
func AccountID(mspID string, cert *x509.Certificate) string {
	h := sha256.New()
	for _, part := range [][]byte{[]byte(accountDomain), []byte(mspID), cert.RawSubject, cert.RawIssuer} {
		h.Write(binary.BigEndian.AppendUint32(nil, uint32(len(part))))
		h.Write(part)
	}
	return hex.EncodeToString(h.Sum(nil))[:AccountIDLen]
}

// Trust says which MSPs the channel config trusts for a role.
type Trust interface {
	Trusts(role Role, mspID string) bool
}

// Caller is the identity behind a transaction.
type Caller struct {
	MSPID   string `json:"mspId"`
	Account string `json:"account"`
	// ClaimedRole is the raw likr.role attribute ("" when absent).
	ClaimedRole string `json:"claimedRole"`
	// Role is the effective role: the claimed one if it names a role and
	// the caller's MSP is trusted for it, otherwise Consumer.
	Role Role `json:"role"`
}

// Identify reads the caller from the transaction's creator. trust is the
// channel config; nil before it exists, when nobody holds a role.
func Identify(stub cid.ChaincodeStubInterface, trust Trust) (Caller, error) {
	id, err := cid.New(stub)
	if err != nil {
		return Caller{}, errs.Wrap(errs.Forbidden, err, "cannot read the caller's identity")
	}
	msp, err := id.GetMSPID()
	if err != nil {
		return Caller{}, errs.Wrap(errs.Forbidden, err, "cannot read the caller's MSP")
	}
	cert, err := id.GetX509Certificate()
	if err != nil || cert == nil {
		return Caller{}, errs.New(errs.Forbidden, "the caller has no X.509 certificate")
	}
	claimed, _, err := id.GetAttributeValue(RoleAttribute)
	if err != nil {
		return Caller{}, errs.Wrap(errs.Forbidden, err, "cannot read the caller's attributes")
	}
	c := Caller{MSPID: msp, Account: AccountID(msp, cert), ClaimedRole: claimed, Role: Consumer}
	if r, ok := grantable(claimed); ok && trust != nil && trust.Trusts(r, msp) {
		c.Role = r
	}
	return c, nil
}

// grantable returns the role an attribute value names, if it names one
// that can be granted. Consumer cannot: it is the absence of a role.
func grantable(value string) (Role, bool) {
	for _, r := range Roles() {
		if value == string(r) {
			return r, true
		}
	}
	return "", false
}

// Require returns FORBIDDEN unless p admits the caller. The message names
// what p requires and what the caller claims but does not hold: a role its
// MSP is not trusted for (the usual misconfiguration) or a value that is no
// role.
func (c Caller) Require(p Policy) error {
	if p.admits(c) {
		return nil
	}
	claim := ""
	if _, ok := grantable(c.ClaimedRole); ok && c.ClaimedRole != string(c.Role) {
		claim = fmt.Sprintf(" (claims %s, which %s is not trusted for)", c.ClaimedRole, c.MSPID)
	} else if !ok && c.ClaimedRole != "" {
		claim = fmt.Sprintf(" (claims %q, which is not a role)", c.ClaimedRole)
	}
	return errs.New(errs.Forbidden, "requires %s; caller %s of %s has role %s%s", p.requirement(), c.Account, c.MSPID, c.Role, claim)
}

// Policy says who may call a function. Role, AnyOf, SelfOr and Anyone are
// the policies; the unexported method keeps the set closed, so every rule
// is one of these and reads the same everywhere.
type Policy interface {
	admits(c Caller) bool
	// requirement names what the policy requires, for FORBIDDEN messages.
	requirement() string
}

func (r Role) admits(c Caller) bool { return c.Role == r }

func (r Role) requirement() string { return "role " + string(r) }

// AnyOf admits a caller holding any of roles.
func AnyOf(roles ...Role) Policy { return anyOf(roles) }

type anyOf []Role

func (p anyOf) admits(c Caller) bool { return slices.Contains(p, c.Role) }

func (p anyOf) requirement() string {
	names := make([]string, len(p))
	for i, r := range p {
		names[i] = string(r)
	}
	return "role " + strings.Join(names, " or ")
}

// SelfOr admits the owner of account, and callers holding any of roles:
// reads of money and sales are for the parties, auditors and admins.
func SelfOr(account string, roles ...Role) Policy {
	return PartiesOr([]string{account}, roles...)
}

// PartiesOr admits the owners of accounts (the parties of an order or a
// sale), and callers holding any of roles.
func PartiesOr(accounts []string, roles ...Role) Policy {
	return partiesOr{accounts: accounts, roles: roles}
}

type partiesOr struct {
	accounts []string
	roles    anyOf
}

func (p partiesOr) admits(c Caller) bool {
	return slices.Contains(p.accounts, c.Account) || p.roles.admits(c)
}

func (p partiesOr) requirement() string {
	if len(p.accounts) == 1 {
		return "account " + p.accounts[0] + " itself or " + p.roles.requirement()
	}
	return "a party of it (" + strings.Join(p.accounts, ", ") + ") or " + p.roles.requirement()
}

// Anyone admits every caller whose identity can be read: functions that act
// on the caller's own account, and public reads.
const Anyone anyone = "anyone"

type anyone string

func (anyone) admits(Caller) bool { return true }

func (a anyone) requirement() string { return string(a) }
