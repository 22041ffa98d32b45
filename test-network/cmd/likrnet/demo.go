package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/likrcommerce/likr/fixtures"
)

// demo plays the commerce story through the likr CLI with the fixture
// identities, on the network that `make network-up` started, printing
// every command and what it answered. The numbers are those of
// client/story_network_test.go, which plays the same story through the
// library and asserts every one of them.
func (c *cli) demo(ctx context.Context) error {
	n, err := c.load()
	if err != nil {
		return err
	}
	cat, err := fixtures.LoadCatalogue()
	if err != nil {
		return err
	}
	d := &demoRun{ctx: ctx, likr: c.tools.Bin("likr"), network: c.dir, repo: c.repo}
	if _, err := os.Stat(d.likr); err != nil {
		return fmt.Errorf("the likr CLI is missing (%w): run `make demo`, which builds it", err)
	}
	fmt.Println("Likr: social commerce on Hyperledger Fabric, played through the likr command line.")
	fmt.Printf("The network runs as native processes on 127.0.0.1: 3 Raft orderers, a peer and a Fabric CA\n"+
		"for each of two organisations, and the chaincode %s as a service.\n", n.PackageID)
	fmt.Println("Org1 runs the platform (admin, auditor, moderator, consumers Minji and Jisoo);")
	fmt.Println("Org2 hosts a cosmetics brand (supplier) and a micro seller. Amounts are in Likr coin (LKC).")

	d.step("The platform admin founds the channel, sets the reward rules and funds everyone",
		"Rewards are paid out of each order's 5% platform fee: 1% for a purchase, 200 for a review,\n"+
			"100 when a review opens a resale shop, 1% to a reseller for a sale it referred.")
	d.run("admin", "config", "init", "--request", filepath.Join(c.repo, "fixtures", "config.json"))
	d.run("admin", "reward", "set-rule", "--activity", "purchase", "--rate-bps", "100")
	d.run("admin", "reward", "set-rule", "--activity", "review", "--fixed", "200", "--daily-cap", "1000")
	d.run("admin", "reward", "set-rule", "--activity", "conversion", "--fixed", "100")
	d.run("admin", "reward", "set-rule", "--activity", "referred_sale", "--rate-bps", "100")
	d.run("admin", "wallet", "mint", "@admin", "1000000")
	d.run("admin", "reward", "fund-pool", "100000")
	d.run("admin", "wallet", "batch-transfer", "--each", "100000", "@minji", "@jisoo")
	d.fail("minji", "Minji has no admin role, so she cannot mint", "wallet", "mint", "@minji", "5")

	d.step("The brand registers its products",
		"The attributes never change: the ledger keeps their SHA-256. Anyone can check a description against it.")
	for _, p := range cat.Products {
		d.run(cat.Supplier, "product", "register", "--id", p.ID, "--attributes", string(p.Attributes),
			"--wholesale", p.WholesalePrice, "--min-retail", p.MinRetailPrice, "--stock", fmt.Sprint(p.Stock))
	}
	d.run("jisoo", "product", "verify", "--attributes", reversedKeys(cat.Products[0].Attributes), "@brand/"+cat.Products[0].ID)
	d.fail(cat.Supplier, "a changed attribute is refused", "product", "update-terms", "--request", "-", cat.Products[0].ID)

	d.step("A micro seller opens a store and lists the products; a moderator offers to settle disputes", "")
	d.run(cat.Store.Owner, "store", "open", "--id", cat.Store.ID, "--name", cat.Store.Name)
	for _, l := range cat.Listings {
		d.run(cat.Store.Owner, "store", "add-listing", "--store", cat.Store.ID, "--id", l.ID,
			"--product", "@brand/"+l.Product, "--price", l.Price, "--referral-bps", fmt.Sprint(l.ReferralBps))
	}
	d.run("moderator", "moderation", "register", "--fee-bps", "100", "--fee-flat", "500", "--description", "분쟁 조정 — fair, within a day")

	listing := "@" + cat.Store.Owner + "/" + cat.Store.ID + "/"
	d.step("Minji buys two toners; the price is computed on chain and her coins wait in escrow",
		"The seller ships, Minji confirms, and settlement pays the brand its wholesale price, the platform its fee\n"+
			"(Minji's purchase reward comes out of it) and the seller the rest, in one transaction.")
	d.run("minji", "order", "place", "--id", "o-1", "--listing", listing+"toner", "--qty", "2")
	d.run("seller", "order", "ship", "--carrier", "CJ대한통운", "--tracking", "6012-0001", "@minji/o-1")
	d.run("minji", "order", "confirm", "o-1")

	d.step("Minji reviews her purchase: the review opens her personal resale shop",
		"The shop lists a referral to the listing she bought from; the review and the shop earn her rewards.")
	d.run("minji", "review", "post", "--rating", "5", "--text", "향이 좋아요. Smells lovely.", "o-1")
	d.run("minji", "store", "listings", "@minji/personal")

	d.step("Her friend Jisoo buys a toner through Minji's shop",
		"Minji earns the listing's 10% commission and a 1% referred-sale reward at settlement.")
	d.run("jisoo", "order", "place", "--id", "j-1", "--listing", listing+"toner", "--referrer", "@minji/personal")
	d.run("seller", "order", "ship", "--carrier", "우체국", "--tracking", "KP-17", "@jisoo/j-1")
	d.run("jisoo", "order", "confirm", "j-1")
	d.run("jisoo", "review", "post", "--rating", "4", "--text", "좋아요", "j-1")

	d.step("Jisoo's cushion arrives cracked: she opens a dispute, the moderator settles it",
		"The moderator's fee (500 + 1% = 740 at most) is fixed when the dispute opens. Half of the rest goes\n"+
			"back to Jisoo; the other half settles in proportion, so the brand, the platform and the seller each\n"+
			"receive half their share.")
	d.run("jisoo", "order", "place", "--id", "j-2", "--listing", listing+"cushion")
	d.run("seller", "order", "ship", "--carrier", "CJ대한통운", "--tracking", "6012-0002", "@jisoo/j-2")
	d.run("jisoo", "order", "dispute", "--moderator", "@moderator", "--reason", "케이스가 깨져서 왔어요 (cracked case)", "j-2")
	d.run("moderator", "order", "resolve", "--buyer-share-bps", "5000", "--fee", "500", "@jisoo/j-2")

	d.step("A launch campaign pays both consumers from the foundation's pool", "")
	d.run("admin", "reward", "batch", "--campaign", "launch-week", "--each", "500", "@minji", "@jisoo")

	d.step("The auditor reads the sales ledger, the day's totals, reconciles them and audits the supply", "")
	d.run("auditor", "sales", "by-supplier", "@brand")
	d.run("auditor", "sales", "totals", "--supplier", "@brand")
	d.run("auditor", "sales", "reconcile")
	d.run("auditor", "wallet", "audit")
	if d.err != nil {
		return d.err
	}
	return d.summary()
}

// demoRun runs likr commands and prints them; the first failure stops the
// rest.
type demoRun struct {
	ctx                 context.Context
	likr, network, repo string
	steps               int
	err                 error
}

func (d *demoRun) step(title, about string) {
	if d.err != nil {
		return
	}
	d.steps++
	fmt.Printf("\n%d. %s\n", d.steps, title)
	if about != "" {
		fmt.Println("   " + strings.ReplaceAll(about, "\n", "\n   "))
	}
}

// cmd runs likr as profile with args, stdin as its standard input, and
// prints the command and its output.
func (d *demoRun) cmd(stdin, profile string, args ...string) ([]byte, error) {
	out, err := d.quiet(stdin, profile, args...)
	fmt.Printf("\n   $ likr %s\n", shellQuote(append([]string{"--profile", profile}, args...), d.repo))
	if text := strings.TrimRight(string(out), "\n"); text != "" {
		fmt.Println("     " + strings.ReplaceAll(text, "\n", "\n     "))
	}
	return out, err
}

// quiet runs likr as profile with args and prints nothing.
func (d *demoRun) quiet(stdin, profile string, args ...string) ([]byte, error) {
	full := append([]string{"--profile", profile}, args...)
	cmd := exec.CommandContext(d.ctx, d.likr, full...)
	cmd.Env = append(os.Environ(), "LIKR_NETWORK="+d.network)
	cmd.Dir = d.repo
	cmd.Stdin = strings.NewReader(stdin)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.Bytes(), err
}

func (d *demoRun) run(profile string, args ...string) {
	if d.err != nil {
		return
	}
	if _, err := d.cmd("", profile, args...); err != nil {
		d.err = fmt.Errorf("likr %s: %w", strings.Join(args[:2], " "), err)
	}
}

// fail runs a command that must be refused, showing the refusal.
func (d *demoRun) fail(profile, why string, args ...string) {
	if d.err != nil {
		return
	}
	fmt.Printf("\n   (%s)", why)
	stdin := ""
	if args[len(args)-2] == "-" { // update-terms: a changed attribute
		stdin = `{"terms":{"wholesalePrice":"6000","minRetailPrice":"9000","status":"active"},"attributes":{"name":"renamed"}}`
	}
	if _, err := d.cmd(stdin, profile, args...); err == nil {
		d.err = fmt.Errorf("likr %s succeeded; the demo expected a refusal", strings.Join(args[:2], " "))
	}
}

// summary prints every balance, read by the auditor.
func (d *demoRun) summary() error {
	fmt.Printf("\n%d. Where the money is: the auditor reads every balance (likr --profile auditor wallet balance HOLDER)\n\n", d.steps+1)
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "   holder\t\tbalance (LKC)")
	for _, h := range []struct{ holder, about string }{
		{"@admin", "the platform admin"},
		{"~pool.campaign", "the foundation's campaign pool"},
		{"~platform.fees", "platform fees, after the rewards they paid"},
		{"@brand", "the supplier"},
		{"@seller", "the micro seller"},
		{"@minji", "consumer and reseller"},
		{"@jisoo", "her friend"},
		{"@moderator", "the moderator"},
	} {
		out, err := d.quiet("", "auditor", "--json", "wallet", "balance", h.holder)
		if err != nil {
			return err
		}
		var v struct {
			Balance string `json:"balance"`
		}
		if err := json.Unmarshal(out, &v); err != nil {
			return fmt.Errorf("balance of %s: %w", h.holder, err)
		}
		fmt.Fprintf(tw, "   %s\t%s\t%13s\n", h.holder, h.about, v.Balance)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Println("\n   The rest of the supply waits in Jisoo's unreviewed cushion order's reward reserve.")
	fmt.Println("\ndone. The network keeps running: `make status` shows it, `make network-down` stops it,")
	fmt.Println("and `.likr/bin/likr --profile minji wallet history` (or any likr command) explores it.")
	return nil
}

// shellQuote renders args as a person would type them.
func shellQuote(args []string, repo string) string {
	quoted := make([]string, len(args))
	for i, a := range args {
		a = strings.TrimPrefix(a, repo+string(filepath.Separator))
		if a == "" || strings.ContainsAny(a, " \"'{}$&|;<>()*?!\\") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		quoted[i] = a
	}
	return strings.Join(quoted, " ")
}

// reversedKeys returns a JSON object with its top-level keys in reverse
// order: the same attributes, canonically.
func reversedKeys(obj json.RawMessage) string {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(obj, &m); err != nil {
		return string(obj)
	}
	keys := slices.Sorted(maps.Keys(m))
	var b strings.Builder
	b.WriteString("{")
	for i := range keys {
		k := keys[len(keys)-1-i]
		if i > 0 {
			b.WriteString(",")
		}
		name, _ := json.Marshal(k)
		b.Write(name)
		b.WriteString(":")
		b.Write(m[k])
	}
	b.WriteString("}")
	return b.String()
}
