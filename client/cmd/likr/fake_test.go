package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/client"
	"github.com/likrcommerce/likr/contracts/access"
	"github.com/likrcommerce/likr/contracts/money"
)

// fake is the client the commands talk to in unit tests. It records every
// call with its arguments, resolved as the chaincode would get them, and
// answers from its fields; a method a test does not expect panics (the
// embedded nil API).
type fake struct {
	API
	account   string
	calls     []string
	err       error    // every recorded call fails with it when set
	waitedFor []uint64 // blocks WaitForBlock was asked for

	balance  money.Amount
	product  client.Product
	products []client.Product
	listing  client.Listing
	listings []client.Listing
	order    client.Order
	orders   []client.Order
	audit    client.AuditReport
	rules    []client.RewardRule
	coins    []client.Coin
	events   []client.Event
}

var testReceipt = client.Receipt{TxID: "7c1f0e2d9a8b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d", Block: 7, Attempts: 1}

func (f *fake) record(name string, args ...any) {
	parts := make([]string, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case string:
			parts[i] = v
		case fmt.Stringer:
			parts[i] = v.String()
		default:
			data, err := json.Marshal(v)
			if err != nil {
				panic(err)
			}
			parts[i] = string(data)
		}
	}
	f.calls = append(f.calls, name+"("+strings.Join(parts, ", ")+")")
}

func (f *fake) Account() string { return f.account }
func (f *fake) Close() error    { return nil }

func (f *fake) WaitForBlock(_ context.Context, block uint64) error {
	f.waitedFor = append(f.waitedFor, block)
	return nil
}

func (f *fake) WhoAmI(context.Context) (client.Caller, error) {
	f.record("WhoAmI")
	return client.Caller{MSPID: "Org1MSP", Account: f.account, Role: access.Consumer}, f.err
}

func (f *fake) Mint(_ context.Context, to string, amount money.Amount) (client.Receipt, error) {
	f.record("Mint", to, amount)
	return testReceipt, f.err
}

func (f *fake) Transfer(_ context.Context, to string, amount money.Amount, opts ...client.PayOption) (client.Receipt, error) {
	f.record("Transfer", to, amount, fmt.Sprintf("%d options", len(opts)))
	return testReceipt, f.err
}

func (f *fake) Balance(_ context.Context, account string) (money.Amount, error) {
	f.record("Balance", account)
	return f.balance, f.err
}

func (f *fake) Coins(_ context.Context, account string, page client.PageRequest) (client.CoinPage, error) {
	f.record("Coins", account, page.Bookmark)
	return client.CoinPage{Coins: f.coins}, f.err
}

func (f *fake) Audit(context.Context) (client.AuditReport, error) {
	f.record("Audit")
	return f.audit, f.err
}

func (f *fake) RegisterProduct(_ context.Context, req client.RegisterProductRequest) (client.Product, client.Receipt, error) {
	f.record("RegisterProduct", req)
	return f.product, testReceipt, f.err
}

func (f *fake) UpdateProductTerms(_ context.Context, id string, req client.UpdateTermsRequest) (client.Product, client.Receipt, error) {
	f.record("UpdateProductTerms", id, req)
	return f.product, testReceipt, f.err
}

func (f *fake) Product(_ context.Context, ref client.ProductRef) (client.Product, error) {
	f.record("Product", ref.Supplier, ref.ID)
	for _, p := range f.products {
		if p.Ref() == ref {
			return p, f.err
		}
	}
	return f.product, f.err
}

func (f *fake) Products(_ context.Context, supplier string, page client.PageRequest) (client.ProductPage, error) {
	f.record("Products", supplier, fmt.Sprint(page.Size), page.Bookmark)
	return client.ProductPage{Products: f.products}, f.err
}

func (f *fake) Listing(_ context.Context, ref client.ListingRef) (client.Listing, error) {
	f.record("Listing", ref.Owner, ref.Store, ref.ID)
	return f.listing, f.err
}

func (f *fake) Listings(_ context.Context, store client.StoreRef, page client.PageRequest) (client.ListingPage, error) {
	f.record("Listings", store.Owner, store.ID)
	return client.ListingPage{Listings: f.listings}, f.err
}

func (f *fake) UpdateListing(_ context.Context, storeID, listingID string, req client.UpdateListingRequest) (client.Listing, client.Receipt, error) {
	f.record("UpdateListing", storeID, listingID, req)
	return f.listing, testReceipt, f.err
}

func (f *fake) PlaceOrder(_ context.Context, req client.PlaceOrderRequest, opts ...client.PayOption) (client.Order, client.Receipt, error) {
	f.record("PlaceOrder", req)
	return f.order, testReceipt, f.err
}

func (f *fake) ConfirmDelivery(_ context.Context, ref client.OrderRef) (client.Order, client.Receipt, error) {
	f.record("ConfirmDelivery", ref.Buyer, ref.ID)
	return f.order, testReceipt, f.err
}

func (f *fake) OrdersByBuyer(_ context.Context, buyer string, page client.PageRequest) (client.OrderPage, error) {
	f.record("OrdersByBuyer", buyer, page.Bookmark)
	// Two pages, so that --all has something to follow.
	if page.Bookmark == "" && len(f.orders) > 1 {
		return client.OrderPage{Orders: f.orders[:1], Bookmark: "b1"}, f.err
	}
	if page.Bookmark == "b1" {
		return client.OrderPage{Orders: f.orders[1:]}, f.err
	}
	return client.OrderPage{Orders: f.orders}, f.err
}

func (f *fake) OrdersByStore(_ context.Context, store client.StoreRef, page client.PageRequest) (client.OrderPage, error) {
	f.record("OrdersByStore", store.Owner, store.ID)
	return client.OrderPage{Orders: f.orders}, f.err
}

func (f *fake) RewardRules(context.Context) ([]client.RewardRule, error) {
	f.record("RewardRules")
	return f.rules, f.err
}

func (f *fake) SetRewardRule(_ context.Context, rule client.RewardRule) (client.RewardRule, client.Receipt, error) {
	f.record("SetRewardRule", rule)
	return rule, testReceipt, f.err
}

func (f *fake) BatchReward(_ context.Context, recipients []string, each money.Amount, campaign string, poolCoins []string) (client.Receipt, error) {
	f.record("BatchReward", recipients, each, campaign, poolCoins)
	return testReceipt, f.err
}

// Follow hands the handler the fake's events, then ends as an interrupt
// does.
func (f *fake) Follow(ctx context.Context, handler func(client.Event) error, opts ...client.EventOption) error {
	f.record("Follow", fmt.Sprintf("%d options", len(opts)))
	for _, e := range f.events {
		if err := handler(e); err != nil {
			return err
		}
	}
	if f.err != nil {
		return f.err
	}
	return context.Canceled
}

// harness is a folder laid out like a repository with a test network
// (REPO/.likr/network/profiles/NAME.json and the certificates), and a
// command line that runs against the fake.
type harness struct {
	t        *testing.T
	repo     string
	network  string
	accounts map[string]string // profile name -> account
	fake     *fake
	env      map[string]string
	wd       string
	stdin    string
	dialed   []client.Profile
}

// identities are the test network's identities, as fixtures has them.
var identities = []struct{ name, org, role string }{
	{"admin", "Org1", "admin"}, {"auditor", "Org1", "auditor"}, {"moderator", "Org1", "moderator"},
	{"minji", "Org1", ""}, {"jisoo", "Org1", ""}, {"brand", "Org2", "supplier"}, {"seller", "Org2", "seller"},
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	repo := t.TempDir()
	h := &harness{
		t: t, repo: repo, network: filepath.Join(repo, ".likr", "network"),
		accounts: map[string]string{}, fake: &fake{}, env: map[string]string{}, wd: repo,
	}
	profiles := filepath.Join(h.network, "profiles")
	require.NoError(t, os.MkdirAll(profiles, 0o755))
	for i, id := range identities {
		msp := id.org + "MSP"
		certPEM, keyPEM := selfSigned(t, id.name, int64(i+1))
		dir := filepath.Join(h.network, "identities", id.name)
		require.NoError(t, os.MkdirAll(dir, 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "cert.pem"), certPEM, 0o644))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "key.pem"), keyPEM, 0o600))
		p := client.Profile{
			Name: id.name, Org: id.org, MSPID: msp, Role: id.role, PeerEndpoint: "127.0.0.1:7051",
			PeerTLSCA: "../identities/" + id.name + "/cert.pem",
			CertPath:  "../identities/" + id.name + "/cert.pem", KeyPath: "../identities/" + id.name + "/key.pem",
		}
		data, err := json.MarshalIndent(p, "", "  ")
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(profiles, id.name+".json"), data, 0o644))
		block, _ := pem.Decode(certPEM)
		cert, err := x509.ParseCertificate(block.Bytes)
		require.NoError(t, err)
		h.accounts[id.name] = access.AccountID(msp, cert)
	}
	return h
}

func selfSigned(t *testing.T, name string, serial int64) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: name, Organization: []string{"likr test"}},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
}

// result is what one run of the command line printed and returned.
type result struct {
	out, err string
	code     int
}

// run runs the command line; the fake answers as the account of the
// profile it was dialled with.
func (h *harness) run(args ...string) result {
	h.t.Helper()
	var out, errOut bytes.Buffer
	sys := system{
		getenv:     func(k string) string { return h.env[k] },
		getwd:      func() (string, error) { return h.wd, nil },
		executable: func() (string, error) { return "/nonexistent/likr", nil },
	}
	dial := func(_ context.Context, p client.Profile, _ ...client.Option) (API, error) {
		h.dialed = append(h.dialed, p)
		account, err := profileAccount(p)
		if err != nil {
			return nil, err
		}
		h.fake.account = account
		return h.fake, nil
	}
	code := run(context.Background(), args, stdio{in: strings.NewReader(h.stdin), out: &out, err: &errOut}, sys, dial)
	return result{out: out.String(), err: errOut.String(), code: code}
}

// requireOK runs a command line that must succeed and returns its output.
func (h *harness) requireOK(args ...string) string {
	h.t.Helper()
	r := h.run(args...)
	require.Equal(h.t, 0, r.code, "likr %s\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.out, r.err)
	return r.out
}
