package reliability

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/actuate/actuate/internal/testenv"
	"github.com/actuate/actuate/processor/workspace"
)

// TestExactlyOnceUnderKillsAndRebalance runs `actuate process` as a child process while
// events flow, SIGKILLs it at three random moments (restarting it each time), lets a second
// processor join and leave, and then reads the delivery topic read_committed: each
// (messageId, mapping) is there exactly once, and each user's requests of one mapping are in
// the order of the user's events.
func TestExactlyOnceUnderKillsAndRebalance(t *testing.T) {
	t.Parallel()
	brokers := testenv.Kafka(t)
	bin := actuateBinary(t)
	sfx := testenv.Suffix()
	eventsTopic := "rel.eos." + sfx
	createTopic(t, brokers, eventsTopic, 12)
	inst := "eos-" + sfx
	delivery := workspace.DeliveryTopic(inst)
	testenv.DeleteTopicsAtCleanup(t, delivery, "rel.config."+sfx, "rel.config."+sfx+".history")

	yaml := fmt.Sprintf(`
sources: [{ id: web, topics: [%s] }]
destinations:
  - id: %s
    type: webhook
    sources: [web]
    enabled: true
    mappings:
      - { id: all, enabled: true, action: send, trigger: 'type = "track"',
          mapping: { url: "http://127.0.0.1:9/all", method: POST, data: { u: { "@path": "$.userId" }, s: { "@path": "$.properties.seq" } } } }
      - { id: even, enabled: true, action: send, trigger: 'properties.even = true',
          mapping: { url: "http://127.0.0.1:9/even", method: POST, data: { u: { "@path": "$.userId" }, s: { "@path": "$.properties.seq" } } } }
      - { id: kindb, enabled: true, action: send, trigger: 'properties.kind = "b"',
          mapping: { url: "http://127.0.0.1:9/b", method: POST, data: { u: { "@path": "$.userId" }, s: { "@path": "$.properties.seq" } } } }
`, eventsTopic, inst)
	cfgPath := filepath.Join(t.TempDir(), "actuate.yaml")
	if err := os.WriteFile(cfgPath, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	ev := newEvidence()
	procs := 0
	start := func() *child {
		procs++
		cmd := exec.Command(bin, "process", "--config", cfgPath, "--config-topic", "rel.config."+sfx,
			"--brokers", strings.Join(brokers, ","), "--metrics-addr", freeAddr(t), "--log-level", "info")
		return startChild(t, ev, fmt.Sprintf("processor %d", procs), cmd)
	}

	n := events(100000)
	const users = 200
	want := map[[2]string]bool{} // (messageId, mapping)
	perBatch := max(n/100, 1)
	produced := make(chan struct{})
	producer := newClient(t, brokers, kgo.MaxBufferedRecords(1<<20))
	go func() {
		defer close(produced)
		seq := make([]int, users)
		for i := 0; i < n; {
			var batch []*kgo.Record
			for ; i < n && len(batch) < perBatch; i++ {
				u := i % users
				s := seq[u]
				seq[u]++
				kind := "a"
				if i%3 == 0 {
					kind = "b"
				}
				value := fmt.Sprintf(`{"type":"track","event":"E","userId":"u-%d","messageId":"m-%d","properties":{"seq":%d,"even":%t,"kind":%q}}`,
					u, i, s, s%2 == 0, kind)
				batch = append(batch, &kgo.Record{Topic: eventsTopic, Key: []byte(fmt.Sprintf("u-%d", u)), Value: []byte(value)})
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			if err := producer.ProduceSync(ctx, batch...).FirstErr(); err != nil {
				t.Errorf("produce: %v", err)
			}
			cancel()
			time.Sleep(100 * time.Millisecond)
		}
	}()
	for i := 0; i < n; i++ {
		s := (i - i%users) / users // seq of event i for its user
		want[[2]string{fmt.Sprintf("m-%d", i), "all"}] = true
		if s%2 == 0 {
			want[[2]string{fmt.Sprintf("m-%d", i), "even"}] = true
		}
		if i%3 == 0 {
			want[[2]string{fmt.Sprintf("m-%d", i), "kindb"}] = true
		}
	}

	// Three kills at random moments while the producer runs (~10 s at 100 batches).
	began := time.Now()
	kills := []time.Duration{}
	for len(kills) < 3 {
		d := time.Duration(1500+rand.IntN(8500)) * time.Millisecond
		okGap := true
		for _, k := range kills {
			if (d - k).Abs() < 1500*time.Millisecond {
				okGap = false
			}
		}
		if okGap {
			kills = append(kills, d)
		}
	}
	sort.Slice(kills, func(i, j int) bool { return kills[i] < kills[j] })
	var timeline []string
	note := func(format string, args ...any) {
		timeline = append(timeline, fmt.Sprintf("%6.1fs ", time.Since(began).Seconds())+fmt.Sprintf(format, args...))
	}
	p1 := start()
	note("processor 1 started")
	var second *child
	for i, at := range kills {
		time.Sleep(time.Until(began.Add(at)))
		p1.kill()
		note("SIGKILL processor (kill %d)", i+1)
		p1 = start()
		note("processor %d started", procs)
		if i == 1 {
			second = start()
			note("second processor %d joins", procs)
		}
	}
	<-produced
	note("all %d events produced", n)
	time.Sleep(5 * time.Second)
	took, killed := second.stop(30 * time.Second)
	if killed {
		// A group leave stuck behind a rebalance must not keep a stopping process alive.
		t.Errorf("the second processor did not exit within %v of SIGINT; killed", took.Round(time.Millisecond))
		note("second processor did not leave within %v of SIGINT; killed", took.Round(time.Millisecond))
	} else {
		note("second processor left on SIGINT in %v", took.Round(time.Millisecond))
	}

	wantTotal := len(want)
	recs := readCommitted(t, brokers, delivery, 300*time.Second, 3*time.Second, func(got int) bool { return got >= wantTotal })
	note("read %d delivery records read_committed", len(recs))
	p1.stop(20 * time.Second)

	c := checkDeliveries(t, recs, want)
	t.Logf("timeline:\n  %s", strings.Join(timeline, "\n  "))
	t.Logf("exactly once: %d events × their mappings = %d expected requests; read %d: missing %d, duplicates %d, unexpected %d, out of order %d (processes started %d)",
		n, wantTotal, len(recs), c.missing, c.duplicate, c.unexpected, c.outOfOrder, procs)
	if !c.exact() || len(recs) != wantTotal {
		t.Errorf("not exactly once")
	}
	if name := ev.panicked(); name != "" {
		t.Errorf("%s panicked:\n%s", name, ev.text(name))
	}
}
