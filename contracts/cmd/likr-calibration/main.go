// Command likr-calibration serves likrcal, the benchmark's calibration
// chaincode (package calibration), as a service the peer dials, exactly as
// likr-chaincode serves likr: package launcher documents the environment
// it reads. `make bench` deploys it beside likr on the same channel.
//
// It logs one line when it starts, exits with status 1 and the reason when
// it cannot serve, and ends with the process on SIGTERM or SIGINT.
package main

import (
	"fmt"
	"log"
	"os"

	"github.com/likrcommerce/likr/contracts/calibration"
	"github.com/likrcommerce/likr/contracts/launcher"
)

func main() {
	log.SetPrefix("likr-calibration: ")
	log.SetFlags(log.LstdFlags | log.Lmsgprefix)
	if err := run(os.LookupEnv); err != nil {
		log.Print(err)
		os.Exit(1)
	}
}

// run serves until the server fails.
func run(lookup launcher.Lookup) error {
	cfg, err := launcher.FromEnv(lookup)
	if err != nil {
		return err
	}
	cc, err := calibration.New()
	if err != nil {
		return fmt.Errorf("building the chaincode: %w", err)
	}
	log.Printf("starting: %s", cfg)
	return launcher.Serve(cfg, cc)
}
