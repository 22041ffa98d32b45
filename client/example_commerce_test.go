package client_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/likrcommerce/likr/client"
	"github.com/likrcommerce/likr/contracts/errs"
)

// Order a listing: the client reads its price, pays price x quantity from
// the buyer's coins, and hints a stock shard that no other order of this
// Client for the product is using. (Compiled, not run: it needs a
// network.)
func ExampleClient_PlaceOrder() {
	ctx := context.Background()
	profile, err := client.LoadProfile("profiles/minji.json")
	if err != nil {
		log.Fatal(err)
	}
	c, err := client.Dial(ctx, profile)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	const seller = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c"
	o, receipt, err := c.PlaceOrder(ctx, client.PlaceOrderRequest{
		ID:       "2025-05-01-0001",
		Listing:  client.ListingRef{Owner: seller, Store: "main", ID: "sencha-100g"},
		Quantity: 2,
	})
	switch {
	case errors.Is(err, errs.ErrInsufficientStock):
		fmt.Println("sold out")
	case errors.Is(err, errs.ErrInsufficientFunds):
		fmt.Println("not enough LKC")
	case err != nil:
		log.Fatal(err)
	default:
		fmt.Printf("paid %s into escrow in %s (%d attempts)\n", o.Total, receipt.TxID, receipt.Attempts)
	}
}

// A supplier's sales of the last week, page by page.
func ExampleClient_SalesBySupplier() {
	ctx := context.Background()
	profile, err := client.LoadProfile("profiles/brand.json")
	if err != nil {
		log.Fatal(err)
	}
	c, err := client.Dial(ctx, profile)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	week := client.SalesRange{From: time.Now().AddDate(0, 0, -7)}
	var page client.PageRequest
	for {
		sales, err := c.SalesBySupplier(ctx, c.Account(), week, page)
		if err != nil {
			log.Fatal(err)
		}
		for _, s := range sales.Records {
			fmt.Println(s.SettledAt, s.Product, s.Quantity, s.SupplierAmount)
		}
		if sales.Bookmark == "" {
			break
		}
		page.Bookmark = sales.Bookmark
	}
}
