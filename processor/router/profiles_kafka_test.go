package router

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"

	"github.com/actuate/actuate/destinations"
	"github.com/actuate/actuate/internal/testenv"
	"github.com/actuate/actuate/processor/config"
	"github.com/actuate/actuate/processor/profile"
	"github.com/actuate/actuate/processor/profile/disk"
	"github.com/actuate/actuate/processor/workspace"
	"github.com/actuate/actuate/schemas"
)

// routerChildEnv makes the test binary a processor (childRouter) that a test can SIGKILL.
const routerChildEnv = "ACTUATE_ROUTER_CHILD"

func TestMain(m *testing.M) {
	if c := os.Getenv(routerChildEnv); c != "" {
		os.Exit(runChildRouter(c))
	}
	if c := os.Getenv(restoreChildEnv); c != "" {
		os.Exit(runRestoreChild(c))
	}
	os.Exit(m.Run())
}

// childRouter configures a processor in a process of its own.
type childRouter struct {
	Brokers                []string
	ConfigYAML             string
	Group, TransactionalID string
	DLQ                    string
	Changelog, Repartition string
	// ProfilesDir, when set, keeps the profiles on disk (a small cache in memory).
	ProfilesDir string
}

func runChildRouter(env string) int {
	var c childRouter
	if err := json.Unmarshal([]byte(env), &c); err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 2
	}
	cfg, err := config.Parse([]byte(c.ConfigYAML))
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 2
	}
	ws, err := workspace.Compile(cfg, destinations.Get)
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 2
	}
	log, _ := zap.NewDevelopment()
	state := profile.NewState(nil)
	if c.ProfilesDir != "" {
		store, err := disk.Open(c.ProfilesDir, disk.Options{CacheProfiles: 10, Logger: log})
		if err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			return 1
		}
		state = profile.NewState(store)
		defer state.Close()
	}
	r, err := New(Config{Profiles: state, Brokers: c.Brokers, Group: c.Group, TransactionalID: c.TransactionalID, DLQTopic: c.DLQ,
		Workspace: func() *workspace.Workspace { return ws }, Logger: log, TopicPartitions: 4, SamplesPerMinute: -1,
		ProfilesChangelog: c.Changelog, ProfilesRepartition: c.Repartition,
		// Static membership: the processor started after a killed one takes its place in
		// the group at once (a StatefulSet pod would), rather than after the killed one's
		// session times out, so that the kills fall while events still flow.
		ClientOptions: []kgo.Opt{kgo.InstanceID(c.Group), kgo.SessionTimeout(6 * time.Second), kgo.HeartbeatInterval(500 * time.Millisecond)}})
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if err := r.Run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 1
	}
	return 0
}

// TestProfilesExactlyOnceUnderKills runs a processor with profiles on in a process of its
// own (in memory, then on disk, in turn) while identify and track events flow, SIGKILLs it at random moments mid-stream
// (restarting it each time), then reads the delivery topic and the changelog
// read_committed. Every user's events are identifies that change a trait (version: n)
// and tracks that carry none, and each track's request maps $.profile.traits.version: it
// must carry the version of the user's latest identify before it, which a lost update
// (or one restored from an uncommitted transaction) would break; each request is there
// once; and the changelog holds each identify's update exactly once, in order, which an
// update applied twice would break.
func TestProfilesExactlyOnceUnderKills(t *testing.T) {
	brokers := testenv.Kafka(t)
	sfx := testenv.Suffix()
	eventsTopic := "profiles.eos." + sfx
	testenv.CreateTopic(t, brokers, eventsTopic, 4)
	inst := "profiles-eos-" + sfx
	child := childRouter{Brokers: brokers, Group: "profiles-eos-" + sfx, TransactionalID: "profiles-eos-" + sfx,
		DLQ: "profiles.eos.dlq." + sfx, Changelog: "profiles.eos.changelog." + sfx, Repartition: "profiles.eos.repartition." + sfx}
	testenv.DeleteTopicsAtCleanup(t, workspace.DeliveryTopic(inst), child.DLQ, child.Changelog, child.Repartition)
	child.ConfigYAML = fmt.Sprintf(`
sources: [{ id: web, topics: [%s] }]
profiles: { enabled: true }
destinations:
  - id: %s
    type: webhook
    sources: [web]
    enabled: true
    mappings:
      - { id: tracks, enabled: true, action: send, trigger: 'type = "track"',
          mapping: { url: "http://127.0.0.1:9/t", method: POST, data: { u: { "@path": "$.userId" }, v: { "@path": "$.profile.traits.version" }, e: { "@path": "$.profile.traits.email" } } } }
`, eventsTopic, inst)

	var mu sync.Mutex
	var logs strings.Builder
	procs := 0
	storeDir := t.TempDir()
	start := func() *exec.Cmd {
		procs++
		// Every other processor keeps its profiles on disk, with a cache of 10 of the 60.
		child.ProfilesDir = ""
		if procs%2 == 0 {
			child.ProfilesDir = fmt.Sprintf("%s/%d", storeDir, procs)
		}
		env, _ := json.Marshal(child)
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), routerChildEnv+"="+string(env))
		w := &lockedWriter{mu: &mu, b: &logs}
		cmd.Stdout, cmd.Stderr = w, w
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}

	const users, rounds = 60, 40
	// Round r of user u: an identify setting version r (and, every 5th, a new email),
	// then two tracks. wantVersion[messageId] is the version a track must carry.
	type want struct{ version, email string }
	wants := map[string]want{}
	var batches [][]*kgo.Record
	for r := range rounds {
		var batch []*kgo.Record
		for u := range users {
			user := fmt.Sprintf("user-%d", u)
			email := fmt.Sprintf("%s-%d@example.com", user, r/5*5)
			ident := fmt.Sprintf(`{"type":"identify","userId":%q,"messageId":"i-%d-%d","traits":{"version":%d,"email":%q}}`, user, u, r, r, email)
			batch = append(batch, &kgo.Record{Topic: eventsTopic, Key: []byte(user), Value: []byte(ident)})
			for k := range 2 {
				id := fmt.Sprintf("t-%d-%d-%d", u, r, k)
				track := fmt.Sprintf(`{"type":"track","event":"E","userId":%q,"messageId":%q}`, user, id)
				batch = append(batch, &kgo.Record{Topic: eventsTopic, Key: []byte(user), Value: []byte(track)})
				wants[id] = want{fmt.Sprint(r), email}
			}
		}
		batches = append(batches, batch)
	}

	producer := newTestClient(t, brokers)
	proc := start()
	produced := make(chan struct{})
	go func() {
		defer close(produced)
		for _, b := range batches {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			if err := producer.ProduceSync(ctx, b...).FirstErr(); err != nil {
				t.Errorf("produce: %v", err)
			}
			cancel()
			time.Sleep(400 * time.Millisecond) // ~16 s of events

		}
	}()
	// Three SIGKILLs mid-stream: once the delivery topic holds a quarter, a half and three
	// quarters of the requests (its end offsets, transaction markers included), at a
	// random moment after that.
	delivered := func() int64 {
		ends, err := kadm.NewClient(producer).ListEndOffsets(context.Background(), workspace.DeliveryTopic(inst))
		if err != nil {
			return 0
		}
		var n int64
		ends.Each(func(o kadm.ListedOffset) { n += o.Offset })
		return n
	}
	kills, last := 0, int64(0)
	for i := range 3 {
		// Past the threshold, and past what the processor killed last found: the one
		// started after it has committed something before it is killed in turn.
		threshold := max(int64(len(wants)*(i+1)/4), last+20)
		deadline := time.Now().Add(2 * time.Minute)
		streamEnded := false
		for n := delivered(); n < threshold && !streamEnded; n = delivered() {
			select {
			case <-produced:
				// Every event is produced: if nothing moves for a while the processor
				// has routed them all, and no kill can fall mid-stream any more.
				time.Sleep(3 * time.Second)
				streamEnded = delivered() == n
			default:
			}
			if time.Now().After(deadline) {
				mu.Lock()
				tail := logs.String()
				mu.Unlock()
				t.Fatalf("the delivery topic did not reach %d records within 2 minutes; the processor's logs (tail):\n%s", threshold, tail[max(0, len(tail)-8000):])
			}
			time.Sleep(20 * time.Millisecond)
		}
		if streamEnded {
			t.Logf("the stream ended before kill %d", i+1)
			break
		}
		time.Sleep(time.Duration(rand.IntN(300)) * time.Millisecond)
		proc.Process.Kill()
		proc.Wait()
		last = delivered()
		kills++
		t.Logf("SIGKILL %d after %d delivery records", i+1, last)
		proc = start()
	}
	if kills < 2 {
		t.Errorf("only %d kills fell while events flowed", kills)
	}
	<-produced
	defer func() {
		proc.Process.Signal(syscall.SIGINT)
		done := make(chan struct{})
		go func() { proc.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			proc.Process.Kill()
			<-done
		}
	}()

	requests := readCommittedTopic(t, brokers, workspace.DeliveryTopic(inst), 3*time.Minute, func(n int) bool { return n >= len(wants) })
	seen := map[string]int{}
	wrong := 0
	for _, rec := range requests {
		ar, err := schemas.DecodeActionRequest(rec.Value)
		if err != nil {
			t.Fatal(err)
		}
		seen[ar.MessageID]++
		var body struct {
			Data struct {
				V json.Number `json:"v"`
				E string      `json:"e"`
			} `json:"data"`
		}
		if err := json.Unmarshal(ar.Payload, &body); err != nil {
			t.Fatal(err)
		}
		w := wants[ar.MessageID]
		if string(body.Data.V) != w.version || body.Data.E != w.email {
			if wrong < 10 {
				t.Errorf("%s carries version %s, email %s; want %s, %s", ar.MessageID, body.Data.V, body.Data.E, w.version, w.email)
			}
			wrong++
		}
	}
	missing, dup := 0, 0
	for id := range wants {
		switch seen[id] {
		case 0:
			missing++
		case 1:
		default:
			dup++
		}
	}
	// The changelog: each user's versions 0..rounds-1, each once, in order.
	changes := readCommittedTopic(t, brokers, child.Changelog, time.Minute, func(n int) bool { return n >= users*rounds })
	versions := map[string][]string{}
	for _, rec := range changes {
		var p struct {
			Traits struct {
				Version json.Number `json:"version"`
			} `json:"traits"`
		}
		if err := json.Unmarshal(rec.Value, &p); err != nil {
			t.Fatalf("changelog record %q: %v", rec.Value, err)
		}
		versions[string(rec.Key)] = append(versions[string(rec.Key)], string(p.Traits.Version))
	}
	badLog := 0
	for u := range users {
		got := versions[fmt.Sprintf("user-%d", u)]
		var want []string
		for r := range rounds {
			want = append(want, fmt.Sprint(r))
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			if badLog < 5 {
				t.Errorf("user-%d's changelog versions %v, want 0..%d once each", u, got, rounds-1)
			}
			badLog++
		}
	}
	mu.Lock()
	restores := strings.Count(logs.String(), "profiles restored")
	mu.Unlock()
	t.Logf("%d tracks: %d requests read, missing %d, duplicated %d, wrong profile %d; changelog %d records, %d users off; %d processes, %d restores from the changelog",
		len(wants), len(requests), missing, dup, wrong, len(changes), badLog, procs, restores)
	if restores == 0 {
		t.Error("no processor restored profiles from the changelog: the kills proved nothing")
	}
	if missing+dup+wrong+badLog > 0 || len(requests) != len(wants) {
		mu.Lock()
		tail := logs.String()
		mu.Unlock()
		if len(tail) > 8000 {
			tail = tail[len(tail)-8000:]
		}
		t.Errorf("profiles were not exactly once; processor logs (tail):\n%s", tail)
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	b  *strings.Builder
}

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func newTestClient(t *testing.T, brokers []string, opts ...kgo.Opt) *kgo.Client {
	t.Helper()
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(brokers...)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	return cl
}

// readCommittedTopic reads topic from the start, read_committed, until done says it has
// enough records (then a little longer, for any duplicate) or the deadline passes.
func readCommittedTopic(t *testing.T, brokers []string, topic string, deadline time.Duration, done func(n int) bool) []*kgo.Record {
	t.Helper()
	cl := newTestClient(t, brokers, kgo.ConsumeTopics(topic), kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	var out []*kgo.Record
	end := time.Now().Add(deadline)
	var settled time.Time
	for time.Now().Before(end) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		fetches := cl.PollFetches(ctx)
		cancel()
		fetches.EachRecord(func(r *kgo.Record) { out = append(out, r) })
		if done(len(out)) {
			if settled.IsZero() {
				settled = time.Now().Add(3 * time.Second)
			} else if time.Now().After(settled) {
				break
			}
		}
	}
	return out
}
