package memledger

import (
	"fmt"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
)

// The stub methods below are outside what Likr does. Each returns an error
// naming itself (a failed Response for InvokeChaincode), so that a test that
// reaches one fails loudly instead of passing on a fake; none panics.

// unsupported is the error of a stub feature memledger refuses.
func unsupported(what string) error {
	return fmt.Errorf("memledger: %s is not supported", what)
}

// GetStateByRange is refused: Likr reads ranges only through the paginated
// forms, in evaluate transactions, so that no read is unbounded and no
// submit transaction risks a phantom conflict.
func (t *Tx) GetStateByRange(string, string) (shim.StateQueryIteratorInterface, error) {
	return nil, unsupported("GetStateByRange (non-paginated range query)")
}

// GetStateByPartialCompositeKey is refused like GetStateByRange.
func (t *Tx) GetStateByPartialCompositeKey(string, []string) (shim.StateQueryIteratorInterface, error) {
	return nil, unsupported("GetStateByPartialCompositeKey (non-paginated range query)")
}

// GetQueryResult is refused: rich queries need CouchDB; Likr runs on
// LevelDB, which answers "ExecuteQuery not supported for leveldb".
func (t *Tx) GetQueryResult(string) (shim.StateQueryIteratorInterface, error) {
	return nil, unsupported("GetQueryResult (rich query, CouchDB only)")
}

// GetQueryResultWithPagination is refused like GetQueryResult.
func (t *Tx) GetQueryResultWithPagination(string, int32, string) (shim.StateQueryIteratorInterface, *peer.QueryResponseMetadata, error) {
	return nil, nil, unsupported("GetQueryResultWithPagination (rich query, CouchDB only)")
}

// InvokeChaincode is refused: Likr is one chaincode and calls no other.
func (t *Tx) InvokeChaincode(string, [][]byte, string) *peer.Response {
	return &peer.Response{Status: shim.ERROR, Message: unsupported("InvokeChaincode").Error()}
}

// SetStateValidationParameter is refused: Likr uses no state-based
// endorsement.
func (t *Tx) SetStateValidationParameter(string, []byte) error {
	return unsupported("SetStateValidationParameter (state-based endorsement)")
}

// GetStateValidationParameter is refused like SetStateValidationParameter.
func (t *Tx) GetStateValidationParameter(string) ([]byte, error) {
	return nil, unsupported("GetStateValidationParameter (state-based endorsement)")
}

// GetPrivateData and the other private data methods are refused: Likr keeps
// no private data collections.
func (t *Tx) GetPrivateData(string, string) ([]byte, error) {
	return nil, unsupported("GetPrivateData (private data)")
}

func (t *Tx) GetMultiplePrivateData(string, ...string) ([][]byte, error) {
	return nil, unsupported("GetMultiplePrivateData (private data)")
}

func (t *Tx) GetPrivateDataHash(string, string) ([]byte, error) {
	return nil, unsupported("GetPrivateDataHash (private data)")
}

func (t *Tx) PutPrivateData(string, string, []byte) error {
	return unsupported("PutPrivateData (private data)")
}

func (t *Tx) DelPrivateData(string, string) error {
	return unsupported("DelPrivateData (private data)")
}

func (t *Tx) PurgePrivateData(string, string) error {
	return unsupported("PurgePrivateData (private data)")
}

func (t *Tx) SetPrivateDataValidationParameter(string, string, []byte) error {
	return unsupported("SetPrivateDataValidationParameter (private data)")
}

func (t *Tx) GetPrivateDataValidationParameter(string, string) ([]byte, error) {
	return nil, unsupported("GetPrivateDataValidationParameter (private data)")
}

func (t *Tx) GetPrivateDataByRange(string, string, string) (shim.StateQueryIteratorInterface, error) {
	return nil, unsupported("GetPrivateDataByRange (private data)")
}

func (t *Tx) GetPrivateDataByPartialCompositeKey(string, string, []string) (shim.StateQueryIteratorInterface, error) {
	return nil, unsupported("GetPrivateDataByPartialCompositeKey (private data)")
}

func (t *Tx) GetPrivateDataQueryResult(string, string) (shim.StateQueryIteratorInterface, error) {
	return nil, unsupported("GetPrivateDataQueryResult (private data)")
}

// GetBinding is refused: memledger builds no proposal to bind to.
func (t *Tx) GetBinding() ([]byte, error) { return nil, unsupported("GetBinding") }

// GetSignedProposal is refused: memledger builds no signed proposal; use
// GetCreator, GetTxID and GetTxTimestamp for what a proposal carries.
func (t *Tx) GetSignedProposal() (*peer.SignedProposal, error) {
	return nil, unsupported("GetSignedProposal")
}

// GetDecorations returns nil: no peer decorates memledger's proposals, and
// the signature has no error to report.
func (t *Tx) GetDecorations() map[string][]byte { return nil }

// StartWriteBatch does nothing: memledger always buffers writes until
// Commit, which is what a write batch achieves (the shim likewise ignores
// it when the peer does not support batches).
func (t *Tx) StartWriteBatch() {}

// FinishWriteBatch does nothing, as StartWriteBatch.
func (t *Tx) FinishWriteBatch() error { return nil }
