package bad

import (
	crand "crypto/rand" // want "import"
	"math/rand"         // want "import"
	"os"                // want "import"
)

func entropy() (int, bool) { return rand.Intn(3) + len(os.Args), crand.Reader != nil }
