// Package calibration is likrcal, the benchmark's calibration chaincode: the
// smallest transactions a Fabric channel runs, deployed beside likr on the
// same channel (its own chaincode server, served as a service exactly like
// likr) so that `make bench` reports every Likr workload as a ratio against
// a baseline measured in the same run, on the same network, at the same
// concurrency. Absolute figures change with the machine and with whatever
// else it runs; the ratios are what the performance goals are about.
//
// It is not part of Likr's business: no client calls it, and it holds
// nothing of value. It deliberately skips what likr does on every call
// (identity and role checks, strict JSON decoding, events), because a
// baseline is the cost of the pipeline with as little chaincode work as a
// transaction of its shape can have.
//
// # Key layout
//
//	cal.asset  id  -> Asset            one key per CreateAsset
//	cal.counter    -> {"value":N}      the one counter key
//
// # What each transaction reads and writes
//
//	calibration:NoOp              reads nothing, writes nothing: the ceiling of
//	                              the endorse-order-validate-commit pipeline.
//	calibration:CreateAsset(id)   reads the asset key (must be absent), writes it:
//	                              one new key with an existence check, like the
//	                              asset-transfer sample's CreateAsset. The main
//	                              denominator of the write workloads.
//	calibration:ReadAsset(id)     reads the asset key (evaluate): the read
//	                              baseline.
//	calibration:IncrementCounter  reads and writes the one counter key: the naive
//	                              control. Every transaction of it conflicts with
//	                              every other in flight, so at most one per block
//	                              commits; it shows what a hot key costs, the
//	                              design Likr's ledger rules forbid.
//
// Errors start with a stable code of package errs, as likr's do.
package calibration

import (
	"encoding/json"
	"strconv"

	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"

	"github.com/likrcommerce/likr/contracts/codec"
	"github.com/likrcommerce/likr/contracts/errs"
	"github.com/likrcommerce/likr/contracts/ledger"
)

// ContractName is the contract's name: its transactions are
// "calibration:NoOp" and so on, the same contract:Function form as likr's.
const ContractName = "calibration"

// Object types of the keys.
const (
	assetType   = "cal.asset"
	counterType = "cal.counter"
)

// Asset is what CreateAsset stores: about the size of the asset-transfer
// sample's asset.
type Asset struct {
	ID    string `json:"id"`
	Owner string `json:"owner"`
	Value uint64 `json:"value"`
}

// Counter is the naive control's one shared row.
type Counter struct {
	Value uint64 `json:"value"`
}

// CreateAsset stores a new asset id; an existing one is ALREADY_EXISTS and
// nothing is written.
func CreateAsset(st ledger.State, id string) (Asset, error) {
	if err := codec.ID("id", id); err != nil {
		return Asset{}, err
	}
	key, err := st.CreateCompositeKey(assetType, []string{id})
	if err != nil {
		return Asset{}, errs.Wrap(errs.Internal, err, "asset key")
	}
	existing, err := st.GetState(key)
	if err != nil {
		return Asset{}, errs.Wrap(errs.Internal, err, "read asset")
	}
	if existing != nil {
		return Asset{}, errs.New(errs.AlreadyExists, "asset %s exists", id)
	}
	a := Asset{ID: id, Owner: "calibration", Value: 1}
	if err := ledger.PutJSON(st, key, a); err != nil {
		return Asset{}, err
	}
	return a, nil
}

// ReadAsset returns the stored asset id; NOT_FOUND when there is none.
func ReadAsset(st ledger.State, id string) ([]byte, error) {
	if err := codec.ID("id", id); err != nil {
		return nil, err
	}
	key, err := st.CreateCompositeKey(assetType, []string{id})
	if err != nil {
		return nil, errs.Wrap(errs.Internal, err, "asset key")
	}
	b, err := st.GetState(key)
	if err != nil {
		return nil, errs.Wrap(errs.Internal, err, "read asset")
	}
	if b == nil {
		return nil, errs.New(errs.NotFound, "asset %s", id)
	}
	return b, nil
}

// IncrementCounter reads the counter, adds one and writes it back, and
// returns the new value. Fabric has no read-your-writes, so calling it
// twice in one transaction adds one, not two.
func IncrementCounter(st ledger.State) (uint64, error) {
	key, err := st.CreateCompositeKey(counterType, nil)
	if err != nil {
		return 0, errs.Wrap(errs.Internal, err, "counter key")
	}
	b, err := st.GetState(key)
	if err != nil {
		return 0, errs.Wrap(errs.Internal, err, "read counter")
	}
	var c Counter
	if b != nil {
		if err := json.Unmarshal(b, &c); err != nil {
			return 0, errs.Wrap(errs.Internal, err, "decode counter")
		}
	}
	if c.Value == ^uint64(0) {
		return 0, errs.New(errs.Overflow, "counter at %d", c.Value)
	}
	c.Value++
	if err := ledger.PutJSON(st, key, c); err != nil {
		return 0, err
	}
	return c.Value, nil
}

// Contract is the contract-api face of the package: one transaction per
// function above, each passing the stub straight through.
type Contract struct {
	contractapi.Contract
}

// NewContract returns the contract, named ContractName.
func NewContract() *Contract {
	c := &Contract{}
	c.Name = ContractName
	return c
}

// GetEvaluateTransactions tags the read-only transaction in the metadata.
func (c *Contract) GetEvaluateTransactions() []string { return []string{"ReadAsset"} }

// NoOp does nothing (submit).
func (c *Contract) NoOp(ctx contractapi.TransactionContextInterface) error { return nil }

// CreateAsset stores a new asset and returns it as JSON (submit).
func (c *Contract) CreateAsset(ctx contractapi.TransactionContextInterface, id string) (string, error) {
	a, err := CreateAsset(ctx.GetStub(), id)
	if err != nil {
		return "", err
	}
	b, err := json.Marshal(a)
	if err != nil {
		return "", errs.Wrap(errs.Internal, err, "encode asset")
	}
	return string(b), nil
}

// ReadAsset returns a stored asset as JSON (evaluate).
func (c *Contract) ReadAsset(ctx contractapi.TransactionContextInterface, id string) (string, error) {
	b, err := ReadAsset(ctx.GetStub(), id)
	return string(b), err
}

// IncrementCounter adds one to the shared counter and returns the new
// value (submit).
func (c *Contract) IncrementCounter(ctx contractapi.TransactionContextInterface) (string, error) {
	v, err := IncrementCounter(ctx.GetStub())
	if err != nil {
		return "", err
	}
	return strconv.FormatUint(v, 10), nil
}

// New returns the likrcal chaincode.
func New() (*contractapi.ContractChaincode, error) {
	cc, err := contractapi.NewChaincode(NewContract())
	if err != nil {
		return nil, err
	}
	cc.Info.Title = "Likr calibration"
	cc.Info.Version = "1.0"
	return cc, nil
}
