package sender

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/actuate/actuate/schemas"
)

// flakySink fails about a third of the attempts of each body (500, or 429 with a
// Retry-After of retryAfter), at most three times per body, and records the order in
// which each user's requests were first accepted.
type flakySink struct {
	*sink
	mu       sync.Mutex
	fails    map[string]int
	accepted map[int][]int // user → sequence numbers in order of acceptance (duplicates too)
}

func newFlakySink(t *testing.T, retryAfter string) *flakySink {
	f := &flakySink{fails: map[string]int{}, accepted: map[int][]int{}}
	f.sink = newSink(t, func(_ int, _ *http.Request, body []byte) (int, map[string]string, string) {
		f.mu.Lock()
		defer f.mu.Unlock()
		h := fnv.New32a()
		fmt.Fprintf(h, "%s/%d", body, f.fails[string(body)])
		if f.fails[string(body)] < 3 {
			switch h.Sum32() % 6 {
			case 0:
				f.fails[string(body)]++
				return 500, nil, "oops"
			case 1:
				f.fails[string(body)]++
				return 429, map[string]string{"Retry-After": retryAfter}, "slow down"
			}
		}
		var one struct{ U, I int }
		var many []struct{ U, I int }
		if json.Unmarshal(body, &many) != nil {
			json.Unmarshal(body, &one)
			many = append(many, one)
		}
		for _, d := range many {
			f.accepted[d.U] = append(f.accepted[d.U], d.I)
		}
		return 200, nil, "{}"
	})
	return f
}

// breaks counts, per user, first deliveries of a request before the first delivery of an
// earlier one; stale counts duplicates of a request that arrived after a later one.
func (f *flakySink) breaks() (breaks, stale, total int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, seq := range f.accepted {
		seen := map[int]bool{}
		high := -1
		for _, i := range seq {
			total++
			if seen[i] {
				if i < high {
					stale++
				}
				continue
			}
			seen[i] = true
			if i != high+1 {
				breaks++
			}
			high = max(high, i)
		}
	}
	return breaks, stale, total
}

func (h *harness) produceUsers(srv *sink, inst string, users, each int) {
	h.t.Helper()
	for i := range each {
		for u := range users {
			h.produce(inst, fmt.Sprintf("user-%d", u), h.request(inst, "m1", "send",
				webhookPayload(h.t, srv.URL+"/in", fmt.Sprintf(`{"u":%d,"i":%d}`, u, i))))
		}
	}
}

// Retries keep each user's order: a user's later requests wait for the one being
// retried, singly and in batches; in process (500s) and through the retry topic (429s
// with a Retry-After longer than InlineRetryMax).
func TestPerUserOrderThroughRetries(t *testing.T) {
	for _, c := range []struct {
		name, delivery string
		inline         time.Duration
	}{
		{"single", "batch_size: 1, concurrency: 8", 0},
		{"batched", "batch_size: 4, batch_wait: 30ms, concurrency: 4", 0},
		{"single via the retry topic", "batch_size: 1, concurrency: 8", 300 * time.Millisecond},
		{"batched via the retry topic", "batch_size: 4, batch_wait: 30ms, concurrency: 4", 300 * time.Millisecond},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := newFlakySink(t, "1")
			h := newHarness(t, workspaceYAML(hookYAML("hook", true, c.delivery)), nil, 2, "hook")
			const users, each = 8, 12
			h.produceUsers(srv.sink, "hook", users, each)
			cfg := h.config()
			cfg.Backoff = Backoff{Base: 50 * time.Millisecond, Max: 200 * time.Millisecond}
			cfg.InlineRetryMax = c.inline
			h.start(cfg)
			waitFor(t, 60*time.Second, "deliveries", func() bool { return h.count("hook", "m1", "delivered", "") == users*each })
			breaks, stale, total := srv.breaks()
			t.Logf("%d requests accepted (%d attempts), %d order breaks, %d stale duplicates", total, srv.count(), breaks, stale)
			if breaks != 0 || stale != 0 {
				t.Fatalf("order broken: %v", srv.accepted)
			}
			h.waitCommitted(h.topics["hook"])
			if c.inline == 0 {
				h.records(h.retry, 0, time.Second)
			} else {
				h.waitCommitted(h.retry)
			}
		})
	}
	// With ordering none a user's later request is sent while the earlier one waits for
	// its retry, and retry records carry no order headers; per_user, the same requests
	// keep their order.
	t.Run("unordered", func(t *testing.T) {
		for _, c := range []struct {
			name, ordering string
			inline         time.Duration
			overtakes      bool
		}{
			{"in process", "none", 0, true},
			{"via the retry topic", "none", -1, true},
			{"per_user, for comparison", "per_user", 0, false},
			{"per_user via the retry topic, for comparison", "per_user", -1, false},
		} {
			t.Run(c.name, func(t *testing.T) {
				r := runOvertake(t, "batch_size: 1, concurrency: 4, ordering: "+c.ordering, c.inline, "user-1", "user-1")
				if got := r.overtook(t); got != c.overtakes {
					t.Fatalf("ordering %s: the later request went before the earlier one's retry succeeded: %v, want %v (arrivals %v)",
						c.ordering, got, c.overtakes, r.arrivals)
				}
				if c.inline >= 0 {
					return
				}
				// Unordered, every failed attempt went through the retry topic. Ordered, the
				// first failure did, holding its user's place, and the later request
				// followed it there; the retry record then waits for its retries in process.
				n := r.failures
				if !c.overtakes {
					n = 2
				}
				for _, rec := range r.h.records(r.h.retry, n, 10*time.Second) {
					placed := len(rec.Headers) > 0
					if placed == c.overtakes {
						t.Fatalf("ordering %s: retry record with headers %v", c.ordering, rec.Headers)
					}
				}
			})
		}
	})
}

// overtakeRun is a run of two requests, "first" then "second", on one partition: the
// destination fails "first" with a 500 until "second" has arrived, at most maxFailures
// times.
type overtakeRun struct {
	h        *harness
	arrivals []string // "first 500", "second 200", … in order of arrival
	failures int
}

const maxFailures = 8

func runOvertake(t *testing.T, delivery string, inline time.Duration, firstUser, secondUser string) *overtakeRun {
	t.Helper()
	r := &overtakeRun{}
	var mu sync.Mutex
	srv := newSink(t, func(_ int, _ *http.Request, body []byte) (int, map[string]string, string) {
		mu.Lock()
		defer mu.Unlock()
		status := 200
		which := "second"
		if strings.Contains(string(body), "first") {
			which = "first"
			if !slices.Contains(r.arrivals, "second 200") && r.failures < maxFailures {
				status = 500
				r.failures++
			}
		}
		r.arrivals = append(r.arrivals, fmt.Sprintf("%s %d", which, status))
		return status, nil, "{}"
	})
	h := newHarness(t, workspaceYAML(hookYAML("hook", true, delivery)), nil, 1, "hook")
	r.h = h
	h.produce("hook", firstUser, h.request("hook", "m1", "send", webhookPayload(t, srv.URL+"/in", `{"k":"first"}`)))
	h.produce("hook", secondUser, h.request("hook", "m1", "send", webhookPayload(t, srv.URL+"/in", `{"k":"second"}`)))
	cfg := h.config()
	cfg.Backoff = Backoff{Base: 20 * time.Millisecond, Max: 40 * time.Millisecond}
	cfg.InlineRetryMax = inline
	h.start(cfg)
	waitFor(t, 30*time.Second, "both requests", func() bool { return h.count("hook", "m1", "delivered", "") == 2 })
	h.waitCommitted(h.topics["hook"])
	mu.Lock()
	defer mu.Unlock()
	r.arrivals = slices.Clone(r.arrivals)
	return r
}

// overtook reports whether "second" was delivered before "first" was. It fails the test
// unless "first" was tried (and failed) before "second" arrived, so that "second" was
// sent, or not, while "first" waited for its retry.
func (r *overtakeRun) overtook(t *testing.T) bool {
	t.Helper()
	first, second := slices.Index(r.arrivals, "first 200"), slices.Index(r.arrivals, "second 200")
	if len(r.arrivals) == 0 || r.arrivals[0] != "first 500" || first < 0 || second < 0 {
		t.Fatalf("want a failed attempt of the first request before anything else, then both delivered; arrivals %v", r.arrivals)
	}
	return second < first
}

// A user whose request is being retried holds no worker: another user whose requests go
// to the same worker is delivered while the first one's request waits for its retry.
func TestRetryingUserDoesNotHoldUpOthersOnItsWorker(t *testing.T) {
	const workers = 4
	first, second := "user-a", ""
	for i := 0; second == ""; i++ {
		if u := fmt.Sprintf("user-%d", i); hashOf([]byte(u))%workers == hashOf([]byte(first))%workers {
			second = u
		}
	}
	for _, c := range []struct {
		name   string
		inline time.Duration
	}{{"in process", 0}, {"via the retry topic", -1}} {
		t.Run(c.name, func(t *testing.T) {
			r := runOvertake(t, fmt.Sprintf("batch_size: 1, concurrency: %d", workers), c.inline, first, second)
			if !r.overtook(t) {
				t.Fatalf("%s's request waited for %s's retry on their shared worker: arrivals %v", second, first, r.arrivals)
			}
		})
	}
}

// A request that finally fails is dead-lettered saying that it broke its user's sequence,
// and the user's next requests go on.
func TestDeadLetterBreaksTheSequence(t *testing.T) {
	srv := newSink(t, func(n int, _ *http.Request, body []byte) (int, map[string]string, string) {
		if strings.Contains(string(body), `"i":1`) {
			if n == 1 {
				return 500, nil, "oops" // retried first, holding the user
			}
			return 400, nil, `{"error":"bad"}`
		}
		return 200, nil, "{}"
	})
	h := newHarness(t, workspaceYAML(hookYAML("hook", true, "batch_size: 1")), nil, 1, "hook")
	h.produceUsers(srv, "hook", 1, 3)
	cfg := h.config()
	cfg.Backoff = Backoff{Base: 100 * time.Millisecond}
	h.start(cfg)
	waitFor(t, 20*time.Second, "deliveries", func() bool { return h.count("hook", "m1", "delivered", "") == 2 })
	var got []string
	for _, r := range srv.requests() {
		got = append(got, string(r.body))
	}
	if want := []string{`{"u":0,"i":0}`, `{"u":0,"i":1}`, `{"u":0,"i":1}`, `{"u":0,"i":2}`}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("destination received %v, want %v", got, want)
	}
	recs := h.records(h.dlq, 1, 10*time.Second)
	dl, err := schemas.DecodeDeadLetter(recs[0].Value)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(dl.Error, "per-user order broken here") || len(recs[0].Headers) != 1 ||
		recs[0].Headers[0].Key != headerOrderDL || string(recs[0].Headers[0].Value) != "broken" {
		t.Fatalf("dead letter %q with headers %v does not say it broke the sequence", dl.Error, recs[0].Headers)
	}
	h.waitCommitted(h.topics["hook"])
}

// A retry record holding its user's place is sent only while its id is pending: a copy
// of a request already final (fetched again after a crash) is skipped and committed.
func TestRetryRecordOfAFinalRequestIsSkipped(t *testing.T) {
	srv := newSink(t, nil)
	h := newHarness(t, workspaceYAML(hookYAML("hook", true, "batch_size: 1")), nil, 1, "hook")
	order := newMemoryOrder()
	if _, err := order.Add(context.Background(), "d/0", "u-1", "8", time.Hour); err != nil {
		t.Fatal(err)
	}
	var recs []*kgo.Record
	for _, id := range []string{"7", "8"} { // 7 is final already; 8 is pending
		v, err := schemas.AppendActionRequest(nil, h.request("hook", "m1", "send", webhookPayload(t, srv.URL+"/in", `{"id":`+id+`}`)))
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, &kgo.Record{Topic: h.retry, Key: []byte("u-1"), Value: v, Headers: []kgo.RecordHeader{
			{Key: headerOrderPart, Value: []byte("d/0")}, {Key: headerOrderID, Value: []byte(id)}}})
	}
	if err := h.kafka.ProduceSync(context.Background(), recs...).FirstErr(); err != nil {
		t.Fatal(err)
	}
	cfg := h.config()
	cfg.Order = order
	h.start(cfg)
	waitFor(t, 20*time.Second, "the pending one", func() bool { return h.count("hook", "m1", "delivered", "") == 1 })
	h.waitCommitted(h.retry)
	if got := srv.requests(); len(got) != 1 || string(got[0].body) != `{"id":8}` {
		t.Fatalf("destination received %d requests, want only {\"id\":8}", len(got))
	}
	if ok, _ := order.Pending(context.Background(), "d/0", "8"); ok {
		t.Fatal("8 still pending after its delivery")
	}
}
