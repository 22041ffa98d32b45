package client

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/money"
)

func coins(amounts ...uint64) []Coin {
	out := make([]Coin, len(amounts))
	for i, a := range amounts {
		out[i] = Coin{ID: fmt.Sprintf("c%03d", i), Amount: money.NewAmount(a)}
	}
	return out
}

func TestTakePicksTheLargestFreeCoinsThatCover(t *testing.T) {
	var r reservations
	now := time.Now()
	wallet := coins(5, 30, 10, 30, 1)

	ids, err := r.take(wallet, money.NewAmount(45), now)
	require.NoError(t, err)
	require.Equal(t, []string{"c001", "c003"}, ids, "largest first, equal amounts by ID")

	ids, err = r.take(wallet, money.NewAmount(12), now)
	require.NoError(t, err)
	require.Equal(t, []string{"c002", "c000"}, ids, "coins in flight are skipped")

	_, err = r.take(wallet, money.NewAmount(2), now)
	require.ErrorIs(t, err, errs.ErrInsufficientFunds)
	require.ErrorContains(t, err, "coins hold 1, need 2 (4 more coins are being spent or were just spent)")

	r.release([]string{"c001", "c003"}, false, now)
	ids, err = r.take(wallet, money.NewAmount(2), now)
	require.NoError(t, err)
	require.Equal(t, []string{"c001"}, ids, "coins of a payment that wrote nothing are free again")
}

func TestSpentCoinsStayTakenForAWhile(t *testing.T) {
	var r reservations
	t0 := time.Now()
	wallet := coins(10)
	ids, err := r.take(wallet, money.NewAmount(10), t0)
	require.NoError(t, err)
	r.release(ids, true, t0)

	_, err = r.take(wallet, money.NewAmount(10), t0.Add(SpentCoinMemory/2))
	require.ErrorIs(t, err, errs.ErrInsufficientFunds, "a stale listing still shows the spent coin")

	ids, err = r.take(wallet, money.NewAmount(10), t0.Add(SpentCoinMemory+time.Second))
	require.NoError(t, err, "forgotten after SpentCoinMemory")
	require.Equal(t, []string{"c000"}, ids)
	require.Len(t, r.coins, 1)
}

func TestOnlyARefusedEndorsementOrAnInvalidCommitSurelyWroteNothing(t *testing.T) {
	refused := &EndorseError{newTxError(PhaseEndorse, "f", "tx", 1, chaincodeError("NOT_FOUND: x"))}
	require.False(t, mayHaveCommitted(refused))
	require.False(t, mayHaveCommitted(newCommitError("f", "tx", 1, peer.TxValidationCode_MVCC_READ_CONFLICT)))
	require.True(t, mayHaveCommitted(nil))
	require.True(t, mayHaveCommitted(&SubmitError{newTxError(PhaseSubmit, "f", "tx", 1, mismatchError())}))
	require.True(t, mayHaveCommitted(&CommitStatusError{newTxError(PhaseCommitStatus, "f", "tx", 1, context.DeadlineExceeded)}))
}

func TestTakeEdges(t *testing.T) {
	hundredAndOne := make([]uint64, 101)
	for i := range hundredAndOne {
		hundredAndOne[i] = 1
	}
	for name, tc := range map[string]struct {
		coins   []Coin
		amount  uint64
		picked  int
		wantErr *errs.Error
	}{
		"zero amount still names a coin, for the contract to judge": {coins(3, 7), 0, 1, nil},
		"no coins":                    {nil, 1, 0, errs.ErrInsufficientFunds},
		"exactly MaxInputs coins":     {coins(hundredAndOne...), 100, 100, nil},
		"more than MaxInputs coins":   {coins(hundredAndOne...), 101, 0, errs.ErrLimitExceeded},
		"a sum beyond the max amount": {coins(math.MaxUint64-1, 5), math.MaxUint64, 2, nil},
	} {
		t.Run(name, func(t *testing.T) {
			var r reservations
			ids, err := r.take(tc.coins, money.NewAmount(tc.amount), time.Now())
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				require.Empty(t, r.coins, "a refused pick holds nothing")
				return
			}
			require.NoError(t, err)
			require.Len(t, ids, tc.picked)
		})
	}
}

// coinsOf serves wallet:Coins from pages of coins, bookmarks "1", "2"...,
// and counts the calls.
type coinsOf struct {
	mu    sync.Mutex
	pages [][]Coin
	calls int
	next  func() [][]Coin // when set, the pages change after each full listing
}

func (s *coinsOf) evaluate(_ context.Context, fn string, args []string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if fn != "wallet:Coins" || len(args) != 3 || args[1] != "100" {
		return nil, fmt.Errorf("unexpected %s %q", fn, args)
	}
	s.calls++
	i := 0
	if args[2] != "" {
		fmt.Sscan(args[2], &i)
	}
	page := CoinPage{Coins: s.pages[i]}
	if i+1 < len(s.pages) {
		page.Bookmark = fmt.Sprint(i + 1)
	} else if s.next != nil {
		s.pages = s.next()
	}
	return json.Marshal(page)
}

func TestTransferPicksTheCallersCoins(t *testing.T) {
	listing := &coinsOf{pages: [][]Coin{coins(5, 30)}}
	f := &fakeBackend{evaluateFn: listing.evaluate}
	c := fakeClient(t, f)

	r, err := c.Transfer(context.Background(), "bob", money.NewAmount(20))

	require.NoError(t, err)
	require.Equal(t, 1, r.Attempts)
	require.Equal(t, [][]string{{"wallet:Transfer", "bob", "20", `["c001"]`}}, f.proposed())

	r, err = c.Transfer(context.Background(), "bob", money.NewAmount(5))
	require.NoError(t, err)
	require.Equal(t, []string{"wallet:Transfer", "bob", "5", `["c000"]`}, f.proposed()[1],
		"the listing still shows the coin just spent; the client does not offer it again")
}

func TestCoinsOfARefusedPaymentAreFreeAgain(t *testing.T) {
	listing := &coinsOf{pages: [][]Coin{coins(10)}}
	f := &fakeBackend{evaluateFn: listing.evaluate, outcomes: []outcome{{endorseErr: chaincodeError("INVALID_ARGUMENT: bad recipient")}}}
	c := fakeClient(t, f)
	_, err := c.Transfer(context.Background(), "bad", money.NewAmount(10))
	require.ErrorIs(t, err, errs.ErrInvalidArgument)
	_, err = c.Transfer(context.Background(), "bob", money.NewAmount(10))
	require.NoError(t, err)
	require.Equal(t, `["c000"]`, f.proposed()[1][3])
}

func TestPickingStopsAtThePageThatCovers(t *testing.T) {
	listing := &coinsOf{pages: [][]Coin{coins(1, 2), {{ID: "big", Amount: money.NewAmount(50)}}, coins(100)}}
	f := &fakeBackend{evaluateFn: listing.evaluate}
	_, err := fakeClient(t, f).Burn(context.Background(), money.NewAmount(40))
	require.NoError(t, err)
	require.Equal(t, [][]string{{"wallet:Burn", "40", `["big"]`}}, f.proposed())
	require.Equal(t, 2, listing.calls)
}

func TestARetriedPaymentPicksItsCoinsAfresh(t *testing.T) {
	fresh := []Coin{{ID: "fresh", Amount: money.NewAmount(10)}}
	listing := &coinsOf{pages: [][]Coin{{{ID: "stale", Amount: money.NewAmount(10)}}}, next: func() [][]Coin { return [][]Coin{fresh} }}
	f := &fakeBackend{evaluateFn: listing.evaluate, outcomes: []outcome{invalid(peer.TxValidationCode_MVCC_READ_CONFLICT)}}
	c := fakeClient(t, f)

	r, err := c.Transfer(context.Background(), "bob", money.NewAmount(10))

	require.NoError(t, err)
	require.Equal(t, 2, r.Attempts)
	require.Equal(t, [][]string{
		{"wallet:Transfer", "bob", "10", `["stale"]`},
		{"wallet:Transfer", "bob", "10", `["fresh"]`},
	}, f.proposed())
}

func TestConcurrentPaymentsOfOneClientSpendDistinctCoins(t *testing.T) {
	const payments = 8
	listing := &coinsOf{pages: [][]Coin{coins(10, 10, 10, 10, 10, 10, 10, 10)}}
	allInFlight := make(chan struct{})
	f := &fakeBackend{evaluateFn: listing.evaluate, beforeStatus: func() { <-allInFlight }}
	c := fakeClient(t, f)

	var wg sync.WaitGroup
	errCh := make(chan error, payments)
	for range payments {
		wg.Go(func() {
			_, err := c.Transfer(context.Background(), "bob", money.NewAmount(10))
			errCh <- err
		})
	}
	require.Eventually(t, func() bool { return len(f.proposed()) == payments }, 5*time.Second, time.Millisecond,
		"every payment found a coin while the others were in flight")
	close(allInFlight)
	wg.Wait()
	close(errCh)
	for err := range errCh {
		require.NoError(t, err)
	}
	spent := map[string]bool{}
	for _, p := range f.proposed() {
		spent[p[3]] = true
	}
	require.Len(t, spent, payments)
}

func TestExplicitInputsAreSpentAsGiven(t *testing.T) {
	f := &fakeBackend{outcomes: []outcome{invalid(peer.TxValidationCode_MVCC_READ_CONFLICT)}}
	c := fakeClient(t, f)
	_, err := c.Transfer(context.Background(), "bob", money.NewAmount(10), WithInputs("x.000001", "y.000002"))
	require.NoError(t, err)
	want := []string{"wallet:Transfer", "bob", "10", `["x.000001","y.000002"]`}
	require.Equal(t, [][]string{want, want}, f.proposed(), "no listing (the fake has none); a retry spends the same coins")
	_, err = c.coins.take(coins(1), money.NewAmount(1), time.Now())
	require.NoError(t, err)
	_, err = c.coins.take([]Coin{{ID: "x.000001", Amount: money.NewAmount(10)}}, money.NewAmount(10), time.Now())
	require.ErrorIs(t, err, errs.ErrInsufficientFunds, "coins spent by name are not picked again")
}

func TestMergeNamesTheCoinsToJoin(t *testing.T) {
	f := &fakeBackend{}
	_, err := fakeClient(t, f).Merge(context.Background(), "a.000001", "b.000002")
	require.NoError(t, err)
	require.Equal(t, [][]string{{"wallet:Merge", `["a.000001","b.000002"]`}}, f.proposed())
}

func TestBatchTransferChecksCountTimesAmount(t *testing.T) {
	f := &fakeBackend{}
	c := fakeClient(t, f)
	_, err := c.BatchTransfer(context.Background(), []string{"a", "b"}, money.MaxAmount(), WithInputs("x"))
	require.ErrorIs(t, err, errs.ErrOverflow)
	require.Empty(t, f.proposed())

	listing := &coinsOf{pages: [][]Coin{coins(15, 15)}}
	f.evaluateFn = listing.evaluate
	_, err = c.BatchTransfer(context.Background(), []string{"a", "b"}, money.NewAmount(10))
	require.NoError(t, err)
	require.Equal(t, []string{"wallet:BatchTransfer", `["a","b"]`, "10", `["c000","c001"]`}, f.proposed()[0], "coins for 2 x 10")
}

func TestAPaymentWithoutEnoughCoinsIsRefusedBeforeEndorsing(t *testing.T) {
	listing := &coinsOf{pages: [][]Coin{coins(3)}}
	f := &fakeBackend{evaluateFn: listing.evaluate}
	c := fakeClient(t, f)
	_, err := c.Transfer(context.Background(), "bob", money.NewAmount(4))
	require.ErrorIs(t, err, errs.ErrInsufficientFunds)
	require.ErrorContains(t, err, "wallet:Transfer: choosing coins: INSUFFICIENT_FUNDS: coins hold 3, need 4")
	require.Empty(t, f.proposed())
	require.Equal(t, Stats{Submits: 1, Failed: 1}, c.Stats())
}
