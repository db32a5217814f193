package reliability

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/actuate/actuate/processor/workspace"
	"github.com/actuate/actuate/schemas"
)

// faultySink fails ~30% of requests in four ways. A request it fails may still have been
// processed (slow answers, connection resets): those are the "unknown outcomes" after which
// a retry may legitimately duplicate.
type faultySink struct {
	*sink
	timeout time.Duration

	mu       sync.Mutex
	failures map[string]int // request body → faults served
	accepted map[string][]time.Time
	unknown  map[string]int // id → unknown outcomes served
	served   map[string]int // fault kind → count
}

func newFaultySink(t *testing.T, timeout time.Duration) *faultySink {
	f := &faultySink{timeout: timeout, failures: map[string]int{}, accepted: map[string][]time.Time{}, unknown: map[string]int{}, served: map[string]int{}}
	f.sink = newSink(t, f.answer)
	return f
}

// ids are the request ids a body carries: one object, or an array of them (a batch).
func ids(body []byte) []string {
	var one struct{ ID string }
	if json.Unmarshal(body, &one) == nil && one.ID != "" {
		return []string{one.ID}
	}
	var many []struct{ ID string }
	json.Unmarshal(body, &many)
	out := make([]string, 0, len(many))
	for _, m := range many {
		out = append(out, m.ID)
	}
	return out
}

func (f *faultySink) answer(w http.ResponseWriter, r *http.Request, body []byte) bool {
	f.mu.Lock()
	key := string(body)
	h := fnv.New32a()
	fmt.Fprintf(h, "%s/%d", key, f.failures[key])
	kind := "ok"
	// Each body meets at most four faults, so the test ends; a third of attempts fail until then.
	if f.failures[key] < 4 {
		switch h.Sum32() % 36 {
		case 0, 1, 2:
			kind = "500"
		case 3, 4, 5:
			kind = "429"
		case 6, 7, 8:
			kind = "slow"
		case 9, 10, 11:
			kind = "reset"
		}
	}
	if kind != "ok" {
		f.failures[key]++
	}
	f.served[kind]++
	now := time.Now()
	if kind == "ok" || kind == "slow" || kind == "reset" {
		for _, id := range ids(body) {
			f.accepted[id] = append(f.accepted[id], now)
			if kind != "ok" {
				f.unknown[id]++
			}
		}
	}
	f.mu.Unlock()
	serveFault(w, kind, f.timeout)
	return false // the sink's own record is not used; accepted is kept above
}

// serveFault answers as a faulty destination: "500"; "429" with Retry-After: 1; "slow", a
// 200 that comes 300 ms after the sender's timeout; "reset", the connection reset; else 200.
func serveFault(w http.ResponseWriter, kind string, timeout time.Duration) {
	switch kind {
	case "500":
		w.WriteHeader(500)
	case "429":
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(429)
	case "slow":
		time.Sleep(timeout + 300*time.Millisecond)
		w.Write([]byte(`{}`))
	case "reset":
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			if tc, ok := conn.(*net.TCPConn); ok {
				tc.SetLinger(0) // RST instead of FIN
			}
			conn.Close()
		}
	default:
		w.Write([]byte(`{}`))
	}
}

// TestNoLossToFaultyDestination runs two sender processes against a destination that fails
// ~30% of requests (500, 429 with Retry-After, answers slower than the timeout, connection
// resets), SIGKILLs one of them mid-run (batches pending) and restarts it. Every request
// reaches the destination at least once; each duplicate is explained by an unknown outcome
// (a timeout or reset after the destination had the request) or by the killed process's
// uncommitted work being redone.
func TestNoLossToFaultyDestination(t *testing.T) {
	t.Parallel()
	wd := newFaultyWorld(t, "flaky", "batched", "rel.", "batch_size: 20, batch_wait: 200ms", 3)
	brokers, single, batched, retry, dlq, ws := wd.brokers, wd.single, wd.batched, wd.retry, wd.dlq, wd.ws
	const timeout = 500 * time.Millisecond
	fs := newFaultySink(t, timeout)

	n := events(3000)
	producer := newClient(t, brokers)
	var recs []*kgo.Record
	wantIDs := map[string]bool{}
	for i := 0; i < n; i++ {
		inst, path := single, "/single"
		if i%2 == 1 {
			inst, path = batched, "/batched"
		}
		id := fmt.Sprintf("r-%d", i)
		wantIDs[id] = true
		payload := fmt.Sprintf(`{"url":"%s%s","method":"POST","data":{"id":%q}}`, fs.URL, path, id)
		v, err := schemas.AppendActionRequest(nil, &schemas.ActionRequest{Instance: inst, Mapping: "m", Action: "send", MessageID: id,
			Payload: []byte(payload), ConfigVersion: ws.Version, ReceivedAt: time.Now()})
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, &kgo.Record{Topic: workspace.DeliveryTopic(inst), Key: []byte(fmt.Sprintf("u-%d", i%97)), Value: v})
	}
	produceSync(t, producer, recs...)

	ev := newEvidence()
	cs := childSender{Brokers: brokers, Redis: wd.redis, ConfigYAML: wd.yaml, Group: "rel-send-" + wd.sfx,
		DeliveryTopics: `^actuate\.delivery\.(flaky|batched)-` + wd.sfx + `$`, RetryTopic: retry, DLQTopic: dlq,
		Prefix: "rel-" + wd.sfx + ":", Timeout: timeout, BackoffBase: 200 * time.Millisecond}
	a := startChild(t, ev, "sender A", senderCommand(cs))
	b := startChild(t, ev, "sender B", senderCommand(cs))
	began := time.Now()

	acceptedIDs := func() int {
		fs.mu.Lock()
		defer fs.mu.Unlock()
		c := 0
		for id := range wantIDs {
			if len(fs.accepted[id]) > 0 {
				c++
			}
		}
		return c
	}
	// Kill A once a third has arrived: requests are in flight and batches are filling.
	waitFor(60*time.Second, func() bool { return acceptedIDs() >= n/3 })
	a.kill()
	killedAt := time.Now()
	atKill := acceptedIDs()
	a = startChild(t, ev, "sender A (restarted)", senderCommand(cs))
	done := waitFor(120*time.Second, func() bool { return acceptedIDs() >= n })
	time.Sleep(2 * time.Second) // late duplicates count too
	elapsed := time.Since(began)
	for _, c := range []*child{a, b} {
		c.stop(15 * time.Second)
	}

	fs.mu.Lock()
	defer fs.mu.Unlock()
	var missing, dupTotal, dupUnknown, dupCrash, dupUnexplained int
	for id := range wantIDs {
		at := fs.accepted[id]
		switch {
		case len(at) == 0:
			missing++
			continue
		case len(at) == 1:
			continue
		}
		dupTotal += len(at) - 1
		switch {
		case fs.unknown[id] > 0:
			dupUnknown += len(at) - 1
		case at[0].Before(killedAt):
			dupCrash += len(at) - 1
		default:
			dupUnexplained += len(at) - 1
		}
	}
	t.Logf("%d requests (%d single, %d in batches of ≤20) through 2 sender processes in %v; faults served %v of %d attempts; sender A SIGKILLed at %v with %d delivered",
		n, (n+1)/2, n/2, elapsed.Round(time.Millisecond), fs.served, fs.attempts.Load(), killedAt.Sub(began).Round(time.Millisecond), atKill)
	t.Logf("no loss: missing %d; duplicates %d (after an unknown outcome %d, redone after the kill %d, unexplained %d)",
		missing, dupTotal, dupUnknown, dupCrash, dupUnexplained)
	if !done || missing != 0 {
		t.Errorf("%d of %d requests never reached the destination", missing, n)
	}
	if dupUnexplained != 0 {
		t.Errorf("%d duplicates followed neither an unknown outcome nor the kill", dupUnexplained)
	}
	if fs.served["500"] == 0 || fs.served["429"] == 0 || fs.served["slow"] == 0 || fs.served["reset"] == 0 {
		t.Errorf("not every fault was served: %v", fs.served)
	}
	dls := deadLetters(t, brokers, dlq, ev, 2*time.Second, 0, func(*schemas.DeadLetter) bool { return true }, func(int) bool { return false })
	if len(dls) != 0 {
		t.Errorf("%d dead letters, want none (first: %s: %s)", len(dls), dls[0].Reason, dls[0].Error)
	}
	if name := ev.panicked(); name != "" {
		t.Errorf("%s panicked", name)
	}
	if strings.Contains(ev.text("sender B log"), `"level":"error"`) {
		t.Logf("sender B logged errors:\n%s", ev.text("sender B log"))
	}
}
