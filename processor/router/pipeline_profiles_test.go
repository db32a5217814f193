package router

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/actuate/actuate/internal/testws"
	"github.com/actuate/actuate/processor/event"
	"github.com/actuate/actuate/processor/profile"
	"github.com/actuate/actuate/schemas"
)

const profilesWorkspace = `
sources: [{ id: web, topics: [events] }]
profiles: { enabled: true }
destinations:
  - id: hook
    type: webhook
    sources: [web]
    enabled: true
    filters: [{ if: "profile.traits.plan = 'banned'", actions: [{ type: drop_event }] }]
    mappings:
      - id: t
        enabled: true
        action: send
        trigger: 'type = "track" and profile.traits.plan = "pro"'
        mapping: { url: "https://h.example.com", method: POST, data: { email: { "@path": "$.profile.traits.email" }, user: { "@path": "$.profile.user_id" }, anon: { "@path": "$.profile.anonymous_ids" } } }
`

// profileRun routes events through one pipeline and keeps what it emitted per topic.
type profileRun struct {
	t         *testing.T
	p         *Pipeline
	state     *profile.State
	payloads  []string
	changelog []Output
	commands  []Output
}

func newProfileRun(t *testing.T, partitionOf func([]byte) int32) *profileRun {
	state := profile.NewState(nil)
	p := NewPipeline("actuate.dlq", event.Limits{}, NewTally())
	p.SetProfiles(state, partitionOf, "", "")
	return &profileRun{t: t, p: p, state: state}
}

func (r *profileRun) route(topic string, partition int32, key, value string) {
	r.t.Helper()
	ws := testws.Compile(r.t, profilesWorkspace)
	in := Input{Topic: topic, Partition: partition, Key: []byte(key), Value: []byte(value)}
	r.p.Process(ws, &in, func(out Output) {
		out.Key, out.Value = []byte(string(out.Key)), append([]byte(nil), out.Value...)
		if out.Value != nil && len(out.Value) == 0 {
			out.Value = []byte{}
		}
		switch out.Topic {
		case schemas.TopicProfilesChangelog:
			r.changelog = append(r.changelog, out)
		case schemas.TopicProfilesRepartition:
			r.commands = append(r.commands, out)
		case "actuate.dlq":
			dl, _ := schemas.DecodeDeadLetter(out.Value)
			r.t.Fatalf("dead letter: %+v", dl)
		default:
			ar, err := schemas.DecodeActionRequest(out.Value)
			if err != nil {
				r.t.Fatal(err)
			}
			var body struct{ Data json.RawMessage }
			json.Unmarshal(ar.Payload, &body)
			r.payloads = append(r.payloads, string(body.Data))
		}
	})
	if err := r.state.Commit(nil); err != nil {
		r.t.Fatal(err)
	}
}

func TestPipelineKeepsProfilesAndEmitsTheirChangelog(t *testing.T) {
	r := newProfileRun(t, nil)
	r.route("events", 2, "u1", `{"type":"identify","userId":"u1","traits":{"email":"ada@example.com","plan":"pro"}}`)
	r.route("events", 2, "u1", `{"type":"track","userId":"u1","event":"Clicked"}`)
	r.route("events", 2, "u1", `{"type":"track","userId":"u1","event":"Clicked","context":{"traits":{"plan":"pro"}}}`)
	want := []string{`{"email":"ada@example.com","user":"u1"}`, `{"email":"ada@example.com","user":"u1"}`}
	if strings.Join(r.payloads, "\n") != strings.Join(want, "\n") {
		t.Fatalf("payloads:\n%s\nwant:\n%s", strings.Join(r.payloads, "\n"), strings.Join(want, "\n"))
	}
	// One changelog record: the identify's; the tracks changed nothing.
	if len(r.changelog) != 1 || r.changelog[0].Partition != 2 || string(r.changelog[0].Key) != "u1" ||
		string(r.changelog[0].Value) != `{"user_id":"u1","traits":{"email":"ada@example.com","plan":"pro"}}` {
		t.Fatalf("changelog %+v", r.changelog)
	}
	// A filter reads the profile: the plan the track itself sets is the one it sees.
	r.route("events", 2, "u1", `{"type":"track","userId":"u1","event":"Clicked","context":{"traits":{"plan":"banned"}}}`)
	if len(r.payloads) != 2 || len(r.changelog) != 2 {
		t.Fatalf("a banned user's track was sent: %q, changelog %d", r.payloads, len(r.changelog))
	}
	// Erasure, from the repartition topic: a tombstone, and the next event starts afresh.
	r.route(schemas.TopicProfilesRepartition, 2, "u1", `{"op":"erase"}`)
	if last := r.changelog[len(r.changelog)-1]; string(last.Key) != "u1" || last.Value != nil {
		t.Fatalf("erasure wrote %+v", last)
	}
	if r.state.Lookup([]byte("u1")) != nil {
		t.Fatal("the erased profile is still kept")
	}
}

func TestPipelineMergesAnonymousProfiles(t *testing.T) {
	// Same partition: the anonymous profile is merged and erased at once.
	r := newProfileRun(t, nil)
	r.route("events", 0, "a1", `{"type":"track","anonymousId":"a1","event":"Clicked","context":{"traits":{"email":"anon@example.com","plan":"pro"}}}`)
	r.route("events", 0, "u1", `{"type":"identify","userId":"u1","anonymousId":"a1","traits":{"plan":"pro"}}`)
	r.route("events", 0, "u1", `{"type":"track","userId":"u1","event":"Clicked"}`)
	if last := r.payloads[len(r.payloads)-1]; last != `{"email":"anon@example.com","user":"u1","anon":["a1"]}` {
		t.Fatalf("after the merge: %s", last)
	}
	if r.state.Lookup([]byte("a1")) != nil {
		t.Fatal("the anonymous profile outlived its merge")
	}

	// Across partitions: a1 lives in partition 1, u1 in 0. The identify forwards, a1's
	// partition sends its profile on, u1's merges it.
	parts := map[string]int32{"a1": 1, "u1": 0}
	r = newProfileRun(t, func(k []byte) int32 { return parts[string(k)] })
	r.route("events", 1, "a1", `{"type":"track","anonymousId":"a1","event":"Clicked","context":{"traits":{"email":"anon@example.com","plan":"pro"}}}`)
	r.route("events", 0, "u1", `{"type":"alias","userId":"u1","previousId":"a1"}`)
	if len(r.commands) != 1 || string(r.commands[0].Key) != "a1" || r.commands[0].Partition != 1 || string(r.commands[0].Value) != `{"op":"forward","into":"u1"}` {
		t.Fatalf("forward %+v", r.commands)
	}
	r.route(schemas.TopicProfilesRepartition, 1, "a1", string(r.commands[0].Value))
	if len(r.commands) != 2 || string(r.commands[1].Key) != "u1" || r.commands[1].Partition != 0 {
		t.Fatalf("merge %+v", r.commands)
	}
	r.route(schemas.TopicProfilesRepartition, 0, "u1", string(r.commands[1].Value))
	r.route("events", 0, "u1", `{"type":"track","userId":"u1","event":"Clicked"}`)
	if last := r.payloads[len(r.payloads)-1]; last != `{"email":"anon@example.com","user":"u1","anon":["a1"]}` {
		t.Fatalf("after the merge across partitions: %s", last)
	}
	if r.state.Lookup([]byte("a1")) != nil {
		t.Fatal("the anonymous profile outlived its merge")
	}
}
