package sender

import "time"

// Backoff is the retry schedule: exponential with "equal jitter" (half the step fixed,
// half random), so retries of many requests that failed together spread out instead of
// hitting the destination again in one wave, while each still waits at least half its
// step.
type Backoff struct {
	// Base is the step after the first failed attempt; default 1s.
	Base time.Duration
	// Max caps the step; default 10m (Segment keeps retrying for 4h, so a destination
	// that comes back is found again within minutes).
	Max time.Duration
}

func (b Backoff) withDefaults() Backoff {
	if b.Base <= 0 {
		b.Base = time.Second
	}
	if b.Max <= 0 {
		b.Max = 10 * time.Minute
	}
	if b.Max < b.Base {
		b.Max = b.Base
	}
	return b
}

// Delay is the wait before the next attempt after `failed` failed attempts (1 or more).
// rnd returns a number in [0, 1). A destination's Retry-After is a floor: the wait is at
// least retryAfter, plus up to a tenth more so that requests it throttled together do not
// all return at the same instant. Retry-After is not capped by Max: the destination knows
// best, and the request's max age still bounds the wait.
func (b Backoff) Delay(failed int, retryAfter time.Duration, rnd func() float64) time.Duration {
	b = b.withDefaults()
	step := b.Max
	if failed < 1 {
		failed = 1
	}
	if failed <= 62 {
		if s := b.Base << (failed - 1); s > 0 && s>>(failed-1) == b.Base && s < b.Max {
			step = s
		}
	}
	d := step/2 + time.Duration(rnd()*float64(step-step/2))
	if retryAfter > 0 {
		if ra := retryAfter + time.Duration(rnd()*float64(retryAfter)/10); ra > d {
			d = ra
		}
	}
	return d
}
