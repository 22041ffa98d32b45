// Package faults holds the fault-injection tests of Likr on a real Fabric
// network (issue 8, "Faults"): under a steady load of orders from the
// client library, nodes are killed, stopped, frozen and restarted, a
// peer's state database is deleted, the chaincode server dies, buyers race
// for the last unit and signed transactions are sent twice. After each
// fault the tests wait until every node is at one height and check that
// every acknowledged order is on both peers, that the supply audit and the
// sales reconciliation pass, that no buyer paid twice, and that both peers
// answer every query with the same bytes.
//
// The package has no code of its own: everything is in its tests. Every
// fault runs in `make test`; LIKR_FAULTS=1, which `make faults` sets, adds
// a soak that kills and restarts every node in turn. docs/reliability.md
// lists them and the figures measured.
package faults
