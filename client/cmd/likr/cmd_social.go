package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/likrcommerce/likr/client"
	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/money"
)

func reviewGroup() *group {
	return newGroup("review", "review", "buyers' reviews of completed orders, and ratings",
		&command{name: "post", flags: "--rating 1-5 [--text TEXT]", args: "ORDER", summary: "review your completed order; it opens your resale shop (the buyer)",
			tx: []string{"review:Post"}, minArgs: 1, maxArgs: 1, setup: reviewPost},
		&command{name: "get", args: "[BUYER/]ORDER", summary: "show the review of an order",
			tx: []string{"review:Get"}, minArgs: 1, maxArgs: 1, setup: reviewGet},
		&command{name: "list", flags: "--product SUPPLIER/ID | --store OWNER/STORE", summary: "list the reviews of a --product or a --store",
			tx: []string{"review:ListByProduct", "review:ListByStore"}, setup: reviewList},
		&command{name: "rating", flags: "--product SUPPLIER/ID | --store OWNER/STORE", summary: "show the rating of a --product or a --store",
			tx: []string{"review:ProductRating", "review:StoreRating"}, setup: reviewRating},
	)
}

func reviewPost(fs *flag.FlagSet) runFunc {
	req := requestFlag(fs)
	rating := fs.Int("rating", 0, "`STARS`, 1 to 5 (required)")
	text := fs.String("text", "", "what you think (`TEXT`, up to 1000 characters)")
	return func(ctx context.Context, s *session, args []string) error {
		r := client.PostReviewRequest{Order: args[0], Rating: *rating, Text: *text}
		if *req != "" {
			if err := s.readRequest(*req, &r); err != nil {
				return err
			}
		} else if *rating < 1 || *rating > 5 {
			return s.cmd.usageErr("give --rating from 1 to 5")
		}
		api, err := s.client(ctx)
		if err != nil {
			return err
		}
		out, receipt, err := api.PostReview(ctx, r)
		if err != nil {
			return err
		}
		return s.committed(receipt, out, func(w io.Writer) error {
			var f fields
			if out.Review != nil {
				f = *s.reviewFields(*out.Review)
			}
			if !out.Eligible {
				f.add("resale", "none: you are a party of this sale, so it converts nothing and pays no reward")
			} else if out.Shop != nil {
				shop := s.ref(out.Shop.Owner, out.Shop.ID)
				if out.ShopOpened {
					shop += " (opened now)"
				}
				f.add("your shop", shop)
			}
			if l := out.Referral; l != nil {
				f.add("referral", s.ref(l.Owner, l.Store, l.ID)+", commission "+pct(l.ReferralBps)+" on friends' orders")
			}
			return f.render(w)
		})
	}
}

func (s *session) reviewFields(r client.Review) *fields {
	var f fields
	f.add("review of", s.ref(r.Buyer, r.Order))
	f.add("product", s.ref(r.Product.Supplier, r.Product.ID))
	f.add("listing", s.ref(r.Listing.Owner, r.Listing.Store, r.Listing.ID))
	f.add("rating", strconv.Itoa(r.Rating)+" of 5")
	f.add("text", r.Text)
	f.add("posted", when(r.PostedAt))
	return &f
}

func reviewGet(*flag.FlagSet) runFunc {
	return func(ctx context.Context, s *session, args []string) error {
		ref, err := s.orderRef(ctx, args[0])
		if err != nil {
			return err
		}
		api, err := s.client(ctx)
		if err != nil {
			return err
		}
		r, err := api.Review(ctx, ref)
		if err != nil {
			return err
		}
		return s.show(r, func(w io.Writer) error {
			f := s.reviewFields(r)
			f.add("name", s.productLabel(ctx, r.Product))
			return f.render(w)
		})
	}
}

// subjectFlags pick a product or a store.
type subjectFlags struct{ product, store string }

func addSubjectFlags(fs *flag.FlagSet) *subjectFlags {
	f := &subjectFlags{}
	fs.StringVar(&f.product, "product", "", "product `SUPPLIER/ID`")
	fs.StringVar(&f.store, "store", "", "store `OWNER/STORE`")
	return f
}

func reviewList(fs *flag.FlagSet) runFunc {
	p := addPager(fs)
	subject := addSubjectFlags(fs)
	return func(ctx context.Context, s *session, _ []string) error {
		if given(subject.product, subject.store) != 1 {
			return s.cmd.usageErr("give one of --product SUPPLIER/ID and --store OWNER/STORE")
		}
		api, err := s.client(ctx)
		if err != nil {
			return err
		}
		var fetch func(client.PageRequest) (client.ReviewPage, error)
		if subject.product != "" {
			ref, err := s.productRef(ctx, subject.product)
			if err != nil {
				return err
			}
			fetch = func(pr client.PageRequest) (client.ReviewPage, error) { return api.ReviewsByProduct(ctx, ref, pr) }
		} else {
			ref, err := s.storeRef(ctx, subject.store)
			if err != nil {
				return err
			}
			fetch = func(pr client.PageRequest) (client.ReviewPage, error) { return api.ReviewsByStore(ctx, ref, pr) }
		}
		page := client.ReviewPage{Reviews: []client.Review{}}
		page.Bookmark, err = p.pages(func(pr client.PageRequest) (string, error) {
			got, err := fetch(pr)
			page.Reviews = append(page.Reviews, got.Reviews...)
			return got.Bookmark, err
		})
		if err != nil {
			return err
		}
		defer s.more(page.Bookmark)
		return s.show(page, func(w io.Writer) error {
			if len(page.Reviews) == 0 {
				_, err := fmt.Fprintln(w, "no reviews")
				return err
			}
			t := newTable("ORDER", "RATING>", "TEXT~40", "PRODUCT", "POSTED")
			for _, r := range page.Reviews {
				t.add(s.ref(r.Buyer, r.Order), strconv.Itoa(r.Rating)+"/5", r.Text, s.ref(r.Product.Supplier, r.Product.ID), when(r.PostedAt))
			}
			return t.render(w)
		})
	}
}

func reviewRating(fs *flag.FlagSet) runFunc {
	subject := addSubjectFlags(fs)
	return func(ctx context.Context, s *session, _ []string) error {
		if given(subject.product, subject.store) != 1 {
			return s.cmd.usageErr("give one of --product SUPPLIER/ID and --store OWNER/STORE")
		}
		api, err := s.client(ctx)
		if err != nil {
			return err
		}
		var r client.Rating
		var what string
		if subject.product != "" {
			ref, err := s.productRef(ctx, subject.product)
			if err != nil {
				return err
			}
			if r, err = api.ProductRating(ctx, ref); err != nil {
				return err
			}
			what = s.ref(ref.Supplier, ref.ID)
			if name := s.productLabel(ctx, ref); name != "" {
				what += " (" + name + ")"
			}
		} else {
			ref, err := s.storeRef(ctx, subject.store)
			if err != nil {
				return err
			}
			if r, err = api.StoreRating(ctx, ref); err != nil {
				return err
			}
			what = s.ref(ref.Owner, ref.ID)
		}
		return s.show(r, line("%s  %s of 5 from %s", what, r.Average, count(int(r.Count), "review", "reviews")))
	}
}

func rewardGroup() *group {
	return newGroup("reward", "reward", "reward rules, the campaign pool and rewards received",
		&command{name: "set-rule", flags: "--activity ACTIVITY [--fixed AMOUNT] [--rate-bps BPS] [--daily-cap AMOUNT] [--enabled=false]", summary: "set what an activity pays; flags left out keep their value (admin)",
			tx: []string{"reward:SetRule", "reward:Rules"}, setup: rewardSetRule},
		&command{name: "rules", summary: "show the reward rule of every activity",
			tx: []string{"reward:Rules"}, setup: rewardRules},
		&command{name: "fund-pool", flags: "[--coins COIN,...]", args: "AMOUNT", summary: "pay into the campaign pool from your coins (admin)",
			tx: []string{"reward:FundPool"}, minArgs: 1, maxArgs: 1, setup: rewardFundPool},
		&command{name: "batch", flags: "--campaign ID --each AMOUNT", args: "ACCOUNT...", summary: "pay a campaign reward of --each to every account from the pool (admin)",
			tx: []string{"reward:BatchReward", "wallet:Coins"}, minArgs: 1, maxArgs: -1, setup: rewardBatch},
		&command{name: "history", args: "[ACCOUNT]", summary: "list the rewards an account received (yours by default)",
			tx: []string{"reward:History"}, maxArgs: 1, setup: rewardHistory},
	)
}

func rewardSetRule(fs *flag.FlagSet) runFunc {
	req := requestFlag(fs)
	activity := fs.String("activity", "", "`ACTIVITY`: purchase, review, conversion or referred_sale")
	fixed := fs.String("fixed", "", "a fixed reward `AMOUNT`")
	rate := fs.String("rate-bps", "", "plus this share of the order total, in basis points (`BPS`)")
	enabled := fs.Bool("enabled", true, "pay it (--enabled=false keeps the terms and pays nothing)")
	dailyCap := fs.String("daily-cap", "", "reviews only: the most one account gets per UTC day (`AMOUNT`, 0 = no cap)")
	return func(ctx context.Context, s *session, _ []string) error {
		api, err := s.client(ctx)
		if err != nil {
			return err
		}
		var rule client.RewardRule
		if *req != "" {
			if err := s.readRequest(*req, &rule); err != nil {
				return err
			}
		} else {
			if *activity == "" {
				return s.cmd.usageErr("give --activity (purchase, review, conversion or referred_sale) and its terms")
			}
			rules, err := api.RewardRules(ctx)
			if err != nil {
				return err
			}
			rule = client.RewardRule{Activity: *activity}
			for _, r := range rules {
				if r.Activity == *activity {
					rule = r
				}
			}
			set := flagsSet(fs)
			if set["fixed"] {
				if rule.Fixed, err = parseAmount("--fixed", *fixed); err != nil {
					return err
				}
			}
			if set["rate-bps"] {
				if rule.RateBps, err = parseRate("--rate-bps", *rate); err != nil {
					return err
				}
			}
			if set["daily-cap"] {
				if rule.DailyCap, err = parseAmount("--daily-cap", *dailyCap); err != nil {
					return err
				}
			}
			rule.Enabled = *enabled
		}
		got, receipt, err := api.SetRewardRule(ctx, rule)
		if err != nil {
			return err
		}
		return s.committed(receipt, got, func(w io.Writer) error { return rulesTable([]client.RewardRule{got}).render(w) })
	}
}

func rulesTable(rules []client.RewardRule) *table {
	t := newTable("ACTIVITY", "FIXED>", "RATE>", "DAILY CAP>", "ENABLED")
	for _, r := range rules {
		limit := "-"
		if !r.DailyCap.IsZero() {
			limit = lkc(r.DailyCap)
		}
		t.add(r.Activity, lkc(r.Fixed), pct(r.RateBps), limit, yesNo(r.Enabled))
	}
	return t
}

func rewardRules(*flag.FlagSet) runFunc {
	return func(ctx context.Context, s *session, _ []string) error {
		api, err := s.client(ctx)
		if err != nil {
			return err
		}
		rules, err := api.RewardRules(ctx)
		if err != nil {
			return err
		}
		if rules == nil {
			rules = []client.RewardRule{}
		}
		return s.show(rules, rulesTable(rules).render)
	}
}

func rewardFundPool(fs *flag.FlagSet) runFunc {
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
		r, err := api.FundPool(ctx, amount, payOptions(*coins)...)
		if err != nil {
			return err
		}
		return s.committed(r, nil, line("paid %s into the campaign pool", lkc(amount)))
	}
}

func rewardBatch(fs *flag.FlagSet) runFunc {
	campaign := fs.String("campaign", "", "the campaign `ID`; each account is paid once per campaign (required)")
	each := fs.String("each", "", "the `AMOUNT` every account gets (required)")
	poolCoins := fs.String("pool-coins", "", "the pool's coins to spend, `COIN,COIN` (default: the largest, enough to cover the batch)")
	return func(ctx context.Context, s *session, args []string) error {
		if *campaign == "" || *each == "" {
			return s.cmd.usageErr("give --campaign ID and --each AMOUNT")
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
		coins := parseList(*poolCoins)
		if len(coins) == 0 {
			total, err := amount.MulUint(uint64(len(to)))
			if err != nil {
				return err
			}
			if coins, err = pickPoolCoins(ctx, api, total); err != nil {
				return err
			}
		}
		r, err := api.BatchReward(ctx, to, amount, *campaign, coins)
		if err != nil {
			return err
		}
		return s.committed(r, nil, line("paid %s to each of %s for campaign %s", lkc(amount), count(len(to), "account", "accounts"), *campaign))
	}
}

// pickPoolCoins chooses the campaign pool's largest coins until they cover
// total.
func pickPoolCoins(ctx context.Context, api API, total money.Amount) ([]string, error) {
	var coins []client.Coin
	var page client.PageRequest
	for {
		got, err := api.Coins(ctx, client.CampaignPool, page)
		if err != nil {
			return nil, err
		}
		coins = append(coins, got.Coins...)
		if got.Bookmark == "" {
			break
		}
		page.Bookmark = got.Bookmark
	}
	slices.SortFunc(coins, func(a, b client.Coin) int { return cmp.Or(b.Amount.Cmp(a.Amount), cmp.Compare(a.ID, b.ID)) })
	var ids []string
	var sum money.Amount
	for _, c := range coins {
		if total.LTE(sum) && len(ids) > 0 || len(ids) == client.MaxInputs {
			break
		}
		ids = append(ids, c.ID)
		sum = addCapped(sum, c.Amount)
	}
	if sum.LT(total) {
		return nil, errs.New(errs.InsufficientFunds, "the campaign pool's coins hold %s, the batch needs %s", lkc(sum), lkc(total))
	}
	return ids, nil
}

func rewardHistory(fs *flag.FlagSet) runFunc {
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
		page := client.RewardHistoryPage{Entries: []client.RewardHistoryEntry{}}
		page.Bookmark, err = p.pages(func(pr client.PageRequest) (string, error) {
			got, err := api.RewardHistory(ctx, account, pr)
			page.Entries = append(page.Entries, got.Entries...)
			return got.Bookmark, err
		})
		if err != nil {
			return err
		}
		defer s.more(page.Bookmark)
		return s.show(page, func(w io.Writer) error {
			if len(page.Entries) == 0 {
				_, err := fmt.Fprintf(w, "no rewards for %s\n", s.who(account))
				return err
			}
			t := newTable("TIME", "ACTIVITY", "AMOUNT>", "FOR~48", "TX")
			for _, e := range page.Entries {
				t.add(when(e.Time), e.Activity, lkc(e.Amount), e.Subject, short(e.TxID))
			}
			return t.render(w)
		})
	}
}

func moderationGroup() *group {
	return newGroup("moderation", "moderation", "the moderator directory: fees, descriptions, reputation",
		&command{name: "register", flags: "--description TEXT [--fee-bps BPS] [--fee-flat AMOUNT]", summary: "enter the directory with your fee and description (moderator)",
			tx: []string{"moderation:Register"}, setup: moderationRegister},
		&command{name: "update", flags: "[--description TEXT] [--fee-bps BPS] [--fee-flat AMOUNT] [--active=false]", summary: "change your entry; flags left out keep their value (moderator)",
			tx: []string{"moderation:Update", "moderation:Get"}, setup: moderationUpdate},
		&command{name: "get", args: "[ACCOUNT]", summary: "show a moderator with its reputation (you by default)",
			tx: []string{"moderation:Get"}, maxArgs: 1, setup: moderationGet},
		&command{name: "list", summary: "list the moderators, inactive ones included",
			tx: []string{"moderation:List"}, setup: moderationList},
	)
}

// feeFlags are a moderator's fee and description.
type feeFlags struct {
	bps, flat, description string
}

func addFeeFlags(fs *flag.FlagSet) *feeFlags {
	f := &feeFlags{}
	fs.StringVar(&f.bps, "fee-bps", "", "fee share of the disputed total, in basis points (`BPS`)")
	fs.StringVar(&f.flat, "fee-flat", "", "flat fee `AMOUNT` per dispute")
	fs.StringVar(&f.description, "description", "", "who you are and how you decide (`TEXT`)")
	return f
}

// apply sets over fee the flags given.
func (f *feeFlags) apply(set map[string]bool, fee *client.ModeratorFee, description *string) error {
	var err error
	if set["fee-bps"] {
		if fee.Bps, err = parseRate("--fee-bps", f.bps); err != nil {
			return err
		}
	}
	if set["fee-flat"] {
		if fee.Flat, err = parseAmount("--fee-flat", f.flat); err != nil {
			return err
		}
	}
	if set["description"] {
		*description = f.description
	}
	return nil
}

func moderationRegister(fs *flag.FlagSet) runFunc {
	req := requestFlag(fs)
	fee := addFeeFlags(fs)
	return func(ctx context.Context, s *session, _ []string) error {
		var r client.RegisterModeratorRequest
		if *req != "" {
			if err := s.readRequest(*req, &r); err != nil {
				return err
			}
		} else {
			if fee.description == "" {
				return s.cmd.usageErr("give --description TEXT (and --fee-bps, --fee-flat), or --request FILE")
			}
			if err := fee.apply(flagsSet(fs), &r.Fee, &r.Description); err != nil {
				return err
			}
		}
		api, err := s.client(ctx)
		if err != nil {
			return err
		}
		m, receipt, err := api.RegisterModerator(ctx, r)
		if err != nil {
			return err
		}
		return s.committed(receipt, m, func(w io.Writer) error {
			return s.moderatorFields(client.ModeratorProfile{Moderator: m}).render(w)
		})
	}
}

func moderationUpdate(fs *flag.FlagSet) runFunc {
	req := requestFlag(fs)
	fee := addFeeFlags(fs)
	active := fs.Bool("active", true, "take new disputes (--active=false stops them)")
	return func(ctx context.Context, s *session, _ []string) error {
		api, err := s.client(ctx)
		if err != nil {
			return err
		}
		var r client.UpdateModeratorRequest
		if *req != "" {
			if err := s.readRequest(*req, &r); err != nil {
				return err
			}
		} else {
			set := flagsSet(fs)
			if !set["fee-bps"] && !set["fee-flat"] && !set["description"] && !set["active"] {
				return s.cmd.usageErr("give what changes: --fee-bps, --fee-flat, --description and/or --active")
			}
			current, err := api.Moderator(ctx, api.Account())
			if err != nil {
				return err
			}
			r = client.UpdateModeratorRequest{Fee: current.Fee, Description: current.Description, Active: current.Active}
			if set["active"] {
				r.Active = *active
			}
			if err := fee.apply(set, &r.Fee, &r.Description); err != nil {
				return err
			}
		}
		m, receipt, err := api.UpdateModerator(ctx, r)
		if err != nil {
			return err
		}
		return s.committed(receipt, m, func(w io.Writer) error {
			return s.moderatorFields(client.ModeratorProfile{Moderator: m}).render(w)
		})
	}
}

// fee describes a moderator's fee: "2% + 500 LKC".
func fee(f client.ModeratorFee) string {
	switch {
	case f.Bps == 0 && f.Flat.IsZero():
		return "free"
	case f.Bps == 0:
		return lkc(f.Flat)
	case f.Flat.IsZero():
		return pct(f.Bps)
	}
	return pct(f.Bps) + " + " + lkc(f.Flat)
}

func (s *session) moderatorFields(m client.ModeratorProfile) *fields {
	var f fields
	f.add("moderator", s.whoFull(m.Account))
	f.add("fee", fee(m.Fee)+" of the disputed total")
	active := "yes, takes new disputes"
	if !m.Active {
		active = "no"
	}
	f.add("active", active)
	f.add("description", m.Description)
	f.add("resolved", strconv.FormatUint(m.Reputation.Resolved, 10))
	f.add("timed out", strconv.FormatUint(m.Reputation.ByFallback, 10))
	f.add("version", strconv.FormatUint(m.Version, 10))
	f.add("registered", when(m.RegisteredAt))
	if m.UpdatedAt != m.RegisteredAt {
		f.add("updated", when(m.UpdatedAt))
	}
	return &f
}

func moderationGet(*flag.FlagSet) runFunc {
	return func(ctx context.Context, s *session, args []string) error {
		account, err := s.accountOrMe(ctx, args, 0)
		if err != nil {
			return err
		}
		api, err := s.client(ctx)
		if err != nil {
			return err
		}
		m, err := api.Moderator(ctx, account)
		if err != nil {
			return err
		}
		return s.show(m, func(w io.Writer) error { return s.moderatorFields(m).render(w) })
	}
}

func moderationList(fs *flag.FlagSet) runFunc {
	p := addPager(fs)
	return func(ctx context.Context, s *session, _ []string) error {
		api, err := s.client(ctx)
		if err != nil {
			return err
		}
		page := client.ModeratorPage{Moderators: []client.ModeratorProfile{}}
		page.Bookmark, err = p.pages(func(pr client.PageRequest) (string, error) {
			got, err := api.Moderators(ctx, pr)
			page.Moderators = append(page.Moderators, got.Moderators...)
			return got.Bookmark, err
		})
		if err != nil {
			return err
		}
		defer s.more(page.Bookmark)
		return s.show(page, func(w io.Writer) error {
			if len(page.Moderators) == 0 {
				_, err := fmt.Fprintln(w, "no moderators")
				return err
			}
			t := newTable("MODERATOR", "FEE", "ACTIVE", "RESOLVED>", "TIMED OUT>", "DESCRIPTION~40")
			for _, m := range page.Moderators {
				t.add(s.who(m.Account), fee(m.Fee), yesNo(m.Active), strconv.FormatUint(m.Reputation.Resolved, 10),
					strconv.FormatUint(m.Reputation.ByFallback, 10), m.Description)
			}
			return t.render(w)
		})
	}
}
