# Likr: everything a newcomer, CI and an operator runs. `make help` lists it.
SHELL := /bin/bash
GO ?= go
LIKRNET := .likr/bin/likrnet
# The CI run has 90 minutes; make test aims for well under 30.
TEST_TIMEOUT ?= 25m
FUZZTIME ?= 30s
# make test also fuzzes every target, briefly.
FUZZ_CI ?= 2s

.PHONY: help deps binaries network-up deploy network-down status env package demo test check unit integration fuzz faults clean

help:
	@echo "make demo          build what is missing, start a fresh network, deploy, play the story"
	@echo "make test          everything CI runs (installs what it needs first)"
	@echo "make network-up | deploy | status | env | network-down | package | fuzz | clean"
	@echo "make faults        the fault-injection tests and a restart soak on a real network (verbose)"
	@echo "make bench         throughput, latency and conflicts against baselines (BENCH=quick: ~2 min)"

# System packages the build needs: gcc for cgo (fabric-ca-server links
# sqlite3). Installed with apt-get only when missing.
deps:
	@missing=""; for tool in gcc git; do command -v $$tool >/dev/null || missing="$$missing $$tool"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update && $$SUDO DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; \
	fi
	$(GO) mod download

$(LIKRNET): $(shell find test-network fixtures -name '*.go' -o -name '*.json' -o -name '*.mod' -o -name '*.sum' 2>/dev/null) go.mod
	$(GO) build -o $@ ./test-network/cmd/likrnet

# The likr CLI (client/cmd/likr), which the demo plays the story with.
LIKR := .likr/bin/likr
$(LIKR): $(shell find client contracts -name '*.go' 2>/dev/null) go.mod go.sum
	$(GO) build -o $@ ./client/cmd/likr

binaries: deps $(LIKRNET)
	$(LIKRNET) binaries

network-up: binaries
	$(LIKRNET) up

deploy: $(LIKRNET)
	$(LIKRNET) deploy

network-down: $(LIKRNET)
	$(LIKRNET) down

status: $(LIKRNET)
	$(LIKRNET) status

env: $(LIKRNET)
	$(LIKRNET) env

package: $(LIKRNET)
	$(LIKRNET) package

# The demo starts a fresh network each time, so that its story (which
# creates fixed IDs) can be played again.
demo: binaries $(LIKR)
	$(LIKRNET) down
	$(LIKRNET) up
	$(LIKRNET) deploy
	$(LIKRNET) demo

# Static checks: formatting, vet, and the module-graph rule: the deprecated
# fabric-protos-go registers the same protobuf names as fabric-protos-go-apiv2
# and makes the process panic at start, so it must never enter the graph.
check: deps
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	@if $(GO) mod graph | awk '{print $$1; print $$2}' | grep -q '^github.com/hyperledger/fabric-protos-go@'; then \
	  echo "github.com/hyperledger/fabric-protos-go is in the module graph:"; \
	  $(GO) mod graph | grep 'github.com/hyperledger/fabric-protos-go@'; exit 1; \
	fi
	@echo "module graph free of github.com/hyperledger/fabric-protos-go"

# make test: static checks, unit tests (with the fuzz seed corpora), the
# integration tests that start real Fabric networks, and every fuzz target
# for FUZZ_CI.
test: check binaries
	$(GO) test -count=1 -timeout $(TEST_TIMEOUT) ./...
	FUZZTIME=$(FUZZ_CI) GO=$(GO) .ci/fuzz

# Each fuzz target for FUZZTIME (default 30s).
fuzz: deps
	FUZZTIME=$(FUZZTIME) GO=$(GO) .ci/fuzz

# make bench: throughput, latency and conflicts of every workload as ratios
# against calibration baselines measured in the same run, on a network of
# its own (never part of make test). BENCH=quick takes about two minutes,
# the default (full) about nine; figures go to dist/bench/report.md and
# report.json. See docs/performance.md.
BENCH ?= full
.PHONY: bench
bench: deps
	$(GO) run ./test-network/cmd/likrbench -mode $(BENCH) -root .

# make faults: the fault-injection tests of test-network/faults (make test
# runs them too) plus the soak that LIKR_FAULTS=1 adds, which kills and
# restarts every node in turn; verbose, so the figures they measure (the
# RESULT lines) are in the output. docs/reliability.md describes them.
faults: binaries
	LIKR_FAULTS=1 $(GO) test -count=1 -timeout 20m -v -run '^TestFaults$$' ./test-network/faults

clean: network-down
	rm -rf .likr dist
