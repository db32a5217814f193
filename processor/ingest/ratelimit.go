package ingest

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/time/rate"
)

// RateLimit bounds the requests of each source's write key: a token bucket per source,
// filled at PerSecond up to Burst, that each request to /v1/... takes one token from (a
// batch is one request). Beyond it a request is answered 429 with Retry-After, before its
// body is read. The buckets live in this process: with N `serve` replicas behind a load
// balancer a key gets up to N times the limit, which keeps the limit off the hot path's
// network and is the protection it is for (one key flooding the events topics).
type RateLimit struct {
	PerSecond float64
	// Burst is how many requests may come at once; 0 is one second's worth (at least 1).
	Burst int
}

// Validate refuses a negative or infinite rate and a negative burst.
func (l RateLimit) Validate() error {
	if l.PerSecond < 0 || math.IsNaN(l.PerSecond) || math.IsInf(l.PerSecond, 0) || l.Burst < 0 {
		return fmt.Errorf("ingest rate limit: %v requests per second with a burst of %d: want a finite rate of 0 or more (0 is no limit) and a burst of 0 or more", l.PerSecond, l.Burst)
	}
	return nil
}

// RateLimitedMetric counts the requests the rate limit refused, per source.
const RateLimitedMetric = "actuate_ingest_rate_limited_total"

// NewRateLimitedCounter returns the counter of RateLimitedMetric, to register with a
// process's registry and give to SetRateLimit.
func NewRateLimitedCounter() *prometheus.CounterVec {
	return prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: RateLimitedMetric, Help: "Ingest requests refused with 429 because their write key was over its rate limit, per source.",
	}, []string{"source"})
}

// writeKeyLimiter holds a token bucket per source, made on a source's first request: only
// authenticated requests reach it, so the sources bound how many there are.
type writeKeyLimiter struct {
	limit   RateLimit
	refused *prometheus.CounterVec
	mu      sync.Mutex
	buckets map[string]*rate.Limiter
}

// SetRateLimit limits the requests of each write key to limit, counting refusals in
// refused (nil counts nothing); a limit of 0 requests per second turns it off. Call it
// before serving.
func (h *Handler) SetRateLimit(limit RateLimit, refused *prometheus.CounterVec) error {
	if err := limit.Validate(); err != nil {
		return err
	}
	if limit.PerSecond == 0 {
		h.limiter = nil
		return nil
	}
	if limit.Burst == 0 {
		limit.Burst = max(1, int(math.Ceil(limit.PerSecond)))
	}
	h.limiter = &writeKeyLimiter{limit: limit, refused: refused, buckets: map[string]*rate.Limiter{}}
	return nil
}

// admit takes a token from source's bucket at now; when there is none it returns how long
// until there is, and the request is refused (taking nothing).
func (l *writeKeyLimiter) admit(source string, now time.Time) (wait time.Duration, ok bool) {
	l.mu.Lock()
	bucket := l.buckets[source]
	if bucket == nil {
		bucket = rate.NewLimiter(rate.Limit(l.limit.PerSecond), l.limit.Burst)
		l.buckets[source] = bucket
	}
	l.mu.Unlock()
	r := bucket.ReserveN(now, 1)
	if wait = r.DelayFrom(now); wait == 0 {
		return 0, true
	}
	r.CancelAt(now)
	if l.refused != nil {
		l.refused.WithLabelValues(source).Inc()
	}
	return wait, false
}

// refuseOverLimit answers 429 with the whole seconds to wait in Retry-After.
func refuseOverLimit(w http.ResponseWriter, wait time.Duration) {
	seconds := max(1, int(math.Ceil(wait.Seconds())))
	w.Header().Set("Retry-After", strconv.Itoa(seconds))
	reply(w, http.StatusTooManyRequests, fmt.Sprintf("this write key is over its rate limit; retry in %d s", seconds))
}
