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
			tx: []string{"config:Init"}, setup: configWrite(true)},
		&command{name: "update", flags: "--request FILE", args: "", summary: "replace the configuration (admin)",
			tx: []string{"config:Update"}, setup: configWrite(false)},
		&command{name: "get", summary: "show the configuration", tx: []string{"config:Get"}, setup: configGet},
		&command{name: "whoami", summary: "show your account and the role the chaincode gives you",
			tx: []string{"config:WhoAmI"}, setup: configWhoAmI},
	)
}

func configWrite(init bool) func(fs *flag.FlagSet) runFunc {
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
			api, err := s.client(ctx)
			if err != nil {
				return err
			}
			call, what := api.UpdateConfig, "updated"
			if init {
				call, what = api.InitConfig, "initialised"
			}
			r, err := call(ctx, cfg)
			if err != nil {
				return err
			}
			return s.committed(r, nil, line("configuration %s: operator %s, platform fee %s", what, cfg.OperatorMSP, pct(cfg.PlatformFeeBps)))
		}
	}
}

func configGet(*flag.FlagSet) runFunc {
	return func(ctx context.Context, s *session, _ []string) error {
		api, err := s.client(ctx)
		if err != nil {
			return err
		}
		cfg, err := api.Config(ctx)
		if err != nil {
			return err
		}
		return s.show(cfg, func(w io.Writer) error {
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
			return f.render(w)
		})
	}
}

func configWhoAmI(*flag.FlagSet) runFunc {
	return func(ctx context.Context, s *session, _ []string) error {
		api, err := s.client(ctx)
		if err != nil {
			return err
		}
		who, err := api.WhoAmI(ctx)
		if err != nil {
			return err
		}
		return s.show(who, func(w io.Writer) error {
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
			return f.render(w)
		})
	}
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
			tx: []string{"wallet:Burn"}, minArgs: 1, maxArgs: 1, setup: walletBurn},
		&command{name: "merge", args: "COIN COIN...", summary: "join coins of yours into one (the balance stays)",
			tx: []string{"wallet:Merge"}, minArgs: 2, maxArgs: -1, setup: walletMerge},
		&command{name: "balance", args: "[ACCOUNT]", summary: "show a balance (yours by default)",
			tx: []string{"wallet:Balance"}, maxArgs: 1, setup: walletBalance},
		&command{name: "coins", args: "[ACCOUNT]", summary: "list the unspent coins of an account",
			tx: []string{"wallet:Coins"}, maxArgs: 1, setup: walletCoins},
		&command{name: "history", args: "[ACCOUNT]", summary: "list the movements of an account, oldest first",
			tx: []string{"wallet:History"}, maxArgs: 1, setup: walletHistory},
		&command{name: "supply", summary: "show the coin minted, burned and in circulation",
			tx: []string{"wallet:Supply"}, setup: walletSupply},
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

func walletMint(*flag.FlagSet) runFunc {
	return func(ctx context.Context, s *session, args []string) error {
		to, err := s.account(args[0])
		if err != nil {
			return err
		}
		amount, err := parseAmount("AMOUNT", args[1])
		if err != nil {
			return err
		}
		api, err := s.client(ctx)
		if err != nil {
			return err
		}
		r, err := api.Mint(ctx, to, amount)
		if err != nil {
			return err
		}
		return s.committed(r, nil, line("minted %s for %s", lkc(amount), s.who(to)))
	}
}

func walletTransfer(fs *flag.FlagSet) runFunc {
	coins := coinsFlag(fs)
	return func(ctx context.Context, s *session, args []string) error {
		to, err := s.account(args[0])
		if err != nil {
			return err
		}
		amount, err := parseAmount("AMOUNT", args[1])
		if err != nil {
			return err
		}
		api, err := s.client(ctx)
		if err != nil {
			return err
		}
		r, err := api.Transfer(ctx, to, amount, payOptions(*coins)...)
		if err != nil {
			return err
		}
		return s.committed(r, nil, line("paid %s to %s", lkc(amount), s.who(to)))
	}
}

func walletBatch(fs *flag.FlagSet) runFunc {
	each := fs.String("each", "", "the `AMOUNT` every account gets (required)")
	coins := coinsFlag(fs)
	return func(ctx context.Context, s *session, args []string) error {
		if *each == "" {
			return s.cmd.usageErr("give the amount each account gets with --each AMOUNT")
		}
		amount, err := parseAmount("--each", *each)
		if err != nil {
			return err
		}
		var to []string
		for _, a := range args {
			acct, err := s.account(a)
			if err != nil {
				return err
			}
			to = append(to, acct)
		}
		api, err := s.client(ctx)
		if err != nil {
			return err
		}
		r, err := api.BatchTransfer(ctx, to, amount, payOptions(*coins)...)
		if err != nil {
			return err
		}
		return s.committed(r, nil, line("paid %s to each of %s", lkc(amount), count(len(to), "account", "accounts")))
	}
}

func walletBurn(fs *flag.FlagSet) runFunc {
	coins := coinsFlag(fs)
	return func(ctx context.Context, s *session, args []string) error {
		amount, err := parseAmount("AMOUNT", args[0])
		if err != nil {
			return err
		}
		api, err := s.client(ctx)
		if err != nil {
			return err
		}
		r, err := api.Burn(ctx, amount, payOptions(*coins)...)
		if err != nil {
			return err
		}
		return s.committed(r, nil, line("burned %s", lkc(amount)))
	}
}

func walletMerge(*flag.FlagSet) runFunc {
	return func(ctx context.Context, s *session, args []string) error {
		api, err := s.client(ctx)
		if err != nil {
			return err
		}
		r, err := api.Merge(ctx, args...)
		if err != nil {
			return err
		}
		return s.committed(r, nil, line("merged %s into one", count(len(args), "coin", "coins")))
	}
}

func walletBalance(*flag.FlagSet) runFunc {
	return func(ctx context.Context, s *session, args []string) error {
		account, err := s.accountOrMe(ctx, args, 0)
		if err != nil {
			return err
		}
		api, err := s.client(ctx)
		if err != nil {
			return err
		}
		balance, err := api.Balance(ctx, account)
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

func walletCoins(fs *flag.FlagSet) runFunc {
	p := addPager(fs)
	return func(ctx context.Context, s *session, args []string) error {
		account, err := s.accountOrMe(ctx, args, 0)
		if err != nil {
			return err
		}
		api, err := s.client(ctx)
		if err != nil {
			return err
		}
		page := client.CoinPage{Coins: []client.Coin{}}
		page.Bookmark, err = p.pages(func(pr client.PageRequest) (string, error) {
			got, err := api.Coins(ctx, account, pr)
			page.Coins = append(page.Coins, got.Coins...)
			return got.Bookmark, err
		})
		if err != nil {
			return err
		}
		defer s.more(page.Bookmark)
		return s.show(page, func(w io.Writer) error {
			if len(page.Coins) == 0 {
				_, err := fmt.Fprintf(w, "%s has no coins\n", s.who(account))
				return err
			}
			t := newTable("COIN", "AMOUNT>")
			var total money.Amount
			for _, c := range page.Coins {
				t.add(c.ID, lkc(c.Amount))
				total = addCapped(total, c.Amount)
			}
			if err := t.render(w); err != nil {
				return err
			}
			_, err := fmt.Fprintf(w, "%s, %s\n", count(len(page.Coins), "coin", "coins"), lkc(total))
			return err
		})
	}
}

func addCapped(a, b money.Amount) money.Amount {
	sum, err := a.Add(b)
	if err != nil {
		return money.MaxAmount()
	}
	return sum
}

func walletHistory(fs *flag.FlagSet) runFunc {
	p := addPager(fs)
	return func(ctx context.Context, s *session, args []string) error {
		account, err := s.accountOrMe(ctx, args, 0)
		if err != nil {
			return err
		}
		api, err := s.client(ctx)
		if err != nil {
			return err
		}
		page := client.HistoryPage{Entries: []client.HistoryEntry{}}
		page.Bookmark, err = p.pages(func(pr client.PageRequest) (string, error) {
			got, err := api.History(ctx, account, pr)
			page.Entries = append(page.Entries, got.Entries...)
			return got.Bookmark, err
		})
		if err != nil {
			return err
		}
		defer s.more(page.Bookmark)
		return s.show(page, func(w io.Writer) error {
			if len(page.Entries) == 0 {
				_, err := fmt.Fprintf(w, "no movements of %s\n", s.who(account))
				return err
			}
			t := newTable("TIME", "KIND", "AMOUNT>", "COUNTERPARTY", "TX")
			for _, e := range page.Entries {
				sign := "+"
				if e.Direction == "out" {
					sign = "-"
				}
				t.add(when(e.Time), e.Kind, sign+lkc(e.Amount), s.who(e.Counterparty), short(e.TxID))
			}
			return t.render(w)
		})
	}
}

func walletSupply(*flag.FlagSet) runFunc {
	return func(ctx context.Context, s *session, _ []string) error {
		api, err := s.client(ctx)
		if err != nil {
			return err
		}
		r, err := api.Supply(ctx)
		if err != nil {
			return err
		}
		return s.show(r, func(w io.Writer) error {
			var f fields
			f.addAmounts("minted", r.Minted, "burned", r.Burned, "circulating", r.Circulating)
			return f.render(w)
		})
	}
}

func walletAudit(*flag.FlagSet) runFunc {
	return func(ctx context.Context, s *session, _ []string) error {
		api, err := s.client(ctx)
		if err != nil {
			return err
		}
		r, err := api.Audit(ctx)
		if err != nil {
			return err
		}
		err = s.show(r, func(w io.Writer) error {
			var f fields
			f.addAmounts("minted", r.Minted, "burned", r.Burned, "held", r.Held,
				"  by accounts", r.HeldByAccounts, "  by escrow, reserves, pools", r.HeldBySystem)
			f.add("coins", strconv.Itoa(r.Coins))
			f.add("holders", strconv.Itoa(r.Holders))
			verdict := "ok: all coins add up to minted - burned"
			if !r.OK {
				verdict = "FAILED"
			}
			f.add("result", verdict)
			for _, issue := range r.Issues {
				f.add("  issue", issue)
			}
			return f.render(w)
		})
		if err == nil && !r.OK {
			return fmt.Errorf("audit failed: %s", orNone(strings.Join(r.Issues, "; ")))
		}
		return err
	}
}
