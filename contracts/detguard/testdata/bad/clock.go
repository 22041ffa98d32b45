package bad

import "time"

func clocks(ts time.Time, d time.Duration) {
	_ = time.Now()     // want "clock"
	_ = time.Since(ts) // want "clock"
	time.Sleep(d)      // want "clock"
	_ = time.After(d)  // want "clock"
	now := time.Now    // want "clock"
	_ = now
	_ = ts.Local()                           // want "clock"
	_ = ts.In(time.Local)                    // want "clock"
	_, _ = time.LoadLocation("Europe/Paris") // want "clock"
	_ = time.Unix(1, 0).Format(time.RFC3339) // want "clock"
	_ = time.UnixMilli(1).Day()              // want "clock"
}
