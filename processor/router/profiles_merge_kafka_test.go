package router

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/actuate/actuate/internal/testenv"
	"github.com/actuate/actuate/internal/testws"
	"github.com/actuate/actuate/processor/profile"
	"github.com/actuate/actuate/processor/workspace"
	"github.com/actuate/actuate/schemas"
)

// TestProfilesMergeAcrossPartitionsOnKafka: an anonymous visitor's traits, then an alias
// to a user whose id lives in another partition: the merge goes through the repartition
// topic (forward, then merge), and the user's next track carries the anonymous traits,
// while the anonymous profile is erased.
func TestProfilesMergeAcrossPartitionsOnKafka(t *testing.T) {
	brokers := testenv.Kafka(t)
	sfx := testenv.Suffix()
	events := "profiles.merge." + sfx
	testenv.CreateTopic(t, brokers, events, 4)
	inst := "profiles-merge-" + sfx
	changelog, repartition := "profiles.merge.changelog."+sfx, "profiles.merge.repartition."+sfx
	testenv.DeleteTopicsAtCleanup(t, workspace.DeliveryTopic(inst), changelog, repartition, "profiles.merge.dlq."+sfx)
	ws := testws.Compile(t, fmt.Sprintf(`
sources: [{ id: web, topics: [%s] }]
profiles: { enabled: true }
destinations:
  - id: %s
    type: webhook
    sources: [web]
    enabled: true
    mappings:
      - { id: tracks, enabled: true, action: send, trigger: 'type = "track"',
          mapping: { url: "http://127.0.0.1:9/t", method: POST, data: { m: { "@path": "$.messageId" }, plan: { "@path": "$.profile.traits.plan" }, anon: { "@path": "$.profile.anonymous_ids" } } } }
`, events, inst))
	// An anonymous id and a user id in different partitions of 4.
	anon, user := "anon-"+sfx, ""
	for i := 0; user == ""; i++ {
		if u := fmt.Sprintf("user-%d-%s", i, sfx); profile.PartitionOf([]byte(u), 4) != profile.PartitionOf([]byte(anon), 4) {
			user = u
		}
	}
	r := runRouter(t, Config{Brokers: brokers, Group: "profiles-merge-" + sfx, DLQTopic: "profiles.merge.dlq." + sfx,
		Workspace: func() *workspace.Workspace { return ws }, TopicPartitions: 4, SamplesPerMinute: -1,
		ProfilesChangelog: changelog, ProfilesRepartition: repartition})
	producer := newTestClient(t, brokers)
	produce := func(key, value string) {
		t.Helper()
		if err := producer.ProduceSync(context.Background(), &kgo.Record{Topic: events, Key: []byte(key), Value: []byte(value)}).FirstErr(); err != nil {
			t.Fatal(err)
		}
	}
	produce(anon, fmt.Sprintf(`{"type":"track","event":"Viewed","anonymousId":%q,"messageId":"m1","context":{"traits":{"plan":"pro"}}}`, anon))
	produce(user, fmt.Sprintf(`{"type":"alias","userId":%q,"previousId":%q,"messageId":"m2"}`, user, anon))
	// The merge takes two more transactions (the forward, then the merge): wait for the
	// user's profile to have it before the user's track.
	deadline := time.Now().Add(time.Minute)
	for {
		p := r.Profiles().Lookup([]byte(user))
		if p != nil && string(p.Trait("plan")) == `"pro"` {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the user's profile has no merged plan: %v", p)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if p := r.Profiles().Lookup([]byte(anon)); p != nil {
		t.Fatalf("the anonymous profile outlived its merge: %s", p.JSON())
	}
	produce(user, fmt.Sprintf(`{"type":"track","event":"Bought","userId":%q,"messageId":"m3"}`, user))
	recs := readCommittedTopic(t, brokers, workspace.DeliveryTopic(inst), time.Minute, func(n int) bool { return n >= 2 })
	got := map[string]string{}
	for _, rec := range recs {
		ar, err := schemas.DecodeActionRequest(rec.Value)
		if err != nil {
			t.Fatal(err)
		}
		var body struct{ Data json.RawMessage }
		json.Unmarshal(ar.Payload, &body)
		got[ar.MessageID] = string(body.Data)
	}
	if got["m1"] != `{"m":"m1","plan":"pro"}` || got["m3"] != fmt.Sprintf(`{"m":"m3","plan":"pro","anon":[%q]}`, anon) || len(recs) != 2 {
		t.Fatalf("requests: %v", got)
	}
}
