// Command likr-chaincode serves the Likr chaincode as a service. The peer
// dials it; package launcher documents the environment it reads.
package main

import (
	"fmt"
	"log"
	"os"

	"github.com/likrcommerce/likr/contracts/chaincode"
	"github.com/likrcommerce/likr/contracts/launcher"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "likr-chaincode:", err)
		os.Exit(1)
	}
}

func run() error {
	cfg, err := launcher.FromEnv(os.LookupEnv)
	if err != nil {
		return err
	}
	cc, err := chaincode.New()
	if err != nil {
		return fmt.Errorf("building the chaincode: %w", err)
	}
	log.Printf("likr-chaincode serving %s on %s (TLS %t)", cfg.ChaincodeID, cfg.Address, cfg.TLS)
	return cfg.Server(cc).Start()
}
