package reliability

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/actuate/actuate/internal/testenv"
	"github.com/actuate/actuate/processor/metrics"
	"github.com/actuate/actuate/schemas"
)

func TestMain(m *testing.M) {
	// The test binary doubles as a sender process that tests can SIGKILL.
	if os.Getenv(childEnv) != "" {
		os.Exit(childMain())
	}
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// events is how many events a load test pushes: small enough for CI on two cores, raised
// with ACTUATE_RELIABILITY_EVENTS.
func events(ci int) int {
	if v, err := strconv.Atoi(os.Getenv("ACTUATE_RELIABILITY_EVENTS")); err == nil && v > 0 {
		return v
	}
	return ci
}

var (
	buildOnce sync.Once
	buildDir  string
	buildBin  string
	buildErr  error
)

// actuateBinary builds cmd/actuate once per test run.
func actuateBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "actuate-reliability-")
		if buildErr != nil {
			return
		}
		buildBin = filepath.Join(buildDir, "actuate")
		_, file, _, _ := runtime.Caller(0)
		root := filepath.Join(filepath.Dir(file), "..", "..")
		cmd := exec.Command("go", "build", "-o", buildBin, "./cmd/actuate")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build ./cmd/actuate: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildBin
}

// freeAddr returns a 127.0.0.1 address nothing listens on right now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// evidence is everything a test's processes printed or exported, kept to be searched for
// secrets at the end.
type evidence struct {
	mu     sync.Mutex
	chunks map[string]*bytes.Buffer
}

func newEvidence() *evidence { return &evidence{chunks: map[string]*bytes.Buffer{}} }

func (e *evidence) writer(name string) *evidenceWriter { return &evidenceWriter{e: e, name: name} }

func (e *evidence) add(name string, b []byte) {
	e.mu.Lock()
	defer e.mu.Unlock()
	buf := e.chunks[name]
	if buf == nil {
		buf = &bytes.Buffer{}
		e.chunks[name] = buf
	}
	buf.Write(b)
}

type evidenceWriter struct {
	e    *evidence
	name string
}

func (w *evidenceWriter) Write(p []byte) (int, error) { w.e.add(w.name, p); return len(p), nil }
func (w *evidenceWriter) Sync() error                 { return nil }

// logger logs everything, debug included, as the processes would in JSON, into ev.
func (e *evidence) logger(name string) *zap.Logger {
	enc := zap.NewProductionEncoderConfig()
	return zap.New(zapcore.NewCore(zapcore.NewJSONEncoder(enc), e.writer(name), zap.DebugLevel))
}

// metrics keeps the text exposition of m, as /metrics would serve it.
func (e *evidence) metrics(t *testing.T, name string, m *metrics.Metrics) {
	t.Helper()
	reg := prometheus.NewRegistry()
	if err := m.Register(reg); err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	promhttp.HandlerFor(reg, promhttp.HandlerOpts{}).ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	e.add(name, rec.Body.Bytes())
}

func (e *evidence) deadLetter(dl *schemas.DeadLetter) {
	e.add("dead letters", []byte(fmt.Sprintf("%s|%s|%s|%s|%s|%s|%s|%s\n", dl.Stage, dl.Reason, dl.Error, dl.Original, dl.Instance, dl.Mapping, dl.Action, dl.Source)))
}

// assertNoSecrets fails t if any secret appears in anything collected. It also reports how
// much was searched, so a check over nothing does not pass unnoticed.
func (e *evidence) assertNoSecrets(t *testing.T, secrets ...string) {
	t.Helper()
	e.mu.Lock()
	defer e.mu.Unlock()
	total := 0
	for name, buf := range e.chunks {
		total += buf.Len()
		for _, s := range secrets {
			if i := bytes.Index(buf.Bytes(), []byte(s)); i >= 0 {
				lo, hi := max(0, i-200), min(buf.Len(), i+len(s)+200)
				t.Errorf("secret %q found in %s: …%s…", s, name, buf.Bytes()[lo:hi])
			}
		}
	}
	if total == 0 {
		t.Error("no logs, metrics or dead letters were collected to search")
	}
	t.Logf("secrets: searched %d bytes of logs, metrics and dead letters (%d sources) for %d secret values: none found", total, len(e.chunks), len(secrets))
}

func (e *evidence) text(name string) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if b := e.chunks[name]; b != nil {
		return b.String()
	}
	return ""
}

func newClient(t *testing.T, brokers []string, opts ...kgo.Opt) *kgo.Client {
	t.Helper()
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(brokers...)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	return cl
}

// createTopic creates a topic on the test broker, waits until every partition is served,
// and deletes it at cleanup.
func createTopic(t *testing.T, brokers []string, name string, partitions int32) {
	t.Helper()
	testenv.CreateTopic(t, brokers, name, partitions)
	testenv.DeleteTopicsAtCleanup(t, name)
}

func produceSync(t *testing.T, cl *kgo.Client, recs ...*kgo.Record) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		t.Fatalf("produce: %v", err)
	}
}

// readCommitted reads topic from the start, read_committed, until done says enough or the
// deadline passes, then keeps reading for settle to catch anything beyond (duplicates).
func readCommitted(t *testing.T, brokers []string, topic string, deadline time.Duration, settle time.Duration, done func(n int) bool, each ...func(*kgo.Record)) []*kgo.Record {
	t.Helper()
	cl := newClient(t, brokers, kgo.ConsumeTopics(topic), kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.FetchMaxWait(200*time.Millisecond))
	var out []*kgo.Record
	poll := func(ctx context.Context) {
		for ctx.Err() == nil {
			fs := cl.PollFetches(ctx)
			fs.EachRecord(func(r *kgo.Record) {
				out = append(out, r)
				for _, f := range each {
					f(r)
				}
			})
			if done != nil && done(len(out)) {
				return
			}
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	poll(ctx)
	cancel()
	ctx, cancel = context.WithTimeout(context.Background(), settle)
	done = nil
	poll(ctx)
	cancel()
	return out
}

// deadLetters reads the dead-letter topic and keeps the records from wants; each is also
// kept as evidence for the secrets check.
func deadLetters(t *testing.T, brokers []string, dlq string, ev *evidence, deadline, settle time.Duration, wanted func(*schemas.DeadLetter) bool, done func(n int) bool) []*schemas.DeadLetter {
	t.Helper()
	var out []*schemas.DeadLetter
	readCommitted(t, brokers, dlq, deadline, settle, func(int) bool {
		return done(len(out))
	}, func(r *kgo.Record) {
		dl, err := schemas.DecodeDeadLetter(r.Value)
		if err != nil {
			t.Errorf("undecodable dead letter at %d/%d: %v", r.Partition, r.Offset, err)
			return
		}
		if wanted(dl) {
			out = append(out, dl)
			if ev != nil {
				ev.deadLetter(dl)
			}
		}
	})
	return out
}

// child is a process of ours (actuate, or this test binary as a sender) that a test may
// kill.
type child struct {
	name string
	cmd  *exec.Cmd
	done chan struct{}
}

func startChild(t *testing.T, ev *evidence, name string, cmd *exec.Cmd) *child {
	t.Helper()
	if cmd.Env == nil {
		cmd.Env = os.Environ()
	}
	// The tests' destinations listen on loopback, which the egress guard refuses by default.
	cmd.Env = append(cmd.Env, "ACTUATE_EGRESS_ALLOW=127.0.0.0/8")
	cmd.Stdout = ev.writer(name + " stdout")
	cmd.Stderr = ev.writer(name + " log")
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", name, err)
	}
	c := &child{name: name, cmd: cmd, done: make(chan struct{})}
	go func() { cmd.Wait(); close(c.done) }()
	t.Cleanup(func() { c.kill() })
	return c
}

func (c *child) kill() {
	select {
	case <-c.done:
		return
	default:
	}
	c.cmd.Process.Kill()
	<-c.done
}

// stop asks the process to leave cleanly and waits up to d before killing it; it reports
// how long the process took, and whether it had to be killed.
func (c *child) stop(d time.Duration) (took time.Duration, killed bool) {
	began := time.Now()
	c.cmd.Process.Signal(os.Interrupt)
	select {
	case <-c.done:
		return time.Since(began), false
	case <-time.After(d):
		c.kill()
		return time.Since(began), true
	}
}

// panicked reports whether any process log of ev shows a Go panic.
func (e *evidence) panicked() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	for name, b := range e.chunks {
		if bytes.Contains(b.Bytes(), []byte("panic:")) || bytes.Contains(b.Bytes(), []byte("goroutine ")) && bytes.Contains(b.Bytes(), []byte("[running]")) {
			return name
		}
	}
	return ""
}

func (c *child) alive() bool {
	select {
	case <-c.done:
		return false
	default:
		return true
	}
}

// scrape fetches a child's /metrics into ev.
func scrape(ev *evidence, name, addr string) string {
	cl := http.Client{Timeout: 3 * time.Second}
	resp, err := cl.Get("http://" + addr + "/metrics")
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	ev.add(name+" metrics", b.Bytes())
	return b.String()
}

// metricSum adds the values of the samples of name whose labels include every one of want
// (`key="value"` strings) in a text exposition.
func metricSum(text, name string, want ...string) float64 {
	var sum float64
	for _, line := range strings.Split(text, "\n") {
		if !strings.HasPrefix(line, name+"{") && !strings.HasPrefix(line, name+" ") {
			continue
		}
		ok := true
		for _, w := range want {
			if !strings.Contains(line, w) {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		f := strings.Fields(line)
		v, err := strconv.ParseFloat(f[len(f)-1], 64)
		if err == nil {
			sum += v
		}
	}
	return sum
}

func waitFor(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		time.Sleep(100 * time.Millisecond)
	}
	return cond()
}

// deliveryCheck is what the delivery topic holds against what it should: each
// (messageId, mapping) of want exactly once, and each user's requests of a mapping in the
// order of data.s, the user's sequence number carried in the payload with data.u.
type deliveryCheck struct{ missing, duplicate, unexpected, outOfOrder int }

func (c deliveryCheck) exact() bool {
	return c.missing == 0 && c.duplicate == 0 && c.unexpected == 0 && c.outOfOrder == 0
}

func checkDeliveries(t *testing.T, recs []*kgo.Record, want map[[2]string]bool) deliveryCheck {
	t.Helper()
	sort.SliceStable(recs, func(i, j int) bool {
		if recs[i].Partition != recs[j].Partition {
			return recs[i].Partition < recs[j].Partition
		}
		return recs[i].Offset < recs[j].Offset
	})
	seen := map[[2]string]int{}
	type userMapping struct{ user, mapping string }
	last := map[userMapping]int{}
	var c deliveryCheck
	for _, r := range recs {
		req, err := schemas.DecodeActionRequest(r.Value)
		if err != nil {
			t.Fatalf("undecodable action request at %d/%d: %v", r.Partition, r.Offset, err)
		}
		k := [2]string{req.MessageID, req.Mapping}
		seen[k]++
		switch {
		case seen[k] > 1:
			c.duplicate++
		case !want[k]:
			c.unexpected++
		}
		var p struct {
			Data struct {
				U string
				S int
			}
		}
		if err := json.Unmarshal(req.Payload, &p); err != nil {
			t.Fatalf("payload %s: %v", req.Payload, err)
		}
		um := userMapping{p.Data.U, req.Mapping}
		if prev, ok := last[um]; ok && p.Data.S <= prev {
			c.outOfOrder++
			if c.outOfOrder <= 5 {
				t.Errorf("order: %s/%s seq %d after %d in the delivery topic", um.user, um.mapping, p.Data.S, prev)
			}
		}
		last[um] = p.Data.S
	}
	for k := range want {
		if seen[k] == 0 {
			c.missing++
		}
	}
	return c
}
