// Package access identifies the caller of a transaction and decides what it
// may do. A caller's account ID is derived from its MSP ID and X.509
// certificate, never taken from arguments; its role comes from the
// likr.role certificate attribute and counts only when the caller's MSP is
// trusted for that role (attributes are not namespaced by org, so a role
// issued by another org's CA must not work).
package access

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
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

// RoleAttribute is the certificate attribute Fabric CA issues the role in.
const RoleAttribute = "likr.role"

// Trust says which MSPs are trusted for a role (the channel's config).
type Trust interface {
	Trusts(role Role, mspID string) bool
}

// Caller is the identity behind a transaction.
type Caller struct {
	MSPID   string `json:"mspId"`
	Account string `json:"account"`
	// ClaimedRole is the raw likr.role attribute ("" when absent).
	ClaimedRole string `json:"claimedRole"`
	// Role is the effective role: the claimed one if its MSP is trusted for
	// it, otherwise Consumer.
	Role Role `json:"role"`
}

// AccountID derives an account from an MSP ID and a certificate: the first
// 160 bits of SHA-256 over a versioned domain tag, the MSP ID, and the
// certificate's raw subject and issuer. A renewed certificate with the same
// subject from the same CA keeps its account (as Fabric's cid.GetID does);
// the same subject in another MSP is another account. The client library
// computes the same value offline.
func AccountID(mspID string, cert *x509.Certificate) string {
	h := sha256.New()
	for _, part := range [][]byte{[]byte("likr/account/v1"), []byte(mspID), cert.RawSubject, cert.RawIssuer} {
		var n [4]byte
		n[0], n[1], n[2], n[3] = byte(len(part)>>24), byte(len(part)>>16), byte(len(part)>>8), byte(len(part))
		h.Write(n[:]) // length-prefixed, so no two inputs concatenate alike
		h.Write(part)
	}
	return hex.EncodeToString(h.Sum(nil)[:20])
}

// Identify reads the caller from the transaction's creator. trust may be nil
// (before the config exists): then nobody holds a role.
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
	if r := Role(strings.TrimSpace(claimed)); isRole(r) && trust != nil && trust.Trusts(r, msp) {
		c.Role = r
	}
	return c, nil
}

// isRole reports whether an attribute value names a role it can grant.
func isRole(r Role) bool {
	switch r {
	case Admin, Supplier, Seller, Moderator, Auditor:
		return true
	}
	return false
}

// Require returns FORBIDDEN unless the caller holds one of roles (an empty
// list means anyone). Each contract function states its callers with it in
// one line.
func (c Caller) Require(roles ...Role) error {
	if len(roles) == 0 {
		return nil
	}
	for _, r := range roles {
		if c.Role == r {
			return nil
		}
	}
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = string(r)
	}
	return errs.New(errs.Forbidden, "requires role %s; caller %s of %s has role %s", strings.Join(names, " or "), c.Account, c.MSPID, c.Role)
}

// RequireSelfOr allows the caller to act on its own account, and the given
// roles on any account (reads of money are for the parties, auditors and
// admins).
func (c Caller) RequireSelfOr(account string, roles ...Role) error {
	if account == c.Account {
		return nil
	}
	if err := c.Require(roles...); err != nil {
		return errs.New(errs.Forbidden, "account %s belongs to someone else; %s", account, err.(*errs.Error).Detail)
	}
	return nil
}
