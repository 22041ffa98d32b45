package bad

import (
	"errors"
	"io"
)

var counter int // want "global"

var cache = map[string]string{} // want "global"

var errCount = 42 // want "global"

var ErrUnset error // want "global"

var _ = register() // want "global"

// allowedTable is in the test's allowlist: declaring it is excused,
// writing it is not.
var allowedTable = []string{"a"}

// ErrGood is an error sentinel.
var ErrGood = errors.New("good")

func register() bool { return true }

func writes() {
	counter++             // want "global"
	cache["k"] = "v"      // want "global"
	io.EOF = ErrGood      // want "global"
	allowedTable[0] = "b" // want "global"
}
