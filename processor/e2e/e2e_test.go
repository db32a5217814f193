package e2e

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/redis/go-redis/v9"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"

	"github.com/actuate/actuate/destinations"
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/internal/testenv"
	"github.com/actuate/actuate/processor/config"
	"github.com/actuate/actuate/processor/metrics"
	"github.com/actuate/actuate/processor/ratelimit"
	"github.com/actuate/actuate/processor/router"
	"github.com/actuate/actuate/processor/sender"
	"github.com/actuate/actuate/processor/tokens"
	"github.com/actuate/actuate/processor/workspace"
	"github.com/actuate/actuate/schemas"
)

// sink is an HTTP destination that records what it accepted and answers as told.
type sink struct {
	*httptest.Server
	mu       sync.Mutex
	accepted map[string][]string // path → bodies, in arrival order
	attempts atomic.Int64
}

func newSink(t *testing.T, answer func(path string, header http.Header, body []byte) (int, map[string]string)) *sink {
	s := &sink{accepted: map[string][]string{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.attempts.Add(1)
		status, headers := answer(r.URL.Path, r.Header, body)
		for k, v := range headers {
			w.Header().Set(k, v)
		}
		if status == http.StatusOK {
			s.mu.Lock()
			s.accepted[r.URL.Path] = append(s.accepted[r.URL.Path], string(body))
			s.mu.Unlock()
		}
		w.WriteHeader(status)
		w.Write([]byte(`{}`))
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *sink) bodies(path string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.accepted[path]...)
}

// oauthDefinition is a test-only OAuth destination whose API and token endpoint the test
// redirects to a sink.
func oauthDefinition() *destkit.Definition {
	return &destkit.Definition{
		Slug: "oauth-test", Name: "OAuth test", Auth: destkit.AuthOAuth2,
		OAuth: &destkit.OAuthConfig{TokenURL: "https://auth.example.test/token"},
		Actions: []*destkit.Action{{
			Key: "post",
			Fields: []destkit.Field{
				{Key: "user", Label: "User", Type: destkit.String, Required: true},
				{Key: "plan", Label: "Plan", Type: destkit.String},
			},
			Perform: func(in *destkit.Input) ([]destkit.Request, error) {
				return []destkit.Request{destkit.NewJSONRequest("POST", "https://api.example.test/v1/profiles", destkit.AppendValue(nil, in.Payload))}, nil
			},
		}},
	}
}

func lookup(slug string) (*destkit.Definition, bool) {
	if slug == "oauth-test" {
		return oauthDefinition(), true
	}
	return destinations.Get(slug)
}

// TestPipelineEndToEnd: events → processor → delivery topics → senders → HTTP, through a
// tracking plan, a destination filter and triggers, for three instances at once; a 400 is
// dead-lettered, a 429 is retried after its Retry-After, a 401 refreshes the OAuth token.
func TestPipelineEndToEnd(t *testing.T) {
	brokers := testenv.Kafka(t)
	redisAddr := testenv.Redis(t)
	events := testenv.Topic(t, "events", 4)
	dlq := testenv.Topic(t, "dlq", 1)
	retry := testenv.Topic(t, "retry", 1)
	sfx := testenv.Suffix()
	shop, crm, profiles := "shop-"+sfx, "crm-"+sfx, "profiles-"+sfx

	var throttled atomic.Bool
	var throttledBody atomic.Value
	shopSink := newSink(t, func(string, http.Header, []byte) (int, map[string]string) { return 200, nil })
	crmSink := newSink(t, func(_ string, _ http.Header, body []byte) (int, map[string]string) {
		switch {
		case strings.Contains(string(body), `"seq":13,`):
			return 400, nil
		case strings.Contains(string(body), `"seq":7,`) && throttled.CompareAndSwap(false, true):
			throttledBody.Store(string(body))
			return 429, map[string]string{"Retry-After": "1"}
		}
		return 200, nil
	})
	var refreshes atomic.Int32
	profileSink := newSink(t, func(path string, h http.Header, body []byte) (int, map[string]string) {
		if path == "/token" {
			refreshes.Add(1)
			return 200, map[string]string{"Content-Type": "application/json"}
		}
		if h.Get("Authorization") != "Bearer fresh-token" {
			return 401, nil
		}
		return 200, nil
	})
	// The token endpoint answers {} above; give it a real token.
	profileSink.Config.Handler = tokenOverride(profileSink.Config.Handler)

	yaml := fmt.Sprintf(`
sources: [{ id: web, write_key: wk_web, topics: [%[1]s], tracking_plan: plan }]
tracking_plans:
  - id: plan
    events:
      Order Completed: { properties: { type: object, required: [order_id] } }
    on_violation: { invalid_properties: block }
destinations:
  - id: %[2]s
    type: webhook
    sources: [web]
    enabled: true
    delivery: { concurrency: 4 }
    mappings:
      - id: orders
        enabled: true
        action: send
        trigger: 'event = "Order Completed"'
        mapping: { url: "%[5]s/orders", method: POST, data: { user: { "@path": "$.userId" }, seq: { "@path": "$.properties.seq" }, order: { "@path": "$.properties.order_id" } } }
      - id: signups
        enabled: true
        action: send
        trigger: 'event = "Signed Up"'
        mapping: { url: "%[5]s/signups", method: POST, data: { user: { "@path": "$.userId" }, seq: { "@path": "$.properties.seq" } } }
  - id: %[3]s
    type: webhook
    sources: [web]
    enabled: true
    filters: [{ title: no internal, if: "properties.internal = true", actions: [{ type: drop_event }] }]
    mappings:
      - id: tracks
        enabled: true
        action: send
        trigger: 'type = "track"'
        mapping: { url: "%[6]s/track", method: POST, data: { seq: { "@path": "$.properties.seq" }, user: { "@path": "$.userId" } } }
  - id: %[4]s
    type: oauth-test
    sources: [web]
    enabled: true
    settings: { oauth: { access_token: stale-token, refresh_token: refresh-secret, clientId: ci, clientSecret: client-secret } }
    mappings:
      - { id: identify, enabled: true, action: post, trigger: 'type = "identify"', mapping: { user: { "@path": "$.userId" }, plan: { "@path": "$.traits.plan" } } }
`, events, shop, crm, profiles, shopSink.URL, crmSink.URL)
	cfg, err := config.Parse([]byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	ws, err := workspace.Compile(cfg, lookup)
	if err != nil {
		t.Fatal(err)
	}
	testenv.DeleteTopicsAtCleanup(t, workspace.DeliveryTopic(shop), workspace.DeliveryTopic(crm), workspace.DeliveryTopic(profiles))

	// 6 users × 20 events each, produced in order per user; plus one identify per user.
	type expect struct{ orders, signups, crm []string }
	want := map[string]*expect{}
	var records []*kgo.Record
	const users, perUser = 6, 20
	for u := range users {
		user := fmt.Sprintf("user-%d", u)
		want[user] = &expect{}
		for seq := range perUser {
			var ev string
			internal := seq%8 == 3
			switch seq % 4 {
			case 0:
				ev = fmt.Sprintf(`{"type":"track","event":"Signed Up","userId":%q,"properties":{"seq":%d}}`, user, seq)
				want[user].signups = append(want[user].signups, fmt.Sprintf(`{"user":%q,"seq":%d}`, user, seq))
			case 1:
				ev = fmt.Sprintf(`{"type":"track","event":"Order Completed","userId":%q,"properties":{"seq":%d,"order_id":"o-%d"}}`, user, seq, seq)
				want[user].orders = append(want[user].orders, fmt.Sprintf(`{"user":%q,"seq":%d,"order":"o-%d"}`, user, seq, seq))
			case 2: // no order_id: blocked by the tracking plan for every instance
				ev = fmt.Sprintf(`{"type":"track","event":"Order Completed","userId":%q,"properties":{"seq":%d}}`, user, seq)
			case 3:
				ev = fmt.Sprintf(`{"type":"track","event":"Page Scrolled","userId":%q,"properties":{"seq":%d,"internal":%v}}`, user, seq, internal)
			}
			if seq%4 != 2 && !internal && seq != 13 {
				want[user].crm = append(want[user].crm, fmt.Sprintf(`{"seq":%d,"user":%q}`, seq, user))
			}
			records = append(records, &kgo.Record{Topic: events, Key: []byte(user), Value: []byte(ev)})
		}
		records = append(records, &kgo.Record{Topic: events, Key: []byte(user), Value: []byte(fmt.Sprintf(`{"type":"identify","userId":%q,"traits":{"plan":"pro"}}`, user))})
	}
	testenv.Produce(t, records...)

	m := metrics.New()
	log := zap.NewNop()
	live := func() *workspace.Workspace { return ws }
	r, err := router.New(router.Config{Brokers: brokers, Group: "e2e-router-" + sfx, Workspace: live, DLQTopic: dlq, Metrics: m, Logger: log,
		ClientOptions: []kgo.Opt{kgo.MetadataMinAge(100 * time.Millisecond), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart())}})
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(&redis.Options{Addr: redisAddr})
	defer rdb.Close()
	limiter := ratelimit.New(rdb, ratelimit.Options{Prefix: "e2e-" + sfx + ":"})
	defer limiter.Close()
	s, err := sender.New(sender.Config{
		Brokers: brokers, Group: "e2e-sender-" + sfx, Workspace: live, Metrics: m, Logger: log,
		Tokens: tokens.New(rdb, tokens.Options{Prefix: "e2e-" + sfx + ":"}), Limiter: limiter,
		DeliveryTopics: "^" + regexp.QuoteMeta("actuate.delivery.") + ".*-" + sfx + "$",
		RetryTopic:     retry, DLQTopic: dlq,
		DestOptions:   []destkit.Option{destkit.OverrideHost("api.example.test", profileSink.URL), destkit.OverrideHost("auth.example.test", profileSink.URL)},
		ClientOptions: []kgo.Opt{kgo.MetadataMinAge(100 * time.Millisecond), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart())},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer start(t, r.Run, s.Run)()

	total := func(f func(*expect) []string) int {
		n := 0
		for _, e := range want {
			n += len(f(e))
		}
		return n
	}
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		if len(shopSink.bodies("/orders")) >= total(func(e *expect) []string { return e.orders }) &&
			len(shopSink.bodies("/signups")) >= total(func(e *expect) []string { return e.signups }) &&
			len(crmSink.bodies("/track")) >= total(func(e *expect) []string { return e.crm }) &&
			len(profileSink.bodies("/v1/profiles")) >= users {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond) // anything more would be a duplicate

	// Exact bodies, each exactly once, in per-user order.
	for path, pick := range map[string]func(*expect) []string{
		"/orders": func(e *expect) []string { return e.orders }, "/signups": func(e *expect) []string { return e.signups },
	} {
		checkPerUser(t, "shop"+path, shopSink.bodies(path), want, pick)
	}
	// The request that met the 429 was retried after its Retry-After while the user's later
	// requests went on: retries reorder. Its user's other requests keep their order.
	retried := throttledBody.Load().(string)
	crmBodies := crmSink.bodies("/track")
	if n := countOf(crmBodies, retried); n != 1 {
		t.Errorf("the throttled request %s was delivered %d times, want once", retried, n)
	}
	checkPerUser(t, "crm/track", without(crmBodies, retried), want, func(e *expect) []string { return without(e.crm, retried) })
	var gotProfiles []string
	for _, b := range profileSink.bodies("/v1/profiles") {
		gotProfiles = append(gotProfiles, b)
	}
	sort.Strings(gotProfiles)
	if len(gotProfiles) != users || gotProfiles[0] != `{"user":"user-0","plan":"pro"}` {
		t.Errorf("profiles got %v", gotProfiles)
	}
	if n := refreshes.Load(); n != 1 {
		t.Errorf("token endpoint called %d times, want once", n)
	}

	// Each user's seq 13 met a 400: a dead letter with its reason. The 429 was retried, not
	// dead-lettered.
	for _, dl := range readDeadLetters(t, brokers, dlq, users) {
		if dl.Stage != schemas.StageDeliver || dl.Reason != "HTTP 400" || dl.Instance != crm || !strings.Contains(string(dl.Original), `"seq":13,`) {
			t.Errorf("dead letter %+v", dl)
		}
	}
	if !throttled.Load() {
		t.Error("the 429 was never served")
	}

	// The Delivery Overview adds up per instance.
	received := testutil.ToFloat64(m.EventsReceived.WithLabelValues("web"))
	if received != users*(perUser+1) {
		t.Errorf("received %v events, want %d", received, users*(perUser+1))
	}
	for _, inst := range []string{shop, crm, profiles} {
		var sum float64
		for _, lv := range [][]string{
			{metrics.OutcomeRouted, "", ""}, {metrics.OutcomeNoMatchingMapping, "trigger", ""},
			{metrics.OutcomeFiltered, "protocols", ""}, {metrics.OutcomeFiltered, "filter", "no internal"},
			{metrics.OutcomeDeadLettered, "mapping", ""},
		} {
			sum += testutil.ToFloat64(m.InstanceOutcomes.WithLabelValues(inst, lv[0], lv[1], lv[2]))
		}
		if sum != received {
			t.Errorf("instance %s: outcomes add up to %v, want %v", inst, sum, received)
		}
	}
	if got := testutil.ToFloat64(m.InstanceOutcomes.WithLabelValues(shop, metrics.OutcomeFiltered, "protocols", "")); got != users*perUser/4 {
		t.Errorf("blocked by Protocols: %v, want %d", got, users*perUser/4)
	}
}

// tokenOverride answers the token endpoint with a fresh token.
// start runs each of runs (a router's or sender's Run) until the returned stop is called, which
// cancels them and waits for them to return; a run's error fails t.
func start(t *testing.T, runs ...func(context.Context) error) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for _, run := range runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := run(ctx); err != nil {
				t.Errorf("run: %v", err)
			}
		}()
	}
	return func() { cancel(); wg.Wait() }
}

func tokenOverride(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/token" {
			next.ServeHTTP(httptest.NewRecorder(), r) // count it
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"access_token":"fresh-token","expires_in":3600}`))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// checkPerUser asserts that got holds exactly the wanted bodies, each once, and that each
// user's bodies arrived in the order of their events.
func checkPerUser[E any](t *testing.T, what string, got []string, want map[string]E, pick func(E) []string) {
	t.Helper()
	perUser := map[string][]string{}
	userOf := regexp.MustCompile(`"user":"([^"]+)"`)
	for _, b := range got {
		m := userOf.FindStringSubmatch(b)
		if m == nil {
			t.Errorf("%s: body without a user: %s", what, b)
			continue
		}
		perUser[m[1]] = append(perUser[m[1]], b)
	}
	for user, e := range want {
		w := pick(e)
		if strings.Join(perUser[user], "\n") != strings.Join(w, "\n") {
			t.Errorf("%s for %s:\n got  %v\n want %v", what, user, perUser[user], w)
		}
	}
}

func countOf(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}

func without(list []string, s string) []string {
	var out []string
	for _, x := range list {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}

func readDeadLetters(t *testing.T, brokers []string, topic string, n int) []*schemas.DeadLetter {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.ConsumeTopics(topic), kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var out []*schemas.DeadLetter
	for len(out) < n {
		fetches := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("got %d dead letters, want %d", len(out), n)
		}
		fetches.EachRecord(func(r *kgo.Record) {
			dl, err := schemas.DecodeDeadLetter(r.Value)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, dl)
		})
	}
	extra, cancelExtra := context.WithTimeout(context.Background(), time.Second)
	defer cancelExtra()
	cl.PollFetches(extra).EachRecord(func(*kgo.Record) { out = append(out, nil) })
	if len(out) != n {
		t.Fatalf("got %d dead letters, want exactly %d", len(out), n)
	}
	return out
}
