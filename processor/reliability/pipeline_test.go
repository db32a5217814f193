package reliability

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	dto "github.com/prometheus/client_model/go"
	"github.com/redis/go-redis/v9"
	"github.com/twmb/franz-go/pkg/kgo"

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

// TestWholePipelineOutcomesHostileInputSecrets pushes good events and the hostile corpus
// through router and sender on the real broker and Redis, then proves:
//   - every hostile event has exactly one dead letter with a reason, at its own offset, and
//     nothing panicked; the good events produced after them on the same partition flowed;
//   - the outcome counts add up per destination instance (received = routed + filtered by
//     stage + no matching mapping + dead-lettered) and per mapping in the senders
//     (routed = delivered + dead-lettered);
//   - no configured secret (nor the token refreshed during the run) appears in any log
//     line, metric or dead letter.
func TestWholePipelineOutcomesHostileInputSecrets(t *testing.T) {
	t.Parallel()
	brokers := testenv.Kafka(t)
	redisAddr := testenv.Redis(t)
	sfx := testenv.Suffix()
	eventsTopic, dlq, retry := "rel.events."+sfx, "rel.dlq."+sfx, "rel.retry."+sfx
	createTopic(t, brokers, eventsTopic, 6)
	createTopic(t, brokers, dlq, 3)
	createTopic(t, brokers, retry, 3)
	hooks, profiles := "hooks-"+sfx, "profiles-"+sfx
	testenv.DeleteTopicsAtCleanup(t, workspace.DeliveryTopic(hooks), workspace.DeliveryTopic(profiles))

	// Secret values; each is long and unique, so finding one anywhere is unambiguous.
	const (
		webhookSecret = "whsec-RELIABILITY-5f3a9c1e7d"
		staleToken    = "stale-RELIABILITY-access-88d1"
		refreshToken  = "refresh-RELIABILITY-b7e2c4"
		clientSecret  = "clientsecret-RELIABILITY-19af"
		freshToken    = "fresh-RELIABILITY-token-6c0b"
	)

	hookSink := newSink(t, ok)
	var refreshes atomic.Int32
	profileSink := newSink(t, func(w http.ResponseWriter, r *http.Request, body []byte) bool {
		switch {
		case r.URL.Path == "/token":
			refreshes.Add(1)
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"access_token":%q,"expires_in":3600}`, freshToken)
			return false
		case r.Header.Get("Authorization") != "Bearer "+freshToken:
			w.WriteHeader(401)
			return false
		case strings.Contains(string(body), `"plan":"reject"`):
			// Destinations echo credentials in errors; the dead letter must not keep them.
			w.WriteHeader(400)
			fmt.Fprintf(w, `{"error":"rejected request with %s"}`, r.Header.Get("Authorization"))
			return false
		}
		w.Write([]byte(`{}`))
		return true
	})

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
    settings: { sharedSecret: %[5]s }
    filters: [{ title: no internal, if: "properties.internal = true", actions: [{ type: drop_event }] }]
    mappings:
      - { id: orders, enabled: true, action: send, trigger: 'event = "Order Completed"',
          mapping: { url: "%[4]s/orders", method: POST, data: { user: { "@path": "$.userId" }, seq: { "@path": "$.properties.seq" } } } }
      - { id: tracks, enabled: true, action: send, trigger: 'type = "track"',
          mapping: { url: "%[4]s/tracks", method: POST, data: { user: { "@path": "$.userId" }, seq: { "@path": "$.properties.seq" } } } }
      - { id: broken, enabled: true, action: send, trigger: 'event = "Broken"',
          mapping: { url: { "@path": "$.properties.nowhere" }, method: POST } }
  - id: %[3]s
    type: oauth-test
    sources: [web]
    enabled: true
    settings: { oauth: { access_token: %[6]s, refresh_token: %[7]s, clientId: ci, clientSecret: %[8]s } }
    mappings:
      - { id: identify, enabled: true, action: post, trigger: 'type = "identify"', mapping: { user: { "@path": "$.userId" }, plan: { "@path": "$.traits.plan" } } }
`, eventsTopic, hooks, profiles, hookSink.URL, webhookSecret, staleToken, refreshToken, clientSecret)
	cfg, err := config.Parse([]byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	ws, err := workspace.Compile(cfg, lookup)
	if err != nil {
		t.Fatal(err)
	}

	// Good events, by kind; expectations follow the config above.
	n := events(3000)
	type want struct{ orders, tracks, identifies, broken, blocked, internal int }
	var exp want
	goodEvent := func(i int) (key string, value string) {
		user := fmt.Sprintf("u-%d", i%50)
		switch i % 6 {
		case 0, 1:
			exp.orders++
			exp.tracks++
			return user, fmt.Sprintf(`{"type":"track","event":"Order Completed","userId":%q,"messageId":"m-%d","properties":{"seq":%d,"order_id":"o-%d"}}`, user, i, i, i)
		case 2: // no order_id: Protocols blocks it for every instance
			exp.blocked++
			return user, fmt.Sprintf(`{"type":"track","event":"Order Completed","userId":%q,"messageId":"m-%d","properties":{"seq":%d}}`, user, i, i)
		case 3:
			if i%12 == 3 {
				exp.internal++
				return user, fmt.Sprintf(`{"type":"track","event":"Page Scrolled","userId":%q,"messageId":"m-%d","properties":{"seq":%d,"internal":true}}`, user, i, i)
			}
			exp.tracks++
			return user, fmt.Sprintf(`{"type":"track","event":"Page Scrolled","userId":%q,"messageId":"m-%d","properties":{"seq":%d}}`, user, i, i)
		case 4: // tracks renders; broken fails validation (no url) and is dead-lettered
			exp.tracks++
			exp.broken++
			return user, fmt.Sprintf(`{"type":"track","event":"Broken","userId":%q,"messageId":"m-%d","properties":{"seq":%d}}`, user, i, i)
		default:
			exp.identifies++
			plan := "pro"
			if i%30 == 5 {
				plan = "reject"
			}
			return user, fmt.Sprintf(`{"type":"identify","userId":%q,"messageId":"m-%d","traits":{"plan":%q}}`, user, i, plan)
		}
	}
	rejects := 0
	for i := 0; i < n; i++ {
		if i%6 == 5 && i%30 == 5 {
			rejects++
		}
	}

	files, err := filepath.Glob(filepath.Join("testdata", "hostile", "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("hostile corpus: %v (%d files)", err, len(files))
	}
	sort.Strings(files)

	producer := newClient(t, brokers, kgo.ProducerBatchMaxBytes(2<<20), kgo.MaxBufferedBytes(64<<20))
	var good []*kgo.Record
	for i := 0; i < n/2; i++ {
		k, v := goodEvent(i)
		good = append(good, &kgo.Record{Topic: eventsTopic, Key: []byte(k), Value: []byte(v)})
	}
	produceSync(t, producer, good...)
	// The hostile events share user u-0's partition with good events produced after them:
	// that partition must keep flowing.
	hostileOffset := map[string]int64{}
	hostilePartition := int32(-1)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rec := &kgo.Record{Topic: eventsTopic, Key: []byte("u-0"), Value: data}
		produceSync(t, producer, rec)
		hostileOffset[filepath.Base(f)] = rec.Offset
		hostilePartition = rec.Partition
	}
	good = good[:0]
	for i := n / 2; i < n; i++ {
		k, v := goodEvent(i)
		good = append(good, &kgo.Record{Topic: eventsTopic, Key: []byte(k), Value: []byte(v)})
	}
	produceSync(t, producer, good...)

	ev := newEvidence()
	rm, sm := metrics.New(), metrics.New()
	live := func() *workspace.Workspace { return ws }
	r, err := router.New(router.Config{Brokers: brokers, Group: "rel-router-" + sfx, Workspace: live, DLQTopic: dlq, Metrics: rm,
		Logger: ev.logger("router log"), ClientOptions: fastGroup()})
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(&redis.Options{Addr: redisAddr})
	defer rdb.Close()
	limiter := ratelimit.New(rdb, ratelimit.Options{Prefix: "rel-" + sfx + ":"})
	defer limiter.Close()
	s, err := sender.New(sender.Config{
		Brokers: brokers, Group: "rel-sender-" + sfx, Workspace: live, Metrics: sm, Logger: ev.logger("sender log"),
		Tokens: tokens.New(rdb, tokens.Options{Prefix: "rel-" + sfx + ":"}), Limiter: limiter,
		DeliveryTopics: "^" + regexp.QuoteMeta("actuate.delivery.") + ".*-" + sfx + "$", RetryTopic: retry, DLQTopic: dlq,
		DestOptions:   []destkit.Option{destkit.OverrideHost("api.example.test", profileSink.URL), destkit.OverrideHost("auth.example.test", profileSink.URL)},
		ClientOptions: fastGroup(),
	})
	if err != nil {
		t.Fatal(err)
	}

	// Memory stays bounded while the corpus goes through: sampled, not just read at the end.
	var peakHeap atomic.Uint64
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	var runErrs [2]error
	for i, run := range []func(context.Context) error{r.Run, s.Run} {
		wg.Add(1)
		go func() { defer wg.Done(); runErrs[i] = run(ctx) }()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		for ctx.Err() == nil {
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > peakHeap.Load() {
				peakHeap.Store(ms.HeapAlloc)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}()

	identifiesOK := exp.identifies - rejects
	flowed := waitFor(120*time.Second, func() bool {
		return hookSink.count("/orders") >= exp.orders && hookSink.count("/tracks") >= exp.tracks &&
			profileSink.count("/v1/profiles") >= identifiesOK
	})
	time.Sleep(time.Second) // anything more would be a duplicate
	if !flowed {
		t.Errorf("not everything arrived in time: orders %d/%d tracks %d/%d profiles %d/%d", hookSink.count("/orders"), exp.orders,
			hookSink.count("/tracks"), exp.tracks, profileSink.count("/v1/profiles"), identifiesOK)
	}

	// Dead letters: one per hostile file (ingest), one per "Broken" event (validate), one
	// per rejected identify (deliver).
	wantDL := len(files) + exp.broken + rejects
	dls := deadLetters(t, brokers, dlq, ev, 60*time.Second, time.Second, func(*schemas.DeadLetter) bool { return true },
		func(n int) bool { return n >= wantDL })
	cancel()
	wg.Wait()
	for i, err := range runErrs {
		if err != nil {
			t.Errorf("run %d returned %v", i, err)
		}
	}

	// 1. Hostile corpus: each has exactly one dead letter at its own offset, with a reason.
	byOffset := map[int64][]*schemas.DeadLetter{}
	stages := map[schemas.Stage]int{}
	for _, dl := range dls {
		stages[dl.Stage]++
		if dl.Topic == eventsTopic && dl.Partition == hostilePartition && dl.Instance == "" {
			byOffset[dl.Offset] = append(byOffset[dl.Offset], dl)
		}
	}
	var table strings.Builder
	for _, f := range files {
		name := filepath.Base(f)
		got := byOffset[hostileOffset[name]]
		if len(got) != 1 {
			t.Errorf("hostile %s: %d dead letters, want exactly 1", name, len(got))
			continue
		}
		if got[0].Reason == "" || got[0].Error == "" {
			t.Errorf("hostile %s: dead letter without a reason: %+v", name, got[0])
		}
		if len(got[0].Original) > router.MaxDeadLetterOriginal {
			t.Errorf("hostile %s: dead letter keeps %d original bytes", name, len(got[0].Original))
		}
		fmt.Fprintf(&table, "  %-28s %-7s %s\n", name, got[0].Stage, got[0].Reason)
	}
	t.Logf("hostile corpus: %d files, each dead-lettered once:\n%s", len(files), table.String())
	if len(dls) != wantDL {
		t.Errorf("%d dead letters, want %d (by stage %v)", len(dls), wantDL, stages)
	}
	if stages[schemas.StageValidate] != exp.broken {
		t.Errorf("validate dead letters %d, want %d", stages[schemas.StageValidate], exp.broken)
	}
	if stages[schemas.StageDeliver] != rejects {
		t.Errorf("deliver dead letters %d, want %d", stages[schemas.StageDeliver], rejects)
	}

	// 2. Every good request arrived exactly once.
	for path, want := range map[string]int{"/orders": exp.orders, "/tracks": exp.tracks} {
		got := hookSink.bodies(path)
		if len(got) != want || dupes(got) != 0 {
			t.Errorf("%s: %d bodies (%d duplicates), want %d once each", path, len(got), dupes(got), want)
		}
	}
	// Profile bodies repeat (user and plan only); their exact count is the check.
	if got := profileSink.count("/v1/profiles"); got != identifiesOK {
		t.Errorf("profiles: %d bodies, want %d", got, identifiesOK)
	}
	if n := refreshes.Load(); n != 1 {
		t.Errorf("token endpoint called %d times, want 1", n)
	}

	// 3. Outcome counts add up.
	received := testutil.ToFloat64(rm.EventsReceived.WithLabelValues("web"))
	if int(received) != n {
		t.Errorf("received %v, want %d good events", received, n)
	}
	var ingest float64
	for _, st := range []string{string(schemas.StageDecode), string(schemas.StageSource)} {
		for _, reason := range ingestReasons(t, rm, st) {
			ingest += testutil.ToFloat64(rm.IngestFailures.WithLabelValues(st, reason))
		}
	}
	if int(ingest) != len(files) {
		t.Errorf("ingest failures %v, want %d", ingest, len(files))
	}
	outcomes := [][]string{
		{metrics.OutcomeRouted, "", ""}, {metrics.OutcomeNoMatchingMapping, "trigger", ""},
		{metrics.OutcomeFiltered, "protocols", ""}, {metrics.OutcomeFiltered, "filter", "no internal"},
		{metrics.OutcomeDeadLettered, "mapping", ""},
	}
	var report strings.Builder
	fmt.Fprintf(&report, "events produced %d good + %d hostile; received %v, ingest dead letters %v\n", n, len(files), received, ingest)
	for _, inst := range []string{hooks, profiles} {
		var sum float64
		fmt.Fprintf(&report, "  %s:", inst)
		for _, lv := range outcomes {
			v := testutil.ToFloat64(rm.InstanceOutcomes.WithLabelValues(inst, lv[0], lv[1], lv[2]))
			sum += v
			fmt.Fprintf(&report, " %s/%s=%v", lv[0], lv[1], v)
		}
		fmt.Fprintf(&report, " → sum %v\n", sum)
		if sum != received {
			t.Errorf("instance %s: outcomes add up to %v, want %v", inst, sum, received)
		}
	}
	if got := testutil.ToFloat64(rm.InstanceOutcomes.WithLabelValues(hooks, metrics.OutcomeFiltered, "protocols", "")); int(got) != exp.blocked {
		t.Errorf("blocked by Protocols %v, want %d", got, exp.blocked)
	}
	if got := testutil.ToFloat64(rm.InstanceOutcomes.WithLabelValues(hooks, metrics.OutcomeFiltered, "filter", "no internal")); int(got) != exp.internal {
		t.Errorf("dropped by the filter %v, want %d", got, exp.internal)
	}
	for _, im := range [][2]string{{hooks, "orders"}, {hooks, "tracks"}, {profiles, "identify"}} {
		routed := testutil.ToFloat64(rm.RequestsRouted.WithLabelValues(im[0], im[1]))
		delivered := testutil.ToFloat64(sm.SendOutcomes.WithLabelValues(im[0], im[1], metrics.SendDelivered, ""))
		var dead float64
		for _, reason := range []string{"HTTP 400"} {
			dead += testutil.ToFloat64(sm.SendOutcomes.WithLabelValues(im[0], im[1], metrics.SendDeadLettered, reason))
		}
		fmt.Fprintf(&report, "  %s/%s: routed %v = delivered %v + dead-lettered %v\n", im[0], im[1], routed, delivered, dead)
		if routed != delivered+dead {
			t.Errorf("%s/%s: routed %v != delivered %v + dead-lettered %v", im[0], im[1], routed, delivered, dead)
		}
	}
	t.Logf("outcomes:\n%s", report.String())
	t.Logf("peak Go heap while the corpus went through: %.1f MiB", float64(peakHeap.Load())/(1<<20))
	if peakHeap.Load() > 512<<20 {
		t.Errorf("peak heap %d MiB: memory is not bounded", peakHeap.Load()>>20)
	}

	// 4. No secret anywhere.
	ev.metrics(t, "router metrics", rm)
	ev.metrics(t, "sender metrics", sm)
	ev.assertNoSecrets(t, webhookSecret, staleToken, refreshToken, clientSecret, freshToken)
	if !strings.Contains(ev.text("dead letters"), "rejected request with Bearer") {
		t.Error("the echoing destination's error did not reach its dead letter: the secrets check saw nothing to scrub")
	}
}

func dupes(list []string) int {
	seen := map[string]bool{}
	d := 0
	for _, x := range list {
		if seen[x] {
			d++
		}
		seen[x] = true
	}
	return d
}

// ingestReasons lists the reason labels the router used for a stage.
func ingestReasons(t *testing.T, m *metrics.Metrics, stage string) []string {
	ch := make(chan prometheusMetric, 1024)
	go func() { m.IngestFailures.Collect(ch); close(ch) }()
	var out []string
	for mt := range ch {
		var pb dtoMetric
		mt.Write(&pb)
		var st, reason string
		for _, l := range pb.GetLabel() {
			switch l.GetName() {
			case "stage":
				st = l.GetValue()
			case "reason":
				reason = l.GetValue()
			}
		}
		if st == stage {
			out = append(out, reason)
		}
	}
	return out
}

type (
	prometheusMetric = prometheus.Metric
	dtoMetric        = dto.Metric
)
