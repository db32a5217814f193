package replay

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/actuate/actuate/destinations"
	"github.com/actuate/actuate/internal/testenv"
	"github.com/actuate/actuate/processor/config"
	"github.com/actuate/actuate/processor/workspace"
)

func TestMergeSpan(t *testing.T) {
	got := mergeSpan([]span{{10, 20}, {40, 50}}, span{21, 30})
	if want := []span{{10, 30}, {40, 50}}; !reflect.DeepEqual(got, want) {
		t.Errorf("%v", got)
	}
	got = mergeSpan(got, span{0, 45})
	if want := []span{{0, 50}}; !reflect.DeepEqual(got, want) {
		t.Errorf("%v", got)
	}
	if !covered(got, 0) || !covered(got, 50) || covered(got, 51) {
		t.Error("covered")
	}
}

// TestBackfillOnTheBroker: a time range of a source's events goes through a destination's
// current mappings to its delivery topic once; events before the range and a second run
// of the same range add nothing.
func TestBackfillOnTheBroker(t *testing.T) {
	brokers := testenv.Kafka(t)
	events := testenv.Topic(t, "events", 3)
	dlq := testenv.Topic(t, "dlq", 1)
	markers := testenv.Topic(t, "replay", 3)
	overviewTopic := testenv.Topic(t, "overview", 1)
	hook := "new-" + events[len(events)-8:]
	testenv.DeleteTopicsAtCleanup(t, workspace.DeliveryTopic(hook))
	cfg, err := config.Parse([]byte(fmt.Sprintf(`
sources: [{ id: web, write_key: wk, topics: [%s] }]
destinations:
  - id: %s
    type: webhook
    sources: [web]
    enabled: true
    mappings:
      - { id: orders, enabled: true, action: send, trigger: 'event = "Order Completed"', mapping: { url: "https://h.example.com/", method: POST, data: { user: { "@path": "$.userId" } } } }
`, events, hook)))
	if err != nil {
		t.Fatal(err)
	}
	ws, err := workspace.Compile(cfg, destinations.Get)
	if err != nil {
		t.Fatal(err)
	}
	produce := func(from, n int, event string) {
		var recs []*kgo.Record
		for i := from; i < from+n; i++ {
			u := fmt.Sprintf("u%d", i)
			recs = append(recs, &kgo.Record{Topic: events, Key: []byte(u), Value: []byte(fmt.Sprintf(`{"type":"track","event":%q,"userId":%q,"messageId":"m%d"}`, event, u, i))})
		}
		testenv.Produce(t, recs...)
	}
	produce(100, 3, "Order Completed") // before the range
	time.Sleep(50 * time.Millisecond)
	since := time.Now()
	produce(0, 6, "Order Completed")
	produce(6, 2, "Page Viewed") // no matching mapping
	time.Sleep(50 * time.Millisecond)
	until := time.Now()
	ctx := context.Background()
	rcfg := Config{Brokers: brokers, Workspace: func() *workspace.Workspace { return ws }, DLQTopic: dlq, MarkerTopic: markers, OverviewTopic: overviewTopic,
		ClientOptions: []kgo.Opt{kgo.MetadataMinAge(100 * time.Millisecond)}}
	req := BackfillRequest{Source: "web", Destination: hook, Since: since, Until: until, Rate: 1000}

	dry := req
	dry.DryRun = true
	res, err := Backfill(ctx, rcfg, dry)
	if err != nil {
		t.Fatal(err)
	}
	if res.Scanned != 8 || res.Requests != 6 || res.Outcomes[OutcomeReplayed] != 6 || res.Skipped["no matching mapping"] != 2 {
		t.Fatalf("dry run %+v", res)
	}
	began := time.Now()
	if res, err = Backfill(ctx, rcfg, req); err != nil || res.Requests != 6 {
		t.Fatalf("backfill %+v: %v", res, err)
	}
	t.Logf("backfilled 8 events at most 1000/s in %v", time.Since(began))
	if res, err = Backfill(ctx, rcfg, req); err != nil || res.Requests != 0 || res.Outcomes[OutcomeAlreadyReplayed] != 8 {
		t.Fatalf("second backfill %+v: %v", res, err)
	}
	// A wider range backfills only what the first did not.
	wider := req
	wider.Since = time.Time{}
	if res, err = Backfill(ctx, rcfg, wider); err != nil || res.Requests != 3 || res.Outcomes[OutcomeAlreadyReplayed] != 8 {
		t.Fatalf("wider backfill %+v: %v", res, err)
	}
	var users []string
	if err := readToEnd(ctx, rcfg, workspace.DeliveryTopic(hook), func(r *kgo.Record) { users = append(users, string(r.Key)) }); err != nil {
		t.Fatal(err)
	}
	if len(users) != 9 {
		t.Errorf("delivery topic holds requests for %q, want 9 users once each", users)
	}
}
