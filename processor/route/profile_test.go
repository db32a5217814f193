package route

import (
	"testing"

	"github.com/valyala/fastjson"

	"github.com/actuate/actuate/internal/testws"
	"github.com/actuate/actuate/processor/profile"
)

// profileMap is Profiles in a map.
type profileMap map[string]*profile.Profile

func (m profileMap) Profile(key []byte) *profile.Profile { return m[string(key)] }
func (m profileMap) Put(key []byte, p *profile.Profile) {
	if p == nil {
		delete(m, string(key))
		return
	}
	m[string(key)] = p
}

// remote is a Merger whose ids all live in another partition.
type remote struct{ forwarded []string }

func (r *remote) Local([]byte) bool { return false }
func (r *remote) Forward(from, into []byte) {
	r.forwarded = append(r.forwarded, string(from)+">"+string(into))
}

// Profile reports the step of the current event only: its key, the anonymous id merged
// here or forwarded, and the profile before and after.
func TestProfileReportsTheCurrentEventsStep(t *testing.T) {
	ws := testws.Compile(t, "sources: [{ id: web, topics: [events] }]\nprofiles: { enabled: true }\n")
	src := ws.Sources[0]
	state := profileMap{"a1": profile.New("", nil, []profile.Trait{{Name: "plan", Value: []byte(`"pro"`)}})}
	r := New(nil)
	r.SetProfiles(state)
	step := func(event string) ProfileStep {
		t.Helper()
		r.Protocols(src, fastjson.MustParse(event))
		return r.Profile()
	}
	s := step(`{"type":"identify","userId":"u1","anonymousId":"a1"}`)
	if s.Key != "u1" || s.Merged != "a1" || s.Forwarded != "" || s.Before != nil || s.After == nil ||
		string(s.After.JSON()) != `{"user_id":"u1","anonymous_ids":["a1"],"traits":{"plan":"pro"}}` {
		t.Fatalf("merge here: %+v", s)
	}
	if state["a1"] != nil || state["u1"] != s.After {
		t.Fatalf("state after the merge: %v", state)
	}
	s = step(`{"type":"track","event":"x","userId":"u1"}`)
	if s.Key != "u1" || s.Merged != "" || s.Forwarded != "" || s.Before != state["u1"] || s.After != s.Before {
		t.Fatalf("a track after the merge: %+v", s)
	}
	m := &remote{}
	r.SetMerger(m)
	s = step(`{"type":"identify","userId":"u2","anonymousId":"a2"}`)
	if s.Key != "u2" || s.Merged != "" || s.Forwarded != "a2" || len(m.forwarded) != 1 || m.forwarded[0] != "a2>u2" {
		t.Fatalf("forwarded: %+v, %q", s, m.forwarded)
	}
	if s = step(`{"type":"page"}`); s != (ProfileStep{}) {
		t.Fatalf("an event without ids: %+v", s)
	}
}
