package sender

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/redis/go-redis/v9"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap/zapcore"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/webhook"
	"github.com/actuate/actuate/internal/testenv"
	"github.com/actuate/actuate/processor/metrics"
	"github.com/actuate/actuate/processor/ratelimit"
	"github.com/actuate/actuate/processor/tokens"
	"github.com/actuate/actuate/schemas"
)

const secret = "s3cret-value-42"

// workspaceYAML wraps destination blocks in a workspace with one source.
func workspaceYAML(destinations ...string) string {
	return "sources:\n  - id: web\n    topics: [events]\ndestinations:\n" + strings.Join(destinations, "")
}

// hookYAML is a Webhook instance with one mapping "m1" and the given delivery settings.
func hookYAML(id string, enabled bool, delivery string) string {
	return fmt.Sprintf(`  - id: %s
    type: webhook
    sources: [web]
    enabled: %v
    settings: { sharedSecret: %q }
    delivery: { %s }
    mappings:
      - id: m1
        enabled: true
        action: send
        trigger: 'type = "track"'
        mapping: { url: { "@path": "$.properties.url" }, data: { "@path": "$." } }
`, id, enabled, secret, delivery)
}

// noSecretsLogged fails the test if any log line mentions a secret.
func (h *harness) noSecretsLogged(secrets ...string) {
	h.t.Helper()
	for _, e := range h.logs.All() {
		var b strings.Builder
		b.WriteString(e.Message)
		for _, f := range e.Context {
			fmt.Fprintf(&b, " %s=%v%s", f.Key, f.Interface, f.String)
		}
		for _, s := range secrets {
			if strings.Contains(b.String(), s) {
				h.t.Fatalf("log line leaks a secret: %s", b.String())
			}
		}
	}
}

func TestDeliversExactBody(t *testing.T) {
	srv := newSink(t, nil)
	h := newHarness(t, workspaceYAML(hookYAML("hook", true, "batch_size: 1")), nil, 3, "hook")
	want := map[string]bool{}
	for i := range 3 {
		data := fmt.Sprintf(`{"type":"track","event":"Order Completed","userId":"u-%d","properties":{"total":%d.5,"note":"<ok> & é"}}`, i, i)
		want[data] = true
		h.produce("hook", fmt.Sprintf("u-%d", i), h.request("hook", "m1", "send", webhookPayload(t, srv.URL+"/in?src=actuate", data)))
	}
	h.start(h.config())
	waitFor(t, 20*time.Second, "3 deliveries", func() bool { return h.count("hook", "m1", "delivered", "") == 3 })
	h.waitCommitted(h.topics["hook"])
	reqs := srv.requests()
	if len(reqs) != 3 {
		t.Fatalf("destination received %d requests, want 3", len(reqs))
	}
	for _, r := range reqs {
		if !want[string(r.body)] {
			t.Errorf("unexpected body %s", r.body)
		}
		delete(want, string(r.body))
		if r.method != "POST" || r.path != "/in" || r.header.Get("Content-Type") != "application/json" {
			t.Errorf("request %s %s content-type %q", r.method, r.path, r.header.Get("Content-Type"))
		}
		if got := r.header.Get("X-Signature"); got != webhook.Signature(secret, r.body) {
			t.Errorf("X-Signature %q does not sign the body", got)
		}
	}
	h.records(h.dlq, 0, time.Second)
	h.noSecretsLogged(secret)
}

func TestBadRequestIsDeadLettered(t *testing.T) {
	// The destination echoes the key it rejects, as some do.
	srv := newSink(t, func(int, *http.Request, []byte) (int, map[string]string, string) {
		return 400, nil, `{"error":"key ` + secret + ` may not send Order Completed"}`
	})
	h := newHarness(t, workspaceYAML(hookYAML("hook", true, "batch_size: 1")), nil, 1, "hook")
	payload := webhookPayload(t, srv.URL+"/in", `{"event":"Order Completed"}`)
	offs := h.produce("hook", "u-1", h.request("hook", "m1", "send", payload))
	h.start(h.config())

	dl := h.deadLetters(1)[0]
	if dl.Stage != schemas.StageDeliver || dl.Reason != "HTTP 400" {
		t.Fatalf("dead letter stage %q reason %q, want deliver / HTTP 400", dl.Stage, dl.Reason)
	}
	if !bytes.Equal(dl.Original, payload) {
		t.Fatalf("dead letter original = %s, want the payload %s", dl.Original, payload)
	}
	if dl.Instance != "hook" || dl.Mapping != "m1" || dl.Action != "send" || dl.Attempts != 1 ||
		dl.Topic != h.topics["hook"] || dl.Partition != 0 || dl.Offset != offs[0] {
		t.Fatalf("dead letter = %+v", dl)
	}
	if !strings.Contains(dl.Error, "400") || strings.Contains(dl.Error, secret) || !strings.Contains(dl.Error, destkit.Redacted) {
		t.Fatalf("dead letter error %q: want the status, with the echoed secret redacted", dl.Error)
	}
	if srv.count() != 1 {
		t.Fatalf("a 400 was tried %d times, want 1", srv.count())
	}
	lines := h.logs.FilterMessage("dead letter").All()
	if len(lines) != 1 || lines[0].ContextMap()["reason"] != "HTTP 400" || lines[0].Level != zapcore.WarnLevel {
		t.Fatalf("dead-letter log lines = %v, want one with reason HTTP 400", lines)
	}
	if got := h.count("hook", "m1", "dead_lettered", "HTTP 400"); got != 1 {
		t.Fatalf("dead_lettered count = %v", got)
	}
	h.waitCommitted(h.topics["hook"])
	h.noSecretsLogged(secret)
}

func TestRetryAfterIsHonoured(t *testing.T) {
	srv := newSink(t, func(n int, _ *http.Request, _ []byte) (int, map[string]string, string) {
		if n == 0 {
			return 429, map[string]string{"Retry-After": "1"}, `{"error":"slow down"}`
		}
		return 200, nil, "{}"
	})
	h := newHarness(t, workspaceYAML(hookYAML("hook", true, "batch_size: 1")), nil, 1, "hook")
	h.produce("hook", "u-1", h.request("hook", "m1", "send", webhookPayload(t, srv.URL+"/in", `{"n":1}`)))
	cfg := h.config()
	cfg.Backoff = Backoff{Base: 50 * time.Millisecond}
	h.start(cfg)
	waitFor(t, 20*time.Second, "delivery", func() bool { return h.count("hook", "m1", "delivered", "") == 1 })
	reqs := srv.requests()
	if len(reqs) != 2 {
		t.Fatalf("destination received %d requests, want 2", len(reqs))
	}
	gap := reqs[1].at.Sub(reqs[0].at)
	t.Logf("retry after a 429 with Retry-After: 1 came %v later", gap.Round(time.Millisecond))
	if gap < time.Second {
		t.Fatalf("retried after %v, before Retry-After's 1s", gap)
	}
	if !bytes.Equal(reqs[0].body, reqs[1].body) {
		t.Fatal("the retry sent a different body")
	}
	if got := h.count("hook", "m1", "retried", "HTTP 429"); got != 1 {
		t.Fatalf("retried count = %v, want 1", got)
	}
	h.waitCommitted(h.topics["hook"])
	h.records(h.dlq, 0, time.Second)
}

func TestServerErrorIsRetried(t *testing.T) {
	srv := newSink(t, func(n int, _ *http.Request, _ []byte) (int, map[string]string, string) {
		if n == 0 {
			return 500, nil, "oops"
		}
		return 200, nil, "{}"
	})
	h := newHarness(t, workspaceYAML(hookYAML("hook", true, "batch_size: 1")), nil, 1, "hook")
	h.produce("hook", "u-1", h.request("hook", "m1", "send", webhookPayload(t, srv.URL+"/in", `{"n":1}`)))
	cfg := h.config()
	cfg.Backoff = Backoff{Base: 100 * time.Millisecond}
	h.start(cfg)
	waitFor(t, 20*time.Second, "delivery", func() bool { return h.count("hook", "m1", "delivered", "") == 1 })
	if n := srv.count(); n != 2 {
		t.Fatalf("destination received %d requests, want 2", n)
	}
	if got := h.count("hook", "m1", "retried", "HTTP 500"); got != 1 {
		t.Fatalf("retried count = %v, want 1", got)
	}
	h.waitCommitted(h.topics["hook"])
	h.records(h.dlq, 0, time.Second)
	h.records(h.retry, 0, time.Second) // a short wait stays in-process
}

// A long wait goes through the retry topic, with the attempt, times and last error, and
// the retry consumer delivers it when due.
func TestLongRetryGoesThroughRetryTopic(t *testing.T) {
	srv := newSink(t, func(n int, _ *http.Request, _ []byte) (int, map[string]string, string) {
		if n == 0 {
			return 503, nil, "maintenance"
		}
		return 200, nil, "{}"
	})
	h := newHarness(t, workspaceYAML(hookYAML("hook", true, "batch_size: 1")), nil, 1, "hook")
	req := h.request("hook", "m1", "send", webhookPayload(t, srv.URL+"/in", `{"n":1}`))
	h.produce("hook", "u-1", req)
	cfg := h.config()
	cfg.Backoff = Backoff{Base: 600 * time.Millisecond}
	cfg.InlineRetryMax = -1
	h.start(cfg)
	waitFor(t, 20*time.Second, "delivery", func() bool { return h.count("hook", "m1", "delivered", "") == 1 })

	recs := h.records(h.retry, 1, 10*time.Second)
	if string(recs[0].Key) != "u-1" {
		t.Fatalf("retry record key %q, want the user key", recs[0].Key)
	}
	rr, err := schemas.DecodeActionRequest(recs[0].Value)
	if err != nil {
		t.Fatal(err)
	}
	if rr.Attempt != 1 || rr.MessageID != req.MessageID || !bytes.Equal(rr.Payload, req.Payload) ||
		rr.FirstAttemptAt.IsZero() || !strings.Contains(rr.LastError, "503") {
		t.Fatalf("retry record = %+v", rr)
	}
	if wait := rr.NotBefore.Sub(rr.FirstAttemptAt); wait < 250*time.Millisecond || wait > 700*time.Millisecond {
		t.Fatalf("not-before is %v after the first attempt, want the 300-600ms backoff", wait)
	}
	reqs := srv.requests()
	if len(reqs) != 2 {
		t.Fatalf("destination received %d requests, want 2", len(reqs))
	}
	if early := rr.NotBefore.Sub(reqs[1].at); early > 5*time.Millisecond {
		t.Fatalf("retry was sent %v before its not-before time", early)
	}
	h.waitCommitted(h.topics["hook"])
	h.waitCommitted(h.retry)
}

// oauthDefinition is a test-only OAuth destination; its API and token endpoint live on
// made-up hosts that the test redirects to a local server.
func oauthDefinition() *destkit.Definition {
	return &destkit.Definition{
		Slug: "oauth-test", Name: "OAuth test", Auth: destkit.AuthOAuth2,
		OAuth: &destkit.OAuthConfig{TokenURL: "https://auth.example.test/token"},
		Actions: []*destkit.Action{{
			Key: "post",
			Perform: func(in *destkit.Input) ([]destkit.Request, error) {
				return []destkit.Request{destkit.NewJSONRequest("POST", "https://api.example.test/v1/things", destkit.AppendValue(nil, in.Payload))}, nil
			},
		}},
	}
}

func TestOAuthRefreshOn401(t *testing.T) {
	var refreshes atomic.Int32
	srv := newSink(t, func(_ int, r *http.Request, body []byte) (int, map[string]string, string) {
		if r.URL.Path == "/token" {
			if !strings.Contains(string(body), "refresh_token=refresh-secret-1") {
				return 400, nil, `{"error":"invalid_grant"}`
			}
			refreshes.Add(1)
			return 200, map[string]string{"Content-Type": "application/json"}, `{"access_token":"fresh-token-secret","expires_in":3600}`
		}
		if r.Header.Get("Authorization") != "Bearer fresh-token-secret" {
			return 401, nil, `{"error":"expired"}`
		}
		return 200, nil, "{}"
	})
	yaml := workspaceYAML(`  - id: crm
    type: oauth-test
    sources: [web]
    enabled: true
    settings:
      oauth: { access_token: stale-token-secret, refresh_token: refresh-secret-1, clientId: ci, clientSecret: client-secret-9 }
    delivery: { batch_size: 1 }
    mappings:
      - id: m1
        enabled: true
        action: post
        trigger: 'type = "track"'
        mapping: { n: { "@path": "$.properties.n" } }
`)
	h := newHarness(t, yaml, lookupWith(oauthDefinition()), 1, "crm")
	h.produce("crm", "u-1", h.request("crm", "m1", "post", []byte(`{"n":1}`)))
	rdb := redis.NewClient(&redis.Options{Addr: testenv.Redis(t)})
	defer rdb.Close()
	cfg := h.config()
	cfg.Tokens = tokens.New(rdb, tokens.Options{Prefix: "actuate-test:" + h.group + ":"})
	cfg.DestOptions = []destkit.Option{destkit.RedirectAll(srv.URL)}
	h.start(cfg)
	waitFor(t, 20*time.Second, "delivery", func() bool { return h.count("crm", "m1", "delivered", "") == 1 })

	var auths []string
	for _, r := range srv.requests() {
		if r.path == "/v1/things" {
			auths = append(auths, r.header.Get("Authorization"))
		}
	}
	if strings.Join(auths, ",") != "Bearer stale-token-secret,Bearer fresh-token-secret" {
		t.Fatalf("API saw %v, want the stale token, then the refreshed one", auths)
	}
	if n := refreshes.Load(); n != 1 {
		t.Fatalf("token endpoint called %d times, want 1", n)
	}
	tok, ok, err := cfg.Tokens.Get(context.Background(), "crm")
	if err != nil || !ok || tok.AccessToken != "fresh-token-secret" {
		t.Fatalf("Redis holds %v (ok %v, err %v), want the refreshed token", tok, ok, err)
	}
	h.waitCommitted(h.topics["crm"])
	h.noSecretsLogged("stale-token-secret", "fresh-token-secret", "refresh-secret-1", "client-secret-9")
}

func TestBatchingSendsOneRequestForN(t *testing.T) {
	srv := newSink(t, nil)
	h := newHarness(t, workspaceYAML(hookYAML("hook", true, "batch_size: 100, batch_wait: 300ms")), nil, 1, "hook")
	var reqs []*schemas.ActionRequest
	var first []string
	for i := range 5 {
		d := fmt.Sprintf(`{"n":%d}`, i)
		first = append(first, d)
		reqs = append(reqs, h.request("hook", "m1", "send", webhookPayload(t, srv.URL+"/a", d)))
	}
	// The URL is a batch key: these two go in a batch of their own.
	for i := range 2 {
		reqs = append(reqs, h.request("hook", "m1", "send", webhookPayload(t, srv.URL+"/b", fmt.Sprintf(`{"m":%d}`, i))))
	}
	h.produce("hook", "u-1", reqs...)
	h.start(h.config())
	waitFor(t, 20*time.Second, "7 deliveries", func() bool { return h.count("hook", "m1", "delivered", "") == 7 })
	bodies := map[string]string{}
	for _, r := range srv.requests() {
		if _, dup := bodies[r.path]; dup {
			t.Fatalf("more than one request to %s", r.path)
		}
		bodies[r.path] = string(r.body)
	}
	if len(bodies) != 2 {
		t.Fatalf("destination received %d requests, want 2: %v", len(bodies), bodies)
	}
	if want := "[" + strings.Join(first, ",") + "]"; bodies["/a"] != want {
		t.Fatalf("batch to /a = %s, want %s", bodies["/a"], want)
	}
	if want := `[{"m":0},{"m":1}]`; bodies["/b"] != want {
		t.Fatalf("batch to /b = %s, want %s", bodies["/b"], want)
	}
	h.waitCommitted(h.topics["hook"])
}

// multiDefinition is a test-only destination whose batch endpoint answers with one status
// per event.
func multiDefinition() *destkit.Definition {
	return &destkit.Definition{
		Slug: "multistatus-test", Name: "Multistatus test", Auth: destkit.AuthNone,
		Actions: []*destkit.Action{{
			Key:   "track",
			Batch: &destkit.Batch{MaxSize: 10},
			Perform: func(in *destkit.Input) ([]destkit.Request, error) {
				return []destkit.Request{destkit.NewJSONRequest("POST", "https://multi.example.test/one", destkit.AppendValue(nil, in.Payload))}, nil
			},
			PerformBatch: func(in *destkit.BatchInput) ([]destkit.Request, error) {
				w := destkit.NewJSONWriter(nil)
				w.ArrayStart()
				for _, p := range in.Payloads {
					w.Value(p)
				}
				w.ArrayEnd()
				return []destkit.Request{destkit.NewJSONRequest("POST", "https://multi.example.test/batch", w.Bytes())}, nil
			},
			BatchStatus: func(resp *destkit.Response, events []int, _ *destkit.BatchInput) []error {
				var st struct{ Statuses []int }
				_ = json.Unmarshal(resp.Body, &st)
				out := make([]error, len(events))
				for k := range events {
					if k < len(st.Statuses) && st.Statuses[k] >= 300 {
						out[k] = &destkit.APIError{Status: st.Statuses[k]}
					}
				}
				return out
			},
		}},
	}
}

func TestMultistatusDecidesEachEvent(t *testing.T) {
	var flakyFailed atomic.Bool
	srv := newSink(t, func(_ int, _ *http.Request, body []byte) (int, map[string]string, string) {
		var evs []struct{ Name string }
		_ = json.Unmarshal(body, &evs)
		var st []string
		for _, e := range evs {
			switch {
			case e.Name == "bad":
				st = append(st, "400")
			case e.Name == "flaky" && !flakyFailed.Swap(true):
				st = append(st, "503")
			default:
				st = append(st, "200")
			}
		}
		return 207, nil, `{"statuses":[` + strings.Join(st, ",") + `]}`
	})
	yaml := workspaceYAML(`  - id: multi
    type: multistatus-test
    sources: [web]
    enabled: true
    delivery: { batch_size: 100, batch_wait: 300ms }
    mappings:
      - id: m1
        enabled: true
        action: track
        trigger: 'type = "track"'
        mapping: { name: { "@path": "$.event" } }
`)
	h := newHarness(t, yaml, lookupWith(multiDefinition()), 1, "multi")
	var reqs []*schemas.ActionRequest
	for _, name := range []string{"ok1", "bad", "flaky", "ok2"} {
		reqs = append(reqs, h.request("multi", "m1", "track", []byte(`{"name":"`+name+`"}`)))
	}
	h.produce("multi", "u-1", reqs...)
	cfg := h.config()
	cfg.Backoff = Backoff{Base: 100 * time.Millisecond}
	cfg.DestOptions = []destkit.Option{destkit.RedirectAll(srv.URL)}
	h.start(cfg)

	dl := h.deadLetters(1)[0]
	if dl.Reason != "HTTP 400" || string(dl.Original) != `{"name":"bad"}` {
		t.Fatalf("dead letter %q for %s, want HTTP 400 for the bad event", dl.Reason, dl.Original)
	}
	waitFor(t, 20*time.Second, "3 deliveries", func() bool { return h.count("multi", "m1", "delivered", "") == 3 })
	got := srv.requests()
	if len(got) != 2 || string(got[0].body) != `[{"name":"ok1"},{"name":"bad"},{"name":"flaky"},{"name":"ok2"}]` ||
		string(got[1].body) != `[{"name":"flaky"}]` {
		var bodies []string
		for _, r := range got {
			bodies = append(bodies, string(r.body))
		}
		t.Fatalf("batches sent: %v; want all four, then only the retryable one", bodies)
	}
	if n := h.count("multi", "m1", "retried", "HTTP 503"); n != 1 {
		t.Fatalf("retried = %v, want 1", n)
	}
	h.waitCommitted(h.topics["multi"])
}

func TestSlowInstanceDoesNotDelayFastOne(t *testing.T) {
	slow := newSink(t, func(int, *http.Request, []byte) (int, map[string]string, string) {
		time.Sleep(2 * time.Second)
		return 200, nil, "{}"
	})
	fast := newSink(t, nil)
	h := newHarness(t, workspaceYAML(hookYAML("slow", true, "batch_size: 1, concurrency: 1"), hookYAML("fast", true, "batch_size: 1")),
		nil, 2, "slow", "fast")
	for i := range 5 {
		h.produce("slow", fmt.Sprintf("u-%d", i), h.request("slow", "m1", "send", webhookPayload(t, slow.URL+"/s", fmt.Sprintf(`{"n":%d}`, i))))
	}
	for i := range 5 {
		h.produce("fast", fmt.Sprintf("u-%d", i), h.request("fast", "m1", "send", webhookPayload(t, fast.URL+"/f", fmt.Sprintf(`{"n":%d}`, i))))
	}
	h.start(h.config())
	waitFor(t, 20*time.Second, "fast deliveries", func() bool { return h.count("fast", "m1", "delivered", "") == 5 })
	slowDone := h.count("slow", "m1", "delivered", "")
	firstSlow := slow.requests()
	fastReqs := fast.requests()
	lag := fastReqs[len(fastReqs)-1].at.Sub(firstSlow[0].at)
	t.Logf("fast instance done %v after the slow one's first request; slow delivered %v of 5 by then", lag.Round(time.Millisecond), slowDone)
	// The slow queue needs 10s; the fast one must not wait behind even its second request.
	if slowDone > 1 || lag > 1500*time.Millisecond {
		t.Fatalf("fast instance finished %v after the slow one started (slow delivered %v): it waited for it", lag, slowDone)
	}
}

func TestRateLimitAcrossSenders(t *testing.T) {
	srv := newSink(t, nil)
	h := newHarness(t, workspaceYAML(hookYAML("hook", true, "batch_size: 1, concurrency: 4, requests_per_second: 10")), nil, 2, "hook")
	// Two sender processes share the group, and the limit through Redis.
	ms := h.startShared(2)
	const n = 21
	for i := range n {
		h.produce("hook", fmt.Sprintf("u-%d", i), h.request("hook", "m1", "send", webhookPayload(t, srv.URL+"/in", fmt.Sprintf(`{"n":%d}`, i))))
	}
	waitFor(t, 30*time.Second, "deliveries", func() bool { return delivered(t, ms[0])+delivered(t, ms[1]) == n })
	reqs := srv.requests()
	span := reqs[len(reqs)-1].at.Sub(reqs[0].at)
	rate := float64(len(reqs)-1) / span.Seconds()
	t.Logf("%d requests through two senders (%v and %v) at a limit of 10/s spanned %v: %.2f req/s",
		len(reqs), delivered(t, ms[0]), delivered(t, ms[1]), span.Round(time.Millisecond), rate)
	if delivered(t, ms[0]) == 0 || delivered(t, ms[1]) == 0 {
		t.Fatal("one sender delivered nothing: the test did not exercise sharing")
	}
	if len(reqs) != n || span < 1800*time.Millisecond || span > 3*time.Second {
		t.Fatalf("%d requests spanned %v, want %d over about 2s", len(reqs), span, n)
	}
}

func TestUndeliverableRequestsAreDeadLettered(t *testing.T) {
	srv := newSink(t, nil)
	h := newHarness(t, workspaceYAML(hookYAML("hook", true, "batch_size: 1"), hookYAML("off", false, "batch_size: 1")), nil, 1, "hook")
	p := webhookPayload(t, srv.URL+"/in", `{"n":1}`)
	old := h.request("hook", "m1", "send", p)
	old.ReceivedAt = time.Now().Add(-5 * time.Hour)
	h.produce("hook", "u-1",
		h.request("ghost", "m1", "send", p),
		h.request("off", "m1", "send", p),
		h.request("hook", "m1", "nosuch", p),
		old)
	h.start(h.config())
	dls := h.deadLetters(4)
	want := []struct {
		stage  schemas.Stage
		reason string
	}{
		{schemas.StageDeliver, "unknown destination instance"},
		{schemas.StageDeliver, "destination instance disabled"},
		{schemas.StageDeliver, "unknown action"},
		{schemas.StageExpire, "max age exceeded"},
	}
	for i, w := range want {
		if dls[i].Stage != w.stage || dls[i].Reason != w.reason || !bytes.Equal(dls[i].Original, p) {
			t.Errorf("dead letter %d: %s / %q / %s (error %q), want %s / %q with the payload",
				i, dls[i].Stage, dls[i].Reason, dls[i].Original, dls[i].Error, w.stage, w.reason)
		}
	}
	if srv.count() != 0 {
		t.Fatalf("destination received %d requests", srv.count())
	}
	if n := len(h.logs.FilterMessage("dead letter").All()); n != 4 {
		t.Fatalf("%d dead-letter log lines, want 4", n)
	}
	h.waitCommitted(h.topics["hook"])
}

// A record that finishes late holds back the commit of its partition, however many later
// ones finished.
func TestCommitWaitsForLowestOpenOffset(t *testing.T) {
	release := make(chan struct{})
	srv := newSink(t, func(_ int, r *http.Request, body []byte) (int, map[string]string, string) {
		if strings.Contains(string(body), "slow") {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}
		return 200, nil, "{}"
	})
	h := newHarness(t, workspaceYAML(hookYAML("hook", true, "batch_size: 1, concurrency: 4")), nil, 1, "hook")
	h.produce("hook", "u-1", h.request("hook", "m1", "send", webhookPayload(t, srv.URL+"/in", `{"k":"slow"}`)))
	// The fast three are other users' (one user's requests wait for each other), on
	// other workers than the slow one's.
	for i, n := 0, 2; i < 3; n++ {
		if u := fmt.Sprintf("u-%d", n); hashOf([]byte(u))%4 != hashOf([]byte("u-1"))%4 {
			h.produce("hook", u, h.request("hook", "m1", "send", webhookPayload(t, srv.URL+"/in", fmt.Sprintf(`{"k":"f%d"}`, i))))
			i++
		}
	}
	h.start(h.config())
	waitFor(t, 20*time.Second, "the fast three", func() bool { return h.count("hook", "m1", "delivered", "") == 3 })
	time.Sleep(500 * time.Millisecond) // several commit intervals
	if c, ok := h.committed(h.topics["hook"])[0]; ok && c > 0 {
		t.Fatalf("committed %d while offset 0 is still in flight", c)
	}
	close(release)
	h.waitCommitted(h.topics["hook"])
	if c := h.committed(h.topics["hook"])[0]; c != 4 {
		t.Fatalf("committed %d, want 4", c)
	}
}

// Stopping abandons a request still in flight after the grace period without committing
// it; the next sender of the group delivers it again (at least once).
func TestShutdownDoesNotCommitUnfinishedWork(t *testing.T) {
	var hold atomic.Bool
	hold.Store(true)
	srv := newSink(t, func(_ int, r *http.Request, _ []byte) (int, map[string]string, string) {
		if hold.Load() {
			<-r.Context().Done()
			return 503, nil, ""
		}
		return 200, nil, "{}"
	})
	h := newHarness(t, workspaceYAML(hookYAML("hook", true, "batch_size: 1")), nil, 1, "hook")
	h.produce("hook", "u-1", h.request("hook", "m1", "send", webhookPayload(t, srv.URL+"/in", `{"n":1}`)))
	cfg := h.config()
	cfg.Grace = 300 * time.Millisecond
	stop := h.start(cfg)
	waitFor(t, 20*time.Second, "the request to arrive", func() bool { return srv.count() == 1 })
	start := time.Now()
	stop()
	t.Logf("sender stopped %v after cancellation with one request in flight", time.Since(start).Round(time.Millisecond))
	if c, ok := h.committed(h.topics["hook"])[0]; ok && c > 0 {
		t.Fatalf("committed %d for a request that never finished", c)
	}
	h.records(h.dlq, 0, time.Second)
	h.records(h.retry, 0, time.Second)

	hold.Store(false)
	h.start(cfg)
	waitFor(t, 20*time.Second, "redelivery", func() bool { return h.count("hook", "m1", "delivered", "") == 1 })
	if srv.count() != 2 {
		t.Fatalf("destination received %d requests, want 2 (the abandoned one, then the redelivery)", srv.count())
	}
	h.waitCommitted(h.topics["hook"])
}

// Throughput to a local sink, reported, not asserted: it depends on the machine.
func TestThroughputToLocalSink(t *testing.T) {
	if testing.Short() {
		t.Skip("measurement")
	}
	srv := newSink(t, nil)
	h := newHarness(t, workspaceYAML(hookYAML("single", true, "batch_size: 1, concurrency: 32"), hookYAML("batched", true, "batch_size: 100, batch_wait: 50ms")),
		nil, 4, "single", "batched")
	h.start(h.config())
	const n = 3000
	for _, inst := range []string{"single", "batched"} {
		var reqs []*schemas.ActionRequest
		for i := range n {
			reqs = append(reqs, h.request(inst, "m1", "send", webhookPayload(t, srv.URL+"/"+inst, fmt.Sprintf(`{"type":"track","event":"Viewed","n":%d}`, i))))
		}
		before := srv.count()
		// 60 users, so the requests spread over partitions and workers.
		start := time.Now()
		for u := range 60 {
			h.produce(inst, fmt.Sprintf("u-%d", u), reqs[u*n/60:(u+1)*n/60]...)
		}
		produced := time.Since(start)
		waitFor(t, 120*time.Second, inst+" deliveries", func() bool { return h.count(inst, "m1", "delivered", "") == n })
		d := time.Since(start)
		t.Logf("%s: %d requests (produced in %v) delivered in %v: %.0f requests/s in %d HTTP requests",
			inst, n, produced.Round(time.Millisecond), d.Round(time.Millisecond), float64(n)/d.Seconds(), srv.count()-before)
	}
}

// Requests of one user reach the destination in partition order even with many workers
// and a destination whose latency varies.
func TestPerUserOrderWithConcurrency(t *testing.T) {
	srv := newSink(t, func(n int, _ *http.Request, _ []byte) (int, map[string]string, string) {
		time.Sleep(time.Duration(n%4) * 3 * time.Millisecond)
		return 200, nil, "{}"
	})
	h := newHarness(t, workspaceYAML(hookYAML("hook", true, "batch_size: 1, concurrency: 8")), nil, 2, "hook")
	const users, each = 6, 15
	for i := range each {
		for u := range users {
			h.produce("hook", fmt.Sprintf("user-%d", u), h.request("hook", "m1", "send",
				webhookPayload(t, srv.URL+"/in", fmt.Sprintf(`{"u":%d,"i":%d}`, u, i))))
		}
	}
	h.start(h.config())
	waitFor(t, 30*time.Second, "deliveries", func() bool { return h.count("hook", "m1", "delivered", "") == users*each })
	next := map[int]int{}
	for _, r := range srv.requests() {
		var d struct{ U, I int }
		if err := json.Unmarshal(r.body, &d); err != nil {
			t.Fatal(err)
		}
		if d.I != next[d.U] {
			t.Fatalf("user %d: request %d arrived when %d was due", d.U, d.I, next[d.U])
		}
		next[d.U]++
	}
}

// A request for an instance this sender's config does not have yet, rendered under
// another config version, waits for the config instead of being dead-lettered.
func TestWaitsForNewerConfig(t *testing.T) {
	srv := newSink(t, nil)
	h := newHarness(t, workspaceYAML(hookYAML("hook", true, "batch_size: 1")), nil, 1, "hook")
	req := h.request("late", "m1", "send", webhookPayload(t, srv.URL+"/in", `{"n":1}`))
	req.ConfigVersion++
	h.produce("hook", "u-1", req)
	h.start(h.config())
	waitFor(t, 20*time.Second, "the sender to wait for the config twice", func() bool {
		return len(h.logs.FilterMessage("waiting for a newer config").All()) >= 2
	})
	if n := len(h.logs.FilterMessage("dead letter").All()); n != 0 || srv.count() != 0 {
		t.Fatalf("before the config arrived: %d dead letters, %d requests", n, srv.count())
	}
	h.setConfig(workspaceYAML(hookYAML("hook", true, "batch_size: 1"), hookYAML("late", true, "batch_size: 1")), nil)
	waitFor(t, 10*time.Second, "delivery under the new config", func() bool { return h.count("late", "m1", "delivered", "") == 1 })
	h.waitCommitted(h.topics["hook"])
	h.records(h.dlq, 0, time.Second)
}

func TestUndecodableRecordIsDeadLettered(t *testing.T) {
	h := newHarness(t, workspaceYAML(hookYAML("hook", true, "batch_size: 1")), nil, 1, "hook")
	garbage := []byte(`{"not":"an action request"}`)
	res := h.kafka.ProduceSync(context.Background(), &kgo.Record{Topic: h.topics["hook"], Key: []byte("u-1"), Value: garbage})
	if err := res.FirstErr(); err != nil {
		t.Fatal(err)
	}
	h.start(h.config())
	dl := h.deadLetters(1)[0]
	if dl.Stage != schemas.StageDeliver || dl.Reason != "undecodable action request" || !bytes.Equal(dl.Original, garbage) ||
		dl.Topic != h.topics["hook"] || dl.Offset != 0 || dl.Error == "" {
		t.Fatalf("dead letter = %+v", dl)
	}
	h.waitCommitted(h.topics["hook"])
}

// Two sender processes together keep an instance's concurrency, through Redis.
func TestConcurrencySharedAcrossSenders(t *testing.T) {
	var cur, peak atomic.Int32
	srv := newSink(t, func(int, *http.Request, []byte) (int, map[string]string, string) {
		n := cur.Add(1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		time.Sleep(100 * time.Millisecond)
		cur.Add(-1)
		return 200, nil, "{}"
	})
	h := newHarness(t, workspaceYAML(hookYAML("hook", true, "batch_size: 1, concurrency: 2")), nil, 4, "hook")
	ms := h.startShared(2)
	const n = 16
	for i := range n {
		h.produce("hook", fmt.Sprintf("u-%d", i), h.request("hook", "m1", "send", webhookPayload(t, srv.URL+"/in", fmt.Sprintf(`{"n":%d}`, i))))
	}
	waitFor(t, 30*time.Second, "deliveries", func() bool { return delivered(t, ms[0])+delivered(t, ms[1]) == n })
	t.Logf("sender A delivered %v, sender B %v; peak in flight %d", delivered(t, ms[0]), delivered(t, ms[1]), peak.Load())
	if delivered(t, ms[0]) == 0 || delivered(t, ms[1]) == 0 {
		t.Fatal("one sender delivered nothing: the test did not exercise sharing")
	}
	if p := peak.Load(); p != 2 {
		t.Fatalf("peak concurrency at the destination %d, want 2 (each sender alone may run 2)", p)
	}
}

// startShared starts n senders in the group, each with its own metrics and a limiter on
// the test Redis, and waits until each holds partitions of the "hook" topic.
func (h *harness) startShared(n int) []*metrics.Metrics {
	rdb := redis.NewClient(&redis.Options{Addr: testenv.Redis(h.t)})
	h.t.Cleanup(func() { rdb.Close() })
	var ms []*metrics.Metrics
	for range n {
		lim := ratelimit.New(rdb, ratelimit.Options{Prefix: "actuate-test:" + h.group + ":"})
		h.t.Cleanup(lim.Close)
		cfg := h.config()
		cfg.Limiter = lim
		cfg.Metrics = metrics.New()
		ms = append(ms, cfg.Metrics)
		h.start(cfg)
	}
	h.waitMembers(n, h.topics["hook"])
	return ms
}

func delivered(t *testing.T, m *metrics.Metrics) float64 {
	c, err := m.SendOutcomes.GetMetricWithLabelValues("hook", "m1", "delivered", "")
	if err != nil {
		t.Fatal(err)
	}
	var d dto.Metric
	_ = c.Write(&d)
	return d.GetCounter().GetValue()
}
