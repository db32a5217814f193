package e2e

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"

	"github.com/actuate/actuate/internal/testenv"
	"github.com/actuate/actuate/internal/testws"
	"github.com/actuate/actuate/processor/metrics"
	"github.com/actuate/actuate/processor/router"
	"github.com/actuate/actuate/processor/sender"
	"github.com/actuate/actuate/processor/workspace"
)

// TestPerEventControlsEndToEnd, on the real broker: the integrations object and consent
// decide which of two webhook instances get each event, through the processor and the
// senders; what an instance does not get is counted as filtered with its own stage.
func TestPerEventControlsEndToEnd(t *testing.T) {
	brokers := testenv.Kafka(t)
	events := testenv.Topic(t, "events", 2)
	dlq := testenv.Topic(t, "dlq", 1)
	retry := testenv.Topic(t, "retry", 1)
	sfx := testenv.Suffix()
	ads, analytics := "ads-"+sfx, "analytics-"+sfx
	hook := newSink(t, func(string, http.Header, []byte) (int, map[string]string) { return 200, nil })
	yaml := fmt.Sprintf(`
sources: [{ id: web, topics: [%[1]s] }]
destinations:
  - id: %[2]s
    type: webhook
    sources: [web]
    enabled: true
    consent_categories: [Advertising]
    mappings: [{ id: m, enabled: true, action: send, trigger: 'type = "track"', mapping: { url: "%[4]s/ads", method: POST, data: { n: { "@path": "$.properties.n" } } } }]
  - id: %[3]s
    type: webhook
    sources: [web]
    enabled: true
    mappings: [{ id: m, enabled: true, action: send, trigger: 'type = "track"', mapping: { url: "%[4]s/analytics", method: POST, data: { n: { "@path": "$.properties.n" } } } }]
`, events, ads, analytics, hook.URL)
	ws := testws.Compile(t, yaml)
	testenv.DeleteTopicsAtCleanup(t, workspace.DeliveryTopic(ads), workspace.DeliveryTopic(analytics))
	// n → (reaches ads, reaches analytics)
	cases := []struct {
		extra              string
		toAds, toAnalytics bool
	}{
		{``, true, true}, // no controls
		{`,"context":{"consent":{"categoryPreferences":{"Advertising":true}}}`, true, true},
		{`,"context":{"consent":{"categoryPreferences":{"Advertising":false}}}`, false, true},
		{`,"context":{"consent":{}}`, false, true},                              // consent present, nothing granted
		{`,"integrations":{"All":false,"` + analytics + `":true}`, false, true}, // by instance id
		{`,"integrations":{"Webhook":false}`, false, false},                     // by the destination's name
		{`,"integrations":{"` + ads + `":false},"context":{"consent":{"categoryPreferences":{"Advertising":true}}}`, false, true},
	}
	var records []*kgo.Record
	var wantAds, wantAnalytics []string
	for n, c := range cases {
		records = append(records, &kgo.Record{Topic: events, Key: []byte(fmt.Sprintf("u%d", n)),
			Value: []byte(fmt.Sprintf(`{"type":"track","event":"E","userId":"u%d","properties":{"n":%d}%s}`, n, n, c.extra))})
		if c.toAds {
			wantAds = append(wantAds, fmt.Sprintf(`{"n":%d}`, n))
		}
		if c.toAnalytics {
			wantAnalytics = append(wantAnalytics, fmt.Sprintf(`{"n":%d}`, n))
		}
	}
	testenv.Produce(t, records...)

	m := metrics.New()
	live := func() *workspace.Workspace { return ws }
	opts := []kgo.Opt{kgo.MetadataMinAge(100 * time.Millisecond), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart())}
	r, err := router.New(router.Config{Brokers: brokers, Group: "controls-router-" + sfx, Workspace: live, DLQTopic: dlq, Metrics: m, Logger: zap.NewNop(), ClientOptions: opts})
	if err != nil {
		t.Fatal(err)
	}
	s, err := sender.New(sender.Config{Brokers: brokers, Group: "controls-sender-" + sfx, Workspace: live, Metrics: m, Logger: zap.NewNop(),
		DeliveryTopics: "^" + regexp.QuoteMeta("actuate.delivery.") + ".*-" + sfx + "$", RetryTopic: retry, DLQTopic: dlq, ClientOptions: opts})
	if err != nil {
		t.Fatal(err)
	}
	defer start(t, r.Run, s.Run)()

	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) && (len(hook.bodies("/ads")) < len(wantAds) || len(hook.bodies("/analytics")) < len(wantAnalytics)) {
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond) // anything more would be a request that should not be
	for path, want := range map[string][]string{"/ads": wantAds, "/analytics": wantAnalytics} {
		got := hook.bodies(path)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s got %q, want %q", path, got, want)
		}
	}
	if got := testutil.ToFloat64(m.EventsReceived.WithLabelValues("web")); got != float64(len(cases)) {
		t.Errorf("received %v events, want %d (none may fail on decoding)", got, len(cases))
	}
	for _, tc := range []struct {
		inst, stage string
		want        float64
	}{
		{ads, "consent", 2}, {ads, "integrations", 3}, {analytics, "integrations", 1}, {analytics, "consent", 0},
	} {
		if got := testutil.ToFloat64(m.InstanceOutcomes.WithLabelValues(tc.inst, metrics.OutcomeFiltered, tc.stage, "")); got != tc.want {
			t.Errorf("%s filtered at %s: %v, want %v", tc.inst, tc.stage, got, tc.want)
		}
	}
}
