package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strconv"

	"github.com/likrcommerce/likr/client"
	"github.com/likrcommerce/likr/contracts/money"
)

func productGroup() *group {
	return newGroup("product", "product", "a supplier's products: immutable attributes, terms and stock",
		&command{name: "register", flags: "--id ID --attributes JSON --wholesale AMOUNT --min-retail AMOUNT --stock UNITS", summary: "add a product with its attributes, terms and stock (supplier)",
			tx: []string{"product:Register"}, setup: productRegister},
		&command{name: "update-terms", flags: "[--wholesale AMOUNT] [--min-retail AMOUNT] [--status STATUS]", args: "ID", summary: "change the terms of your product; flags left out keep their value (supplier)",
			tx: []string{"product:UpdateTerms"}, minArgs: 1, maxArgs: 1, setup: productUpdateTerms},
		&command{name: "restock", args: "ID UNITS", summary: "add units to the stock of your product (supplier)",
			tx: []string{"product:Restock"}, minArgs: 2, maxArgs: 2, setup: productRestock},
		&command{name: "get", args: "[SUPPLIER/]ID", summary: "show a product with the stock available now",
			tx: []string{"product:Get"}, minArgs: 1, maxArgs: 1,
			setup: recordCmd(firstArg((*session).productRef), API.Product, productAvailable)},
		&command{name: "list", args: "[SUPPLIER]", summary: "list a supplier's products (yours by default)",
			tx: []string{"product:List"}, maxArgs: 1,
			setup: listCmd(accountArg, API.Products, productPage, productsView)},
		&command{name: "history", args: "[SUPPLIER/]ID", summary: "list the committed versions of a product, newest first",
			tx: []string{"product:History"}, minArgs: 1, maxArgs: 1,
			setup: listCmd(firstArg((*session).productRef), API.ProductHistory, productHistoryPage, productHistoryView)},
		&command{name: "verify", flags: "--attributes JSON", args: "[SUPPLIER/]ID", summary: "check a description (--attributes) against the registered hash (exit 1 if it differs)",
			tx: []string{"product:VerifyAttributes"}, minArgs: 1, maxArgs: 1, setup: productVerify},
	)
}

// termsFlags are the flags of a product's terms.
type termsFlags struct {
	fs                           *flag.FlagSet
	wholesale, minRetail, status string
}

func addTermsFlags(fs *flag.FlagSet, status string) *termsFlags {
	t := &termsFlags{fs: fs}
	fs.StringVar(&t.wholesale, "wholesale", "", "wholesale price `AMOUNT` per unit, what you get at settlement")
	fs.StringVar(&t.minRetail, "min-retail", "", "the lowest retail price `AMOUNT` a store may list it at")
	fs.StringVar(&t.status, "status", status, "`STATUS`: active, hidden or discontinued (final)")
	return t
}

// apply sets over base the terms the command line gives, or, with all,
// every term (a new product).
func (t *termsFlags) apply(base client.ProductTerms, all bool) (client.ProductTerms, error) {
	set := flagsSet(t.fs)
	var v flagValues
	v.amount(all || set["wholesale"], &base.WholesalePrice, "--wholesale", t.wholesale)
	v.amount(all || set["min-retail"], &base.MinRetailPrice, "--min-retail", t.minRetail)
	if all || set["status"] {
		base.Status = t.status
	}
	return base, v.err
}

func productRegister(fs *flag.FlagSet) runFunc {
	req := requestFlag(fs)
	id := fs.String("id", "", "your `ID` for the product (letters, digits, - _ .)")
	attributes := fs.String("attributes", "", "the immutable attributes, a JSON object: inline, @FILE or - (`JSON`)")
	terms := addTermsFlags(fs, "active")
	stock := fs.Uint64("stock", 0, "initial stock in `UNITS`")
	return func(ctx context.Context, s *session, _ []string) error {
		var r client.RegisterProductRequest
		err := s.request(*req, &r, func() error {
			if *id == "" || *attributes == "" || terms.wholesale == "" || terms.minRetail == "" {
				return s.cmd.usageErr("give --id, --attributes, --wholesale and --min-retail (and --stock), or --request FILE")
			}
			attrs, err := s.readInput("--attributes", *attributes)
			if err != nil {
				return err
			}
			t, err := terms.apply(client.ProductTerms{}, true)
			if err != nil {
				return err
			}
			r = client.RegisterProductRequest{ID: *id, Attributes: attrs, Terms: t, Stock: *stock}
			return nil
		})
		if err != nil {
			return err
		}
		return submit(ctx, s, func(api API) (client.Product, client.Receipt, error) { return api.RegisterProduct(ctx, r) },
			func(p client.Product) *fields { return s.productFields(p, r.Stock) })
	}
}

func productUpdateTerms(fs *flag.FlagSet) runFunc {
	req := requestFlag(fs)
	terms := addTermsFlags(fs, "")
	attributes := fs.String("attributes", "", "optional: the registered attributes, sent back unchanged (`JSON`, @FILE or -)")
	return func(ctx context.Context, s *session, args []string) error {
		id := args[0]
		var r client.UpdateTermsRequest
		err := s.requestUpdate(ctx, *req, &r, func(api API) error {
			set := flagsSet(fs)
			if !set["wholesale"] && !set["min-retail"] && !set["status"] {
				return s.cmd.usageErr("give the terms to change: --wholesale, --min-retail and/or --status")
			}
			base := client.ProductTerms{}
			if !set["wholesale"] || !set["min-retail"] || !set["status"] {
				current, err := api.Product(ctx, client.ProductRef{Supplier: api.Account(), ID: id})
				if err != nil {
					return err
				}
				base = current.Terms
			}
			var err error
			if r.Terms, err = terms.apply(base, false); err != nil {
				return err
			}
			if *attributes != "" {
				r.Attributes, err = s.readInput("--attributes", *attributes)
			}
			return err
		})
		if err != nil {
			return err
		}
		return submit(ctx, s, func(api API) (client.Product, client.Receipt, error) { return api.UpdateProductTerms(ctx, id, r) },
			func(p client.Product) *fields { return s.productFields(p, 0) })
	}
}

func productRestock(*flag.FlagSet) runFunc {
	return func(ctx context.Context, s *session, args []string) error {
		units, err := parseUint("UNITS", args[1])
		if err != nil {
			return err
		}
		api, err := s.client(ctx)
		if err != nil {
			return err
		}
		p, r, err := api.Restock(ctx, args[0], units)
		if err != nil {
			return err
		}
		return s.committed(r, p, line("added %d units to %s", units, s.ref(p.Supplier, p.ID)))
	}
}

// productFields is a product as a record; stock is shown when known.
func (s *session) productFields(p client.Product, stock uint64) *fields {
	var f fields
	f.add("product", s.ref(p.Supplier, p.ID))
	f.add("name", productName(p.Attributes))
	f.add("wholesale", lkc(p.Terms.WholesalePrice))
	f.add("min retail", lkc(p.Terms.MinRetailPrice))
	f.add("status", p.Terms.Status)
	f.add("version", strconv.FormatUint(p.Version, 10))
	if stock > 0 {
		f.add("stock", fmt.Sprintf("%d units in %s", stock, count(p.Shards, "shard", "shards")))
	}
	f.addBlock("attributes", prettyJSON(p.Attributes))
	f.add("hash", p.AttributesHash)
	f.add("supplier", s.whoFull(p.Supplier))
	f.add("registered", when(p.RegisteredAt))
	if p.UpdatedAt != p.RegisteredAt {
		f.add("updated", when(p.UpdatedAt))
	}
	return &f
}

// productAvailable is a product with the stock available now.
func productAvailable(s *session, _ context.Context, p client.Product) *fields {
	f := s.productFields(p, 0)
	f.add("available", fmt.Sprintf("%d units", p.Available))
	return f
}

func productPage(p *client.ProductPage) (*[]client.Product, *string) { return &p.Products, &p.Bookmark }

func productsView(s *session, _ context.Context, w io.Writer, supplier string, products []client.Product) error {
	t := newTable("PRODUCT", "NAME~32", "WHOLESALE>", "MIN RETAIL>", "STATUS", "VERSION>")
	return rows(w, s.who(supplier)+" has no products", t, products, func(p client.Product) []string {
		return []string{p.ID, productName(p.Attributes), lkc(p.Terms.WholesalePrice), lkc(p.Terms.MinRetailPrice),
			p.Terms.Status, strconv.FormatUint(p.Version, 10)}
	})
}

func productHistoryPage(p *client.ProductHistoryPage) (*[]client.ProductHistoryEntry, *string) {
	return &p.Entries, &p.Bookmark
}

func productHistoryView(_ *session, _ context.Context, w io.Writer, _ client.ProductRef, entries []client.ProductHistoryEntry) error {
	t := newTable("TIME", "VERSION>", "WHOLESALE>", "MIN RETAIL>", "STATUS", "TX")
	return rows(w, "", t, entries, func(e client.ProductHistoryEntry) []string {
		if e.Deleted || e.Product == nil {
			return []string{when(e.Time), "", "", "", "(deleted)", short(e.TxID)}
		}
		return []string{when(e.Time), strconv.FormatUint(e.Product.Version, 10), lkc(e.Product.Terms.WholesalePrice),
			lkc(e.Product.Terms.MinRetailPrice), e.Product.Terms.Status, short(e.TxID)}
	})
}

func productVerify(fs *flag.FlagSet) runFunc {
	attributes := fs.String("attributes", "", "the description to check, a JSON object: inline, @FILE or - (`JSON`, required)")
	return func(ctx context.Context, s *session, args []string) error {
		if *attributes == "" {
			return s.cmd.usageErr("give the description to check with --attributes JSON")
		}
		ref, err := s.productRef(ctx, args[0])
		if err != nil {
			return err
		}
		attrs, err := s.readInput("--attributes", *attributes)
		if err != nil {
			return err
		}
		v, err := read(ctx, s, func(api API, ctx context.Context) (client.Verification, error) {
			return api.VerifyAttributes(ctx, ref, json.RawMessage(attrs))
		})
		if err != nil {
			return err
		}
		return s.showCheck(v, func(w io.Writer) error {
			var f fields
			f.add("result", verdict(v.Match, "match: the description is the registered attributes",
				"NO MATCH: the description differs from the registered attributes"))
			f.add("description hash", v.Hash)
			f.add("registered hash", v.StoredHash)
			f.add("terms version", strconv.FormatUint(v.Version, 10))
			return f.render(w)
		}, v.Match, fmt.Errorf("the description of %s does not match its registered attributes", s.ref(ref.Supplier, ref.ID)))
	}
}

func storeGroup() *group {
	return newGroup("store", "store", "sellers' stores and their listings",
		&command{name: "open", flags: "--id ID --name NAME", summary: "open a store (seller)",
			tx: []string{"store:Open"}, setup: storeOpen},
		&command{name: "add-listing", flags: "--store STORE --id ID --product SUPPLIER/ID --price AMOUNT [--referral-bps BPS]", summary: "list a supplier's product in your store at your price (seller)",
			tx: []string{"store:AddListing"}, setup: storeAddListing},
		&command{name: "update-listing", flags: "[--price AMOUNT] [--referral-bps BPS]", args: "STORE/LISTING", summary: "change the price or referral rate of your listing; flags left out keep their value",
			tx: []string{"store:UpdateListing"}, minArgs: 1, maxArgs: 1, setup: storeUpdateListing},
		&command{name: "remove-listing", args: "STORE/LISTING", summary: "withdraw your listing (orders placed keep it)",
			tx: []string{"store:RemoveListing"}, minArgs: 1, maxArgs: 1, setup: storeRemoveListing},
		&command{name: "get", args: "[OWNER/]STORE", summary: "show a store",
			tx: []string{"store:Get"}, minArgs: 1, maxArgs: 1,
			setup: recordCmd(firstArg((*session).storeRef), API.Store, func(s *session, _ context.Context, st client.Store) *fields {
				return s.storeFields(st)
			})},
		&command{name: "listing", args: "[OWNER/]STORE/LISTING", summary: "show a listing",
			tx: []string{"store:GetListing", "product:Get"}, minArgs: 1, maxArgs: 1,
			setup: recordCmd(firstArg((*session).listingRef), API.Listing, (*session).listingFields)},
		&command{name: "list", args: "[OWNER]", summary: "list an account's stores (yours by default)",
			tx: []string{"store:ListByOwner"}, maxArgs: 1,
			setup: listCmd(accountArg, API.Stores, storePage, storesView)},
		&command{name: "listings", args: "[OWNER/]STORE", summary: "list a store's listings, removed ones included",
			tx: []string{"store:ListListings", "product:Get"}, minArgs: 1, maxArgs: 1,
			setup: listCmd(firstArg((*session).storeRef), API.Listings, listingPage, listingsView)},
	)
}

func storeOpen(fs *flag.FlagSet) runFunc {
	req := requestFlag(fs)
	id := fs.String("id", "", "your `ID` for the store")
	name := fs.String("name", "", "the store's display `NAME`")
	return func(ctx context.Context, s *session, _ []string) error {
		r := client.OpenStoreRequest{ID: *id, Name: *name} // what --request leaves out
		err := s.request(*req, &r, func() error {
			if *id == "" || *name == "" {
				return s.cmd.usageErr("give --id and --name, or --request FILE")
			}
			return nil
		})
		if err != nil {
			return err
		}
		return submit(ctx, s, func(api API) (client.Store, client.Receipt, error) { return api.OpenStore(ctx, r) }, s.storeFields)
	}
}

func (s *session) storeFields(st client.Store) *fields {
	var f fields
	f.add("store", s.ref(st.Owner, st.ID))
	f.add("name", st.Name)
	f.add("kind", st.Kind)
	f.add("owner", s.whoFull(st.Owner))
	f.add("opened", when(st.OpenedAt))
	return &f
}

// listingFlags are the flags of a listing's terms.
type listingFlags struct {
	price, referral string
}

func addListingFlags(fs *flag.FlagSet) *listingFlags {
	l := &listingFlags{}
	fs.StringVar(&l.price, "price", "", "retail price `AMOUNT` per unit, at least the supplier's minimum")
	fs.StringVar(&l.referral, "referral-bps", "", "commission for a referring shop, in basis points of the order total (`BPS`, 500 = 5%)")
	return l
}

// apply sets the terms the command line gives.
func (l *listingFlags) apply(price *money.Amount, referral *money.Rate) error {
	var v flagValues
	v.amount(l.price != "", price, "--price", l.price)
	v.rate(l.referral != "", referral, "--referral-bps", l.referral)
	return v.err
}

// listingLayout lays out the listing a write returns.
func (s *session) listingLayout(ctx context.Context) func(client.Listing) *fields {
	return func(l client.Listing) *fields { return s.listingFields(ctx, l) }
}

func storeAddListing(fs *flag.FlagSet) runFunc {
	req := requestFlag(fs)
	store := fs.String("store", "", "your `STORE` to list it in")
	id := fs.String("id", "", "your `ID` for the listing")
	product := fs.String("product", "", "the product, `SUPPLIER/ID`")
	terms := addListingFlags(fs)
	return func(ctx context.Context, s *session, _ []string) error {
		var r client.AddListingRequest
		err := s.request(*req, &r, func() error {
			if *store == "" || *id == "" || *product == "" || terms.price == "" {
				return s.cmd.usageErr("give --store, --id, --product and --price (and --referral-bps), or --request FILE")
			}
			ref, err := s.productRef(ctx, *product)
			if err != nil {
				return err
			}
			r = client.AddListingRequest{Store: *store, ID: *id, Product: ref}
			return terms.apply(&r.Price, &r.ReferralBps)
		})
		if err != nil {
			return err
		}
		return submit(ctx, s, func(api API) (client.Listing, client.Receipt, error) { return api.AddListing(ctx, r) }, s.listingLayout(ctx))
	}
}

func storeUpdateListing(fs *flag.FlagSet) runFunc {
	req := requestFlag(fs)
	terms := addListingFlags(fs)
	return func(ctx context.Context, s *session, args []string) error {
		ref, err := s.listingRef(ctx, args[0])
		if err != nil {
			return err
		}
		var r client.UpdateListingRequest
		err = s.requestUpdate(ctx, *req, &r, func(api API) error {
			if terms.price == "" && terms.referral == "" {
				return s.cmd.usageErr("give what changes: --price and/or --referral-bps")
			}
			if terms.price == "" || terms.referral == "" {
				current, err := api.Listing(ctx, ref)
				if err != nil {
					return err
				}
				r = client.UpdateListingRequest{Price: current.Price, ReferralBps: current.ReferralBps}
			}
			return terms.apply(&r.Price, &r.ReferralBps)
		})
		if err != nil {
			return err
		}
		return submit(ctx, s, func(api API) (client.Listing, client.Receipt, error) {
			return api.UpdateListing(ctx, ref.Store, ref.ID, r)
		}, s.listingLayout(ctx))
	}
}

func storeRemoveListing(*flag.FlagSet) runFunc {
	return func(ctx context.Context, s *session, args []string) error {
		ref, err := s.listingRef(ctx, args[0])
		if err != nil {
			return err
		}
		return send(ctx, s, func(api API) (client.Receipt, error) { return api.RemoveListing(ctx, ref.Store, ref.ID) },
			line("removed listing %s", s.ref(ref.Owner, ref.Store, ref.ID)))
	}
}

// productLabel names a product for a person: its "name" attribute, read
// once per product and run; "" when it has none or cannot be read (the
// label is a courtesy, so its failure does not fail the command).
func (s *session) productLabel(ctx context.Context, ref client.ProductRef) string {
	if name, ok := s.names[ref]; ok {
		return name
	}
	name := ""
	if api, err := s.client(ctx); err == nil {
		if p, err := api.Product(ctx, ref); err == nil {
			name = productName(p.Attributes)
		}
	}
	if s.names == nil {
		s.names = map[client.ProductRef]string{}
	}
	s.names[ref] = name
	return name
}

func (s *session) listingFields(ctx context.Context, l client.Listing) *fields {
	var f fields
	f.add("listing", s.ref(l.Owner, l.Store, l.ID))
	f.add("product", s.ref(l.Product.Supplier, l.Product.ID))
	f.add("name", s.productLabel(ctx, l.Product))
	f.add("price", lkc(l.Price))
	f.add("referral", pctBps(l.ReferralBps))
	if l.ReferralOf != nil {
		f.add("refers to", s.ref(l.ReferralOf.Owner, l.ReferralOf.Store, l.ReferralOf.ID))
	}
	f.add("status", l.Status)
	f.add("version", strconv.FormatUint(l.Version, 10))
	f.add("created", when(l.CreatedAt))
	if l.UpdatedAt != l.CreatedAt {
		f.add("updated", when(l.UpdatedAt))
	}
	return &f
}

func storePage(p *client.StorePage) (*[]client.Store, *string) { return &p.Stores, &p.Bookmark }

func storesView(s *session, _ context.Context, w io.Writer, owner string, stores []client.Store) error {
	return rows(w, s.who(owner)+" has no stores", newTable("STORE", "NAME~32", "KIND", "OPENED"), stores, func(st client.Store) []string {
		return []string{st.ID, st.Name, st.Kind, when(st.OpenedAt)}
	})
}

func listingPage(p *client.ListingPage) (*[]client.Listing, *string) { return &p.Listings, &p.Bookmark }

// listingsView shows the column REFERS TO only when a listing refers to
// another.
func listingsView(s *session, ctx context.Context, w io.Writer, store client.StoreRef, listings []client.Listing) error {
	columns := []string{"LISTING", "PRODUCT", "NAME~32", "PRICE>", "REFERRAL>", "STATUS"}
	for _, l := range listings {
		if l.ReferralOf != nil {
			columns = append(columns, "REFERS TO")
			break
		}
	}
	return rows(w, s.ref(store.Owner, store.ID)+" has no listings", newTable(columns...), listings, func(l client.Listing) []string {
		row := []string{l.ID, s.ref(l.Product.Supplier, l.Product.ID), s.productLabel(ctx, l.Product), lkc(l.Price), pct(l.ReferralBps), l.Status}
		if l.ReferralOf != nil {
			row = append(row, s.ref(l.ReferralOf.Owner, l.ReferralOf.Store, l.ReferralOf.ID))
		}
		return row
	})
}
