package sender

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/workspace"
	"github.com/actuate/actuate/schemas"
)

func TestOffsetTrackerOutOfOrder(t *testing.T) {
	var tr offsetTracker
	if _, ok := tr.commitPoint(); ok {
		t.Fatal("empty tracker has a commit point")
	}
	// Offsets 10..14 and, after a transaction marker gap, 16 and 17.
	for _, o := range []int64{10, 11, 12, 13, 14, 16, 17} {
		if !tr.add(o) {
			t.Fatalf("add(%d) refused", o)
		}
	}
	steps := []struct {
		done int64
		want int64
	}{
		{12, 10}, // finished ahead of 10 and 11: nothing moves
		{11, 10},
		{17, 10},
		{10, 13}, // 10, 11, 12 are final: commit up to 13
		{14, 13},
		{13, 16}, // 13 and 14 done, 15 was never a record: straight to 16
		{99, 16}, // unknown offset: ignored
		{16, 18}, // everything final: one past the last record
	}
	for _, s := range steps {
		tr.done(s.done)
		got, ok := tr.commitPoint()
		if !ok || got != s.want {
			t.Fatalf("after done(%d): commit point %d (ok %v), want %d", s.done, got, ok, s.want)
		}
	}
	if tr.open() != 0 {
		t.Fatalf("open = %d, want 0", tr.open())
	}
	// A record fetched again (at or below what was added) is refused.
	if tr.add(17) || tr.add(3) {
		t.Fatal("tracker accepted an offset it already passed")
	}
	tr.add(18)
	if got, _ := tr.commitPoint(); got != 18 {
		t.Fatalf("commit point with 18 open = %d", got)
	}
}

// Random completion orders against a brute-force model, across the compaction threshold.
func TestOffsetTrackerRandomOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for round := range 50 {
		var tr offsetTracker
		n := 1 + r.IntN(2000)
		offsets := make([]int64, n)
		next := int64(r.IntN(1000))
		for i := range offsets {
			offsets[i] = next
			tr.add(next)
			next += 1 + int64(r.IntN(3))
		}
		done := map[int64]bool{}
		for _, i := range r.Perm(n) {
			tr.done(offsets[i])
			done[offsets[i]] = true
			want := offsets[n-1] + 1
			for _, o := range offsets {
				if !done[o] {
					want = o
					break
				}
			}
			if got, _ := tr.commitPoint(); got != want {
				t.Fatalf("round %d: commit point %d, want %d", round, got, want)
			}
		}
	}
}

func TestBackoffBoundsAndJitter(t *testing.T) {
	b := Backoff{Base: time.Second, Max: time.Minute}
	lo := func() float64 { return 0 }
	hi := func() float64 { return 0.999999 }
	for failed, step := range map[int]time.Duration{
		1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second, 6: 32 * time.Second,
		7: time.Minute, 30: time.Minute, 100: time.Minute, 0: time.Second,
	} {
		if got := b.Delay(failed, 0, lo); got != step/2 {
			t.Errorf("Delay(%d) with rnd 0 = %v, want %v", failed, got, step/2)
		}
		if got := b.Delay(failed, 0, hi); got < step*99/100 || got > step {
			t.Errorf("Delay(%d) with rnd ~1 = %v, want just under %v", failed, got, step)
		}
	}
	// Real randomness stays in [step/2, step] and is not constant.
	seen := map[time.Duration]bool{}
	for range 200 {
		d := b.Delay(3, 0, rand.Float64)
		if d < 2*time.Second || d > 4*time.Second {
			t.Fatalf("Delay(3) = %v, outside [2s, 4s]", d)
		}
		seen[d] = true
	}
	if len(seen) < 100 {
		t.Fatalf("only %d distinct delays in 200 draws: no jitter", len(seen))
	}
}

func TestBackoffHonoursRetryAfter(t *testing.T) {
	b := Backoff{Base: time.Second, Max: time.Minute}
	for range 100 {
		d := b.Delay(1, 5*time.Second, rand.Float64)
		if d < 5*time.Second || d > 5500*time.Millisecond {
			t.Fatalf("Delay with Retry-After 5s = %v, want in [5s, 5.5s]", d)
		}
	}
	// Retry-After shorter than the backoff step does not shorten the wait.
	if d := b.Delay(6, time.Second, func() float64 { return 0 }); d != 16*time.Second {
		t.Fatalf("Delay(6) with Retry-After 1s = %v, want the 16s backoff", d)
	}
	// Retry-After beyond Max is still honoured.
	if d := b.Delay(1, 2*time.Hour, func() float64 { return 0 }); d != 2*time.Hour {
		t.Fatalf("Delay with Retry-After 2h = %v", d)
	}
	// Defaults apply to a zero Backoff.
	if d := (Backoff{}).Delay(1, 0, func() float64 { return 0 }); d != 500*time.Millisecond {
		t.Fatalf("zero Backoff Delay(1) = %v, want 500ms", d)
	}
}

func TestReasons(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{&destkit.APIError{Status: 400}, "HTTP 400"},
		{fmt.Errorf("wrapped: %w", &destkit.APIError{Status: 503}), "HTTP 503"},
		{&destkit.AuthError{Code: "INVALID_AUTHENTICATION", Err: &destkit.APIError{Status: 401}}, "authentication failed: INVALID_AUTHENTICATION"},
		{&destkit.PayloadValidationError{Message: "x"}, "payload validation failed"},
		{&destkit.IntegrationError{Code: "NotImplemented"}, "integration error: NotImplemented"},
		{&url.Error{Op: "Post", URL: "http://x", Err: &net.OpError{Op: "dial", Err: errors.New("refused")}}, "connection error"},
		{fmt.Errorf("sending: %w", context.DeadlineExceeded), "timeout"},
		{&destkit.RetryableError{Err: errors.New("reading token")}, "retryable error"},
		{errors.New("odd"), "error"},
	} {
		if got := reason(c.err); got != c.want {
			t.Errorf("reason(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}

func TestScrubHidesURLsAndSecrets(t *testing.T) {
	err := &url.Error{Op: "Post", URL: "https://hooks.slack.com/services/T0/B0/s3cr3tpath?key=k",
		Err: &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}}
	got := scrub(err, []string{"hunter2-secret"})
	if strings.Contains(got, "s3cr3tpath") || strings.Contains(got, "key=k") {
		t.Fatalf("scrub kept the URL's path or query: %s", got)
	}
	if !strings.Contains(got, "https://hooks.slack.com") || !strings.Contains(got, "connection refused") {
		t.Fatalf("scrub lost the useful part: %s", got)
	}
	api := &destkit.APIError{Status: 403, Body: []byte(`{"error":"api key hunter2-secret is not allowed"}`)}
	got = scrub(api, []string{"hunter2-secret", ""})
	if strings.Contains(got, "hunter2") || !strings.Contains(got, destkit.Redacted) {
		t.Fatalf("scrub kept a secret echoed by the destination: %s", got)
	}
	long := &destkit.APIError{Status: 500, Body: []byte(strings.Repeat("x", 5000))}
	if got := scrub(long, nil); len(got) > maxErrorText+len("…") {
		t.Fatalf("scrubbed error is %d bytes", len(got))
	}
}

func TestIdleLaneClosesAndRefusesWork(t *testing.T) {
	s := &Sender{cfg: Config{MaxQueued: 10}}
	l := newLane(s, "gone")
	l.used = time.Now()
	if l.closeIfIdle(time.Minute) {
		t.Fatal("closed a lane used just now")
	}
	l.mu.Lock()
	l.queued = 1
	l.used = time.Now().Add(-time.Hour)
	l.mu.Unlock()
	if l.closeIfIdle(time.Minute) {
		t.Fatal("closed a lane with a request in it")
	}
	l.mu.Lock()
	l.queued = 0
	l.mu.Unlock()
	if !l.closeIfIdle(time.Minute) {
		t.Fatal("did not close an idle, empty lane")
	}
	it := &item{part: &partition{}, req: &schemas.ActionRequest{}, action: &destkit.Action{Key: "a"}}
	if l.add(it, &workspace.Instance{ID: "gone"}) {
		t.Fatal("a closed lane accepted a request; the caller would not look for a fresh one")
	}
}

func TestPauseThreshold(t *testing.T) {
	for _, c := range []struct {
		name                   string
		maxQueued, workers, by int
		want                   int
	}{
		{"single requests", 5000, 32, 0, 5000},
		{"small batches fit in MaxQueued", 5000, 8, 100, 5000},
		{"two batches per worker", 5000, 32, 100, 6400},
		{"capped at four times MaxQueued", 5000, 32, 1000, 20000},
	} {
		if got := pauseThreshold(c.maxQueued, c.workers, c.by); got != c.want {
			t.Errorf("%s: pauseThreshold = %d, want %d", c.name, got, c.want)
		}
	}
}

func TestBatchLimit(t *testing.T) {
	perform := func(*destkit.BatchInput) ([]destkit.Request, error) { return nil, nil }
	run := func(context.Context, destkit.Doer, *destkit.BatchInput) []error { return nil }
	inst := func(size int) *workspace.Instance {
		return &workspace.Instance{Delivery: workspace.Delivery{BatchSize: size}}
	}
	for _, c := range []struct {
		name string
		a    *destkit.Action
		inst *workspace.Instance
		want int
	}{
		{"no batch form", &destkit.Action{}, inst(0), 0},
		{"declared but not implemented", &destkit.Action{Batch: &destkit.Batch{MaxSize: 50}}, inst(0), 0},
		{"action maximum", &destkit.Action{Batch: &destkit.Batch{MaxSize: 50}, PerformBatch: perform}, inst(0), 50},
		{"RunBatch counts", &destkit.Action{Batch: &destkit.Batch{MaxSize: 50}, RunBatch: run}, inst(0), 50},
		{"smaller delivery size", &destkit.Action{Batch: &destkit.Batch{MaxSize: 50}, PerformBatch: perform}, inst(10), 10},
		{"larger delivery size is capped", &destkit.Action{Batch: &destkit.Batch{MaxSize: 50}, PerformBatch: perform}, inst(500), 50},
		{"batch_size 1 turns batching off", &destkit.Action{Batch: &destkit.Batch{MaxSize: 50}, PerformBatch: perform}, inst(1), 1},
		{"no maximum declared", &destkit.Action{Batch: &destkit.Batch{}, PerformBatch: perform}, inst(0), 1000},
	} {
		if got := batchLimit(c.inst, c.a); got != c.want {
			t.Errorf("%s: batchLimit = %d, want %d", c.name, got, c.want)
		}
	}
}

// A mapping's batch_size (Segment's field of that name) caps its batches below the
// action's maximum; payloads asking for different sizes never share a batch, and a payload
// without one keeps the limit.
func TestMappingBatchSize(t *testing.T) {
	perform := func(*destkit.BatchInput) ([]destkit.Request, error) { return nil, nil }
	action := &destkit.Action{Key: "track", Batch: &destkit.Batch{MaxSize: 100}, PerformBatch: perform}
	inst := &workspace.Instance{}
	add := func(payload string) *item {
		it := &item{part: &partition{}, key: []byte("u"), action: action, req: &schemas.ActionRequest{Mapping: "m1", Payload: []byte(payload)}}
		lane := newLane(nil, "hook")
		lane.closed = true // only the placement fields are wanted
		lane.add(it, inst)
		return it
	}
	for _, c := range []struct {
		payload string
		max     int
	}{
		{`{"enable_batching":true,"batch_size":75}`, 75},
		{`{"enable_batching":true,"batch_size":500}`, 100},
		{`{"enable_batching":true}`, 100},
		{`{"enable_batching":true,"batch_size":0}`, 100},
	} {
		if it := add(c.payload); !it.batched || it.batchMax != c.max {
			t.Errorf("%s: batched %v, max %d; want a batch of at most %d", c.payload, it.batched, it.batchMax, c.max)
		}
	}
	if a, b := add(`{"enable_batching":true,"batch_size":75}`), add(`{"enable_batching":true,"batch_size":50}`); a.batchKey == b.batchKey {
		t.Error("payloads asking for batches of 75 and of 50 share a batch")
	}
}
