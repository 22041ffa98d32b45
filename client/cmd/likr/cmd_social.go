package main

import (
	"cmp"
	"context"
	"flag"
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
			tx: []string{"review:Get"}, minArgs: 1, maxArgs: 1, setup: recordCmd(firstArg((*session).orderRef), API.Review, (*session).reviewNamed)},
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
		r := client.PostReviewRequest{Order: args[0], Rating: *rating, Text: *text} // what --request leaves out
		err := s.request(*req, &r, func() error {
			if *rating < 1 || *rating > 5 {
				return s.cmd.usageErr("give --rating from 1 to 5")
			}
			return nil
		})
		if err != nil {
			return err
		}
		return submit(ctx, s, func(api API) (client.ReviewOutcome, client.Receipt, error) { return api.PostReview(ctx, r) }, func(out client.ReviewOutcome) *fields {
			f := &fields{}
			if out.Review != nil {
				f = s.reviewFields(*out.Review)
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
			return f
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

// reviewNamed is a review with the name of its product.
func (s *session) reviewNamed(ctx context.Context, r client.Review) *fields {
	f := s.reviewFields(r)
	f.add("name", s.productLabel(ctx, r.Product))
	return f
}

// subjectFlags pick a product or a store.
type subjectFlags struct{ product, store string }

func addSubjectFlags(fs *flag.FlagSet) *subjectFlags {
	f := &subjectFlags{}
	fs.StringVar(&f.product, "product", "", "product `SUPPLIER/ID`")
	fs.StringVar(&f.store, "store", "", "store `OWNER/STORE`")
	return f
}

// pick resolves the one subject given and hands it to product or store.
func (f *subjectFlags) pick(ctx context.Context, s *session, product func(client.ProductRef) error, store func(client.StoreRef) error) error {
	if given(f.product, f.store) != 1 {
		return s.cmd.usageErr("give one of --product SUPPLIER/ID and --store OWNER/STORE")
	}
	if f.product != "" {
		ref, err := s.productRef(ctx, f.product)
		if err != nil {
			return err
		}
		return product(ref)
	}
	ref, err := s.storeRef(ctx, f.store)
	if err != nil {
		return err
	}
	return store(ref)
}

func reviewList(fs *flag.FlagSet) runFunc {
	p := addPager(fs)
	subject := addSubjectFlags(fs)
	return func(ctx context.Context, s *session, _ []string) error {
		var source pageSource[client.ReviewPage]
		err := subject.pick(ctx, s,
			func(ref client.ProductRef) error { source = pagesOf(API.ReviewsByProduct, ref); return nil },
			func(ref client.StoreRef) error { source = pagesOf(API.ReviewsByStore, ref); return nil })
		if err != nil {
			return err
		}
		return showPages(ctx, s, p, reviewPage, source, func(w io.Writer, reviews []client.Review) error {
			t := newTable("ORDER", "RATING>", "TEXT~40", "PRODUCT", "POSTED")
			return rows(w, "no reviews", t, reviews, func(r client.Review) []string {
				return []string{s.ref(r.Buyer, r.Order), strconv.Itoa(r.Rating) + "/5", r.Text, s.ref(r.Product.Supplier, r.Product.ID), when(r.PostedAt)}
			})
		})
	}
}

func reviewPage(p *client.ReviewPage) (*[]client.Review, *string) { return &p.Reviews, &p.Bookmark }

func reviewRating(fs *flag.FlagSet) runFunc {
	subject := addSubjectFlags(fs)
	return func(ctx context.Context, s *session, _ []string) error {
		var r client.Rating
		var what string
		err := subject.pick(ctx, s, func(ref client.ProductRef) (err error) {
			if r, err = readBy(ctx, s, API.ProductRating, ref); err != nil {
				return err
			}
			what = s.ref(ref.Supplier, ref.ID)
			if name := s.productLabel(ctx, ref); name != "" {
				what += " (" + name + ")"
			}
			return nil
		}, func(ref client.StoreRef) (err error) {
			r, err = readBy(ctx, s, API.StoreRating, ref)
			what = s.ref(ref.Owner, ref.ID)
			return err
		})
		if err != nil {
			return err
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
			tx: []string{"reward:FundPool"}, minArgs: 1, maxArgs: 1, setup: spendCmd(API.FundPool, "paid %s into the campaign pool")},
		&command{name: "batch", flags: "--campaign ID --each AMOUNT", args: "ACCOUNT...", summary: "pay a campaign reward of --each to every account from the pool (admin)",
			tx: []string{"reward:BatchReward", "wallet:Coins"}, minArgs: 1, maxArgs: -1, setup: rewardBatch},
		&command{name: "history", args: "[ACCOUNT]", summary: "list the rewards an account received (yours by default)",
			tx: []string{"reward:History"}, maxArgs: 1, setup: listCmd(accountArg, API.RewardHistory, rewardHistoryPage, rewardHistoryView)},
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
		var rule client.RewardRule
		err := s.requestUpdate(ctx, *req, &rule, func(api API) error {
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
			var v flagValues
			v.amount(set["fixed"], &rule.Fixed, "--fixed", *fixed)
			v.rate(set["rate-bps"], &rule.RateBps, "--rate-bps", *rate)
			v.amount(set["daily-cap"], &rule.DailyCap, "--daily-cap", *dailyCap)
			rule.Enabled = *enabled
			return v.err
		})
		if err != nil {
			return err
		}
		return submit(ctx, s, func(api API) (client.RewardRule, client.Receipt, error) { return api.SetRewardRule(ctx, rule) },
			func(got client.RewardRule) *table { return rulesTable([]client.RewardRule{got}) })
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
		rules, err := read(ctx, s, API.RewardRules)
		if err != nil {
			return err
		}
		if rules == nil {
			rules = []client.RewardRule{}
		}
		return s.show(rules, rulesTable(rules).render)
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
		amount, to, err := s.recipients(*each, args)
		if err != nil {
			return err
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
		return send(ctx, s, func(api API) (client.Receipt, error) { return api.BatchReward(ctx, to, amount, *campaign, coins) },
			line("paid %s to each of %s for campaign %s", lkc(amount), count(len(to), "account", "accounts"), *campaign))
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

func rewardHistoryPage(p *client.RewardHistoryPage) (*[]client.RewardHistoryEntry, *string) {
	return &p.Entries, &p.Bookmark
}

func rewardHistoryView(s *session, _ context.Context, w io.Writer, account string, entries []client.RewardHistoryEntry) error {
	t := newTable("TIME", "ACTIVITY", "AMOUNT>", "FOR~48", "TX")
	return rows(w, "no rewards for "+s.who(account), t, entries, func(e client.RewardHistoryEntry) []string {
		return []string{when(e.Time), e.Activity, lkc(e.Amount), e.Subject, short(e.TxID)}
	})
}

func moderationGroup() *group {
	return newGroup("moderation", "moderation", "the moderator directory: fees, descriptions, reputation",
		&command{name: "register", flags: "--description TEXT [--fee-bps BPS] [--fee-flat AMOUNT]", summary: "enter the directory with your fee and description (moderator)",
			tx: []string{"moderation:Register"}, setup: moderationRegister},
		&command{name: "update", flags: "[--description TEXT] [--fee-bps BPS] [--fee-flat AMOUNT] [--active=false]", summary: "change your entry; flags left out keep their value (moderator)",
			tx: []string{"moderation:Update", "moderation:Get"}, setup: moderationUpdate},
		&command{name: "get", args: "[ACCOUNT]", summary: "show a moderator with its reputation (you by default)",
			tx: []string{"moderation:Get"}, maxArgs: 1,
			setup: recordCmd(accountArg, API.Moderator, func(s *session, _ context.Context, m client.ModeratorProfile) *fields {
				return s.moderatorFields(m)
			})},
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
	var v flagValues
	v.rate(set["fee-bps"], &fee.Bps, "--fee-bps", f.bps)
	v.amount(set["fee-flat"], &fee.Flat, "--fee-flat", f.flat)
	if set["description"] {
		*description = f.description
	}
	return v.err
}

// moderatorEntry is the entry a write returns, without the reputation it
// does not carry.
func (s *session) moderatorEntry(m client.Moderator) *fields {
	return s.moderatorFields(client.ModeratorProfile{Moderator: m})
}

func moderationRegister(fs *flag.FlagSet) runFunc {
	req := requestFlag(fs)
	fee := addFeeFlags(fs)
	return func(ctx context.Context, s *session, _ []string) error {
		var r client.RegisterModeratorRequest
		err := s.request(*req, &r, func() error {
			if fee.description == "" {
				return s.cmd.usageErr("give --description TEXT (and --fee-bps, --fee-flat), or --request FILE")
			}
			return fee.apply(flagsSet(fs), &r.Fee, &r.Description)
		})
		if err != nil {
			return err
		}
		return submit(ctx, s, func(api API) (client.Moderator, client.Receipt, error) { return api.RegisterModerator(ctx, r) }, s.moderatorEntry)
	}
}

func moderationUpdate(fs *flag.FlagSet) runFunc {
	req := requestFlag(fs)
	fee := addFeeFlags(fs)
	active := fs.Bool("active", true, "take new disputes (--active=false stops them)")
	return func(ctx context.Context, s *session, _ []string) error {
		var r client.UpdateModeratorRequest
		err := s.requestUpdate(ctx, *req, &r, func(api API) error {
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
			return fee.apply(set, &r.Fee, &r.Description)
		})
		if err != nil {
			return err
		}
		return submit(ctx, s, func(api API) (client.Moderator, client.Receipt, error) { return api.UpdateModerator(ctx, r) }, s.moderatorEntry)
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

func moderationList(fs *flag.FlagSet) runFunc {
	p := addPager(fs)
	return func(ctx context.Context, s *session, _ []string) error {
		return showPages(ctx, s, p, moderatorPage, API.Moderators, func(w io.Writer, moderators []client.ModeratorProfile) error {
			t := newTable("MODERATOR", "FEE", "ACTIVE", "RESOLVED>", "TIMED OUT>", "DESCRIPTION~40")
			return rows(w, "no moderators", t, moderators, func(m client.ModeratorProfile) []string {
				return []string{s.who(m.Account), fee(m.Fee), yesNo(m.Active), strconv.FormatUint(m.Reputation.Resolved, 10),
					strconv.FormatUint(m.Reputation.ByFallback, 10), m.Description}
			})
		})
	}
}

func moderatorPage(p *client.ModeratorPage) (*[]client.ModeratorProfile, *string) {
	return &p.Moderators, &p.Bookmark
}
