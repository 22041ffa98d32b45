package product_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/ledger/memledger"
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/contracts/product"
)

const (
	t0 = "2026-01-01T00:00:00.000000000Z" // the first transaction's time
)

func TestRegisterStoresTheProductCanonically(t *testing.T) {
	e := newEnv(t)
	var p *product.Product
	events := e.Must(func(st ledger.State, ev ledger.Emitter) error {
		var err error
		p, err = product.Register(st, ev, alice, mugRequest("mug-1", 10), 4)
		return err
	})
	const hash = "3b0c01d537905d8bb6405fc9f33af9df730e1e9913cfb4fc89fa8af5a02d03d7"
	want := &product.Product{
		Supplier: alice, ID: "mug-1", Attributes: json.RawMessage(mugCanonical), AttributesHash: hash,
		Terms: terms(100, 150, product.Active), Version: 1, Shards: 4, RegisteredAt: t0, UpdatedAt: t0,
	}
	require.Equal(t, want, p)
	require.Equal(t, want, e.get(p.Ref()))

	// The stored bytes: fields in declaration order, attributes embedded
	// byte for byte in canonical form.
	require.Equal(t, `{"supplier":"`+alice+`","id":"mug-1","attributes":`+mugCanonical+`,"attributesHash":"`+hash+
		`","terms":{"wholesalePrice":"100","minRetailPrice":"150","status":"active"},"version":1,"shards":4,`+
		`"registeredAt":"`+t0+`","updatedAt":"`+t0+`"}`,
		string(e.L.GetCommitted(e.productKey(p.Ref()))))
	require.Equal(t, "\x00product\x00"+alice+"\x00mug-1\x00", e.productKey(p.Ref()))

	// 10 units over 4 shards: 2 each, the remainder to the first two.
	units, _ := e.shards(p.Ref(), 4)
	require.Equal(t, []uint64{3, 3, 2, 2}, units)
	require.Equal(t, `{"units":3}`, string(e.L.GetCommitted("\x00stock\x00"+alice+"\x00mug-1\x00000\x00")))
	require.Equal(t, `{"units":2}`, string(e.L.GetCommitted("\x00stock\x00"+alice+"\x00mug-1\x00003\x00")))

	require.Equal(t, ledger.Events{product.RegisteredEvent{
		Type: "product.registered", Supplier: alice, ID: "mug-1", Version: 1, AttributesHash: hash, Stock: 10,
	}}, events)
	raw, err := json.Marshal(events[0])
	require.NoError(t, err)
	require.Equal(t, `{"type":"product.registered","supplier":"`+alice+`","id":"mug-1","version":1,"attributesHash":"`+hash+`","stock":10}`, string(raw))
}

func TestRegisterWritesOnlyNonZeroShards(t *testing.T) {
	for _, tc := range []struct {
		stock  uint64
		shards int
		want   []uint64
	}{
		{0, 3, []uint64{0, 0, 0}},
		{2, 5, []uint64{1, 1, 0, 0, 0}},
		{7, 1, []uint64{7}},
		{9, 3, []uint64{3, 3, 3}},
		{1<<64 - 1, 2, []uint64{1 << 63, 1<<63 - 1}},
	} {
		e := newEnv(t)
		p := e.register(alice, "p", tc.stock, tc.shards)
		units, exists := e.shards(p.Ref(), tc.shards)
		require.Equal(t, tc.want, units, "%d over %d", tc.stock, tc.shards)
		for i := range units {
			require.Equal(t, units[i] != 0, exists[i], "%d over %d: shard %d", tc.stock, tc.shards, i)
		}
		require.Equal(t, tc.stock, e.available(p.Ref()))
		// Nothing but the product and its non-zero shards.
		nonZero := 0
		for _, u := range units {
			if u != 0 {
				nonZero++
			}
		}
		require.Len(t, e.L.Snapshot(), 1+nonZero)
	}
}

func TestRegisterAcceptsTheBounds(t *testing.T) {
	e := newEnv(t)
	for i, tc := range []struct {
		shards int
		terms  product.Terms
	}{
		{1, terms(0, 1, product.Active)},
		{product.MaxShards, terms(5, 5, product.Hidden)},
		{2, terms(1<<64-1, 1<<64-1, product.Discontinued)},
	} {
		req := mugRequest(fmt.Sprintf("p%d", i), 1000)
		req.Terms = tc.terms
		e.Must(func(st ledger.State, ev ledger.Emitter) error {
			p, err := product.Register(st, ev, alice, req, tc.shards)
			if err == nil {
				require.Equal(t, tc.shards, p.Shards)
			}
			return err
		})
		require.Equal(t, uint64(1000), e.available(product.Ref{Supplier: alice, ID: req.ID}))
	}
}

func TestRegisterTwiceIsAlreadyExists(t *testing.T) {
	e := newEnv(t)
	e.register(alice, "mug-1", 10, 4)
	e.Refused(errs.AlreadyExists, func(st ledger.State, ev ledger.Emitter) error {
		req := mugRequest("mug-1", 99)
		req.Attributes = json.RawMessage(`{"other":true}`)
		_, err := product.Register(st, ev, alice, req, 8)
		return err
	})
	// IDs are scoped to their supplier.
	p := e.register(bob, "mug-1", 5, 2)
	require.Equal(t, bob, p.Supplier)
	require.Equal(t, uint64(10), e.available(product.Ref{Supplier: alice, ID: "mug-1"}))
	require.Equal(t, uint64(5), e.available(product.Ref{Supplier: bob, ID: "mug-1"}))
}

// Two concurrent registrations of one ID both read the absent product key:
// only the first to commit is valid.
func TestConcurrentRegistrationsOfOneIDConflict(t *testing.T) {
	e := newEnv(t)
	tx1, tx2 := e.Begin(), e.Begin()
	var ev ledger.Events
	_, err := product.Register(tx1, &ev, alice, mugRequest("mug-1", 1), 1)
	require.NoError(t, err)
	_, err = product.Register(tx2, &ev, alice, mugRequest("mug-1", 2), 1)
	require.NoError(t, err)
	require.NoError(t, tx1.Commit())
	require.ErrorIs(t, tx2.Commit(), memledger.ErrMVCCConflict)
}

func TestRegisterRefusals(t *testing.T) {
	deep := strings.Repeat(`{"a":`, 17) + "1" + strings.Repeat("}", 17)
	for _, tc := range []struct {
		name     string
		supplier string
		edit     func(r *product.RegisterRequest)
		shards   int
		msg      string
	}{
		{"supplier not hex", "supplier-1", nil, 4, "account ID"},
		{"supplier upper case", strings.ToUpper(alice), nil, 4, "account ID"},
		{"supplier too short", alice[:39], nil, 4, "account ID"},
		{"supplier empty", "", nil, 4, "account ID"},
		{"id empty", alice, func(r *product.RegisterRequest) { r.ID = "" }, 4, "id: ID is empty"},
		{"id leading underscore", alice, func(r *product.RegisterRequest) { r.ID = "_design" }, 4, "must start"},
		{"id too long", alice, func(r *product.RegisterRequest) { r.ID = strings.Repeat("x", 65) }, 4, "at most 64"},
		{"id with NUL", alice, func(r *product.RegisterRequest) { r.ID = "a\x00b" }, 4, "U+0000"},
		{"zero shards", alice, nil, 0, "between 1 and 256"},
		{"negative shards", alice, nil, -1, "between 1 and 256"},
		{"too many shards", alice, nil, 257, "between 1 and 256"},
		{"no status", alice, func(r *product.RegisterRequest) { r.Terms.Status = "" }, 4, "terms.status"},
		{"unknown status", alice, func(r *product.RegisterRequest) { r.Terms.Status = "Active" }, 4, "terms.status"},
		{"zero minimum", alice, func(r *product.RegisterRequest) { r.Terms = terms(0, 0, product.Active) }, 4, "greater than zero"},
		{"minimum below wholesale", alice, func(r *product.RegisterRequest) { r.Terms = terms(151, 150, product.Active) }, 4, "below"},
		{"no attributes", alice, func(r *product.RegisterRequest) { r.Attributes = nil }, 4, "empty"},
		{"null attributes", alice, func(r *product.RegisterRequest) { r.Attributes = json.RawMessage(`null`) }, 4, "JSON object"},
		{"array attributes", alice, func(r *product.RegisterRequest) { r.Attributes = json.RawMessage(`[]`) }, 4, "JSON object"},
		{"duplicate attribute", alice, func(r *product.RegisterRequest) { r.Attributes = json.RawMessage(`{"a":1,"a":2}`) }, 4, "duplicate"},
		{"invalid UTF-8", alice, func(r *product.RegisterRequest) { r.Attributes = json.RawMessage("{\"a\":\"\xc3\"}") }, 4, "UTF-8"},
		{"too deep", alice, func(r *product.RegisterRequest) { r.Attributes = json.RawMessage(deep) }, 4, "deeper"},
		{"too large", alice, func(r *product.RegisterRequest) {
			r.Attributes = json.RawMessage(`{"a":"` + strings.Repeat("x", 16<<10) + `"}`)
		}, 4, "at most"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.register(bob, "existing", 3, 2) // so the snapshot is not empty
			err := e.Refused(errs.InvalidArgument, func(st ledger.State, ev ledger.Emitter) error {
				req := mugRequest("mug-1", 10)
				if tc.edit != nil {
					tc.edit(&req)
				}
				_, err := product.Register(st, ev, tc.supplier, req, tc.shards)
				return err
			})
			require.ErrorContains(t, err, tc.msg)
		})
	}
}

func TestUpdateTerms(t *testing.T) {
	e := newEnv(t)
	e.register(alice, "mug-1", 10, 4)
	ref := product.Ref{Supplier: alice, ID: "mug-1"}
	before := e.L.GetCommitted(e.stockKey(ref, 0))

	steps := []struct {
		terms product.Terms
		attrs string
	}{
		{terms(100, 200, product.Active), ""},
		// Attributes may be sent back in any spelling of the same object.
		{terms(100, 200, product.Hidden), `{ "tags":["kitchen","gift"], "size":{"w":8,"h":10}, "name":"Mug", "color":"\u0062lue" }`},
		{terms(120, 200, product.Active), mugCanonical},
		{terms(120, 200, product.Discontinued), ""},
	}
	for i, s := range steps {
		var p *product.Product
		now := e.L.Now() // the next transaction's timestamp
		events := e.Must(func(st ledger.State, ev ledger.Emitter) error {
			var err error
			req := product.UpdateRequest{Terms: s.terms}
			if s.attrs != "" {
				req.Attributes = json.RawMessage(s.attrs)
			}
			p, err = product.UpdateTerms(st, ev, alice, "mug-1", req)
			return err
		})
		version := uint64(i + 2)
		require.Equal(t, version, p.Version)
		require.Equal(t, s.terms, p.Terms)
		require.Equal(t, t0, p.RegisteredAt)
		require.Equal(t, ledger.Stamp(now), p.UpdatedAt)
		require.Equal(t, mugCanonical, string(p.Attributes))
		require.Equal(t, p, e.get(ref))
		require.Equal(t, ledger.Events{product.TermsUpdatedEvent{
			Type: "product.terms_updated", Supplier: alice, ID: "mug-1", Version: version, Terms: s.terms,
		}}, events)
	}
	// Terms updates never touch stock.
	require.Equal(t, before, e.L.GetCommitted(e.stockKey(ref, 0)))
}

func TestUpdateTermsRefusals(t *testing.T) {
	e := newEnv(t)
	e.register(alice, "mug-1", 10, 4)
	e.register(bob, "bobs", 10, 4)
	e.register(alice, "gone", 10, 4)
	e.Must(func(st ledger.State, ev ledger.Emitter) error {
		_, err := product.UpdateTerms(st, ev, alice, "gone", product.UpdateRequest{Terms: terms(100, 150, product.Discontinued)})
		return err
	})
	current := terms(100, 150, product.Active)
	for _, tc := range []struct {
		name         string
		supplier, id string
		req          product.UpdateRequest
		code         errs.Code
		msg          string
	}{
		{"unknown product", alice, "nope", product.UpdateRequest{Terms: terms(1, 2, product.Active)}, errs.NotFound, "not found"},
		{"another supplier's product", alice, "bobs", product.UpdateRequest{Terms: terms(1, 2, product.Active)}, errs.NotFound, "not found"},
		{"bob cannot reach alice's", bob, "mug-1", product.UpdateRequest{Terms: terms(1, 2, product.Active)}, errs.NotFound, "not found"},
		{"bad supplier", "alice", "mug-1", product.UpdateRequest{Terms: terms(1, 2, product.Active)}, errs.InvalidArgument, "account ID"},
		{"bad id", alice, "", product.UpdateRequest{Terms: terms(1, 2, product.Active)}, errs.InvalidArgument, "id"},
		{"invalid terms", alice, "mug-1", product.UpdateRequest{Terms: terms(3, 2, product.Active)}, errs.InvalidArgument, "below"},
		{"unknown status", alice, "mug-1", product.UpdateRequest{Terms: terms(1, 2, "paused")}, errs.InvalidArgument, "status"},
		{"terms unchanged", alice, "mug-1", product.UpdateRequest{Terms: current}, errs.InvalidArgument, "terms unchanged"},
		{"terms unchanged with attributes", alice, "mug-1", product.UpdateRequest{Terms: current, Attributes: json.RawMessage(mugAttrs)}, errs.InvalidArgument, "terms unchanged"},
		{"changed attribute", alice, "mug-1", product.UpdateRequest{Terms: terms(1, 2, product.Active),
			Attributes: json.RawMessage(`{"name":"Cup","color":"blue","size":{"h":10,"w":8},"tags":["kitchen","gift"]}`)}, errs.Immutable, "cannot change"},
		{"added attribute", alice, "mug-1", product.UpdateRequest{Terms: terms(1, 2, product.Active),
			Attributes: json.RawMessage(`{"name":"Mug","color":"blue","size":{"h":10,"w":8},"tags":["kitchen","gift"],"x":1}`)}, errs.Immutable, "cannot change"},
		{"respelled number", alice, "mug-1", product.UpdateRequest{Terms: terms(1, 2, product.Active),
			Attributes: json.RawMessage(`{"name":"Mug","color":"blue","size":{"h":10.0,"w":8},"tags":["kitchen","gift"]}`)}, errs.Immutable, "cannot change"},
		{"malformed attributes", alice, "mug-1", product.UpdateRequest{Terms: terms(1, 2, product.Active),
			Attributes: json.RawMessage(`{"a":1,"a":1}`)}, errs.InvalidArgument, "duplicate"},
		{"null attributes", alice, "mug-1", product.UpdateRequest{Terms: terms(1, 2, product.Active),
			Attributes: json.RawMessage(`null`)}, errs.InvalidArgument, "JSON object"},
		{"reactivate discontinued", alice, "gone", product.UpdateRequest{Terms: terms(100, 150, product.Active)}, errs.InvalidState, "final"},
		{"hide discontinued", alice, "gone", product.UpdateRequest{Terms: terms(100, 150, product.Hidden)}, errs.InvalidState, "final"},
		{"reprice discontinued", alice, "gone", product.UpdateRequest{Terms: terms(90, 150, product.Discontinued)}, errs.InvalidState, "final"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := e.Refused(tc.code, func(st ledger.State, ev ledger.Emitter) error {
				_, err := product.UpdateTerms(st, ev, tc.supplier, tc.id, tc.req)
				return err
			})
			require.ErrorContains(t, err, tc.msg)
		})
	}
	require.Equal(t, uint64(1), e.get(product.Ref{Supplier: alice, ID: "mug-1"}).Version)
}

func TestGet(t *testing.T) {
	e := newEnv(t)
	p := e.register(alice, "mug-1", 10, 4)
	require.Equal(t, p, e.get(product.Ref{Supplier: alice, ID: "mug-1"}))
	require.Equal(t, product.Ref{Supplier: alice, ID: "mug-1"}, p.Ref())
	for _, tc := range []struct {
		ref  product.Ref
		code errs.Code
	}{
		{product.Ref{Supplier: alice, ID: "mug-2"}, errs.NotFound},
		{product.Ref{Supplier: bob, ID: "mug-1"}, errs.NotFound},
		{product.Ref{Supplier: "x", ID: "mug-1"}, errs.InvalidArgument},
		{product.Ref{Supplier: alice, ID: "mug 1"}, errs.InvalidArgument},
	} {
		e.MustRead(func(st ledger.State) error {
			_, err := product.Get(st, tc.ref)
			require.Equal(t, tc.code, errs.CodeOf(err), "%+v: %v", tc.ref, err)
			return nil
		})
	}
}

func TestRefAndTermsValidate(t *testing.T) {
	require.NoError(t, product.Ref{Supplier: alice, ID: "a"}.Validate())
	for _, r := range []product.Ref{{}, {Supplier: alice}, {ID: "a"}, {Supplier: alice + "0", ID: "a"}, {Supplier: alice, ID: "a/b"}} {
		require.ErrorIs(t, r.Validate(), errs.ErrInvalidArgument, "%+v", r)
	}
	for _, s := range []product.Status{product.Active, product.Hidden, product.Discontinued} {
		require.True(t, s.Valid())
		require.NoError(t, terms(0, 1, s).Validate())
	}
	require.False(t, product.Status("ACTIVE").Valid())
	for _, bad := range []product.Terms{{}, terms(0, 0, product.Active), terms(2, 1, product.Hidden), terms(1, 1, "")} {
		require.ErrorIs(t, bad.Validate(), errs.ErrInvalidArgument, "%+v", bad)
	}
	require.NoError(t, product.CheckShards(1))
	require.NoError(t, product.CheckShards(256))
	require.ErrorIs(t, product.CheckShards(257), errs.ErrInvalidArgument)
}

func TestVerify(t *testing.T) {
	e := newEnv(t)
	p := e.register(alice, "mug-1", 10, 4)
	e.Must(func(st ledger.State, ev ledger.Emitter) error {
		_, err := product.UpdateTerms(st, ev, alice, "mug-1", product.UpdateRequest{Terms: terms(100, 160, product.Active)})
		return err
	})
	verify := func(ref product.Ref, attrs string) (*product.Verification, error) {
		var v *product.Verification
		var err error
		e.MustRead(func(st ledger.State) error {
			v, err = product.Verify(st, ref, json.RawMessage(attrs))
			return nil
		})
		return v, err
	}
	for _, tc := range []struct {
		attrs string
		match bool
	}{
		{mugAttrs, true},
		{mugCanonical, true},
		{"{\n\"tags\" : [\"kitchen\",\"gift\"],\"size\":{\"w\":8,\"h\":10},\"name\":\"Mug\",\"color\":\"blue\"}", true},
		{`{"color":"blue","name":"Mug","size":{"h":10,"w":8.0},"tags":["kitchen","gift"]}`, false},
		{`{"color":"blue","name":"Mug","size":{"h":10,"w":8},"tags":["gift","kitchen"]}`, false},
		{`{}`, false},
	} {
		v, err := verify(p.Ref(), tc.attrs)
		require.NoError(t, err)
		_, hash, err := product.Canonical(json.RawMessage(tc.attrs))
		require.NoError(t, err)
		require.Equal(t, &product.Verification{Match: tc.match, Hash: hash, StoredHash: p.AttributesHash, Version: 2}, v, tc.attrs)
	}
	_, err := verify(p.Ref(), `{"a":1,"a":2}`)
	require.ErrorIs(t, err, errs.ErrInvalidArgument)
	_, err = verify(p.Ref(), `[]`)
	require.ErrorIs(t, err, errs.ErrInvalidArgument)
	_, err = verify(product.Ref{Supplier: bob, ID: "mug-1"}, mugAttrs)
	require.ErrorIs(t, err, errs.ErrNotFound)
	_, err = verify(product.Ref{Supplier: "bob", ID: "mug-1"}, mugAttrs)
	require.ErrorIs(t, err, errs.ErrInvalidArgument)
	raw, err := json.Marshal(product.Verification{Match: true, Hash: "h", StoredHash: "h", Version: 2})
	require.NoError(t, err)
	require.Equal(t, `{"match":true,"hash":"h","storedHash":"h","version":2}`, string(raw))
}

// '<', '>' and '&' are stored literally: the stored attributes are exactly
// the bytes whose hash is stored, and read back unchanged.
func TestAttributesWithHTMLCharactersAreStoredByteExact(t *testing.T) {
	e := newEnv(t)
	req := mugRequest("mug-1", 1)
	req.Attributes = json.RawMessage(`{"desc":"<b>Tom & Jerry</b>"}`)
	var p *product.Product
	e.Must(func(st ledger.State, ev ledger.Emitter) error {
		var err error
		p, err = product.Register(st, ev, alice, req, 1)
		return err
	})
	require.Equal(t, `{"desc":"<b>Tom & Jerry</b>"}`, string(p.Attributes))
	require.Contains(t, string(e.L.GetCommitted(e.productKey(p.Ref()))), `"attributes":{"desc":"<b>Tom & Jerry</b>"}`)
	got := e.get(p.Ref())
	_, hash, err := product.Canonical(got.Attributes)
	require.NoError(t, err)
	require.Equal(t, got.AttributesHash, hash)
	require.Equal(t, p.Attributes, got.Attributes)
}

// The same calls on two ledgers write the same bytes.
func TestSameCallsWriteTheSameBytes(t *testing.T) {
	run := func() []memledger.KV {
		e := newEnv(t)
		p := e.register(alice, "mug-1", 17, 5)
		e.Must(func(st ledger.State, ev ledger.Emitter) error {
			_, err := product.Restock(st, ev, alice, "mug-1", 9)
			return err
		})
		e.Must(func(st ledger.State, ev ledger.Emitter) error {
			_, err := product.Reserve(st, p, 3, 6)
			return err
		})
		e.Must(func(st ledger.State, ev ledger.Emitter) error {
			_, err := product.UpdateTerms(st, ev, alice, "mug-1", product.UpdateRequest{Terms: terms(1, 2, product.Hidden)})
			return err
		})
		return e.L.Snapshot()
	}
	require.Equal(t, run(), run())
}

// money.Amount fields stay strings in the stored terms.
func TestTermsJSON(t *testing.T) {
	raw, err := json.Marshal(terms(1, money.MaxAmount().Uint64(), product.Hidden))
	require.NoError(t, err)
	require.Equal(t, `{"wholesalePrice":"1","minRetailPrice":"18446744073709551615","status":"hidden"}`, string(raw))
}
