package chaincode

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/likrcommerce/likr/contracts/ledger/memledger"
)

var update = flag.Bool("update", false, "rewrite the golden metadata file from the chaincode")

// goldenMetadata is the chaincode's contract metadata as committed: every
// contract, transaction, parameter and evaluate tag that clients rely on.
var goldenMetadata = filepath.Join("testdata", "metadata.golden.json")

// TestMetadataMatchesTheGoldenFile fails when the chaincode's API changes
// without the golden file changing with it, so an accidental rename,
// removal or new parameter shows in review. After an intended change:
//
//	go test ./contracts/chaincode -run TestMetadataMatchesTheGoldenFile -update
func TestMetadataMatchesTheGoldenFile(t *testing.T) {
	f := newFixture(t)
	resp := f.cc.Invoke(f.l.Begin(memledger.TxOptions{Function: "org.hyperledger.fabric:GetMetadata"}))
	require.EqualValues(t, 200, resp.Status, resp.Message)
	var got bytes.Buffer
	require.NoError(t, json.Indent(&got, resp.Payload, "", "  "))
	got.WriteByte('\n')
	if *update {
		require.NoError(t, os.WriteFile(goldenMetadata, got.Bytes(), 0o644))
	}
	want, err := os.ReadFile(goldenMetadata)
	require.NoError(t, err, "run with -update to create it")
	require.Equal(t, string(want), got.String(),
		"the chaincode's API changed; if intended, run: go test ./contracts/chaincode -run TestMetadataMatchesTheGoldenFile -update")
}
