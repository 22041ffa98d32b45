package testnetwork

import (
	"strings"

	"github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"google.golang.org/grpc/status"
)

// ErrorDetails returns the per-peer messages of a gateway error: the
// top-level message of an endorsement failure does not include the
// chaincode's own message; the details do.
func ErrorDetails(err error) string {
	var b strings.Builder
	for _, d := range status.Convert(err).Details() {
		if detail, ok := d.(*gateway.ErrorDetail); ok {
			b.WriteString("; " + detail.GetAddress() + ": " + detail.GetMessage())
		}
	}
	return b.String()
}
