package sender

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/http"
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
		{"unordered", "batch_size: 1, concurrency: 8, ordering: none", 0},
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
			if c.name == "unordered" {
				if breaks == 0 {
					t.Log("ordering: none happened to keep order this time")
				}
				return
			}
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
