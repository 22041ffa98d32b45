package client_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	gatewaypb "github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/likrcommerce/likr/client"
	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/money"
)

// Connect as an identity, pay, and branch on the chaincode's error codes.
// (Compiled, not run: it needs a network. The package's network test runs
// the same calls.)
func Example() {
	ctx := context.Background()
	profile, err := client.LoadProfile("profiles/minji.json")
	if err != nil {
		log.Fatal(err)
	}
	c, err := client.Dial(ctx, profile, client.WithRetry(5, 50*time.Millisecond))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	const friend = "5f1c0b1e8e6f4c2a9d3b7e4f0a1b2c3d4e5f6a7b"
	receipt, err := c.Transfer(ctx, friend, money.NewAmount(250))
	var coded *errs.Error
	switch {
	case errors.Is(err, errs.ErrInsufficientFunds):
		fmt.Println("not enough LKC")
	case errors.As(err, &coded):
		fmt.Println("refused:", coded.Code, coded.Detail)
	case err != nil:
		log.Fatal(err) // the network, not the contract: see the phase error's type
	default:
		fmt.Println("paid in transaction", receipt.TxID)
	}
	s := c.Stats()
	fmt.Printf("%d conflicts in %d attempts\n", s.Conflicts(), s.Attempts)
}

// Spend chosen coins instead of letting the client pick them.
func ExampleWithInputs() {
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
	page, err := c.Coins(ctx, c.Account(), client.PageRequest{})
	if err != nil || len(page.Coins) == 0 {
		log.Fatal("no coins: ", err)
	}
	oldest := page.Coins[0]
	if _, err := c.Burn(ctx, oldest.Amount, client.WithInputs(oldest.ID)); err != nil {
		log.Fatal(err)
	}
}

// The gateway reports a chaincode's error only in its per-peer details;
// CodedError recovers it for code that calls fabric-gateway directly (this
// package's own calls already do). Here the error is built the way the
// gateway builds it.
func ExampleCodedError() {
	st, _ := status.New(codes.Aborted, "failed to endorse transaction, see attached details for more info").
		WithDetails(&gatewaypb.ErrorDetail{
			Address: "peer0.org1.example.com:7051", MspId: "Org1MSP",
			Message: "chaincode response 500, INSUFFICIENT_FUNDS: inputs of 1a2b hold 5, need 10",
		})
	gatewayErr := st.Err()

	coded, ok := client.CodedError(gatewayErr)
	fmt.Println(ok, coded.Code)
	fmt.Println(errors.Is(coded, errs.ErrInsufficientFunds))
	fmt.Println(coded.Detail)
	// Output:
	// true INSUFFICIENT_FUNDS
	// true
	// inputs of 1a2b hold 5, need 10
}
