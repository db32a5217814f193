package reliability

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/internal/testenv"
	"github.com/actuate/actuate/processor/config"
	"github.com/actuate/actuate/processor/metrics"
	"github.com/actuate/actuate/processor/ratelimit"
	"github.com/actuate/actuate/processor/sender"
	"github.com/actuate/actuate/processor/tokens"
	"github.com/actuate/actuate/processor/workspace"
	"github.com/actuate/actuate/schemas"
)

// privateRedis is a redis-server of this test's own, so stopping it disturbs no one else.
// Its append-only file survives a stop, as a production Redis's data would.
type privateRedis struct {
	addr, dir string
	cmd       *exec.Cmd
}

func startRedis(t *testing.T, addr, dir string) *privateRedis {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Skip("redis-server is not installed")
	}
	_, port, _ := net.SplitHostPort(addr)
	cmd := exec.Command("redis-server", "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes",
		"--appendfsync", "always", "--dir", dir)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r := &privateRedis{addr: addr, dir: dir, cmd: cmd}
	t.Cleanup(r.stop)
	if !waitFor(10*time.Second, func() bool {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
		}
		return err == nil
	}) {
		t.Fatal("private redis-server did not start")
	}
	return r
}

func (r *privateRedis) stop() {
	if r.cmd.ProcessState == nil {
		r.cmd.Process.Signal(interruptSignal)
		r.cmd.Wait()
	}
}

// TestRedisOutage stops the senders' Redis for 10 s while requests flow to a rate-limited
// webhook and an OAuth destination, then starts it again: nothing is lost, and what was
// delivered during the outage is reported.
func TestRedisOutage(t *testing.T) {
	t.Parallel()
	brokers := testenv.Kafka(t)
	sfx := testenv.Suffix()
	addr := freeAddr(t)
	rds := startRedis(t, addr, t.TempDir())
	limited, oauth := "limited-"+sfx, "oauthr-"+sfx
	for _, tp := range []string{workspace.DeliveryTopic(limited), workspace.DeliveryTopic(oauth)} {
		createTopic(t, brokers, tp, 4)
	}
	retry, dlq := "rel.retry."+sfx, "rel.dlq."+sfx
	createTopic(t, brokers, retry, 2)
	createTopic(t, brokers, dlq, 2)

	var outage atomic.Bool
	var duringOutage sync.Map // path → *atomic.Int64
	var refreshes atomic.Int32
	dest := newSink(t, func(w http.ResponseWriter, r *http.Request, body []byte) bool {
		switch {
		case r.URL.Path == "/token":
			refreshes.Add(1)
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"access_token":"fresh-outage-token","expires_in":3600}`))
			return false
		case r.URL.Path == "/v1/profiles" && r.Header.Get("Authorization") != "Bearer fresh-outage-token":
			w.WriteHeader(401)
			return false
		}
		if outage.Load() {
			c, _ := duringOutage.LoadOrStore(r.URL.Path, new(atomic.Int64))
			c.(*atomic.Int64).Add(1)
		}
		w.Write([]byte(`{}`))
		return true
	})
	yaml := fmt.Sprintf(`
sources: [{ id: web, topics: [rel.unused.%[1]s] }]
destinations:
  - { id: %[2]s, type: webhook, sources: [web], enabled: true, delivery: { requests_per_second: 100, concurrency: 4 } }
  - id: %[3]s
    type: oauth-test
    sources: [web]
    enabled: true
    settings: { oauth: { access_token: stale-outage-token, refresh_token: r-outage, clientId: ci, clientSecret: cs-outage } }
`, sfx, limited, oauth)
	cfg, err := config.Parse([]byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	ws, err := workspace.Compile(cfg, lookup)
	if err != nil {
		t.Fatal(err)
	}
	ev := newEvidence()
	rdb := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, DialTimeout: 200 * time.Millisecond, ReadTimeout: 300 * time.Millisecond})
	defer rdb.Close()
	limiter := ratelimit.New(rdb, ratelimit.Options{Prefix: "rel:", Timeout: 300 * time.Millisecond, Logger: ev.logger("limiter log")})
	defer limiter.Close()
	m := metrics.New()
	s, err := sender.New(sender.Config{
		Brokers: brokers, Group: "rel-redis-" + sfx, Workspace: func() *workspace.Workspace { return ws }, Metrics: m,
		Logger: ev.logger("sender log"), Tokens: tokens.New(rdb, tokens.Options{Prefix: "rel:"}), Limiter: limiter,
		DeliveryTopics: "^" + regexp.QuoteMeta("actuate.delivery.") + "(limited|oauthr)-" + sfx + "$", RetryTopic: retry, DLQTopic: dlq,
		DestOptions:   []destkit.Option{destkit.OverrideHost("api.example.test", dest.URL), destkit.OverrideHost("auth.example.test", dest.URL)},
		Backoff:       sender.Backoff{Base: 200 * time.Millisecond, Max: time.Second},
		ClientOptions: fastGroup(),
		Order:         sender.NewRedisOrderStore(rdb, "rel:order:"),
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); s.Run(ctx) }()
	defer func() { cancel(); wg.Wait() }()

	// 15 s of traffic, 40 requests/s per instance; Redis is down from 3 s to 13 s.
	n := events(600)
	producer := newClient(t, brokers)
	began := time.Now()
	var redisErr error
	go func() {
		time.Sleep(3 * time.Second)
		outage.Store(true)
		rds.stop()
		time.Sleep(10 * time.Second)
		r2 := startRedisAgain(rds)
		redisErr = r2
		outage.Store(false)
	}()
	for i := 0; i < n; i++ {
		for _, inst := range []string{limited, oauth} {
			payload := fmt.Sprintf(`{"user":"u-%d"}`, i)
			action := "post"
			if inst == limited {
				payload, action = fmt.Sprintf(`{"url":"%s/hook","method":"POST","data":{"i":%d}}`, dest.URL, i), "send"
			}
			v, _ := schemas.AppendActionRequest(nil, &schemas.ActionRequest{Instance: inst, Mapping: "m", Action: action, MessageID: fmt.Sprint(i),
				Payload: []byte(payload), ConfigVersion: ws.Version, ReceivedAt: time.Now()})
			producer.Produce(ctx, &kgo.Record{Topic: workspace.DeliveryTopic(inst), Key: []byte(fmt.Sprintf("u-%d", i%31)), Value: v}, nil)
		}
		time.Sleep(time.Until(began.Add(time.Duration(i+1) * 15 * time.Second / time.Duration(n))))
	}
	producer.Flush(ctx)
	done := waitFor(60*time.Second, func() bool { return dest.count("/hook") >= n && dest.count("/v1/profiles") >= n })
	time.Sleep(time.Second)
	if redisErr != nil {
		t.Fatalf("restarting Redis: %v", redisErr)
	}
	during := func(p string) int64 {
		if c, ok := duringOutage.Load(p); ok {
			return c.(*atomic.Int64).Load()
		}
		return 0
	}
	dls := deadLetters(t, brokers, dlq, ev, 2*time.Second, 0, func(*schemas.DeadLetter) bool { return true }, func(int) bool { return false })
	reasons := map[string]int{}
	for _, dl := range dls {
		reasons[dl.Instance+": "+dl.Reason+": "+dl.Error]++
	}
	t.Logf("Redis down for 10 s: webhook delivered %d/%d (%d during the outage, ~%.0f/s against a limit of 100/s), OAuth delivered %d/%d (%d during the outage), token requests %d, dead letters %d %v, all done after %v",
		dest.count("/hook"), n, during("/hook"), float64(during("/hook"))/10, dest.count("/v1/profiles"), n, during("/v1/profiles"),
		refreshes.Load(), len(dls), reasons, time.Since(began).Round(time.Millisecond))
	if !done || dest.count("/hook") < n || dest.count("/v1/profiles") < n {
		t.Errorf("requests lost or stuck: webhook %d/%d, OAuth %d/%d", dest.count("/hook"), n, dest.count("/v1/profiles"), n)
	}
	if len(dls) != 0 {
		t.Errorf("%d dead letters during a Redis outage, want none", len(dls))
	}
	if during("/hook") == 0 {
		t.Error("the webhook stopped while Redis was down: the local fallback limit did not take over")
	}
	// Senders keep going on the tokens they hold while Redis is down.
	if during("/v1/profiles") == 0 {
		t.Error("OAuth deliveries stopped while Redis was down: the cached token was not used")
	}
	if strings.Contains(ev.text("sender log"), "panic") {
		t.Error("panic in the sender log")
	}
}

var interruptSignal = os.Interrupt

// startRedisAgain starts a stopped private Redis on the same port and data directory.
func startRedisAgain(r *privateRedis) error {
	_, port, _ := net.SplitHostPort(r.addr)
	cmd := exec.Command("redis-server", "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes",
		"--appendfsync", "always", "--dir", r.dir)
	if err := cmd.Start(); err != nil {
		return err
	}
	r.cmd = cmd
	if !waitFor(10*time.Second, func() bool {
		c, err := net.DialTimeout("tcp", r.addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
		}
		return err == nil
	}) {
		return fmt.Errorf("redis-server did not come back on %s", r.addr)
	}
	return nil
}
