package tester

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/actuate/actuate/destinations"
	"github.com/actuate/actuate/processor/config"
	"github.com/actuate/actuate/processor/profile"
	"github.com/actuate/actuate/processor/workspace"
)

func TestShowsTheProfileAndChangesNone(t *testing.T) {
	cfg, err := config.Parse([]byte(`
sources: [{ id: web, topics: [events] }]
profiles: { enabled: true }
destinations:
  - id: hook
    type: webhook
    sources: [web]
    enabled: true
    mappings:
      - { id: t, enabled: true, action: send, trigger: 'profile.traits.plan = "pro"', mapping: { url: "https://h.example.com", method: POST, data: { email: { "@path": "$.profile.traits.email" }, plan: { "@path": "$.profile.traits.plan" } } } }
`))
	if err != nil {
		t.Fatal(err)
	}
	ws, err := workspace.Compile(cfg, destinations.Get)
	if err != nil {
		t.Fatal(err)
	}
	state := profile.NewState(nil)
	kept := profile.New("u1", nil, []profile.Trait{{Name: "email", Value: []byte(`"ada@example.com"`)}})
	state.Partition(0).Put([]byte("u1"), kept)
	if err := state.Commit(nil); err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), ws, "hook", []byte(`{"type":"track","event":"x","userId":"u1","context":{"traits":{"plan":"pro"}}}`), Options{Profiles: state})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(res.Profile)
	want := `{"key":"u1","before":{"user_id":"u1","traits":{"email":"ada@example.com"}},"after":{"user_id":"u1","traits":{"email":"ada@example.com","plan":"pro"}}}`
	if string(got) != want {
		t.Fatalf("profile %s\nwant %s", got, want)
	}
	if len(res.Mappings) != 1 || string(res.Mappings[0].Payload) != `{"url":"https://h.example.com","method":"POST","data":{"email":"ada@example.com","plan":"pro"}}` {
		t.Fatalf("mappings %+v", res.Mappings)
	}
	if state.Lookup([]byte("u1")) != kept {
		t.Fatal("testing changed the kept profile")
	}
	// Without the pipeline's profiles, the event's own traits make the profile.
	res, err = Run(context.Background(), ws, "hook", []byte(`{"type":"track","event":"x","anonymousId":"a1","context":{"traits":{"plan":"pro"}}}`), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := json.Marshal(res.Profile); string(got) != `{"key":"a1","after":{"traits":{"plan":"pro"}}}` {
		t.Fatalf("profile %s", got)
	}
}
