// Package ledger is the only door between Likr's domain code and the world
// state. State is the subset of the Fabric chaincode stub that the domain
// packages use, with the stub's own signatures, so the real stub satisfies it
// unchanged and package memledger provides a peer-faithful in-memory copy for
// unit tests.
package ledger

import (
	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// State is what a transaction may do with the ledger. Fabric semantics hold:
// GetState never sees this transaction's own writes; paginated range queries
// are allowed only in a transaction that writes nothing; one event per
// transaction (the last SetEvent wins).
type State interface {
	GetState(key string) ([]byte, error)
	PutState(key string, value []byte) error
	DelState(key string) error

	CreateCompositeKey(objectType string, attributes []string) (string, error)
	SplitCompositeKey(compositeKey string) (string, []string, error)

	GetStateByRangeWithPagination(startKey, endKey string, pageSize int32, bookmark string) (shim.StateQueryIteratorInterface, *peer.QueryResponseMetadata, error)
	GetStateByPartialCompositeKeyWithPagination(objectType string, keys []string, pageSize int32, bookmark string) (shim.StateQueryIteratorInterface, *peer.QueryResponseMetadata, error)
	GetHistoryForKey(key string) (shim.HistoryQueryIteratorInterface, error)

	GetTxID() string
	GetTxTimestamp() (*timestamppb.Timestamp, error)
	GetTransient() (map[string][]byte, error)
	SetEvent(name string, payload []byte) error
}

// The Fabric stub must always satisfy State; this fails to compile otherwise.
var _ State = (shim.ChaincodeStubInterface)(nil)
