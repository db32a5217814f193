package router

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"

	"github.com/actuate/actuate/internal/testenv"
	"github.com/actuate/actuate/processor/profile"
	"github.com/actuate/actuate/processor/profile/disk"
)

// restoreChildEnv makes the test binary restore a changelog (runRestoreChild) in a process
// of its own, whose peak RSS is the restore's.
const restoreChildEnv = "ACTUATE_PROFILES_RESTORE_CHILD"

type restoreChild struct {
	Brokers    []string
	Changelog  string
	Partitions int32
	// Dir, when set, restores into the disk store there; else into memory.
	Dir   string
	Cache int
}

type restoreResult struct {
	Profiles int
	Seconds  float64
	PeakRSS  int64 // bytes, VmHWM
	Sample   string
	Cached   int
}

func runRestoreChild(env string) int {
	var c restoreChild
	if err := json.Unmarshal([]byte(env), &c); err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 2
	}
	var backend interface {
		profile.Backend
		Cached() int
	} = profile.NewMemory(c.Cache)
	if c.Dir != "" {
		store, err := disk.Open(c.Dir, disk.Options{CacheProfiles: c.Cache})
		if err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			return 1
		}
		backend = store
	}
	state := profile.NewState(backend)
	defer state.Close()
	parts := make([]int32, c.Partitions)
	for i := range parts {
		parts[i] = int32(i)
	}
	start := time.Now()
	if err := RestoreProfiles(context.Background(), c.Brokers, nil, c.Changelog, state, parts, zap.NewNop()); err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 1
	}
	// The peak of the restore itself: counting the profiles below reads the whole store.
	res := restoreResult{Seconds: time.Since(start).Seconds(), PeakRSS: peakRSS()}
	for _, p := range parts {
		res.Profiles += state.Partition(p).Len()
	}
	state.SetPartitioner(func(k []byte) int32 { return profile.PartitionOf(k, c.Partitions) })
	if p := state.Lookup([]byte("user-0000007")); p != nil {
		res.Sample = string(p.JSON())
	}
	res.Cached = backend.Cached()
	json.NewEncoder(os.Stdout).Encode(res)
	return 0
}

// peakRSS reads the process's peak resident set (VmHWM) from /proc.
func peakRSS() int64 {
	b, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// TestProfilesRestore writes a changelog of N profiles (ACTUATE_PROFILES_RESTORE, default
// 20,000; bench/RESULTS.md has 1,000,000) and restores it, as a processor does after a
// restart, in a process of its own: into memory, then into the disk store, each with the
// default cache of decoded profiles. Each must hold every profile, as written; it reports the time and peak RSS.
func TestProfilesRestore(t *testing.T) {
	n := 20_000
	if v, err := strconv.Atoi(os.Getenv("ACTUATE_PROFILES_RESTORE")); err == nil && v > 0 {
		n = v
	}
	brokers := testenv.Kafka(t)
	const partitions = 4
	changelog := "profiles.restore." + testenv.Suffix()
	adm := newTestClient(t, brokers)
	if _, err := kadm.NewClient(adm).CreateTopic(context.Background(), partitions, -1,
		map[string]*string{"cleanup.policy": kadm.StringPtr("compact")}, changelog); err != nil {
		t.Fatal(err)
	}
	testenv.DeleteTopicsAtCleanup(t, changelog)

	// Profiles as the processor writes them, LZ4-compressed in batches as its are.
	producer := newTestClient(t, brokers, kgo.RecordPartitioner(kgo.ManualPartitioner()),
		kgo.ProducerBatchCompression(kgo.Lz4Compression()), kgo.MaxBufferedRecords(100_000), kgo.ProducerLinger(5*time.Millisecond))
	began := time.Now()
	ctx := context.Background()
	var mu sync.Mutex
	var perr error
	for i := range n {
		key := fmt.Sprintf("user-%07d", i)
		p := profile.New(key, []string{fmt.Sprintf("anon-%07x", i*7919)}, []profile.Trait{
			{Name: "email", Value: []byte(fmt.Sprintf("%q", key+"@example.com"))},
			{Name: "plan", Value: []byte(`"pro"`)},
			{Name: "name", Value: []byte(fmt.Sprintf(`"Ada %d"`, i))},
			{Name: "logins", Value: []byte(strconv.Itoa(i % 1000))},
		})
		producer.Produce(ctx, &kgo.Record{Topic: changelog, Key: []byte(key), Value: p.JSON(), Partition: profile.PartitionOf([]byte(key), partitions)},
			func(_ *kgo.Record, err error) {
				mu.Lock()
				if err != nil && perr == nil {
					perr = err
				}
				mu.Unlock()
			})
	}
	if err := producer.Flush(ctx); err != nil || perr != nil {
		t.Fatalf("writing the changelog: %v %v", err, perr)
	}
	t.Logf("wrote %d profiles in %v", n, time.Since(began).Round(time.Millisecond))

	want := fmt.Sprintf(`{"user_id":"user-0000007","anonymous_ids":["anon-%07x"],"traits":{"email":"user-0000007@example.com","plan":"pro","name":"Ada 7","logins":7}}`, 7*7919)
	for _, tc := range []struct {
		name string
		dir  string
	}{{"memory", ""}, {"disk", t.TempDir() + "/store"}} {
		env, _ := json.Marshal(restoreChild{Brokers: brokers, Changelog: changelog, Partitions: partitions, Dir: tc.dir})
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), restoreChildEnv+"="+string(env))
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s restore: %v\n%s", tc.name, err, stderr.String())
		}
		var res restoreResult
		if err := json.Unmarshal(out, &res); err != nil {
			t.Fatalf("%s restore said %q", tc.name, out)
		}
		t.Logf("%s: restored %d profiles in %.2f s, peak RSS %d MiB (cached %d)", tc.name, res.Profiles, res.Seconds, res.PeakRSS>>20, res.Cached)
		if res.Profiles != n || res.Sample != want {
			t.Errorf("%s: restored %d profiles of %d; user-0000007 is %s, want %s", tc.name, res.Profiles, n, res.Sample, want)
		}
		if res.Cached > profile.DefaultCacheProfiles {
			t.Errorf("%s: %d profiles decoded, past the cache's bound", tc.name, res.Cached)
		}
	}
}
