package chaincode

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/hyperledger/fabric-contract-api-go/v2/metadata"

	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
)

// Version is the chaincode's API version, in every contract's metadata.
const Version = "1.0"

// EventName is the name of the one chaincode event of a transaction; its
// payload is the JSON list of the transaction's business events, in order.
const EventName = "likr"

// New builds the chaincode with every contract, behind the gate of
// Chaincode (dispatch.go). Adding a contract is one line here.
func New() (*Chaincode, error) {
	var contracts []contractapi.ContractInterface
	var likr []contract
	for _, c := range []struct {
		name     string
		contract contract
	}{
		{"config", &ConfigContract{}},
		{"wallet", &WalletContract{}},
		{"reward", &RewardContract{}},
		{"product", &ProductContract{}},
		{"store", &StoreContract{}},
		{"order", &OrderContract{}},
		{"review", &ReviewContract{}},
		{"moderation", &ModerationContract{}},
		{"sales", &SalesContract{}},
	} {
		if err := setup(c.contract, c.name); err != nil {
			return nil, err
		}
		contracts = append(contracts, c.contract)
		likr = append(likr, c.contract)
	}
	cc, err := contractapi.NewChaincode(contracts...)
	if err != nil {
		return nil, err
	}
	return newChaincode(cc, likr), nil
}

// contract is a Likr contract: a contract-api contract that embeds base.
type contract interface {
	contractapi.ContractInterface
	core() *base
}

// base is embedded by every contract: the name, the per-invocation
// context, and the checks and hooks shared by all.
type base struct {
	contractapi.Contract
	// arity maps each transaction of the contract to its argument count.
	// setup fills it before the chaincode runs; it is only read after.
	arity map[string]int
}

func (b *base) core() *base { return b }

// setup names c, installs the shared context and hooks, and records the
// arity of each transaction. contract-api publishes every exported method
// of a contract as a transaction, except its own hooks (GetName,
// GetEvaluateTransactions, ...); setup requires each of them to take
// *Context and then strings only, and to return error or (string, error),
// for the reasons in the package doc.
func setup(c contract, name string) error {
	b := c.core()
	b.Name = name
	// contract-api builds the metadata when the chaincode is created, from
	// each contract's Info (the chaincode's own Info is read too early to
	// set, so it reads "undefined").
	b.Info = metadata.InfoMetadata{Title: "Likr " + name, Version: Version}
	b.TransactionContextHandler = new(Context)
	b.AfterTransaction = emitEvents
	b.arity = map[string]int{}
	t := reflect.TypeOf(c)
	for i := range t.NumMethod() {
		m := t.Method(i)
		if isHook(m.Name) {
			continue
		}
		if err := checkSignature(m.Type); err != nil {
			return fmt.Errorf("%s:%s: %w", name, m.Name, err)
		}
		b.arity[m.Name] = m.Type.NumIn() - 2
	}
	return nil
}

// isHook reports whether contract-api calls a method itself instead of
// publishing it as a transaction.
func isHook(method string) bool {
	for _, t := range []reflect.Type{
		reflect.TypeFor[contractapi.ContractInterface](),
		reflect.TypeFor[contractapi.EvaluationContractInterface](),
		reflect.TypeFor[contractapi.IgnoreContractInterface](),
	} {
		if _, ok := t.MethodByName(method); ok {
			return true
		}
	}
	return false
}

// checkSignature checks a transaction method's type (receiver first).
func checkSignature(t reflect.Type) error {
	stringType, errorType := reflect.TypeFor[string](), reflect.TypeFor[error]()
	if t.NumIn() < 2 || t.In(1) != reflect.TypeFor[*Context]() {
		return errors.New("the first parameter must be *Context")
	}
	for i := 2; i < t.NumIn(); i++ {
		if t.In(i) != stringType {
			return fmt.Errorf("parameter %d is %s; transactions take strings", i-2, t.In(i))
		}
	}
	switch {
	case t.NumOut() == 1 && t.Out(0) == errorType:
	case t.NumOut() == 2 && t.Out(0) == stringType && t.Out(1) == errorType:
	default:
		return fmt.Errorf("returns %s; transactions return error or (string, error)", t)
	}
	return nil
}

// emitEvents runs after every successful transaction and sets its one
// chaincode event from the business events the method recorded; nothing
// when there are none.
func emitEvents(ctx *Context) error {
	if len(ctx.events) == 0 {
		return nil
	}
	payload, err := json.Marshal(ctx.events)
	if err != nil {
		return errs.Wrap(errs.Internal, err, "encode events")
	}
	if err := ctx.GetStub().SetEvent(EventName, payload); err != nil {
		return errs.Wrap(errs.Internal, err, "set event")
	}
	return nil
}

// result encodes a transaction's result as JSON, without HTML escaping: a
// product's canonical attributes must reach the client as the bytes whose
// hash the ledger keeps.
func result(v any) (string, error) {
	b, err := ledger.Marshal(v)
	if err != nil {
		return "", errs.Wrap(errs.Internal, err, "encode result")
	}
	return string(b), nil
}
