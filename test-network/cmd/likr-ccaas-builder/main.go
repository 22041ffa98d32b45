// Command likr-ccaas-builder is the peer's external builder for Likr's
// chaincode-as-a-service package. Install it (or links to it) as bin/detect,
// bin/build and bin/release of a folder named in core.yaml's
// chaincode.externalBuilders, with CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG in
// propagateEnvironment. It dispatches on the name it was called by, or on
// its first argument ("likr-ccaas-builder build SRC META OUT").
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/likrcommerce/likr/test-network/ccpkg"
)

func main() {
	step, args := filepath.Base(os.Args[0]), os.Args[1:]
	if step != "detect" && step != "build" && step != "release" && len(args) > 0 {
		step, args = args[0], args[1:]
	}
	if err := run(step, args); err != nil {
		fmt.Fprintf(os.Stderr, "likr-ccaas-builder %s: %v\n", step, err)
		os.Exit(1)
	}
}

func run(step string, args []string) error {
	switch {
	case step == "detect" && len(args) == 2:
		ok, err := ccpkg.Detect(args[1])
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("not a ccaas package")
		}
		return nil
	case step == "build" && len(args) == 3:
		return ccpkg.Build(args[0], args[2], []byte(os.Getenv(ccpkg.BuilderConfigEnv)))
	case step == "release" && len(args) == 2:
		return ccpkg.Release(args[0], args[1])
	}
	return fmt.Errorf("usage: detect SRC META | build SRC META OUT | release BUILD OUT")
}
