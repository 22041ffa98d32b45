package memledger

import (
	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
)

// The stub features below are outside what Likr uses; each returns an error
// (or an empty value where the signature has none), so a test that reaches
// one fails loudly instead of passing on a fake.

func (t *Tx) InvokeChaincode(string, [][]byte, string) *peer.Response {
	return &peer.Response{Status: shim.ERROR, Message: unsupported("InvokeChaincode").Error()}
}
func (t *Tx) SetStateValidationParameter(string, []byte) error {
	return unsupported("state-based endorsement")
}
func (t *Tx) GetStateValidationParameter(string) ([]byte, error) {
	return nil, unsupported("state-based endorsement")
}

// GetStateByRange and GetStateByPartialCompositeKey are refused: Likr reads
// ranges only through the paginated forms, in evaluate transactions.
func (t *Tx) GetStateByRange(string, string) (shim.StateQueryIteratorInterface, error) {
	return nil, unsupported("non-paginated GetStateByRange")
}
func (t *Tx) GetStateByPartialCompositeKey(string, []string) (shim.StateQueryIteratorInterface, error) {
	return nil, unsupported("non-paginated GetStateByPartialCompositeKey")
}
func (t *Tx) GetAllStatesCompositeKeyWithPagination(int32, string) (shim.StateQueryIteratorInterface, *peer.QueryResponseMetadata, error) {
	return nil, nil, unsupported("GetAllStatesCompositeKeyWithPagination")
}
func (t *Tx) GetQueryResult(string) (shim.StateQueryIteratorInterface, error) {
	return nil, unsupported("rich queries (CouchDB only)")
}
func (t *Tx) GetQueryResultWithPagination(string, int32, string) (shim.StateQueryIteratorInterface, *peer.QueryResponseMetadata, error) {
	return nil, nil, unsupported("rich queries (CouchDB only)")
}
func (t *Tx) GetPrivateData(string, string) ([]byte, error) {
	return nil, unsupported("private data")
}
func (t *Tx) GetMultiplePrivateData(string, ...string) ([][]byte, error) {
	return nil, unsupported("private data")
}
func (t *Tx) GetPrivateDataHash(string, string) ([]byte, error) {
	return nil, unsupported("private data")
}
func (t *Tx) PutPrivateData(string, string, []byte) error { return unsupported("private data") }
func (t *Tx) DelPrivateData(string, string) error         { return unsupported("private data") }
func (t *Tx) PurgePrivateData(string, string) error       { return unsupported("private data") }
func (t *Tx) SetPrivateDataValidationParameter(string, string, []byte) error {
	return unsupported("private data")
}
func (t *Tx) GetPrivateDataValidationParameter(string, string) ([]byte, error) {
	return nil, unsupported("private data")
}
func (t *Tx) GetPrivateDataByRange(string, string, string) (shim.StateQueryIteratorInterface, error) {
	return nil, unsupported("private data")
}
func (t *Tx) GetPrivateDataByPartialCompositeKey(string, string, []string) (shim.StateQueryIteratorInterface, error) {
	return nil, unsupported("private data")
}
func (t *Tx) GetPrivateDataQueryResult(string, string) (shim.StateQueryIteratorInterface, error) {
	return nil, unsupported("private data")
}
func (t *Tx) GetBinding() ([]byte, error)       { return nil, unsupported("GetBinding") }
func (t *Tx) GetDecorations() map[string][]byte { return nil }
func (t *Tx) GetSignedProposal() (*peer.SignedProposal, error) {
	return nil, unsupported("GetSignedProposal")
}
func (t *Tx) StartWriteBatch()        {}
func (t *Tx) FinishWriteBatch() error { return nil }
