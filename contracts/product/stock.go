package product

import (
	"encoding/json"
	"fmt"
	"math"
	"math/bits"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
)

// Take is what Reserve took from one stock shard; an order keeps its takes
// so that Restore can give the units back to the same shards.
type Take struct {
	Shard int    `json:"shard"`
	Units uint64 `json:"units"`
}

// shardRow is the stored value of a stock shard.
type shardRow struct {
	Units uint64 `json:"units"`
}

// StockKey is the key of shard of ref's stock, for callers and tests that
// need to name it. The shard index is three decimal digits, so the keys of
// a product sort by shard.
func StockKey(st ledger.State, ref Ref, shard int) (string, error) {
	if err := ref.Validate(); err != nil {
		return "", err
	}
	if shard < 0 || shard >= MaxShards {
		return "", errs.New(errs.InvalidArgument, "shard %d must be between 0 and %d", shard, MaxShards-1)
	}
	return stockKey(st, ref, shard)
}

// ProductKey is the key of ref's product document.
func ProductKey(st ledger.State, ref Ref) (string, error) {
	if err := ref.Validate(); err != nil {
		return "", err
	}
	return productKey(st, ref)
}

func stockKey(st ledger.State, ref Ref, shard int) (string, error) {
	return ledger.Key(st, StockType, ref.Supplier, ref.ID, fmt.Sprintf("%03d", shard))
}

// readShard returns the units in a shard; a missing row holds zero.
func readShard(st ledger.State, key string) (uint64, error) {
	data, err := st.GetState(key)
	if err != nil {
		return 0, errs.Wrap(errs.Internal, err, "read %q", key)
	}
	if data == nil {
		return 0, nil
	}
	var row shardRow
	if err := json.Unmarshal(data, &row); err != nil {
		return 0, errs.Wrap(errs.Internal, err, "stored stock shard %q is corrupt", key)
	}
	return row.Units, nil
}

// putShard writes units to a shard. Zero is written as {"units":0}, never
// as an empty value, which Fabric would take for a delete.
func putShard(st ledger.State, key string, units uint64) error {
	return ledger.PutJSON(st, key, shardRow{Units: units})
}

// spread splits units over shards: units/shards each, and one more unit to
// each of the first units%shards shards, so the parts always sum to units.
func spread(units uint64, shards int) []uint64 {
	out := make([]uint64, shards)
	each, rest := units/uint64(shards), units%uint64(shards)
	for i := range out {
		out[i] = each
		if uint64(i) < rest {
			out[i]++
		}
	}
	return out
}

// checkProduct checks the fields of a product handed in by a caller, which
// must come from Get: a valid ref and a stored shard count.
func checkProduct(p *Product) error {
	if p == nil {
		return errs.New(errs.Internal, "product is nil")
	}
	if err := p.Ref().Validate(); err != nil {
		return err
	}
	if err := CheckShards(p.Shards); err != nil {
		return errs.Wrap(errs.Internal, err, "product %s", p.Ref())
	}
	return nil
}

// shardKeys returns the keys of all of p's shards, in shard order.
func shardKeys(st ledger.State, p *Product) ([]string, error) {
	keys := make([]string, p.Shards)
	for i := range keys {
		var err error
		if keys[i], err = stockKey(st, p.Ref(), i); err != nil {
			return nil, err
		}
	}
	return keys, nil
}

// Restock adds units (> 0) to supplier's product id, spread over its shards
// as Register spreads the initial stock. A discontinued product is
// INVALID_STATE; a total above 2^64-1 units is OVERFLOW (so Available
// always fits).
//
// Reads the product key and every shard; writes the shards that receive
// units (all of them when units >= shards). Restocking is rare, so reading
// every shard, which collides with concurrent orders, is acceptable. Emits
// product.restocked.
func Restock(st ledger.State, ev ledger.Emitter, supplier, id string, units uint64) (*Product, error) {
	ref := Ref{Supplier: supplier, ID: id}
	if err := ref.Validate(); err != nil {
		return nil, err
	}
	if units == 0 {
		return nil, errs.New(errs.InvalidArgument, "units must be greater than zero")
	}
	p, err := Get(st, ref)
	if err != nil {
		return nil, err
	}
	if p.Terms.Status == Discontinued {
		return nil, errs.New(errs.InvalidState, "product %s is discontinued and cannot be restocked", ref)
	}
	if err := checkProduct(p); err != nil {
		return nil, err
	}
	keys, err := shardKeys(st, p)
	if err != nil {
		return nil, err
	}
	held := make([]uint64, p.Shards)
	total := units
	for i, k := range keys {
		if held[i], err = readShard(st, k); err != nil {
			return nil, err
		}
		var carry uint64
		if total, carry = bits.Add64(total, held[i], 0); carry != 0 {
			return nil, errs.New(errs.Overflow, "restocking %d units would take product %s above %d units", units, ref, uint64(math.MaxUint64))
		}
	}
	// total fits, so no shard can overflow either.
	add := spread(units, p.Shards)
	for i, k := range keys {
		if add[i] == 0 {
			continue
		}
		if err := putShard(st, k, held[i]+add[i]); err != nil {
			return nil, err
		}
	}
	ev.Emit(RestockedEvent{Type: EventRestocked, Supplier: supplier, ID: id, Units: units})
	return p, nil
}

// Available returns the units in stock: the sum of p's shards, read by
// point reads, so it works in evaluate and in submit transactions. In a
// submit transaction it puts every shard into the read set, so it collides
// with every concurrent order: order placement uses Reserve instead.
func Available(st ledger.State, p *Product) (uint64, error) {
	if err := checkProduct(p); err != nil {
		return 0, err
	}
	keys, err := shardKeys(st, p)
	if err != nil {
		return 0, err
	}
	var total uint64
	for _, k := range keys {
		units, err := readShard(st, k)
		if err != nil {
			return 0, err
		}
		var carry uint64
		if total, carry = bits.Add64(total, units, 0); carry != 0 {
			return 0, errs.New(errs.Overflow, "stock of product %s exceeds %d units", p.Ref(), uint64(math.MaxUint64))
		}
	}
	return total, nil
}

// Reserve takes qty (> 0) units of p's stock for an order and returns where
// it took them from, in the order taken. p comes from Get in the same
// transaction; hint (0..p.Shards-1) is the shard the client picked, each of
// its in-flight orders a different one.
//
// When the hinted shard holds qty it is the only key read and written, so
// concurrent orders with different hints never conflict. Only when it runs
// short are the next shards read, hint+1, hint+2, ... wrapping, each giving
// what it holds until qty is covered. When all shards together hold less
// than qty, Reserve is INSUFFICIENT_STOCK and writes nothing. A shard never
// goes below zero.
//
// Call it at most once per product per transaction: Fabric has no
// read-your-writes, so a second call would read the shards as they were
// before the first and could hand out the same units twice. Reserve does
// not check the product's status (the order layer does) and emits nothing
// (the order's events carry the takes).
func Reserve(st ledger.State, p *Product, hint int, qty uint64) ([]Take, error) {
	r, err := PlanReserve(st, p, hint, qty)
	if err != nil {
		return nil, err
	}
	return r.Apply(st)
}

// Reservation is a checked Reserve: the shards are read, nothing is
// written yet. A caller with another check that must pass before any
// write (order.Place debits the buyer) plans, checks, then applies, so a
// refused call writes nothing and every shard is read once.
type Reservation struct {
	picks []stockPick
}

// PlanReserve checks and reads what Reserve does, with the same codes, and
// writes nothing.
func PlanReserve(st ledger.State, p *Product, hint int, qty uint64) (*Reservation, error) {
	picks, err := planReserve(st, p, hint, qty)
	if err != nil {
		return nil, err
	}
	return &Reservation{picks: picks}, nil
}

// Apply writes the reservation's shards and returns where the units came
// from, in the order taken. Apply it once.
func (r *Reservation) Apply(st ledger.State) ([]Take, error) {
	takes := make([]Take, len(r.picks))
	for i, pk := range r.picks {
		if err := putShard(st, pk.key, pk.left); err != nil {
			return nil, err
		}
		takes[i] = pk.take
	}
	return takes, nil
}

// stockPick is what Reserve takes from one shard, and what it leaves.
type stockPick struct {
	key  string
	take Take
	left uint64
}

// planReserve validates a reservation and reads the shards it takes from;
// it writes nothing.
func planReserve(st ledger.State, p *Product, hint int, qty uint64) ([]stockPick, error) {
	if err := checkProduct(p); err != nil {
		return nil, err
	}
	if hint < 0 || hint >= p.Shards {
		return nil, errs.New(errs.InvalidArgument, "shard hint %d must be between 0 and %d", hint, p.Shards-1)
	}
	if qty == 0 {
		return nil, errs.New(errs.InvalidArgument, "quantity must be greater than zero")
	}
	ref := p.Ref()
	var picks []stockPick
	need := qty
	for n := 0; n < p.Shards && need > 0; n++ {
		shard := (hint + n) % p.Shards
		key, err := stockKey(st, ref, shard)
		if err != nil {
			return nil, err
		}
		held, err := readShard(st, key)
		if err != nil {
			return nil, err
		}
		if held == 0 {
			continue
		}
		units := min(held, need)
		need -= units
		picks = append(picks, stockPick{key: key, take: Take{Shard: shard, Units: units}, left: held - units})
	}
	if need > 0 {
		return nil, errs.New(errs.InsufficientStock, "product %s has %d units in stock, %d requested", ref, qty-need, qty)
	}
	return picks, nil
}

// Restore gives units that Reserve took back to the shards they came from
// (an order cancelled or rejected before shipping). Each take must name a
// shard of the stored product, at most once (as Reserve returns them: with
// no read-your-writes, two adds to one shard in a transaction would lose
// one), with units > 0; otherwise INVALID_ARGUMENT. A shard that would pass
// 2^64-1 units is OVERFLOW. Restore works whatever the product's status.
//
// Reads the product key and the named shards; writes the named shards.
// Emits nothing.
func Restore(st ledger.State, ref Ref, takes []Take) error {
	p, err := Get(st, ref)
	if err != nil {
		return err
	}
	if err := checkProduct(p); err != nil {
		return err
	}
	if len(takes) == 0 {
		return errs.New(errs.InvalidArgument, "no takes to restore")
	}
	if len(takes) > p.Shards {
		return errs.New(errs.InvalidArgument, "%d takes for a product of %d shards", len(takes), p.Shards)
	}
	seen := make([]bool, p.Shards)
	for i, t := range takes {
		switch {
		case t.Shard < 0 || t.Shard >= p.Shards:
			return errs.New(errs.InvalidArgument, "takes[%d]: shard %d must be between 0 and %d", i, t.Shard, p.Shards-1)
		case t.Units == 0:
			return errs.New(errs.InvalidArgument, "takes[%d]: units must be greater than zero", i)
		case seen[t.Shard]:
			return errs.New(errs.InvalidArgument, "takes[%d]: shard %d is named twice", i, t.Shard)
		}
		seen[t.Shard] = true
	}
	keys := make([]string, len(takes))
	after := make([]uint64, len(takes))
	for i, t := range takes {
		if keys[i], err = stockKey(st, ref, t.Shard); err != nil {
			return err
		}
		held, err := readShard(st, keys[i])
		if err != nil {
			return err
		}
		var carry uint64
		if after[i], carry = bits.Add64(held, t.Units, 0); carry != 0 {
			return errs.New(errs.Overflow, "restoring %d units to shard %d of product %s exceeds %d units", t.Units, t.Shard, ref, uint64(math.MaxUint64))
		}
	}
	for i := range takes {
		if err := putShard(st, keys[i], after[i]); err != nil {
			return err
		}
	}
	return nil
}
