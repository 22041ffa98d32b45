package wallet_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
	"github.com/likrcommerce/likr/contracts/ledger/memledger"
	"github.com/likrcommerce/likr/contracts/money"
	"github.com/likrcommerce/likr/contracts/wallet"
)

func TestHolderSyntax(t *testing.T) {
	escrow, err := wallet.SystemHolder("escrow", acct(1), "order-7")
	if err != nil {
		t.Fatal(err)
	}
	if want := "~escrow:" + acct(1) + ":order-7"; escrow != want {
		t.Fatalf("SystemHolder = %q, want %q", escrow, want)
	}
	valid := []string{acct(0), strings.Repeat("f", 40), escrow, wallet.CampaignPool, "~reserve"}
	for _, h := range valid {
		if err := wallet.CheckHolder("holder", h); err != nil {
			t.Errorf("CheckHolder(%q) = %v", h, err)
		}
	}
	if !wallet.IsAccountID(acct(0)) || wallet.IsAccountID(escrow) || !wallet.IsSystemHolder(escrow) || wallet.IsSystemHolder(acct(0)) {
		t.Error("account IDs and system holders must be told apart")
	}
	invalid := []string{
		"", "alice", strings.Repeat("a", 39), strings.Repeat("a", 41), strings.Repeat("A", 40),
		strings.Repeat("g", 40), "~", "~a::b", "~a:", "~:a", "~-a", "~a b", "~a\x00", "~a:~b",
		"~" + strings.Repeat("x", 65), "pool.campaign",
		"~" + strings.Repeat(strings.Repeat("x", 64)+":", 4) + "x",
	}
	for _, h := range invalid {
		wantCode(t, wallet.CheckHolder("holder", h), errs.InvalidArgument)
	}
	for _, parts := range [][]string{{""}, {"escrow", ""}, {"escrow", "a:b"}, {"esc~row"}, {"a", strings.Repeat("x", 64), strings.Repeat("x", 64), strings.Repeat("x", 64), strings.Repeat("x", 64)}} {
		_, err := wallet.SystemHolder(parts[0], parts[1:]...)
		wantCode(t, err, errs.InvalidArgument)
	}
}

func TestMint(t *testing.T) {
	e := newEnv(t)
	a := acct(1)
	e.Must(func(k *wallet.Keeper) error { return k.Mint(a, amt(600), amt(1000)) })
	e.Must(func(k *wallet.Keeper) error { return k.Mint(wallet.CampaignPool, amt(400), amt(1000)) })
	if b := e.balance(a); b != 600 {
		t.Fatalf("balance = %d, want 600", b)
	}
	// The cap is inclusive: 1000 minted of a cap of 1000, nothing more.
	e.Refused(errs.LimitExceeded, func(k *wallet.Keeper) error { return k.Mint(a, amt(1), amt(1000)) })
	e.Refused(errs.InvalidArgument, func(k *wallet.Keeper) error { return k.Mint(a, amt(0), amt(1000)) })
	e.Refused(errs.InvalidArgument, func(k *wallet.Keeper) error { return k.Mint("alice", amt(1), amt(1000)) })
	e.Refused(errs.Overflow, func(k *wallet.Keeper) error { return k.Mint(a, money.MaxAmount(), money.MaxAmount()) })

	var s wallet.SupplyReport
	e.MustRead(func(k *wallet.Keeper) (err error) { s, err = k.Supply(); return err })
	if s.Minted.Uint64() != 1000 || s.Burned.Uint64() != 0 || s.Circulating.Uint64() != 1000 {
		t.Fatalf("supply = %+v", s)
	}
}

// Without read-your-writes a second Mint in one transaction would read the
// stale total; the Keeper must count both against the cap.
func TestMintTwiceInOneTransaction(t *testing.T) {
	e := newEnv(t)
	e.Must(func(k *wallet.Keeper) error {
		if err := k.Mint(acct(1), amt(6), amt(10)); err != nil {
			return err
		}
		wantCode(t, k.Mint(acct(2), amt(5), amt(10)), errs.LimitExceeded)
		return k.Mint(acct(2), amt(4), amt(10))
	})
	if r := e.Audit(); !r.OK || r.Minted.Uint64() != 10 {
		t.Fatalf("audit = %+v", r)
	}
}

// A refused call inside a transaction that goes on (a reward that cannot be
// paid must not fail the order) leaves the earlier writes and events alone.
func TestRefusedCallKeepsEarlierWrites(t *testing.T) {
	e := newEnv(t)
	e.mint(acct(1), 50)
	ids := e.coinIDs(acct(1))
	e.Must(func(k *wallet.Keeper) error {
		if err := k.Transfer(acct(1), ids, acct(2), amt(20)); err != nil {
			return err
		}
		// A reward paid from an empty pool is refused; the order goes on.
		_, err := k.Debit(wallet.CampaignPool, []string{"tx000001.000000"}, amt(5), "reward.review", acct(1))
		wantCode(t, err, errs.NotFound)
		if n := len(k.Events()); n != 2 {
			t.Fatalf("events = %d, want the transfer's 2", n)
		}
		return nil
	})
	if a, b := e.balance(acct(1)), e.balance(acct(2)); a != 30 || b != 20 {
		t.Fatalf("balances %d, %d; want 30, 20", a, b)
	}
}

func TestCredit(t *testing.T) {
	e := newEnv(t)
	a := acct(1)
	var id string
	var events []wallet.Event
	e.Must(func(k *wallet.Keeper) (err error) {
		id, err = k.Credit(a, amt(5), "order.release", wallet.CampaignPool)
		events = k.Events()
		return err
	})
	if id != "tx000001.000000" {
		t.Fatalf("coin ID = %q", id)
	}
	want := wallet.Event{Type: wallet.EventCredit, Holder: a, Amount: amt(5), Kind: "order.release", Counterparty: wallet.CampaignPool, Coin: id}
	if len(events) != 1 || !sameEvent(events[0], want) {
		t.Fatalf("events = %+v", events)
	}
	for _, c := range []struct {
		holder, kind, cp string
		n                uint64
	}{
		{a, "transfer", a, 1},  // self
		{a, "transfer", "", 0}, // zero
		{"bob", "transfer", "", 1},
		{a, "", "", 1},
		{a, "Transfer", "", 1},
		{a, "1x", "", 1},
		{a, strings.Repeat("k", 33), "", 1},
		{a, "transfer", "bob", 1},
	} {
		e.Refused(errs.InvalidArgument, func(k *wallet.Keeper) error {
			_, err := k.Credit(c.holder, amt(c.n), c.kind, c.cp)
			return err
		})
	}
}

func sameEvent(a, b wallet.Event) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

func TestDebit(t *testing.T) {
	e := newEnv(t)
	a, b := acct(1), acct(2)
	e.mint(a, 70)
	e.mint(a, 30)
	e.mint(b, 5)
	ids := e.coinIDs(a)
	if len(ids) != 2 {
		t.Fatalf("coins = %v", ids)
	}
	var change money.Amount
	var events []wallet.Event
	e.Must(func(k *wallet.Keeper) (err error) {
		change, err = k.Debit(a, ids, amt(80), "order.escrow", b)
		events = k.Events()
		return err
	})
	if change.Uint64() != 20 || e.balance(a) != 20 {
		t.Fatalf("change %s, balance %d; want 20, 20", change, e.balance(a))
	}
	left := e.coins(a)
	if len(left) != 1 || left[0].Amount.Uint64() != 20 {
		t.Fatalf("coins after debit = %+v", left)
	}
	want := wallet.Event{Type: wallet.EventDebit, Holder: a, Amount: amt(80), Kind: "order.escrow", Counterparty: b, Coin: left[0].ID, Spent: ids}
	if len(events) != 1 || !sameEvent(events[0], want) {
		t.Fatalf("events = %+v, want %+v", events, want)
	}
	// Paying the whole coin leaves no change coin.
	e.Must(func(k *wallet.Keeper) (err error) {
		change, err = k.Debit(a, []string{left[0].ID}, amt(20), "order.escrow", "")
		return err
	})
	if !change.IsZero() || len(e.coins(a)) != 0 {
		t.Fatalf("exact debit left change %s, coins %v", change, e.coins(a))
	}
}

func TestDebitRefusals(t *testing.T) {
	a, b := acct(1), acct(2)
	// Fresh ledgers give the same coin IDs: a's, then b's.
	mine, theirs := "tx000001.000000", "tx000002.000000"
	many := make([]string, wallet.MaxInputs+1)
	for i := range many {
		many[i] = fmt.Sprintf("tx%06d.000000", i+1)
	}
	cases := []struct {
		name   string
		code   errs.Code
		inputs []string
		n      uint64
	}{
		{"insufficient", errs.InsufficientFunds, []string{mine}, 11},
		{"unknown coin", errs.NotFound, []string{"tx999999.000000"}, 1},
		{"another's coin", errs.NotFound, []string{theirs}, 1},
		{"one unknown among good", errs.NotFound, []string{mine, "nope"}, 1},
		{"duplicate", errs.InvalidArgument, []string{mine, mine}, 1},
		{"no inputs", errs.InvalidArgument, nil, 1},
		{"too many inputs", errs.LimitExceeded, many, 1},
		{"NUL in coin ID", errs.InvalidArgument, []string{"tx\x00"}, 1},
		{"control character", errs.InvalidArgument, []string{"tx\n1"}, 1},
		{"empty coin ID", errs.InvalidArgument, []string{""}, 1},
		{"long coin ID", errs.InvalidArgument, []string{strings.Repeat("a", 108)}, 1},
		{"zero", errs.InvalidArgument, []string{mine}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			e.mint(a, 10)
			e.mint(b, 10)
			e.Refused(c.code, func(k *wallet.Keeper) error {
				_, err := k.Debit(a, c.inputs, amt(c.n), "transfer", "")
				return err
			})
			if e.balance(a) != 10 || e.balance(b) != 10 {
				t.Fatal("a refused debit moved money")
			}
		})
	}
}

// Fabric has no read-your-writes: a coin deleted earlier in the transaction
// still reads as present. The Keeper must refuse to spend it again.
func TestNoDoubleSpendInOneTransaction(t *testing.T) {
	e := newEnv(t)
	a := acct(1)
	e.mint(a, 10)
	id := e.coinIDs(a)[0]
	e.Must(func(k *wallet.Keeper) error {
		if err := k.Transfer(a, []string{id}, acct(2), amt(4)); err != nil {
			return err
		}
		wantCode(t, k.Transfer(a, []string{id}, acct(3), amt(4)), errs.NotFound)
		// Nor may the change coin be spent before it commits.
		changeID := k.Events()[0].Coin
		wantCode(t, k.Transfer(a, []string{changeID}, acct(3), amt(6)), errs.InvalidState)
		return nil
	})
	if r := e.Audit(); !r.OK || e.balance(a) != 6 {
		t.Fatalf("balance %d, audit %+v", e.balance(a), r)
	}
}

func TestTransfer(t *testing.T) {
	e := newEnv(t)
	a, b := acct(1), acct(2)
	e.mint(a, 100)
	var events []wallet.Event
	e.Must(func(k *wallet.Keeper) error {
		err := k.Transfer(a, e.coinIDs(a), b, amt(35))
		events = k.Events()
		return err
	})
	if e.balance(a) != 65 || e.balance(b) != 35 {
		t.Fatalf("balances %d, %d", e.balance(a), e.balance(b))
	}
	if len(events) != 2 || events[0].Type != wallet.EventDebit || events[0].Counterparty != b ||
		events[1].Type != wallet.EventCredit || events[1].Holder != b || events[1].Counterparty != a {
		t.Fatalf("events = %+v", events)
	}
	ha, hb := e.history(a), e.history(b)
	if len(ha) != 2 || ha[1].Direction != wallet.Out || ha[1].Amount.Uint64() != 35 || ha[1].Counterparty != b || ha[1].Kind != wallet.KindTransfer {
		t.Fatalf("history of payer = %+v", ha)
	}
	if len(hb) != 1 || hb[0].Direction != wallet.In || hb[0].Counterparty != a || hb[0].TxID != "tx000002" || hb[0].Time != "2025-03-01T12:00:02.123456789Z" {
		t.Fatalf("history of payee = %+v", hb)
	}
	ids := e.coinIDs(a)
	e.Refused(errs.InvalidArgument, func(k *wallet.Keeper) error { return k.Transfer(a, ids, a, amt(1)) })
	e.Refused(errs.InvalidArgument, func(k *wallet.Keeper) error { return k.Transfer(a, ids, "bob", amt(1)) })
	e.Refused(errs.InvalidArgument, func(k *wallet.Keeper) error { return k.Transfer(a, ids, b, amt(0)) })
	e.Refused(errs.InsufficientFunds, func(k *wallet.Keeper) error { return k.Transfer(a, ids, b, amt(66)) })
	e.Refused(errs.NotFound, func(k *wallet.Keeper) error { return k.Transfer(b, ids, a, amt(1)) })
}

func TestBatchTransfer(t *testing.T) {
	e := newEnv(t)
	a := acct(0)
	e.mint(a, 1000)
	rs := []string{acct(1), acct(2), acct(3)}
	var events []wallet.Event
	e.Must(func(k *wallet.Keeper) error {
		err := k.BatchTransfer(a, e.coinIDs(a), rs, amt(100))
		events = k.Events()
		return err
	})
	if e.balance(a) != 700 {
		t.Fatalf("payer balance %d", e.balance(a))
	}
	for _, r := range rs {
		if e.balance(r) != 100 {
			t.Fatalf("balance of %s = %d", r, e.balance(r))
		}
	}
	if len(events) != 4 || events[0].Amount.Uint64() != 300 || events[0].Counterparty != "" {
		t.Fatalf("events = %+v", events)
	}
	if h := e.history(a); len(h) != 4 || h[3].Counterparty != rs[2] || h[3].Amount.Uint64() != 100 {
		t.Fatalf("payer history = %+v", h)
	}

	ids := e.coinIDs(a)
	batch := func(rs []string, each uint64) func(k *wallet.Keeper) error {
		return func(k *wallet.Keeper) error { return k.BatchTransfer(a, ids, rs, amt(each)) }
	}
	tooMany := make([]string, wallet.MaxRecipients+1)
	for i := range tooMany {
		tooMany[i] = acct(10 + i)
	}
	e.Refused(errs.LimitExceeded, batch(tooMany, 1))
	e.Refused(errs.InvalidArgument, batch(nil, 1))
	e.Refused(errs.InvalidArgument, batch([]string{acct(1), acct(1)}, 1))
	e.Refused(errs.InvalidArgument, batch([]string{acct(1), a}, 1))
	e.Refused(errs.InvalidArgument, batch([]string{acct(1), "bob"}, 1))
	e.Refused(errs.InvalidArgument, batch([]string{acct(1)}, 0))
	e.Refused(errs.InsufficientFunds, batch(rs, 234))
	if _, err := e.Submit(batch(tooMany[:wallet.MaxRecipients], 7)); err != nil {
		t.Fatalf("a batch of MaxRecipients: %v", err)
	}
}

// BeautyChain's batchOverflow (CVE-2018-10299): 2 x 2^255 wrapped to 0, so
// the sender paid nothing and each recipient got 2^255. Here count x value
// is checked before anything is read or written.
func TestBatchOverflow(t *testing.T) {
	e := newEnv(t)
	a := acct(0)
	e.mint(a, 1000)
	ids := e.coinIDs(a)
	half := money.MaxAmount().Uint64()/2 + 1 // 2 x half wraps to 0 in uint64
	for _, c := range []struct {
		n    int
		each uint64
	}{{2, half}, {2, money.MaxAmount().Uint64()}, {100, money.MaxAmount().Uint64()/100 + 1}} {
		rs := make([]string, c.n)
		for i := range rs {
			rs[i] = acct(i + 1)
		}
		e.Refused(errs.Overflow, func(k *wallet.Keeper) error { return k.BatchTransfer(a, ids, rs, amt(c.each)) })
	}
	if r := e.Audit(); !r.OK || e.balance(a) != 1000 {
		t.Fatalf("audit %+v", r)
	}
}

// Amounts at the type's limits: the whole range can be minted, moved and
// burned, and one unit more overflows.
func TestAmountLimits(t *testing.T) {
	e := newEnv(t)
	a, b := acct(1), acct(2)
	max := money.MaxAmount()
	e.Must(func(k *wallet.Keeper) error { return k.Mint(a, max, max) })
	e.Refused(errs.Overflow, func(k *wallet.Keeper) error { return k.Mint(b, amt(1), max) })
	e.Must(func(k *wallet.Keeper) error { return k.Transfer(a, e.coinIDs(a), b, max) })
	e.Must(func(k *wallet.Keeper) error {
		return k.BatchTransfer(b, e.coinIDs(b), []string{acct(3)}, max)
	})
	if e.balance(acct(3)) != max.Uint64() || e.balance(a) != 0 || e.balance(b) != 0 {
		t.Fatal("the whole supply did not arrive")
	}
	e.Must(func(k *wallet.Keeper) error { return k.Burn(acct(3), e.coinIDs(acct(3)), max) })
	r := e.Audit()
	if !r.OK || !r.Burned.Equal(max) || !r.Held.IsZero() {
		t.Fatalf("audit %+v", r)
	}
}

func TestBurn(t *testing.T) {
	e := newEnv(t)
	a := acct(1)
	e.mint(a, 100)
	e.Must(func(k *wallet.Keeper) error { return k.Burn(a, e.coinIDs(a), amt(30)) })
	e.Must(func(k *wallet.Keeper) error { return k.Burn(a, e.coinIDs(a), amt(20)) })
	var s wallet.SupplyReport
	e.MustRead(func(k *wallet.Keeper) (err error) { s, err = k.Supply(); return err })
	if s.Minted.Uint64() != 100 || s.Burned.Uint64() != 50 || s.Circulating.Uint64() != 50 || e.balance(a) != 50 {
		t.Fatalf("supply %+v, balance %d", s, e.balance(a))
	}
	if h := e.history(a); len(h) != 3 || h[2].Kind != wallet.KindBurn || h[2].Direction != wallet.Out || h[2].Counterparty != "" {
		t.Fatalf("history = %+v", h)
	}
	ids := e.coinIDs(a)
	e.Refused(errs.InsufficientFunds, func(k *wallet.Keeper) error { return k.Burn(a, ids, amt(51)) })
	e.Refused(errs.InvalidArgument, func(k *wallet.Keeper) error { return k.Burn(a, ids, amt(0)) })
	e.Refused(errs.NotFound, func(k *wallet.Keeper) error { return k.Burn(acct(2), ids, amt(1)) })
}

func TestMerge(t *testing.T) {
	e := newEnv(t)
	a := acct(1)
	for i := 1; i <= 5; i++ {
		e.mint(a, uint64(i))
	}
	ids := e.coinIDs(a)
	histBefore := e.history(a)
	var merged string
	var events []wallet.Event
	e.Must(func(k *wallet.Keeper) (err error) {
		merged, err = k.Merge(a, ids)
		events = k.Events()
		return err
	})
	coins := e.coins(a)
	if len(coins) != 1 || coins[0].ID != merged || coins[0].Amount.Uint64() != 15 {
		t.Fatalf("coins after merge = %+v", coins)
	}
	want := wallet.Event{Type: wallet.EventMerge, Holder: a, Amount: amt(15), Coin: merged, Spent: ids}
	if len(events) != 1 || !sameEvent(events[0], want) {
		t.Fatalf("events = %+v", events)
	}
	if len(e.history(a)) != len(histBefore) {
		t.Fatal("a merge must not add history")
	}
	e.Refused(errs.InvalidArgument, func(k *wallet.Keeper) error { _, err := k.Merge(a, []string{merged}); return err })
	e.Refused(errs.InvalidArgument, func(k *wallet.Keeper) error { _, err := k.Merge("bob", ids); return err })
	e.Refused(errs.NotFound, func(k *wallet.Keeper) error { _, err := k.Merge(a, ids[:2]); return err })
}

func TestQueries(t *testing.T) {
	e := newEnv(t)
	a := acct(1)
	for i := 1; i <= 12; i++ {
		e.mint(a, uint64(i))
	}
	// Pages of 7 (coins) and 5 (history) cover every row exactly once.
	coins := e.coins(a)
	seen := map[string]bool{}
	var sum uint64
	for _, c := range coins {
		seen[c.ID] = true
		sum += c.Amount.Uint64()
	}
	if len(coins) != 12 || len(seen) != 12 || sum != 78 || e.balance(a) != 78 {
		t.Fatalf("coins = %+v, balance %d", coins, e.balance(a))
	}
	h := e.history(a)
	if len(h) != 12 {
		t.Fatalf("history has %d entries", len(h))
	}
	for i := 1; i < len(h); i++ {
		if h[i-1].Time >= h[i].Time {
			t.Fatalf("history not oldest first: %q then %q", h[i-1].Time, h[i].Time)
		}
	}
	if e.balance(acct(2)) != 0 || len(e.coins(acct(2))) != 0 || len(e.history(acct(2))) != 0 {
		t.Fatal("an unknown holder must be empty")
	}
	tx, k := e.begin()
	defer tx.Discard()
	_, err := k.Balance("alice")
	wantCode(t, err, errs.InvalidArgument)
	_, err = k.Coins("alice", 10, "")
	wantCode(t, err, errs.InvalidArgument)
	_, err = k.History(a, 0, "")
	wantCode(t, err, errs.InvalidArgument)
	_, err = k.Coins(a, -1, "")
	wantCode(t, err, errs.InvalidArgument)
	// An empty page still encodes as a list, never null.
	page, err := k.Coins(acct(3), 10, "")
	if b, _ := json.Marshal(page); err != nil || string(b) != `{"coins":[],"bookmark":""}` {
		t.Fatalf("empty page = %s, %v", b, err)
	}
}

func TestAudit(t *testing.T) {
	e := newEnv(t)
	if r := e.Audit(); !r.OK || !r.Held.IsZero() {
		t.Fatalf("empty ledger audit %+v", r)
	}
	e.mint(acct(1), 60)
	e.mint(wallet.CampaignPool, 40)
	e.Must(func(k *wallet.Keeper) error { return k.Burn(acct(1), e.coinIDs(acct(1)), amt(10)) })
	r := e.Audit()
	if !r.OK || r.Held.Uint64() != 90 || r.HeldByAccounts.Uint64() != 50 || r.HeldBySystem.Uint64() != 40 ||
		r.Coins != 2 || r.Holders != 2 || r.Minted.Uint64() != 100 || r.Burned.Uint64() != 10 {
		t.Fatalf("audit %+v", r)
	}
	// Money that appears outside Credit breaks the invariant; a corrupt row
	// is reported, not fatal.
	tx, _ := e.begin()
	forged, _ := tx.CreateCompositeKey("coin", []string{acct(2), "forged.000000"})
	corrupt, _ := tx.CreateCompositeKey("coin", []string{acct(3), "bad.000000"})
	if tx.PutState(forged, []byte(`{"amount":"5"}`)) != nil || tx.PutState(corrupt, []byte(`{"amount":5}`)) != nil || tx.Commit() != nil {
		t.Fatal("could not forge rows")
	}
	r = e.Audit()
	if r.OK || len(r.Issues) != 2 || r.Held.Uint64() != 95 {
		t.Fatalf("audit of a forged ledger %+v", r)
	}
}

// A transaction ID that cannot be part of a coin ID (Fabric's never are) is
// an INTERNAL error before anything is written.
func TestUnusableTransactionID(t *testing.T) {
	e := newEnv(t)
	e.mint(acct(1), 10)
	ids := e.coinIDs(acct(1))
	for _, op := range []func(k *wallet.Keeper) error{
		func(k *wallet.Keeper) error { return k.Mint(acct(1), amt(1), money.MaxAmount()) },
		func(k *wallet.Keeper) error { return k.Transfer(acct(1), ids, acct(2), amt(1)) },
		func(k *wallet.Keeper) error { return k.Burn(acct(1), ids, amt(10)) },
	} {
		tx := e.L.Begin(memledger.TxOptions{TxID: "no spaces", Timestamp: epoch})
		wantCode(t, op(wallet.NewKeeper(tx)), errs.Internal)
		if w := tx.Writes(); len(w) != 0 {
			t.Fatalf("wrote %+v", w)
		}
		tx.Discard()
	}
}

// TestReportTo checks that a Keeper passes each balance change on as it
// happens, in the order of Events, so that business events interleave
// with the money movements that caused them.
func TestReportTo(t *testing.T) {
	e := newEnv(t)
	e.mint(acct(1), 10)
	coin := e.coinIDs(acct(1))[0]
	tx, k := e.begin()
	defer tx.Discard()
	var got ledger.Events
	k.ReportTo(&got)
	got.Emit("before")
	if err := k.Transfer(acct(1), []string{coin}, acct(2), amt(4)); err != nil {
		t.Fatal(err)
	}
	got.Emit("after")
	want := ledger.Events{"before"}
	for _, ev := range k.Events() {
		want = append(want, ev)
	}
	want = append(want, "after")
	if len(want) != 4 || !reflect.DeepEqual(got, want) {
		t.Fatalf("reported %v, want %v (debit then credit between the markers)", got, want)
	}
}
