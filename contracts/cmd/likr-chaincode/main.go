// Command likr-chaincode serves the Likr chaincode as a service: the peer
// dials it. Package launcher documents the environment it reads.
//
// It logs one line when it starts, exits with status 1 and the reason when
// it cannot serve, and exits with status 0 on SIGTERM or SIGINT. The
// shim's server cannot drain, so a proposal in flight at that moment is
// cut off. That is safe: the chaincode only answers proposals, the peer
// records nothing for an unanswered one, and the client can submit it
// again once a server is back.
package main

import (
	"fmt"
	"log"
	"os"
	"os/signal"
	"syscall"

	"github.com/likrcommerce/likr/contracts/chaincode"
	"github.com/likrcommerce/likr/contracts/launcher"
)

func main() {
	log.SetPrefix("likr-chaincode: ")
	log.SetFlags(log.LstdFlags | log.Lmsgprefix)
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, os.Interrupt)
	if err := run(os.LookupEnv, stop); err != nil {
		log.Print(err)
		os.Exit(1)
	}
}

// run serves until the server fails or a signal arrives on stop.
func run(lookup launcher.Lookup, stop <-chan os.Signal) error {
	cfg, err := launcher.FromEnv(lookup)
	if err != nil {
		return err
	}
	cc, err := chaincode.New()
	if err != nil {
		return fmt.Errorf("building the chaincode: %w", err)
	}
	served := make(chan error, 1)
	go func() { served <- launcher.Serve(cfg, cc) }()
	log.Printf("starting: %s", cfg)
	select {
	case err := <-served:
		return fmt.Errorf("the chaincode server stopped: %w", err)
	case sig := <-stop:
		log.Printf("%s received, exiting", sig)
		return nil
	}
}
