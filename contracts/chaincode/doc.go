// Package chaincode is Likr's contract layer: one chaincode hosting named
// contracts, whose transaction names are contract:Function ("config:Init",
// "wallet:Transfer"). Each method is thin: it decodes its arguments
// strictly, states who may call it in one line (package access), delegates
// to a domain package (config, wallet, ...) and records business events.
//
// # Arguments and results on the wire
//
// Every transaction takes string arguments only: IDs, decimal amounts
// ("1500"), page sizes ("50"), or one JSON request that package codec
// decodes strictly. contract-api's own decoding of struct arguments accepts
// duplicate keys and unknown fields, and its errors for non-string
// arguments carry no error code. Every result is a JSON document returned
// as a Go string, which contract-api sends unchanged as the response
// payload; amounts in it are decimal strings ("balance":"600").
//
// Results are not typed structs because contract-api validates a returned
// struct against a JSON schema it derives by reflection, and that schema is
// wrong for Likr's types (verified through contract-api's dispatch): every
// field, omitempty ones included, becomes required, so a healthy
// wallet:Audit (no issues) fails; a nil slice fails as "null is not an
// array"; money.Amount becomes an empty object schema that describes
// nothing; and schemas are keyed by unqualified type name, so two packages'
// Page types would share one. Returning an interface (any) does not help
// either: contract-api then formats the value with fmt, not JSON.
//
// New refuses to build a chaincode in which a transaction breaks these
// rules, and before each call the contract checks that the name is exactly
// contract:Function and the argument count is exact (contract-api would
// ignore extra arguments), so that every refusal carries a code. Two calls
// are answered by contract-api before any Likr code runs, with messages
// without a code: an unknown contract name ("Contract not found with name
// x") and an empty function name ("wallet:").
//
// # Errors
//
// Every error message starts with a stable code of package errs
// ("FORBIDDEN: requires role admin; ..."), and a failed call writes nothing
// because Fabric discards the writes of a failed proposal.
//
// # Events
//
// Fabric keeps one chaincode event per transaction, so a transaction emits
// exactly one, named "likr" (EventName), whose payload is the JSON list of
// its business events in the order they happened:
//
//	[{"type":"wallet.debit","holder":"…","amount":"400",…},{"type":"wallet.credit",…}]
//
// A transaction without business events (and every failed one) emits none.
//
// # Bootstrapping a channel
//
// The first transaction on a channel is config:Init, submitted by an
// identity whose certificate carries likr.role=admin and whose MSP is the
// request's operatorMsp (which the request must trust for admin). Its one
// argument, for example:
//
//	{"operatorMsp":"Org1MSP",
//	 "trusted":{"admin":["Org1MSP"],"supplier":["Org2MSP"],"seller":["Org2MSP"],
//	            "moderator":["Org1MSP"],"auditor":["Org1MSP"]},
//	 "platformFeeBps":500,"supplyCap":"1000000000000",
//	 "autoReleaseSeconds":604800,"disputeTimeoutSeconds":1209600,"stockShards":16}
//
// Every field is described in package config. Until Init, config:WhoAmI
// works and reports every caller's effective role as "consumer", because no
// MSP is trusted for any role yet; functions that need a role are refused
// with INVALID_STATE.
//
// # Transactions
//
//	transaction                                     kind      caller
//	config:Init(request)                            submit    bootstrap rule above, once
//	config:Update(request)                          submit    admin, who must stay admin
//	config:Get()                                    evaluate  anyone
//	config:WhoAmI()                                 evaluate  anyone
//	wallet:Mint(to, amount)                         submit    admin, up to the supply cap
//	wallet:Transfer(to, amount, inputs)             submit    anyone, from its own coins
//	wallet:BatchTransfer(recipients, each, inputs)  submit    anyone, from its own coins
//	wallet:Burn(amount, inputs)                     submit    anyone, its own coins
//	wallet:Merge(inputs)                            submit    anyone, its own coins
//	wallet:Balance(account)                         evaluate  the account, auditor, admin
//	wallet:Coins(account, pageSize, bookmark)       evaluate  the account, auditor, admin
//	wallet:History(account, pageSize, bookmark)     evaluate  the account, auditor, admin
//	wallet:Supply()                                 evaluate  anyone
//	wallet:Audit()                                  evaluate  auditor, admin
//
// inputs and recipients are JSON arrays of coin IDs and account IDs. The
// payer of a payment is always the caller's own account, never an argument.
package chaincode
