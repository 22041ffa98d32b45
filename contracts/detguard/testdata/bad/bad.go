package bad

import (
	"math/rand"
	"os"
	"time"
)

var counter int

var ErrSentinel = error(nil)

type state interface {
	GetStateByRange(start, end string) (int, error)
	GetHistoryForKey(key string) (int, error)
}

func submitUsesClock() int64 { return time.Now().Unix() + int64(rand.Intn(3)) + int64(len(os.Args)) }

func submitStartsGoroutine() {
	ch := make(chan int)
	go func() { ch <- 1 }()
	select {
	case <-ch:
	}
}

func submitRangesMap(m map[string]int) (sum int) {
	for _, v := range m {
		sum += v
	}
	counter++
	return sum
}

func submitQueries(st state) { _, _ = st.GetStateByRange("a", "b") }

// history reads a key's history.
// likr:evaluate
func history(st state) { _, _ = st.GetHistoryForKey("k") }

func submitCallsEvaluate(st state) { history(st) }

func fine(d time.Duration) time.Duration { return d * 2 }
