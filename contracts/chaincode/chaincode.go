// Package chaincode is Likr's contract layer: one chaincode hosting named
// contracts (transaction names are contract:Function). Each method is thin:
// it decodes its arguments strictly, states who may call it in one line,
// delegates to a domain package and records business events. Every error
// leaving a method starts with a stable code from package errs.
//
// Arguments are strings (IDs, decimal amounts, or one JSON request decoded
// by package codec), because contract-api's own decoding of struct
// arguments accepts duplicate keys. Results are JSON strings whose amounts
// are decimal strings.
package chaincode

import (
	"encoding/json"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/likrcommerce/likr/contracts/errs"
)

// EventName is the name of the one chaincode event of a transaction; its
// payload is the JSON list of the transaction's business events, in order.
const EventName = "likr"

// New builds the chaincode with every contract.
func New() (*contractapi.ContractChaincode, error) {
	contracts := []contractapi.ContractInterface{
		newContract(&ConfigContract{}, "config"),
		newContract(&WalletContract{}, "wallet"),
	}
	cc, err := contractapi.NewChaincode(contracts...)
	if err != nil {
		return nil, err
	}
	cc.Info.Title = "Likr"
	cc.Info.Version = "1.0"
	cc.DefaultContract = "config"
	return cc, nil
}

// base is embedded by every contract: it sets the name, the per-invocation
// context and the hooks shared by all.
type base struct {
	contractapi.Contract
}

type namedContract interface {
	contractapi.ContractInterface
	setup(name string)
}

func newContract[T namedContract](c T, name string) T {
	c.setup(name)
	return c
}

func (b *base) setup(name string) {
	b.Name = name
	b.TransactionContextHandler = new(Context)
	b.AfterTransaction = emitEvents
	b.UnknownTransaction = unknownTransaction
}

// unknownTransaction refuses a function the contract does not have.
func unknownTransaction(ctx *Context) error {
	fn, _ := ctx.GetStub().GetFunctionAndParameters()
	return errs.New(errs.InvalidArgument, "unknown function %q", fn)
}

// emitEvents sets the transaction's one chaincode event from the business
// events the method recorded; nothing when there are none.
func emitEvents(ctx *Context) error {
	if len(ctx.events) == 0 {
		return nil
	}
	payload, err := json.Marshal(ctx.events)
	if err != nil {
		return errs.Wrap(errs.Internal, err, "encode events")
	}
	return ctx.GetStub().SetEvent(EventName, payload)
}

// result encodes a method's result as JSON.
func result(v any) (string, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return "", errs.Wrap(errs.Internal, err, "encode result")
	}
	return string(data), nil
}
