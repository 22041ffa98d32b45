package chaincode

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"

	"github.com/likrcommerce/likr/contracts/errs"
)

// metadataTransaction is contract-api's system transaction that returns the
// chaincode's metadata (contracts, transactions, evaluate tags); clients
// and tools such as the Fabric gateway's SDKs and VS Code call it.
const metadataTransaction = contractapi.SystemContractName + ":GetMetadata"

// Chaincode is the Likr chaincode a peer runs (it implements
// shim.Chaincode): a gate in front of contract-api's dispatch that answers
// every call naming no Likr transaction, or giving it the wrong number of
// arguments, with INVALID_ARGUMENT. contract-api would answer some of
// those calls itself, with messages without a code ("Contract not found
// with name x", "Blank function name passed"), route a name without a
// contract to the default contract, match the first letter in any case,
// and ignore extra arguments.
type Chaincode struct {
	api *contractapi.ContractChaincode
	// arity maps each transaction, "contract:Function", to its argument
	// count; metadataTransaction is one of them. Built by New, only read
	// after.
	arity map[string]int
	// contracts are the contract names in New's order, for messages.
	contracts []string
}

// newChaincode puts the gate in front of api, which hosts contracts, each
// already set up (their arity maps filled).
func newChaincode(api *contractapi.ContractChaincode, contracts []contract) *Chaincode {
	c := &Chaincode{api: api, arity: map[string]int{metadataTransaction: 0}}
	for _, ct := range contracts {
		b := ct.core()
		c.contracts = append(c.contracts, b.Name)
		for _, fn := range slices.Sorted(maps.Keys(b.arity)) {
			c.arity[b.Name+":"+fn] = b.arity[fn]
		}
	}
	return c
}

// ContractAPI returns the contract-api chaincode behind the gate, whose
// metadata describes every transaction. Calls to it directly bypass the
// gate; only tests make them.
func (c *Chaincode) ContractAPI() *contractapi.ContractChaincode { return c.api }

// Init answers the peer's init call (chaincode definitions that require
// one, --init-required): without a function it succeeds and does nothing,
// as contract-api's does, so such a definition can be initialised; with
// one it is an ordinary call. Likr itself needs no init call: a channel
// starts with config:Init, an ordinary transaction.
func (c *Chaincode) Init(stub shim.ChaincodeStubInterface) *peer.Response {
	if name, args := stub.GetFunctionAndParameters(); name == "" && len(args) == 0 {
		return shim.Success(nil)
	}
	return c.Invoke(stub)
}

// Invoke checks that the call names a transaction exactly and gives it its
// number of arguments, then lets contract-api dispatch it. A panic in a
// transaction becomes an INTERNAL error, whose writes Fabric discards like
// any failed proposal's: the shim does not recover panics, so one hostile
// call would otherwise stop the chaincode server for every channel.
func (c *Chaincode) Invoke(stub shim.ChaincodeStubInterface) (resp *peer.Response) {
	defer func() {
		if r := recover(); r != nil {
			resp = shim.Error(errs.New(errs.Internal, "the transaction failed unexpectedly: %s", errs.Quote(fmt.Sprint(r))).Error())
		}
	}()
	name, args := stub.GetFunctionAndParameters()
	if err := c.check(name, len(args)); err != nil {
		return shim.Error(err.Error())
	}
	return c.api.Invoke(stub)
}

// check accepts exactly a known contract:Function with its number of
// arguments, and says what is wrong otherwise.
func (c *Chaincode) check(name string, args int) error {
	want, known := c.arity[name]
	if known {
		if args != want {
			return errs.New(errs.InvalidArgument, "%s takes %d arguments, got %d", name, want, args)
		}
		return nil
	}
	quoted := errs.Quote(name)
	contract, fn, named := strings.Cut(name, ":")
	switch {
	case name == "":
		return errs.New(errs.InvalidArgument, "unknown transaction: the call names none; transactions are named contract:Function")
	case !named:
		return errs.New(errs.InvalidArgument, "unknown transaction %s: transactions are named contract:Function", quoted)
	case !slices.Contains(c.contracts, contract):
		return errs.New(errs.InvalidArgument, "unknown transaction %s: no contract %s; the contracts are %s",
			quoted, errs.Quote(contract), strings.Join(c.contracts, ", "))
	case fn == "":
		return errs.New(errs.InvalidArgument, "unknown transaction %s: the function name is empty", quoted)
	}
	return errs.New(errs.InvalidArgument, "unknown transaction %s; the %s contract's are named %s:Function", quoted, contract, contract)
}
