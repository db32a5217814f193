// Command pipeline measures Actuate's processes on the real broker and Redis: processor
// throughput against a plain franz-go consume→produce copy of the same records through the
// same partitions, scaling over 1–3 processor processes, sender requests/s with and without
// batching, rate-limit accuracy, event→request latency at half the maximum rate, and the
// processor's peak RSS while a backlog drains. bench/pipeline.sh runs it; every figure of a
// table comes from one run, so the ratios compare like with like.
package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/actuate/actuate/bench/workload"
	"github.com/actuate/actuate/destinations"
	"github.com/actuate/actuate/processor/config"
	"github.com/actuate/actuate/processor/event"
	"github.com/actuate/actuate/processor/metrics"
	"github.com/actuate/actuate/processor/ratelimit"
	"github.com/actuate/actuate/processor/router"
	"github.com/actuate/actuate/processor/sender"
	"github.com/actuate/actuate/processor/workspace"
	"github.com/actuate/actuate/schemas"
)

var (
	brokers   = flag.String("brokers", os.Getenv("ACTUATE_TEST_KAFKA_BROKERS"), "seed brokers")
	redisAddr = flag.String("redis", os.Getenv("ACTUATE_TEST_REDIS_ADDR"), "Redis host:port")
	bin       = flag.String("bin", "bench/out/actuate", "the actuate binary")
	nEvents   = flag.Int("events", 300000, "events per processor run")
	backlog   = flag.Int("backlog", 1000000, "events in the backlog whose draining is watched for peak RSS")
	requests  = flag.Int("requests", 20000, "action requests per sender run")
	rate      = flag.Float64("rate", 500, "requests/s of the rate-limit accuracy run")
	work      = flag.String("work", "bench/out", "directory for configs")
	only      = flag.String("only", "", "run one part: processor, sender, latency or rss")
	profile   = flag.String("profile", "", "write a CPU profile of the 1-process processor run to this file")
	sendProf  = flag.String("sender-profile", "", "write a CPU profile of the unbatched sender run (this process: sender, sink and Kafka client) to this file")
	latRate   = flag.Float64("latency-rate", 0, "events/s of the latency run (default: half the measured maximum)")
	procs     = flag.Int("procs", 3, "largest number of processor processes of the scaling runs")
)

const partitions = 12

func main() {
	flag.Parse()
	if *brokers == "" || *redisAddr == "" {
		fail("need -brokers and -redis (bench/pipeline.sh starts both)")
	}
	b := &bench{brokers: strings.Split(*brokers, ","), run: strconv.FormatInt(time.Now().Unix(), 36)}
	b.brokerPID = testBrokerPID(b.brokers)
	cl, err := kgo.NewClient(kgo.SeedBrokers(b.brokers...), kgo.ProducerLinger(5*time.Millisecond), kgo.MaxBufferedRecords(1<<20),
		kgo.ProducerBatchMaxBytes(1<<20))
	check(err)
	b.cl, b.adm = cl, kadm.NewClient(cl)

	rows := [][3]string{}
	add := func(what, value, note string) {
		rows = append(rows, [3]string{what, value, note})
		fmt.Fprintf(os.Stderr, "%-58s %14s  %s\n", what, value, note)
	}

	part := func(name string) bool { return *only == "" || *only == name }
	var procRate [4]float64
	single := sendResult{requests: 1e9}
	if part("processor") {
		// A fresh broker's JVM runs its code interpreted at first, and the transactional
		// paths only the processor uses would be measured cold: warm both paths up first.
		// The broker's transactional paths kept getting faster over a whole run's first
		// processor runs (its CPU per event halved): the processor is warmed up with as
		// many events as a measured run.
		const warmup = 20000
		b.copyRate(b.events("warm-copy", warmup), warmup, kgo.NoCompression())
		b.processorRate(b.events("warm-proc", *nEvents), 1, 0, *nEvents, nil)
		// Processor against the plain copy, same events, same partitions. The copy is
		// measured with and without compression (the processor compresses its requests
		// with LZ4); the ratio is taken against the faster of the two.
		src := b.events("copy", *nEvents)
		copyPlain := b.copyRate(src, *nEvents, kgo.NoCompression())
		copyLZ4 := b.copyRate(b.events("copy-lz4", *nEvents), *nEvents, kgo.Lz4Compression())
		copyRate := max(copyPlain, copyLZ4)
		add("plain franz-go consume→produce copy, uncompressed", fmt.Sprintf("%.0f ev/s", copyPlain), "12 partitions, same records")
		add("plain franz-go consume→produce copy, LZ4", fmt.Sprintf("%.0f ev/s", copyLZ4), "12 partitions, same records")
		procRow := func(label string, r procResult) {
			add(label, fmt.Sprintf("%.0f ev/s", r.rate),
				fmt.Sprintf("%.2f requests/event; peak RSS %s; CPU per event: processor %s, broker %s",
					float64(r.out)/float64(*nEvents), mib(r.rss), micros(r.cpuPerEvent), micros(r.brokerPerEvent)))
		}
		for k := 1; k <= *procs; k++ {
			// The events are produced once all k processes have joined the group: a
			// rebalance at start-up would take a good part of a run of a few seconds.
			topic := b.topic(fmt.Sprintf("proc%d", k))
			r := b.processorRate(topic, k, 0, *nEvents, b.filler(topic, *nEvents))
			procRate[k] = r.rate
			procRow(fmt.Sprintf("processor, %d process(es) of %d lanes (the default), 5 instances × 3 mappings", k, router.DefaultLanes), r)
		}
		// Two lanes (router.Config.Lanes: one routes while the other commits) against one,
		// alternating, twice: the broker's JIT warms up over the run, so whichever ran later
		// would be favoured.
		var laneRates [2][]float64
		for round := range 2 {
			for _, lanes := range []int{1, 2} {
				topic := b.topic(fmt.Sprintf("lanes%d-%d", lanes, round))
				r := b.processorRate(topic, 1, lanes, *nEvents, b.filler(topic, *nEvents))
				laneRates[lanes-1] = append(laneRates[lanes-1], r.rate)
				if lanes == 2 {
					procRow(fmt.Sprintf("processor, 1 process, 2 lanes, round %d", round+1), r)
				} else {
					procRow(fmt.Sprintf("processor, 1 process, 1 lane (ACTUATE_PROCESSOR_LANES=1), round %d", round+1), r)
				}
			}
		}
		add("pipelined: 2 lanes / 1 lane (1 process), alternating rounds",
			fmt.Sprintf("%.2f× / %.2f×", laneRates[1][0]/laneRates[0][0], laneRates[1][1]/laneRates[0][1]),
			fmt.Sprintf("1 lane %.0f and %.0f ev/s; one lane routes while the other commits", laneRates[0][0], laneRates[0][1]))
		routing := routingRate(*nEvents)
		add("routing alone, in memory on every core (no Kafka)", fmt.Sprintf("%.0f ev/s", routing),
			fmt.Sprintf("%.0f%% of the copy: the processor's ceiling here", 100*routing/copyRate))
		// The additive limit: a process that did the copy's Kafka work and the routing one
		// after the other, with nothing overlapped and nothing wasted, would reach it.
		additive := 1 / (1/copyRate + 1/routing)
		add("processor / additive limit 1/(1/copy + 1/routing alone) (1 process)", fmt.Sprintf("%.0f%%", 100*procRate[1]/additive),
			fmt.Sprintf("limit %.0f ev/s; target ≥ 80%%; processor / copy %.0f%%", additive, 100*procRate[1]/copyRate))
		if *procs >= 3 {
			add("scaling 2 / 1 and 3 / 1 processes", fmt.Sprintf("%.2f× / %.2f×", procRate[2]/procRate[1], procRate[3]/procRate[1]), "12 partitions, 2 shared cores")
		}
	}
	if part("sender") {
		// A first sender run warms the broker's fetch path and this process up; then the
		// bare loop and the sender run back to back with the same number of requests.
		b.senderRate(*requests, 0, 0, sendOpts{})
		bare := bareClientRate(*requests*3, senderConcurrency)
		stopProfile := startProfile(*sendProf)
		single = b.senderRate(*requests*3, 0, 0, sendOpts{})
		stopProfile()
		add("bare Go HTTP client loop, same sink and bodies", fmt.Sprintf("%.0f req/s", bare.requests),
			fmt.Sprintf("concurrency %d; %.1f µs CPU per request (client + sink)", senderConcurrency, bare.cpuPerRequest*1e6))
		add("sender, one request per event (keep-alive sink)", fmt.Sprintf("%.0f req/s", single.requests),
			fmt.Sprintf("%.0f%% of the bare loop (target ≥ 70%%); CPU per request: %.1f µs (sender + sink + its Kafka client), broker %.1f µs",
				100*single.requests/bare.requests, single.cpuPerRequest*1e6, single.brokerPerRequest*1e6))
		// The same number of requests, so of 100 times as many events: at 20,000 events a
		// batched run lasted under half a second and measured mostly its start.
		batched := b.senderRate(*requests*100, 100, 0, sendOpts{})
		add("sender, batches of ≤100", fmt.Sprintf("%.0f ev/s", batched.events), fmt.Sprintf("%.0f req/s", batched.requests))
		limited := b.senderRate(int(*rate*12), 0, *rate, sendOpts{})
		add(fmt.Sprintf("rate limit %.0f/s (Redis)", *rate), fmt.Sprintf("%.1f req/s", limited.requests),
			fmt.Sprintf("%+.1f%% off (target within 5%%)", 100*(limited.requests / *rate - 1)))
		// delivery.ordering: per_user (the default, as in the rows above) against none, with
		// no failures and with 10% of requests failing their first attempt (500, retried in
		// process). Runs of three times the requests: at 20,000 a run lasted under a second
		// and one hiccup (the first run's group join) decided its figure.
		n3 := 3 * *requests
		on := b.senderRate(n3, 0, 0, sendOpts{})
		none := b.senderRate(n3, 0, 0, sendOpts{unordered: true})
		add("sender, ordering per_user / none, no failures", fmt.Sprintf("%.0f / %.0f req/s", on.requests, none.requests),
			fmt.Sprintf("%.0f%%", 100*on.requests/none.requests))
		noneB := b.senderRate(*requests*100, 100, 0, sendOpts{unordered: true})
		add("sender, batches of ≤100, ordering per_user / none", fmt.Sprintf("%.0f / %.0f ev/s", batched.events, noneB.events),
			fmt.Sprintf("%.0f%%", 100*batched.events/noneB.events))
		onF := b.senderRate(n3, 0, 0, sendOpts{failPct: 10})
		offF := b.senderRate(n3, 0, 0, sendOpts{failPct: 10, unordered: true})
		add("sender, ordering per_user / none, 10% failing once (500)", fmt.Sprintf("%.0f / %.0f req/s", onF.events, offF.events),
			fmt.Sprintf("%.0f%%; delivered requests/s, retried after 0.5–1 s", 100*onF.events/offF.events))
	}
	if part("latency") {
		maxRate, results := b.latency(*latRate)
		if maxRate > 0 {
			add("pipeline end to end, one mapping (processor + sender + sink)", fmt.Sprintf("%.0f ev/s", maxRate), "a 60,000-event burst, 10%–90% of arrivals")
		}
		for i, r := range results {
			target := ""
			if maxRate > 0 {
				target = [...]string{"; target p50 < 50 ms at 10% of the maximum", "; target p99 < 250 ms at half of it"}[i]
			}
			add(fmt.Sprintf("latency event→request at %.0f ev/s", r.rate), fmt.Sprintf("p50 %v, p99 %v", r.p50, r.p99),
				fmt.Sprintf("%d of %d requests arrived%s", r.n, r.total, target))
		}
	}
	if part("rss") {
		topic := b.events("backlog", *backlog)
		r := b.processorRate(topic, 1, 0, *backlog, nil)
		add(fmt.Sprintf("processor peak RSS, backlog of %d events", *backlog), mib(r.rss), "target < 300 MiB")
	}

	fmt.Println("| measure | figure | note |\n| --- | ---: | --- |")
	for _, r := range rows {
		fmt.Printf("| %s | %s | %s |\n", r[0], r[1], r[2])
	}
}

type bench struct {
	brokers   []string
	brokerPID int // the test broker's process, for its CPU time; 0 when unknown
	run       string
	copies    int
	cl        *kgo.Client
	adm       *kadm.Client
}

func (b *bench) topic(name string) string {
	t := "bench." + name + "." + b.run
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := b.adm.CreateTopic(ctx, partitions, 1, nil, t)
	check(err)
	return t
}

var (
	userID    = regexp.MustCompile(`"userId":"([^"]+)"`)
	eventType = regexp.MustCompile(`"type":"[a-z]+"`)
)

// events fills a new topic with n workload events (~920 bytes), keyed by user.
func (b *bench) events(name string, n int) string {
	t := b.topic(name)
	b.filler(t, n)()
	return t
}

// filler makes n workload events (~920 bytes) keyed by user and returns what produces them
// to topic t, so that the producing itself is quick.
func (b *bench) filler(t string, n int) func() {
	var recs []*kgo.Record
	for done := 0; done < n; {
		chunk := workload.Events(min(50000, n-done), uint64(done+1))
		for _, ev := range chunk {
			// Unique message ids across chunks, so the copy and the processor see distinct events.
			ev = bytes.Replace(ev, []byte(`"messageId":"msg-`), []byte(fmt.Sprintf(`"messageId":"c%d-msg-`, done)), 1)
			recs = append(recs, &kgo.Record{Topic: t, Key: userID.FindSubmatch(ev)[1], Value: ev})
		}
		done += len(chunk)
	}
	return func() {
		var wg sync.WaitGroup
		var errs atomic.Int64
		for _, r := range recs {
			wg.Add(1)
			b.cl.Produce(context.Background(), r, func(_ *kgo.Record, err error) {
				if err != nil {
					errs.Add(1)
				}
				wg.Done()
			})
		}
		wg.Wait()
		if errs.Load() > 0 {
			fail("%d events failed to produce", errs.Load())
		}
	}
}

// window measures a rate over the middle of a run: from 5% done to done, so start-up
// (group join, first fetch) counts for neither side of a ratio.
type window struct {
	total int64
	start time.Time
	t0    time.Time
	c0    int64
	t1    time.Time
	c1    int64
}

func (w *window) observe(count int64) bool {
	now := time.Now()
	if w.start.IsZero() {
		w.start = now
	}
	if w.t0.IsZero() && count >= w.total/20 {
		w.t0, w.c0 = now, count
	}
	if count >= w.total {
		w.t1, w.c1 = now, count
		return true
	}
	return false
}

// rate falls back to the whole run when progress came in one step (a transaction can
// commit most of a small run at once).
func (w *window) rate() float64 {
	if w.c1-w.c0 < w.total/2 {
		return float64(w.c1) / w.t1.Sub(w.start).Seconds()
	}
	return float64(w.c1-w.c0) / w.t1.Sub(w.t0).Seconds()
}

// copyRate copies the n records of src into a new topic, record for record and partition
// for partition, with a plain franz-go consumer and producer (no transactions, the producer
// batches compressed with codec), and returns the records copied per second.
func (b *bench) copyRate(src string, n int, codec kgo.CompressionCodec) float64 {
	b.copies++
	dst := b.topic(fmt.Sprintf("copy-out-%d", b.copies))
	var acked atomic.Int64
	cl, err := kgo.NewClient(kgo.SeedBrokers(b.brokers...), kgo.ConsumerGroup(fmt.Sprintf("bench-copy-%s-%d", b.run, b.copies)),
		kgo.ConsumeTopics(src), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.RecordPartitioner(kgo.ManualPartitioner()),
		kgo.ProducerBatchCompression(codec), kgo.MaxBufferedRecords(1<<18))
	check(err)
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	w := window{total: int64(n)}
	go func() {
		for ctx.Err() == nil {
			fs := cl.PollFetches(ctx)
			fs.EachRecord(func(r *kgo.Record) {
				cl.Produce(ctx, &kgo.Record{Topic: dst, Partition: r.Partition, Key: r.Key, Value: r.Value}, func(*kgo.Record, error) { acked.Add(1) })
			})
		}
	}()
	for !w.observe(acked.Load()) {
		time.Sleep(20 * time.Millisecond)
	}
	return w.rate()
}

// compileWorkspace parses and compiles a workspace config, as the processes do.
func compileWorkspace(yaml string) *workspace.Workspace {
	cfg, err := config.Parse([]byte(yaml))
	check(err)
	ws, err := workspace.Compile(cfg, destinations.Get)
	check(err)
	return ws
}

// routingRate routes n workload events through the processor's pipeline in this process,
// on every core and without Kafka, and returns events/s: the most the processor could reach
// on this machine if producing, transactions and the broker cost nothing.
func routingRate(n int) float64 {
	ws := compileWorkspace(workload.Workspace("events", "http://127.0.0.1:9/bench"))
	events := workload.Events(n, 1)
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := router.NewPipeline("dlq", event.Limits{}, router.NewTally())
			for i := w; i < len(events); i += workers {
				in := router.Input{Topic: "events", Value: events[i]}
				p.Process(ws, &in, func(router.Output) {})
			}
		}()
	}
	wg.Wait()
	return float64(n) / time.Since(start).Seconds()
}

// processorRate runs k `actuate process` children over topic until the group has committed
// n events, and returns the rate, the largest peak RSS of a child and the requests written.
// fill, if not nil, produces the events once all k children have joined the group.
// procResult is one processor run: events/s, the largest peak RSS of its processes,
// requests routed, and the CPU time per event of the processes and of the broker over the
// measured window.
type procResult struct {
	rate           float64
	rss, out       int64
	cpuPerEvent    time.Duration
	brokerPerEvent time.Duration
}

// processorRate runs k processor processes of lanes lanes each (0: the default) over n
// events of topic, produced by fill once the group has settled (nil: already there).
func (b *bench) processorRate(topic string, k, lanes, n int, fill func()) procResult {
	cfg := filepath.Join(*work, "pipeline-"+topic+".yaml")
	check(os.WriteFile(cfg, []byte(workload.Workspace(topic, "http://127.0.0.1:9/bench")), 0o600))
	defer os.Remove(cfg)
	var kids []*exec.Cmd
	var addrs []string
	for range k {
		addrs = append(addrs, freeAddr())
		cmd := exec.Command(*bin, "process", "--config", cfg, "--config-topic", "bench.config."+topic, "--brokers", *brokers,
			"--metrics-addr", addrs[len(addrs)-1], "--log-level", "warn", fmt.Sprintf("--pprof=%t", *profile != ""))
		cmd.Stderr = os.Stderr
		if lanes > 0 {
			cmd.Env = append(os.Environ(), fmt.Sprintf("ACTUATE_PROCESSOR_LANES=%d", lanes))
		}
		check(cmd.Start())
		kids = append(kids, cmd)
	}
	if fill != nil {
		b.waitForGroup("actuate-processor", k*cmp.Or(lanes, router.DefaultLanes))
		fill()
	}
	w := window{total: int64(n)}
	profiled := make(chan struct{})
	if *profile != "" && k == 1 && n == *nEvents {
		go func() {
			defer close(profiled)
			waitUntil(func() bool { return b.committed("actuate-processor", topic) > 0 })
			resp, err := http.Get("http://" + addrs[0] + "/debug/pprof/profile?seconds=5")
			check(err)
			defer resp.Body.Close()
			f, err := os.Create(*profile)
			check(err)
			_, err = io.Copy(f, resp.Body)
			check(err)
			check(f.Close())
		}()
	} else {
		close(profiled)
	}
	kidsCPU := func() (d time.Duration) {
		for _, c := range kids {
			d += cpuOf(c.Process.Pid)
		}
		return d
	}
	var cpu0, cpu1, broker0, broker1 time.Duration
	deadline := time.Now().Add(15 * time.Minute)
	for time.Now().Before(deadline) {
		opening := w.t0.IsZero()
		done := w.observe(b.committed("actuate-processor", topic))
		if opening && !w.t0.IsZero() {
			cpu0, broker0 = kidsCPU(), cpuOf(b.brokerPID)
		}
		if done {
			cpu1, broker1 = kidsCPU(), cpuOf(b.brokerPID)
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	<-profiled
	var rss int64
	var out int64
	for i, c := range kids {
		rss = max(rss, peakRSS(c.Process.Pid))
		out += int64(scrapeSum(addrs[i], "actuate_requests_routed_total"))
		c.Process.Signal(syscall.SIGINT)
	}
	for _, c := range kids {
		c.Wait()
	}
	if w.t1.IsZero() {
		fail("processor run over %s did not finish", topic)
	}
	res := procResult{rate: w.rate(), rss: rss, out: out}
	if events := w.c1 - w.c0; events > 0 {
		res.cpuPerEvent = (cpu1 - cpu0) / time.Duration(events)
		res.brokerPerEvent = (broker1 - broker0) / time.Duration(events)
	}
	return res
}

// cpuOf is the CPU time (user + system) process pid has used, from /proc; 0 when unknown.
func cpuOf(pid int) time.Duration {
	if pid <= 0 {
		return 0
	}
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name, field 2, may hold spaces: count fields after its closing parenthesis.
	i := bytes.LastIndexByte(data, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(data[i+1:]))
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * time.Second / clockTicks
}

// clockTicks is USER_HZ, the unit of /proc's CPU times: 100 on Linux everywhere.
const clockTicks = 100

// testBrokerPID is the pid of scripts/testenv's broker listening on the first seed
// broker's port (kafka.sh keeps it in its run directory), or 0.
func testBrokerPID(brokers []string) int {
	_, port, err := net.SplitHostPort(brokers[0])
	if err != nil {
		return 0
	}
	run := os.Getenv("ACTUATE_TESTENV_RUN")
	if run == "" {
		run = filepath.Join(os.TempDir(), "actuate-testenv")
	}
	data, err := os.ReadFile(filepath.Join(run, "kafka-"+port, "kafka.pid"))
	if err != nil {
		return 0
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(data)))
	return pid
}

// waitForGroup waits until group is stable with k members that all have partitions.
func (b *bench) waitForGroup(group string, k int) {
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		groups, err := b.adm.DescribeGroups(ctx, group)
		cancel()
		if g, ok := groups[group]; err == nil && ok && g.State == "Stable" && len(g.Members) == k {
			assigned := 0
			for _, m := range g.Members {
				if c, ok := m.Assigned.AsConsumer(); ok && len(c.Topics) > 0 {
					assigned++
				}
			}
			if assigned == k {
				return
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	fail("group %s did not settle with %d members", group, k)
}

func (b *bench) committed(group, topic string) int64 {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	offs, err := b.adm.FetchOffsets(ctx, group)
	if err != nil {
		return 0
	}
	var sum int64
	offs.Each(func(o kadm.OffsetResponse) {
		if o.Topic == topic && o.Err == nil {
			sum += o.At
		}
	})
	return sum
}

// scrapeSum adds the samples of a counter on a process's /metrics.
func scrapeSum(addr, name string) float64 {
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var sum float64
	for _, line := range strings.Split(string(body), "\n") {
		if strings.HasPrefix(line, name+"{") || strings.HasPrefix(line, name+" ") {
			f := strings.Fields(line)
			v, _ := strconv.ParseFloat(f[len(f)-1], 64)
			sum += v
		}
	}
	return sum
}

// peakRSS reads VmHWM, the resident set's high-water mark, of a process.
func peakRSS(pid int) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			f := strings.Fields(line)
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}

// sendResult: requests and events delivered per second, and the CPU time this process
// spent per request over the same window (the sender, the sink and the Kafka client all
// run in this process; so do the bare loop and the sink in its baseline).
type sendResult struct{ requests, events, cpuPerRequest, brokerPerRequest float64 }

// senderConcurrency is the concurrency of the sender runs and of the bare loop.
const senderConcurrency = 32

// startProfile starts a CPU profile of this process into path, if given, and returns
// what stops it.
func startProfile(path string) func() {
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	check(err)
	check(pprof.StartCPUProfile(f))
	return func() { pprof.StopCPUProfile(); f.Close() }
}

// processCPU is the CPU time (user + system) this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// bareClientRate is the baseline of the sender's figure: n POSTs of the same bodies to the
// same kind of keep-alive sink from a plain net/http client loop, with the sender's
// concurrency and nothing else (no Kafka, no payload decoding, no bookkeeping).
func bareClientRate(n, concurrency int) sendResult {
	var reqs atomic.Int64
	srv := sinkServer(func([]byte) { reqs.Add(1) })
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: concurrency, MaxConnsPerHost: concurrency}}
	bodies := make([][]byte, 64)
	for i := range bodies {
		bodies[i] = fmt.Appendf(nil, `{"i":%d,"pad":"%s"}`, i, strings.Repeat("x", 400))
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	t0, cpu0 := time.Now(), processCPU()
	for range concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := next.Add(1); i <= int64(n); i = next.Add(1) {
				resp, err := client.Post(srv.URL+"/in", "application/json", bytes.NewReader(bodies[i%int64(len(bodies))]))
				check(err)
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}()
	}
	wg.Wait()
	elapsed, cpu := time.Since(t0), processCPU()-cpu0
	got := float64(reqs.Load())
	return sendResult{requests: got / elapsed.Seconds(), events: got / elapsed.Seconds(), cpuPerRequest: cpu.Seconds() / got}
}

// sendRuns numbers the sender runs, each on an instance and delivery topic of its own.
var sendRuns int

// sendOpts vary a sender run: delivery.ordering none, and the share of requests (in
// percent) whose first attempt the sink answers with a 500.
type sendOpts struct {
	unordered bool
	failPct   int
}

// senderRate drains n requests from a fresh delivery topic through one in-process sender
// to a keep-alive sink on 127.0.0.1. Events count the requests delivered.
func (b *bench) senderRate(n, batch int, perSecond float64, o sendOpts) sendResult {
	var reqs, evs atomic.Int64
	var failed sync.Map
	srv := sinkServer(func(body []byte) {
		reqs.Add(1)
		if len(body) > 0 && body[0] == '[' {
			evs.Add(int64(bytes.Count(body, []byte(`"i":`))))
		} else {
			evs.Add(1)
		}
	})
	if o.failPct > 0 {
		srv.fail = func(body []byte) bool {
			i := bytes.Index(body, []byte(`"i":`))
			if i < 0 {
				return false
			}
			h := fnv.New32a()
			h.Write(body[i : i+12])
			if int(h.Sum32()%100) >= o.failPct {
				return false
			}
			_, again := failed.LoadOrStore(string(body[i:i+12]), true)
			return !again
		}
	}
	defer srv.Close()
	sendRuns++
	inst := fmt.Sprintf("send%d-%d-%s", batch, sendRuns, b.run)
	if perSecond > 0 {
		inst = "limited-" + b.run
	}
	if o.unordered {
		inst = "unord-" + inst
	}
	if o.failPct > 0 {
		inst = fmt.Sprintf("fail%d-%s", o.failPct, inst)
	}
	delivery := workspace.DeliveryTopic(inst)
	ctx0, cancel0 := context.WithTimeout(context.Background(), 30*time.Second)
	_, err := b.adm.CreateTopic(ctx0, partitions, 1, nil, delivery)
	cancel0()
	check(err)
	d := fmt.Sprintf("concurrency: %d", senderConcurrency)
	if o.unordered {
		d += ", ordering: none"
	}
	if batch > 0 {
		d += fmt.Sprintf(", batch_size: %d, batch_wait: 50ms", batch)
	}
	if perSecond > 0 {
		d += fmt.Sprintf(", requests_per_second: %g", perSecond)
	}
	yaml := fmt.Sprintf("sources: [{ id: web, topics: [unused] }]\ndestinations:\n  - { id: %s, type: webhook, sources: [web], enabled: true, delivery: { %s } }\n", inst, d)
	ws := compileWorkspace(yaml)
	var wg sync.WaitGroup
	for i := range n {
		v, err := schemas.AppendActionRequest(nil, &schemas.ActionRequest{Instance: inst, Mapping: "m", Action: "send", MessageID: strconv.Itoa(i),
			Payload:       fmt.Appendf(nil, `{"url":"%s/in","method":"POST","data":{"i":%d,"pad":"%s"}}`, srv.URL, i, strings.Repeat("x", 400)),
			ConfigVersion: ws.Version, ReceivedAt: time.Now()})
		check(err)
		wg.Add(1)
		b.cl.Produce(context.Background(), &kgo.Record{Topic: delivery, Key: []byte("u-" + strconv.Itoa(i%5000)), Value: v}, func(*kgo.Record, error) { wg.Done() })
	}
	wg.Wait()
	var limiter sender.Limiter
	if perSecond > 0 {
		rdb := redis.NewClient(&redis.Options{Addr: *redisAddr})
		defer rdb.Close()
		l := ratelimit.New(rdb, ratelimit.Options{Prefix: "bench-" + b.run + ":"})
		defer l.Close()
		limiter = l
	}
	s, err := sender.New(sender.Config{Brokers: b.brokers, Group: "bench-send-" + inst, Workspace: func() *workspace.Workspace { return ws },
		Limiter: limiter, Metrics: metrics.New(), DeliveryTopics: "^" + regexp.QuoteMeta(delivery) + "$",
		RetryTopic: "bench.retry." + b.run, DLQTopic: "bench.dlq." + b.run,
		ClientOptions: []kgo.Opt{kgo.ConsumeResetOffset(kgo.NewOffset().AtStart())}})
	check(err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	count := &evs
	w := window{total: int64(n)}
	if perSecond > 0 {
		// Measure after the first 10%, so start-up (group join, first fetch) is left out.
		w.total = int64(n) * 9 / 10
		waitUntil(func() bool { return count.Load() >= int64(n)/10 })
	}
	// Requests are counted over the same window as events: r0 is read together with the
	// count that opens it, r1 with the count that closes it.
	var r0, r1 int64
	var cpu0, cpu1, broker0, broker1 time.Duration
	for {
		r, c := reqs.Load(), count.Load()
		opening := w.t0.IsZero()
		done := w.observe(c)
		if opening && !w.t0.IsZero() {
			r0, cpu0, broker0 = r, processCPU(), cpuOf(b.brokerPID)
		}
		if done {
			r1, cpu1, broker1 = r, processCPU(), cpuOf(b.brokerPID)
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	res := sendResult{events: w.rate(), requests: float64(r1-r0) / w.t1.Sub(w.t0).Seconds()}
	if r1 > r0 {
		res.cpuPerRequest = (cpu1 - cpu0).Seconds() / float64(r1-r0)
		res.brokerPerRequest = (broker1 - broker0).Seconds() / float64(r1-r0)
	}
	cancel()
	<-done
	return res
}

// waitUntil polls f; a run that stops making progress fails instead of hanging.
func waitUntil(f func() bool) {
	deadline := time.Now().Add(10 * time.Minute)
	for !f() {
		if time.Now().After(deadline) {
			fail("no progress for 10 minutes")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

type sinkSrv struct {
	*http.Server
	URL string
	// fail, when set, says which bodies get a 500 (and are not passed to f).
	fail func([]byte) bool
}

func sinkServer(f func([]byte)) *sinkSrv {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	s := &sinkSrv{URL: "http://" + ln.Addr().String()}
	s.Server = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if s.fail != nil && s.fail(body) {
			w.WriteHeader(500)
			return
		}
		f(body)
		w.Write([]byte(`{}`))
	})}
	go s.Serve(ln)
	return s
}

// steadyFlow calls produce for events 0…total-1 at perSecond. It is paced by a 2 ms tick
// rather than a sleep per event: thousands of timer wake-ups a second would take CPU from
// the pipeline being measured.
func steadyFlow(perSecond float64, total int, produce func(i int)) {
	began := time.Now()
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	for i := 0; i < total; <-tick.C {
		due := min(total, int(time.Since(began).Seconds()*perSecond)+1)
		for ; i < due; i++ {
			produce(i)
		}
	}
}

// latencySeconds is how long the latency run produces events at its rate.
const latencySeconds = 10

// latency runs one processor process and one sender with a one-mapping instance, measures
// the pipeline's maximum rate end to end unless perSecond is given, and then produces
// events at perSecond (default half that maximum) for latencySeconds, measuring produce →
// request at the sink.
// latencyResult is one steady flow's latencies.
type latencyResult struct {
	rate     float64
	p50, p99 time.Duration
	n, total int
}

// latency measures the pipeline's maximum rate with a burst, then latencies under steady
// flows at 10% and half of it (issue 18's two targets); with perSecond set, at that rate only.
func (b *bench) latency(perSecond float64) (maxRate float64, results []latencyResult) {
	var mu sync.Mutex
	var lat []time.Duration
	srv := sinkServer(func(body []byte) {
		var v struct{ T int64 }
		if json.Unmarshal(body, &v) == nil && v.T > 0 {
			d := time.Since(time.Unix(0, v.T))
			mu.Lock()
			lat = append(lat, d)
			mu.Unlock()
		}
	})
	defer srv.Close()
	topic := b.topic("latency")
	inst := "lat-" + b.run
	yaml := fmt.Sprintf(`sources: [{ id: web, topics: [%s] }]
destinations:
  - { id: %s, type: webhook, sources: [web], enabled: true, delivery: { concurrency: 32 },
      mappings: [{ id: m, enabled: true, action: send, trigger: 'type = "track"', mapping: { url: "%s/lat", method: POST, data: { t: { "@path": "$.properties.t" } } } }] }
`, topic, inst, srv.URL)
	cfgPath := filepath.Join(*work, "pipeline-latency.yaml")
	check(os.WriteFile(cfgPath, []byte(yaml), 0o600))
	defer os.Remove(cfgPath)
	proc := exec.Command(*bin, "process", "--config", cfgPath, "--config-topic", "bench.config.lat."+b.run, "--brokers", *brokers,
		"--metrics-addr", freeAddr(), "--log-level", "warn")
	proc.Stderr = os.Stderr
	proc.Stdout = os.Stderr
	check(proc.Start())
	ws := compileWorkspace(yaml)
	s, err := sender.New(sender.Config{Brokers: b.brokers, Group: "bench-lat-" + b.run, Workspace: func() *workspace.Workspace { return ws },
		Metrics: metrics.New(), DeliveryTopics: "^" + regexp.QuoteMeta(workspace.DeliveryTopic(inst)) + "$",
		RetryTopic: "bench.retry." + b.run, DLQTopic: "bench.dlq." + b.run})
	check(err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	// Probes are made up front, so the load generator only stamps and sends while it runs
	// beside the pipeline it measures.
	var probes []probe
	for _, ev := range workload.Events(20000, 7) {
		probes = append(probes, newProbe(ev))
	}
	arrived := func() int { mu.Lock(); defer mu.Unlock(); return len(lat) }
	// Warm up until an event makes it through: both processes joined their groups and the
	// sender found the delivery topic, so start-up is not counted as latency.
	warm := workload.Events(1, 9)[0]
	for i := 0; arrived() == 0 && i <= 60; i++ {
		ev := bytes.Replace(warm, []byte(`"messageId":"`), fmt.Appendf(nil, `"messageId":"warm%d-`, i), 1)
		b.cl.Produce(ctx, newProbe(ev).record(topic), nil)
		time.Sleep(time.Second)
	}
	time.Sleep(2 * time.Second)
	mu.Lock()
	lat = lat[:0]
	mu.Unlock()

	rates := []float64{perSecond}
	if perSecond <= 0 {
		// The maximum of this pipeline end to end (processor, sender and sink sharing the
		// machine): a burst produced at once, arrivals counted between 10% and 90% of it.
		const burst = 60000
		for i := range burst {
			b.cl.Produce(ctx, probes[i%len(probes)].record(topic), nil)
		}
		waitUntil(func() bool { return arrived() >= burst/10 })
		t0 := time.Now()
		waitUntil(func() bool { return arrived() >= burst*9/10 })
		maxRate = float64(burst*8/10) / time.Since(t0).Seconds()
		waitUntil(func() bool { return arrived() >= burst })
		mu.Lock()
		lat = lat[:0]
		mu.Unlock()
		rates = []float64{maxRate / 10, maxRate / 2}
	}
	// A steady flow takes paths of the broker (and of Go's runtime) that the burst did not
	// warm: the first pass is not measured, so the JVM compiling them is not taken for
	// latency of the pipeline.
	produced := 0
	for _, rate := range rates {
		total := int(rate * latencySeconds)
		for range 2 {
			mu.Lock()
			lat = lat[:0]
			mu.Unlock()
			from := produced
			steadyFlow(rate, total, func(i int) { b.cl.Produce(ctx, probes[(from+i)%len(probes)].record(topic), nil) })
			produced += total
			waitDeadline := time.Now().Add(60 * time.Second)
			for time.Now().Before(waitDeadline) && arrived() < total {
				time.Sleep(100 * time.Millisecond)
			}
		}
		mu.Lock()
		if len(lat) == 0 {
			fail("latency: no request arrived at %.0f ev/s", rate)
		}
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		results = append(results, latencyResult{rate: rate, total: total, n: len(lat),
			p50: lat[len(lat)/2].Round(100 * time.Microsecond), p99: lat[len(lat)*99/100].Round(100 * time.Microsecond)})
		mu.Unlock()
	}
	cancel()
	<-done
	proc.Process.Signal(syscall.SIGINT)
	proc.Wait()
	return maxRate, results
}

// probe is a workload event turned into a track whose properties.t is stamped with the
// time it is produced.
type probe struct {
	event []byte
	key   []byte
	stamp int // offset of t's 19 digits
}

const stampPlaceholder = "1000000000000000000"

func newProbe(ev []byte) probe {
	ev = eventType.ReplaceAll(ev, []byte(`"type":"track"`))
	if bytes.Contains(ev, []byte(`"properties":{`)) {
		ev = bytes.Replace(ev, []byte(`"properties":{`), []byte(`"properties":{"t":`+stampPlaceholder+`,`), 1)
	} else {
		ev = bytes.Replace(ev, []byte(`{`), []byte(`{"properties":{"t":`+stampPlaceholder+`},`), 1)
	}
	if !bytes.Contains(ev, []byte(`"event":`)) {
		// A track needs an event name, or it is dead-lettered instead of delivered.
		ev = bytes.Replace(ev, []byte(`{`), []byte(`{"event":"Latency Probe",`), 1)
	}
	return probe{event: ev, key: userID.FindSubmatch(ev)[1], stamp: bytes.Index(ev, []byte(stampPlaceholder))}
}

func (p probe) record(topic string) *kgo.Record {
	v := append([]byte(nil), p.event...)
	strconv.AppendInt(v[p.stamp:p.stamp], time.Now().UnixNano(), 10) // 19 digits until 2286
	return &kgo.Record{Topic: topic, Key: p.key, Value: v}
}

func freeAddr() string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	defer ln.Close()
	return ln.Addr().String()
}

func micros(d time.Duration) string {
	return fmt.Sprintf("%.1f µs", float64(d)/float64(time.Microsecond))
}

func mib(b int64) string { return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20)) }

func check(err error) {
	if err != nil {
		fail("%v", err)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "pipeline: "+format+"\n", args...)
	os.Exit(1)
}
