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
// rules. The chaincode it returns (Chaincode) checks every call before
// contract-api dispatches it: the name must be exactly contract:Function of
// a Likr transaction, or contract-api's "org.hyperledger.fabric:GetMetadata",
// and the argument count exact. Anything else is INVALID_ARGUMENT,
// including the calls that contract-api would answer itself without a code
// (an unknown contract, "Contract not found with name x"; an empty function
// name, "wallet:"; no function at all), route to its default contract (a
// name without "contract:"), match in any case ("config:whoAmI") or accept
// with extra arguments. So every refusal carries a code; a transaction that
// panics is answered INTERNAL instead of stopping the chaincode server.
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
//	 "autoReleaseSeconds":604800,"disputeTimeoutSeconds":1209600,"stockShards":16,
//	 "reviewWindowSeconds":2592000}
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
//	product:Register(request)                       submit    supplier
//	product:UpdateTerms(id, request)                submit    supplier, its own product
//	product:Restock(id, units)                      submit    supplier, its own product
//	product:Get(supplier, id)                       evaluate  anyone
//	product:List(supplier, pageSize, bookmark)      evaluate  anyone
//	product:History(supplier, id, pageSize, bm)     evaluate  anyone
//	product:VerifyAttributes(supplier, id, attrs)   evaluate  anyone
//	store:Open(request)                             submit    seller
//	store:AddListing(request)                       submit    seller, in its own store
//	store:UpdateListing(store, listing, request)    submit    seller, its own listing
//	store:RemoveListing(store, listing)             submit    seller, its own listing
//	store:Get / GetListing / ListByOwner / ListListings  evaluate  anyone
//	order:Place(request)                            submit    anyone, as the buyer
//	order:Ship(buyer, id, request)                  submit    the store owner or the supplier
//	order:ConfirmDelivery(buyer, id)                submit    the buyer
//	order:Release(buyer, id)                        submit    anyone, after the auto-release time
//	order:Cancel(buyer, id)                         submit    the buyer, before shipping
//	order:Reject(buyer, id, reason)                 submit    the store owner, before shipping
//	order:OpenDispute(buyer, id, request)           submit    the buyer, after shipping
//	order:ResolveDispute(buyer, id, request)        submit    the moderator; an admin after the timeout
//	order:ExpireReserve(buyer, id)                  submit    anyone, after the review window
//	order:Get(buyer, id)                            evaluate  the parties, auditor, admin
//	order:ListByBuyer / ListByStore / ListBySupplier  evaluate  that party, auditor, admin
//	sales:Get(buyer, order)                         evaluate  the parties, auditor, admin
//	sales:BySupplier / ByStore / ByProduct / ByReferrer  evaluate  that party, auditor, admin
//	sales:ByTime(from, to, pageSize, bookmark)      evaluate  auditor, admin
//	sales:DailyTotals(day, scope)                   evaluate  the scope's party, auditor, admin
//	sales:Reconcile(day)                            evaluate  auditor, admin
//	review:Post(request)                            submit    anyone, the buyer of a completed order
//	review:Get / ListByProduct / ListByStore / ProductRating / StoreRating  evaluate  anyone
//	reward:SetRule(request)                         submit    admin
//	reward:FundPool(amount, inputs)                 submit    admin, from its own coins
//	reward:BatchReward(recipients, each, campaign, poolInputs)  submit  admin
//	reward:Rules()                                  evaluate  anyone
//	reward:History(account, pageSize, bookmark)     evaluate  the account, auditor, admin
//	moderation:Register(request)                    submit    moderator
//	moderation:Update(request)                      submit    moderator, its own entry
//	moderation:Get(account) / List(pageSize, bm)    evaluate  anyone
//
// inputs and recipients are JSON arrays of coin IDs and account IDs. The
// payer of a payment is always the caller's own account, never an argument.
package chaincode
