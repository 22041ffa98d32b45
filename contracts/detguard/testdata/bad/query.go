package bad

import "example.com/fixtures/store"

func submitRange(st store.State) { _, _ = st.GetStateByRange("a", "b") } // want "query" "unpaginated"

func submitHistory(st store.State) { _, _ = st.GetHistoryForKey("k") } // want "query"

func submitCallsEvaluate(st store.State) { _, _ = store.Page(st, "coin", "") } // want "query"

func submitTakesEvaluate() any { return store.Page } // want "query"

// rich is evaluate-only, but a rich query needs CouchDB.
//
//likr:evaluate
func rich(st store.State) { _, _, _ = st.GetQueryResultWithPagination("{}", 10, "") } // want "couchdb"

// evaluateWrites is marked evaluate-only, yet writes.
//
//likr:evaluate
func evaluateWrites(st store.State) { _ = st.PutState("k", nil) } // want "query"

// proseOnly mentions likr:evaluate in a sentence, which is no directive.
func proseOnly(st store.State) { _, _ = st.GetHistoryForKey("k") } // want "query"

func submitCallsLocalEvaluate(st store.State) { rich(st) } // want "query"

func submitCallsEvaluateMethod(k *store.Keeper) { _, _ = k.Balance() } // want "query"
