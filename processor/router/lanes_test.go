package router

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/actuate/actuate/internal/testenv"
	"github.com/actuate/actuate/internal/testws"
	"github.com/actuate/actuate/processor/workspace"
	"github.com/actuate/actuate/schemas"
)

// TestLanesStepAsideWhileProfilesAreOn runs a router of two lanes while the config turns
// profiles on and off again: both lanes are members of the group with profiles off, only
// the first while they are on (the process keeps one profile state), both again after;
// every event of the three phases is routed exactly once.
func TestLanesStepAsideWhileProfilesAreOn(t *testing.T) {
	brokers := testenv.Kafka(t)
	events := testenv.Topic(t, "lanes", 4)
	dlq := testenv.Topic(t, "dlq", 1)
	sfx := randomSuffix()
	inst, group := "lanes-"+sfx, "lanes-"+sfx
	changelog, repartition := "lanes.changelog."+sfx, "lanes.repartition."+sfx
	testenv.DeleteTopicsAtCleanup(t, workspace.DeliveryTopic(inst), changelog, repartition)
	config := func(profiles bool) *workspace.Workspace {
		return testws.Compile(t, fmt.Sprintf(`
sources: [{ id: web, topics: [%s] }]
profiles: { enabled: %t }
destinations:
  - id: %s
    type: webhook
    sources: [web]
    enabled: true
    mappings:
      - { id: a, enabled: true, action: send, trigger: "type = 'track'", mapping: { url: "https://a.example.com/", method: POST, data: { seq: { "@path": "$.properties.seq" } } } }
`, events, profiles, inst))
	}
	var ws atomic.Pointer[workspace.Workspace]
	ws.Store(config(false))
	runRouter(t, Config{
		Brokers: brokers, Group: group, DLQTopic: dlq, Lanes: 2, TransactionalID: "lanes-" + sfx,
		ProfilesChangelog: changelog, ProfilesRepartition: repartition,
		Workspace:     ws.Load,
		ClientOptions: []kgo.Opt{kgo.MetadataMinAge(100 * time.Millisecond), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart())},
	})

	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	admin := kadm.NewClient(cl)
	waitMembers := func(want int) {
		t.Helper()
		deadline := time.Now().Add(time.Minute)
		var last string
		for time.Now().Before(deadline) {
			groups, err := admin.DescribeGroups(context.Background(), group)
			if g, ok := groups[group]; err == nil && ok && g.State == "Stable" && len(g.Members) == want {
				return
			} else if ok {
				last = fmt.Sprintf("%s with %d members", g.State, len(g.Members))
			}
			time.Sleep(200 * time.Millisecond)
		}
		t.Fatalf("group %s did not settle with %d members (last: %s)", group, want, last)
	}
	const users, perPhase = 20, 10
	seq := 0
	producePhase := func() {
		var records []*kgo.Record
		for range perPhase {
			for u := range users {
				user := fmt.Sprintf("user-%d", u)
				records = append(records, &kgo.Record{Topic: events, Key: []byte(user), Value: []byte(fmt.Sprintf(
					`{"type":"track","event":"e","userId":%q,"messageId":"%s-%d","properties":{"seq":%d}}`, user, user, seq, seq))})
			}
			seq++
		}
		testenv.Produce(t, records...)
	}

	waitMembers(2)
	producePhase()
	ws.Store(config(true))
	waitMembers(1)
	producePhase()
	ws.Store(config(false))
	waitMembers(2)
	producePhase()

	got := consume(t, brokers, map[string]int{workspace.DeliveryTopic(inst): 3 * users * perPhase})
	seen := map[string]bool{}
	for _, rec := range got[workspace.DeliveryTopic(inst)] {
		ar, err := schemas.DecodeActionRequest(rec.Value)
		if err != nil {
			t.Fatal(err)
		}
		if seen[ar.MessageID] {
			t.Fatalf("%s delivered twice", ar.MessageID)
		}
		seen[ar.MessageID] = true
	}
	if len(seen) != 3*users*perPhase {
		t.Fatalf("%d distinct events delivered, want %d", len(seen), 3*users*perPhase)
	}
}
