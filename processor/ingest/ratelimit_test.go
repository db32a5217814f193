package ingest

import (
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/actuate/actuate/internal/testws"
	"github.com/actuate/actuate/processor/workspace"
)

const trackBody = `{"userId":"u1","event":"Signed Up"}`

// Each write key has its own bucket: beyond its burst a request gets 429 with the seconds
// until the next token in Retry-After, counted per source, and nothing is produced; the
// bucket refills with time, and another source is not held back.
func TestRateLimitPerWriteKey(t *testing.T) {
	ws := testws.Compile(t, "sources:\n  - { id: web, write_key: wk_web, topics: [events] }\n  - { id: ios, write_key: wk_ios, topics: [events] }\n")
	h, c := newTestHandler(t, nil)
	h.workspace = func() *workspace.Workspace { return ws }
	clock := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	h.now = func() time.Time { return clock }
	refused := NewRateLimitedCounter()
	if err := h.SetRateLimit(RateLimit{PerSecond: 0.5, Burst: 2}, refused); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if rec := post(h, "/v1/track", "wk_web", trackBody); rec.Code != http.StatusOK {
			t.Fatalf("request %d within the burst: %d %s", i+1, rec.Code, rec.Body)
		}
	}
	rec := post(h, "/v1/batch", "wk_web", `{"batch":[`+trackBody+`]}`)
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") != "2" {
		t.Fatalf("over the limit: %d Retry-After %q %s", rec.Code, rec.Header().Get("Retry-After"), rec.Body)
	}
	if len(c.records) != 2 {
		t.Errorf("%d records produced, want the 2 admitted", len(c.records))
	}
	if got := testutil.ToFloat64(refused.WithLabelValues("web")); got != 1 {
		t.Errorf("refused{source=web} = %v, want 1", got)
	}
	if rec := post(h, "/v1/track", "wk_ios", trackBody); rec.Code != http.StatusOK {
		t.Errorf("another write key is held back: %d", rec.Code)
	}
	if rec := post(h, "/v1/track", "wk_unknown", trackBody); rec.Code != http.StatusUnauthorized {
		t.Errorf("an unknown write key: %d, want 401 before any limit", rec.Code)
	}
	clock = clock.Add(2 * time.Second) // one token back at 0.5 per second
	if rec := post(h, "/v1/track", "wk_web", trackBody); rec.Code != http.StatusOK {
		t.Errorf("after the refill: %d %s", rec.Code, rec.Body)
	}
	if rec := post(h, "/v1/track", "wk_web", trackBody); rec.Code != http.StatusTooManyRequests {
		t.Errorf("the refilled token is taken, yet: %d", rec.Code)
	}
}

// No limit, the default, refuses nothing; a burst of 0 is one second's worth; nonsense is refused.
func TestRateLimitSettings(t *testing.T) {
	h, _ := newTestHandler(t, nil)
	for range 50 {
		if rec := post(h, "/v1/track", "wk_web", trackBody); rec.Code != http.StatusOK {
			t.Fatalf("no limit: %d", rec.Code)
		}
	}
	if err := h.SetRateLimit(RateLimit{PerSecond: 2.5}, nil); err != nil || h.limiter.limit.Burst != 3 {
		t.Errorf("burst 0 at 2.5/s: %v, burst %d, want 3", err, h.limiter.limit.Burst)
	}
	for _, bad := range []RateLimit{{PerSecond: -1}, {PerSecond: math.Inf(1)}, {PerSecond: 1, Burst: -1}} {
		if err := h.SetRateLimit(bad, nil); err == nil {
			t.Errorf("%+v was taken", bad)
		}
	}
	if err := h.SetRateLimit(RateLimit{}, nil); err != nil || h.limiter != nil {
		t.Errorf("0 per second does not turn the limit off: %v", err)
	}
}
