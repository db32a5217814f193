package reliability

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/internal/testenv"
	"github.com/actuate/actuate/processor/config"
	"github.com/actuate/actuate/processor/metrics"
	"github.com/actuate/actuate/processor/sender"
	"github.com/actuate/actuate/processor/tokens"
	"github.com/actuate/actuate/processor/workspace"
	"github.com/actuate/actuate/schemas"
)

// TestTokenRefreshStorm: four senders, each with its own token store on the same Redis,
// hold requests at the destination until all four have one in flight; the destination then
// answers every one of them 401 at once. The token endpoint is called exactly once, and
// every request is delivered with the new token.
func TestTokenRefreshStorm(t *testing.T) {
	t.Parallel()
	brokers := testenv.Kafka(t)
	redisAddr := testenv.Redis(t)
	sfx := testenv.Suffix()
	inst := "storm-" + sfx
	delivery := workspace.DeliveryTopic(inst)
	createTopic(t, brokers, delivery, 8)
	retry, dlq := "rel.retry."+sfx, "rel.dlq."+sfx
	createTopic(t, brokers, retry, 2)
	createTopic(t, brokers, dlq, 2)

	const senders = 4
	var refreshes atomic.Int32
	var mu sync.Mutex
	staleFrom := map[string]bool{} // User-Agent → met the stale token
	release := make(chan struct{})
	var releaseOnce sync.Once
	dest := newSink(t, func(w http.ResponseWriter, r *http.Request, body []byte) bool {
		if r.URL.Path == "/token" {
			refreshes.Add(1)
			time.Sleep(300 * time.Millisecond) // a slow token endpoint widens the race
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"access_token":"fresh-storm-token","expires_in":3600}`))
			return false
		}
		if r.Header.Get("Authorization") == "Bearer fresh-storm-token" {
			w.Write([]byte(`{}`))
			return true
		}
		mu.Lock()
		staleFrom[r.UserAgent()] = true
		all := len(staleFrom) == senders
		mu.Unlock()
		if all {
			releaseOnce.Do(func() { close(release) })
		}
		select {
		case <-release:
		case <-time.After(20 * time.Second):
		}
		w.WriteHeader(401)
		return false
	})

	yaml := fmt.Sprintf(`
sources: [{ id: web, topics: [rel.unused.%s] }]
destinations:
  - id: %s
    type: oauth-test
    sources: [web]
    enabled: true
    delivery: { concurrency: 2 }
    settings: { oauth: { access_token: stale-storm-token, refresh_token: r-storm, clientId: ci, clientSecret: cs-storm } }
`, sfx, inst)
	cfg, err := config.Parse([]byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	ws, err := workspace.Compile(cfg, lookup)
	if err != nil {
		t.Fatal(err)
	}
	live := func() *workspace.Workspace { return ws }
	group := "rel-storm-" + sfx
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	ms := make([]*metrics.Metrics, senders)
	for i := range senders {
		rdb := redis.NewClient(&redis.Options{Addr: redisAddr})
		defer rdb.Close()
		ms[i] = metrics.New()
		s, err := sender.New(sender.Config{
			Brokers: brokers, Group: group, Workspace: live, Metrics: ms[i],
			Tokens:         tokens.New(rdb, tokens.Options{Prefix: "rel-" + sfx + ":"}),
			DeliveryTopics: "^" + delivery + "$", RetryTopic: retry, DLQTopic: dlq,
			DestOptions: []destkit.Option{destkit.OverrideHost("api.example.test", dest.URL), destkit.OverrideHost("auth.example.test", dest.URL),
				destkit.UserAgent(fmt.Sprintf("sender-%d", i))},
			ClientOptions: fastGroup(),
		})
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() { defer wg.Done(); s.Run(ctx) }()
	}
	defer func() { cancel(); wg.Wait() }()

	// Produce only once every sender owns partitions, so each has requests to send.
	adm := kadm.NewClient(newClient(t, brokers))
	if !waitFor(45*time.Second, func() bool {
		dg, err := adm.DescribeGroups(ctx, group)
		if err != nil {
			return false
		}
		g := dg[group]
		if g.State != "Stable" || len(g.Members) != senders {
			return false
		}
		for _, m := range g.Members {
			if a, ok := m.Assigned.AsConsumer(); !ok || len(a.Topics) == 0 || len(a.Topics[0].Partitions) == 0 {
				return false
			}
		}
		return true
	}) {
		t.Fatal("the four senders never shared the delivery topic")
	}
	const requests = 64
	producer := newClient(t, brokers, kgo.RecordPartitioner(kgo.RoundRobinPartitioner()))
	var recs []*kgo.Record
	for i := range requests {
		v, _ := schemas.AppendActionRequest(nil, &schemas.ActionRequest{Instance: inst, Mapping: "m", Action: "post", MessageID: fmt.Sprint(i),
			Payload: []byte(fmt.Sprintf(`{"user":"u-%d"}`, i)), ConfigVersion: ws.Version, ReceivedAt: time.Now()})
		recs = append(recs, &kgo.Record{Topic: delivery, Key: []byte(fmt.Sprintf("u-%d", i)), Value: v})
	}
	produceSync(t, producer, recs...)

	delivered := waitFor(60*time.Second, func() bool { return dest.count("/v1/profiles") >= requests })
	time.Sleep(500 * time.Millisecond)
	mu.Lock()
	stale := len(staleFrom)
	mu.Unlock()
	t.Logf("token storm: %d senders met a 401 at the same moment; token endpoint called %d time(s); %d/%d requests delivered with the new token",
		stale, refreshes.Load(), dest.count("/v1/profiles"), requests)
	if stale != senders {
		t.Errorf("only %d senders met the 401", stale)
	}
	if n := refreshes.Load(); n != 1 {
		t.Errorf("token endpoint called %d times, want once", n)
	}
	if !delivered || dest.count("/v1/profiles") != requests {
		t.Errorf("delivered %d, want %d", dest.count("/v1/profiles"), requests)
	}
}
