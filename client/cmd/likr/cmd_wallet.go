package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/likrcommerce/likr/client"
	"github.com/likrcommerce/likr/contracts/money"
)

func configGroup() *group {
	return newGroup("config", "config", "the channel's configuration, and who you are",
		&command{name: "init", flags: "--request FILE", args: "", summary: "store the first configuration (an admin of the operator org; once)",
			tx: []string{"config:Init"}, setup: configWrite(API.InitConfig, "initialised")},
		&command{name: "update", flags: "--request FILE", args: "", summary: "replace the configuration (admin)",
			tx: []string{"config:Update"}, setup: configWrite(API.UpdateConfig, "updated")},
		&command{name: "get", summary: "show the configuration", tx: []string{"config:Get"}, setup: reportCmd(API.Config, configFields)},
		&command{name: "whoami", summary: "show your account and the role the chaincode gives you",
			tx: []string{"config:WhoAmI"}, setup: reportCmd(API.WhoAmI, callerFields)},
	)
}

// configWrite stores the configuration of --request with write, and says
// it did (done).
func configWrite(write func(API, context.Context, client.Config) (client.Receipt, error), done string) func(fs *flag.FlagSet) runFunc {
	return func(fs *flag.FlagSet) runFunc {
		req := requestFlag(fs)
		return func(ctx context.Context, s *session, _ []string) error {
			if *req == "" {
				return s.cmd.usageErr("give the configuration with --request FILE (see likr config get --json for its shape)")
			}
			var cfg client.Config
			if err := s.readRequest(*req, &cfg); err != nil {
				return err
			}
			return send(ctx, s, func(api API) (client.Receipt, error) { return write(api, ctx, cfg) },
				line("configuration %s: operator %s, platform fee %s", done, cfg.OperatorMSP, pct(cfg.PlatformFeeBps)))
		}
	}
}

func configFields(_ *session, cfg client.Config) *fields {
	var f fields
	f.add("operator MSP", cfg.OperatorMSP)
	f.add("trusted MSPs", " ")
	for _, t := range []struct {
		role string
		msps []string
	}{
		{"admin", cfg.Trusted.Admin}, {"supplier", cfg.Trusted.Supplier}, {"seller", cfg.Trusted.Seller},
		{"moderator", cfg.Trusted.Moderator}, {"auditor", cfg.Trusted.Auditor},
	} {
		f.add("  "+t.role, orNone(strings.Join(t.msps, ", ")))
	}
	f.add("platform fee", pctBps(cfg.PlatformFeeBps))
	f.add("supply cap", lkc(cfg.SupplyCap))
	f.add("auto-release", seconds(cfg.AutoReleaseSeconds))
	f.add("dispute timeout", seconds(cfg.DisputeTimeoutSeconds))
	review := seconds(cfg.ReviewWindowSeconds)
	if cfg.ReviewWindowSeconds == 0 {
		review = "the auto-release time"
	}
	f.add("review window", review)
	f.add("stock shards", strconv.Itoa(cfg.StockShards))
	return &f
}

// callerFields is who the caller is, and the profile it acts as.
func callerFields(s *session, who client.Caller) *fields {
	var f fields
	if s.profile != nil {
		f.add("profile", s.profile.Name)
	}
	f.add("MSP", who.MSPID)
	f.add("account", who.Account)
	f.add("role", string(who.Role))
	claimed := who.ClaimedRole
	if claimed == "" {
		claimed = "(none)"
	}
	if claimed != string(who.Role) {
		f.add("certificate says", claimed)
	}
	return &f
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// seconds is a duration of the config: "604800 s (7 days)".
func seconds(n int64) string {
	s := strconv.FormatInt(n, 10) + " s"
	switch {
	case n >= 86400 && n%86400 == 0:
		s += " (" + count(int(n/86400), "day", "days") + ")"
	case n >= 3600 && n%3600 == 0:
		s += " (" + count(int(n/3600), "hour", "hours") + ")"
	}
	return s
}

func walletGroup() *group {
	return newGroup("wallet", "wallet", "Likr coin: minting, payments, balances and the supply",
		&command{name: "mint", args: "ACCOUNT AMOUNT", summary: "create coins for an account (admin, within the supply cap)",
			tx: []string{"wallet:Mint"}, minArgs: 2, maxArgs: 2, setup: walletMint},
		&command{name: "transfer", flags: "[--coins COIN,...]", args: "ACCOUNT AMOUNT", summary: "pay an account from your coins",
			tx: []string{"wallet:Transfer"}, minArgs: 2, maxArgs: 2, setup: walletTransfer},
		&command{name: "batch-transfer", flags: "--each AMOUNT", args: "ACCOUNT...", summary: "pay --each to every account from your coins",
			tx: []string{"wallet:BatchTransfer"}, minArgs: 1, maxArgs: -1, setup: walletBatch},
		&command{name: "burn", flags: "[--coins COIN,...]", args: "AMOUNT", summary: "destroy some of your coins",
			tx: []string{"wallet:Burn"}, minArgs: 1, maxArgs: 1, setup: spendCmd(API.Burn, "burned %s")},
		&command{name: "merge", args: "COIN COIN...", summary: "join coins of yours into one (the balance stays)",
			tx: []string{"wallet:Merge"}, minArgs: 2, maxArgs: -1, setup: walletMerge},
		&command{name: "balance", args: "[ACCOUNT]", summary: "show a balance (yours by default)",
			tx: []string{"wallet:Balance"}, maxArgs: 1, setup: walletBalance},
		&command{name: "coins", args: "[ACCOUNT]", summary: "list the unspent coins of an account",
			tx: []string{"wallet:Coins"}, maxArgs: 1, setup: listCmd(accountArg, API.Coins, coinPage, coinsView)},
		&command{name: "history", args: "[ACCOUNT]", summary: "list the movements of an account, oldest first",
			tx: []string{"wallet:History"}, maxArgs: 1, setup: listCmd(accountArg, API.History, historyPage, historyView)},
		&command{name: "supply", summary: "show the coin minted, burned and in circulation",
			tx: []string{"wallet:Supply"}, setup: reportCmd(API.Supply, supplyFields)},
		&command{name: "audit", summary: "check that all coins add up to minted - burned (auditor, admin; exit 1 if not)",
			tx: []string{"wallet:Audit"}, setup: walletAudit},
	)
}

// coinsFlag registers --coins, the coins a payment spends.
func coinsFlag(fs *flag.FlagSet) *string {
	return fs.String("coins", "", "spend exactly these coins, `COIN,COIN` (default: picked for you)")
}

func payOptions(coins string) []client.PayOption {
	if ids := parseList(coins); len(ids) > 0 {
		return []client.PayOption{client.WithInputs(ids...)}
	}
	return nil
}

// payment resolves the ACCOUNT AMOUNT arguments of a payment.
func (s *session) payment(args []string) (string, money.Amount, error) {
	to, err := s.account(args[0])
	if err != nil {
		return "", money.Amount{}, err
	}
	amount, err := parseAmount("AMOUNT", args[1])
	return to, amount, err
}

// recipients resolves the --each AMOUNT and the ACCOUNT arguments of a
// batch.
func (s *session) recipients(each string, args []string) (money.Amount, []string, error) {
	amount, err := parseAmount("--each", each)
	if err != nil {
		return money.Amount{}, nil, err
	}
	var to []string
	for _, a := range args {
		acct, err := s.account(a)
		if err != nil {
			return money.Amount{}, nil, err
		}
		to = append(to, acct)
	}
	return amount, to, nil
}

func walletMint(*flag.FlagSet) runFunc {
	return func(ctx context.Context, s *session, args []string) error {
		to, amount, err := s.payment(args)
		if err != nil {
			return err
		}
		return send(ctx, s, func(api API) (client.Receipt, error) { return api.Mint(ctx, to, amount) },
			line("minted %s for %s", lkc(amount), s.who(to)))
	}
}

func walletTransfer(fs *flag.FlagSet) runFunc {
	coins := coinsFlag(fs)
	return func(ctx context.Context, s *session, args []string) error {
		to, amount, err := s.payment(args)
		if err != nil {
			return err
		}
		return send(ctx, s, func(api API) (client.Receipt, error) { return api.Transfer(ctx, to, amount, payOptions(*coins)...) },
			line("paid %s to %s", lkc(amount), s.who(to)))
	}
}

func walletBatch(fs *flag.FlagSet) runFunc {
	each := fs.String("each", "", "the `AMOUNT` every account gets (required)")
	coins := coinsFlag(fs)
	return func(ctx context.Context, s *session, args []string) error {
		if *each == "" {
			return s.cmd.usageErr("give the amount each account gets with --each AMOUNT")
		}
		amount, to, err := s.recipients(*each, args)
		if err != nil {
			return err
		}
		return send(ctx, s, func(api API) (client.Receipt, error) {
			return api.BatchTransfer(ctx, to, amount, payOptions(*coins)...)
		},
			line("paid %s to each of %s", lkc(amount), count(len(to), "account", "accounts")))
	}
}

// spendCmd is a command that spends AMOUNT of the caller's coins with
// spend (API.Burn, API.FundPool) and says so (done, of the amount).
func spendCmd(spend func(API, context.Context, money.Amount, ...client.PayOption) (client.Receipt, error), done string) func(*flag.FlagSet) runFunc {
	return func(fs *flag.FlagSet) runFunc {
		coins := coinsFlag(fs)
		return func(ctx context.Context, s *session, args []string) error {
			amount, err := parseAmount("AMOUNT", args[0])
			if err != nil {
				return err
			}
			return send(ctx, s, func(api API) (client.Receipt, error) { return spend(api, ctx, amount, payOptions(*coins)...) },
				line(done, lkc(amount)))
		}
	}
}

func walletMerge(*flag.FlagSet) runFunc {
	return func(ctx context.Context, s *session, args []string) error {
		return send(ctx, s, func(api API) (client.Receipt, error) { return api.Merge(ctx, args...) },
			line("merged %s into one", count(len(args), "coin", "coins")))
	}
}

func walletBalance(*flag.FlagSet) runFunc {
	return func(ctx context.Context, s *session, args []string) error {
		account, err := s.accountOrMe(ctx, args, 0)
		if err != nil {
			return err
		}
		balance, err := readBy(ctx, s, API.Balance, account)
		if err != nil {
			return err
		}
		v := struct {
			Account string       `json:"account"`
			Balance money.Amount `json:"balance"`
		}{account, balance}
		return s.show(v, line("%s  %s", s.who(account), lkc(balance)))
	}
}

func coinPage(p *client.CoinPage) (*[]client.Coin, *string) { return &p.Coins, &p.Bookmark }

// coinsView ends the coins with their count and total.
func coinsView(s *session, _ context.Context, w io.Writer, account string, coins []client.Coin) error {
	var total money.Amount
	err := rows(w, s.who(account)+" has no coins", newTable("COIN", "AMOUNT>"), coins, func(c client.Coin) []string {
		total = addCapped(total, c.Amount)
		return []string{c.ID, lkc(c.Amount)}
	})
	if err != nil || len(coins) == 0 {
		return err
	}
	_, err = fmt.Fprintf(w, "%s, %s\n", count(len(coins), "coin", "coins"), lkc(total))
	return err
}

func addCapped(a, b money.Amount) money.Amount {
	sum, err := a.Add(b)
	if err != nil {
		return money.MaxAmount()
	}
	return sum
}

func historyPage(p *client.HistoryPage) (*[]client.HistoryEntry, *string) {
	return &p.Entries, &p.Bookmark
}

func historyView(s *session, _ context.Context, w io.Writer, account string, entries []client.HistoryEntry) error {
	t := newTable("TIME", "KIND", "AMOUNT>", "COUNTERPARTY", "TX")
	return rows(w, "no movements of "+s.who(account), t, entries, func(e client.HistoryEntry) []string {
		sign := "+"
		if e.Direction == "out" {
			sign = "-"
		}
		return []string{when(e.Time), e.Kind, sign + lkc(e.Amount), s.who(e.Counterparty), short(e.TxID)}
	})
}

func supplyFields(_ *session, r client.SupplyReport) *fields {
	var f fields
	f.addAmounts("minted", r.Minted, "burned", r.Burned, "circulating", r.Circulating)
	return &f
}

func walletAudit(*flag.FlagSet) runFunc {
	return func(ctx context.Context, s *session, _ []string) error {
		r, err := read(ctx, s, API.Audit)
		if err != nil {
			return err
		}
		return s.showCheck(r, func(w io.Writer) error {
			var f fields
			f.addAmounts("minted", r.Minted, "burned", r.Burned, "held", r.Held,
				"  by accounts", r.HeldByAccounts, "  by escrow, reserves, pools", r.HeldBySystem)
			f.add("coins", strconv.Itoa(r.Coins))
			f.add("holders", strconv.Itoa(r.Holders))
			f.add("result", verdict(r.OK, "ok: all coins add up to minted - burned", "FAILED"))
			for _, issue := range r.Issues {
				f.add("  issue", issue)
			}
			return f.render(w)
		}, r.OK, fmt.Errorf("audit failed: %s", orNone(strings.Join(r.Issues, "; "))))
	}
}
