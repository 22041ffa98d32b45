package bad

type pipe struct {
	ch chan int // want "concurrency"
}

func concurrency(p pipe) int {
	done := make(chan struct{}) // want "concurrency"
	go func() {                 // want "concurrency"
		done <- struct{}{} // want "concurrency"
	}()
	select { // want "concurrency"
	case v := <-p.ch: // want "concurrency"
		return v
	case <-done: // want "concurrency"
	}
	return 0
}
