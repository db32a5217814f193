package regulation

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/actuate/actuate/destinations"
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/internal/testenv"
	"github.com/actuate/actuate/processor/config"
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
	opts := []kgo.Opt{kgo.MetadataMinAge(100 * time.Millisecond)}

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

	cfg, err := config.Parse([]byte(`
sources: [{ id: web, write_key: wk, topics: [events] }]
destinations:
  - { id: amp, type: amplitude, sources: [web], enabled: true, settings: { apiKey: k-123, secretKey: s-456 } }
  - { id: hook, type: webhook, sources: [web], enabled: true }
`))
	if err != nil {
		t.Fatal(err)
	}
	ws, err := workspace.Compile(cfg, destinations.Get)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	defer func() { cancel(); wg.Wait() }()
	newStore := func() *Store {
		s, err := NewStore(Config{Brokers: brokers, Topic: topic, ClientOptions: opts})
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() { defer wg.Done(); s.Run(ctx) }()
		return s
	}
	api, other := newStore(), newStore()
	counter := NewCounter()
	del := &Deleter{Store: api, Workspace: func() *workspace.Workspace { return ws }, Interval: 20 * time.Millisecond, Backoff: 10 * time.Millisecond,
		Client: destkit.NewClient(destkit.RedirectAll(srv.URL)), Counter: counter}
	wg.Add(1)
	go func() { defer wg.Done(); del.Run(ctx) }()

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
