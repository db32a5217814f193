package regulation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/internal/testenv"
	"github.com/actuate/actuate/internal/testws"
	"github.com/actuate/actuate/processor/workspace"
)

func TestParseTypeAndSuppressedSet(t *testing.T) {
	for in, want := range map[string]Type{"suppress": SuppressOnly, "SUPPRESS_ONLY": SuppressOnly, "delete": DeleteOnly,
		"DELETE_ONLY": DeleteOnly, "suppress_with_delete": SuppressWithDelete, "unsuppress": Unsuppress} {
		if got, ok := ParseType(in); !ok || got != want {
			t.Errorf("ParseType(%q) = %q, %v", in, got, ok)
		}
	}
	if _, ok := ParseType("forget"); ok {
		t.Error("forget parsed")
	}
	s := newState()
	t0 := time.Now()
	s.putRegulation(&Regulation{ID: "a", Type: SuppressOnly, UserIDs: []string{"u1", "u2"}, CreatedAt: t0})
	s.putRegulation(&Regulation{ID: "c", Type: SuppressWithDelete, UserIDs: []string{"u2"}, CreatedAt: t0.Add(2 * time.Second)})
	s.putRegulation(&Regulation{ID: "b", Type: Unsuppress, UserIDs: []string{"u1", "u2"}, CreatedAt: t0.Add(time.Second)})
	s.putRegulation(&Regulation{ID: "d", Type: DeleteOnly, UserIDs: []string{"u3"}, CreatedAt: t0.Add(3 * time.Second)})
	if l := s.list(); len(l) != 4 || l[0].ID != "d" || l[3].ID != "a" {
		t.Errorf("list %+v", l)
	}
	for u, want := range map[string]bool{"u1": false, "u2": true, "u3": false, "u4": false} {
		if got := s.isSuppressed([]byte(u)); got != want {
			t.Errorf("%s suppressed = %v", u, got)
		}
	}
}

// TestRegulationsOnTheBroker: a suppress_with_delete regulation suppresses its users in
// this process at once and in another store once read; its deletion reaches the
// destination that has a delete operation (after a retryable failure) and is
// not_supported at the one that has none; GET shows both.
func TestRegulationsOnTheBroker(t *testing.T) {
	brokers := testenv.Kafka(t)
	topic := testenv.Topic(t, "regulations", 1)

	var mu sync.Mutex
	var calls []string
	fails := 1
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		calls = append(calls, r.URL.Path+" "+string(b))
		if fails > 0 {
			fails--
			w.WriteHeader(503)
			return
		}
		w.Write([]byte(`{}`))
	}))
	defer srv.Close()

	ws := testws.Compile(t, `
sources: [{ id: web, write_key: wk, topics: [events] }]
destinations:
  - { id: amp, type: amplitude, sources: [web], enabled: true, settings: { apiKey: k-123, secretKey: s-456 } }
  - { id: hook, type: webhook, sources: [web], enabled: true }
`)
	ctx := t.Context()
	api, other := runStore(t, brokers, topic), runStore(t, brokers, topic)
	counter := NewCounter()
	del := &Deleter{Store: api, Workspace: func() *workspace.Workspace { return ws }, Interval: 20 * time.Millisecond, Backoff: 10 * time.Millisecond,
		Client: destkit.NewClient(destkit.RedirectAll(srv.URL)), Counter: counter}
	testenv.Go(t, del.Run)

	reg, err := api.Create(ctx, SuppressWithDelete, []string{"ada", "bob"}, ws)
	if err != nil {
		t.Fatal(err)
	}
	if !api.Suppressed([]byte("ada")) || api.Suppressed([]byte("cy")) {
		t.Error("suppression in the creating process")
	}
	wctx, wcancel := context.WithTimeout(ctx, 20*time.Second)
	defer wcancel()
	if err := other.CatchUp(wctx); err != nil {
		t.Fatal(err)
	}
	if !other.Suppressed([]byte("bob")) || other.Suppressed([]byte("cy")) {
		t.Error("suppression in another process")
	}
	deadline := time.Now().Add(20 * time.Second)
	var got *Regulation
	for {
		got, _ = api.Get(reg.ID)
		if got.Destinations["amp"] != nil && got.Destinations["amp"].State == StateSucceeded {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("deletion not done: %+v", got.Destinations["amp"])
		}
		time.Sleep(20 * time.Millisecond)
	}
	if a := got.Destinations["amp"]; a.Attempts != 2 {
		t.Errorf("amp: %+v", a)
	}
	if testutil.ToFloat64(counter.WithLabelValues("amp", StateRetrying)) != 1 || testutil.ToFloat64(counter.WithLabelValues("amp", StateSucceeded)) != 1 {
		t.Error("actuate_regulation_deletions_total")
	}
	if h := got.Destinations["hook"]; h == nil || h.State != StateNotSupported {
		t.Errorf("hook: %+v", h)
	}
	mu.Lock()
	if len(calls) != 3 || !strings.Contains(calls[2], `"user_ids":["bob"]`) || !strings.Contains(calls[1], `"user_ids":["ada"]`) {
		t.Errorf("calls %q", calls)
	}
	mu.Unlock()
	// Another process shows the same status once it has read it.
	if err := other.CatchUp(wctx); err != nil {
		t.Fatal(err)
	}
	if o, _ := other.Get(reg.ID); o.Destinations["amp"].State != StateSucceeded || o.Type != SuppressWithDelete {
		t.Errorf("other: %+v", o)
	}
}

// The profiles' erasure has a record key and a status key no instance id can take, so a
// destination named "profiles" keeps its own status, and GET shows the erasure apart.
func TestRegulationProfilesStatusIsNotADestination(t *testing.T) {
	s := &Store{state: newState()}
	s.apply([]byte("regulation/r1"), []byte(`{"id":"r1","type":"DELETE_ONLY","user_ids":["ada"],"created_at":"2026-01-02T03:04:05Z"}`))
	s.apply([]byte("status/r1/profiles"), []byte(`{"destination":"profiles","state":"not_supported","updated_at":"2026-01-02T03:04:05Z"}`))
	s.apply([]byte("profiles/r1"), []byte(`{"state":"pending","updated_at":"2026-01-02T03:04:05Z"}`))
	// A destination's status without a destination is not taken for the profiles'.
	s.apply([]byte("status/r1/"), []byte(`{"state":"failed","updated_at":"2026-01-02T03:04:06Z"}`))
	got, ok := s.Get("r1")
	if !ok || got.Profiles == nil || got.Profiles.State != StatePending || len(got.Destinations) != 1 || got.Destinations["profiles"].State != StateNotSupported {
		t.Fatalf("got %+v (profiles %+v)", got, got.Profiles)
	}
	b, _ := json.Marshal(got)
	if !strings.Contains(string(b), `"profiles":{"state":"pending","attempts":0,"updated_at":`) {
		t.Errorf("JSON %s", b)
	}
	due := s.state.due(time.Now())
	if len(due) != 1 || due[0].status.Destination != profilesKey {
		t.Errorf("due %+v", due)
	}
	if string(statusKey("r1", &Status{})) != "profiles/r1" || string(statusKey("r1", &Status{Destination: "profiles"})) != "status/r1/profiles" {
		t.Error("statusKey")
	}
}

// recordingEraser stands for the processors' erasure: it records the user ids it is
// asked to erase and fails as told.
type recordingEraser struct {
	mu     sync.Mutex
	erased []string
	fails  map[string]int // user id → failures left; -1: fails every time
}

func (e *recordingEraser) Erase(_ context.Context, userID string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if n := e.fails[userID]; n != 0 {
		if n > 0 {
			e.fails[userID] = n - 1
		}
		return errors.New("profile: writing the erasure: NOT_ENOUGH_REPLICAS")
	}
	e.erased = append(e.erased, userID)
	return nil
}

func (e *recordingEraser) erasedIDs() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.erased)
}

// TestRegulationsEraseProfiles, on the real broker: delete and suppress_with_delete erase
// each user's profile when the workspace keeps profiles, a failed erasure is retried until
// it succeeds (or fails after MaxAttempts), suppress erases nothing, and a regulation made
// while profiles are off shows the erasure skipped. Another store shows the same.
func TestRegulationsEraseProfiles(t *testing.T) {
	brokers := testenv.Kafka(t)
	topic := testenv.Topic(t, "regulations", 1)
	compile := func(profiles bool) *workspace.Workspace {
		return testws.Compile(t, fmt.Sprintf(`
sources: [{ id: web, write_key: wk, topics: [events] }]
profiles: { enabled: %t }
destinations:
  - { id: profiles, type: webhook, sources: [web], enabled: true }
`, profiles))
	}
	on, off := compile(true), compile(false)

	ctx := t.Context()
	api, other := runStore(t, brokers, topic), runStore(t, brokers, topic)
	eraser := &recordingEraser{fails: map[string]int{"ada": 1, "zed": -1}}
	counter := NewCounter()
	del := &Deleter{Store: api, Workspace: func() *workspace.Workspace { return on }, Client: destkit.NewClient(), Profiles: eraser,
		Interval: 20 * time.Millisecond, Backoff: 10 * time.Millisecond, MaxAttempts: 3, Counter: counter}
	testenv.Go(t, del.Run)

	create := func(typ Type, ws *workspace.Workspace, users ...string) string {
		r, err := api.Create(ctx, typ, users, ws)
		if err != nil {
			t.Fatal(err)
		}
		return r.ID
	}
	deleteOnly := create(DeleteOnly, on, "ada", "bob")
	withDelete := create(SuppressWithDelete, on, "cy")
	suppress := create(SuppressOnly, on, "dan")
	profilesOff := create(DeleteOnly, off, "eve")
	failing := create(DeleteOnly, on, "zed") // made last: the deleter has seen the others by its end

	settled := func(id string) *Status {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			r, _ := api.Get(id)
			if p := r.Profiles; p != nil && !p.open() {
				return p
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: the erasure did not settle: %+v", id, r.Profiles)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	if p := settled(deleteOnly); p.State != StateSucceeded || p.Attempts != 2 || p.Error != "" || p.Destination != "" {
		t.Errorf("delete: %+v", p)
	}
	if p := settled(withDelete); p.State != StateSucceeded || p.Attempts != 1 {
		t.Errorf("suppress_with_delete: %+v", p)
	}
	if p := settled(failing); p.State != StateFailed || p.Attempts != 3 || !strings.Contains(p.Error, "NOT_ENOUGH_REPLICAS") {
		t.Errorf("failing: %+v", p)
	}
	if p := settled(profilesOff); p.State != StateSkipped || p.Attempts != 0 {
		t.Errorf("profiles off: %+v", p)
	}
	if r, _ := api.Get(suppress); r.Profiles != nil || r.Destinations != nil {
		t.Errorf("suppress: %+v", r)
	}
	erased := eraser.erasedIDs()
	slices.Sort(erased)
	if !slices.Equal(erased, []string{"ada", "bob", "cy"}) {
		t.Errorf("erased %q, want ada, bob and cy once each", erased)
	}
	if r, _ := api.Get(deleteOnly); r.Destinations["profiles"] == nil || r.Destinations["profiles"].State != StateNotSupported {
		t.Errorf("the destination named profiles: %+v", r.Destinations)
	}
	for state, want := range map[string]float64{StateRetrying: 3, StateSucceeded: 2, StateFailed: 1} {
		if got := testutil.ToFloat64(counter.WithLabelValues(ProfilesLabel, state)); got != want {
			t.Errorf("actuate_regulation_deletions_total{destination=%q,state=%q} = %v, want %v", ProfilesLabel, state, got, want)
		}
	}

	wctx, wcancel := context.WithTimeout(ctx, 20*time.Second)
	defer wcancel()
	if err := other.CatchUp(wctx); err != nil {
		t.Fatal(err)
	}
	o, _ := other.Get(deleteOnly)
	if o.Profiles == nil || o.Profiles.State != StateSucceeded || o.Destinations["profiles"].State != StateNotSupported {
		t.Errorf("other: %+v", o)
	}
	if o, _ := other.Get(profilesOff); o.Profiles == nil || o.Profiles.State != StateSkipped {
		t.Errorf("other, profiles off: %+v", o)
	}
}

// runStore runs a store of topic until the test ends.
func runStore(t *testing.T, brokers []string, topic string) *Store {
	t.Helper()
	s, err := NewStore(Config{Brokers: brokers, Topic: topic, ClientOptions: []kgo.Opt{kgo.MetadataMinAge(100 * time.Millisecond)}})
	if err != nil {
		t.Fatal(err)
	}
	testenv.Go(t, s.Run)
	return s
}
