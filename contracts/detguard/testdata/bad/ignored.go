//go:build ignore

// A file the build leaves out is not checked, so it is a finding itself.
package bad

import "time"

var Started = time.Now()
