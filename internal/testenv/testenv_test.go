package testenv_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/actuate/actuate/internal/testenv"
)

// The processor's exactly-once design rests on Kafka transactions and read_committed consumers,
// so the smoke test proves exactly that works on the scripted broker, not just that a port is open.
func TestKafkaTransactionsReadCommitted(t *testing.T) {
	brokers := testenv.Kafka(t)
	topic := testenv.Topic(t, "smoke", 3)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	prod, err := kgo.NewClient(
		kgo.SeedBrokers(brokers...),
		kgo.TransactionalID("actuate-smoke-"+topic),
		kgo.DefaultProduceTopic(topic),
	)
	if err != nil {
		t.Fatal(err)
	}
	defer prod.Close()

	// An aborted batch first: a read_committed consumer must never see it.
	inTxn(ctx, t, prod, kgo.TryAbort, func(i int) string { return "aborted-" + strconv.Itoa(i) }, 10)
	inTxn(ctx, t, prod, kgo.TryCommit, strconv.Itoa, 100)

	cons, err := kgo.NewClient(
		kgo.SeedBrokers(brokers...),
		kgo.ConsumeTopics(topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
	)
	if err != nil {
		t.Fatal(err)
	}
	defer cons.Close()

	var got []*kgo.Record
	for len(got) < 100 {
		fs := cons.PollFetches(ctx)
		if err := ctx.Err(); err != nil {
			t.Fatalf("consumed %d of 100 committed records before timeout", len(got))
		}
		fs.EachError(func(topic string, p int32, err error) { t.Fatalf("fetch %s/%d: %v", topic, p, err) })
		got = append(got, fs.Records()...)
	}
	if len(got) != 100 {
		t.Fatalf("consumed %d records, want 100", len(got))
	}
	for i, r := range got {
		if want := strconv.Itoa(i); string(r.Value) != want {
			t.Fatalf("record %d (partition %d offset %d) = %q, want %q", i, r.Partition, r.Offset, r.Value, want)
		}
		if r.Partition != got[0].Partition {
			t.Fatalf("record %d on partition %d, want all on %d (same key)", i, r.Partition, got[0].Partition)
		}
	}
}

// inTxn produces n records with one key (so one partition, in order) in one transaction and ends
// it with commit.
func inTxn(ctx context.Context, t *testing.T, cl *kgo.Client, commit kgo.TransactionEndTry, value func(int) string, n int) {
	t.Helper()
	if err := cl.BeginTransaction(); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		r := &kgo.Record{Key: []byte("user-1"), Value: []byte(value(i))}
		cl.Produce(ctx, r, func(r *kgo.Record, err error) {
			if err != nil {
				t.Errorf("produce %q: %v", r.Value, err)
			}
		})
	}
	if err := cl.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if err := cl.EndTransaction(ctx, commit); err != nil {
		t.Fatalf("end transaction (commit=%v): %v", commit, err)
	}
}

func TestRedis(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: testenv.Redis(t)})
	defer rdb.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	key := fmt.Sprintf("actuate:smoke:%d", time.Now().UnixNano())
	t.Cleanup(func() { rdb.Del(context.Background(), key) })

	if err := rdb.Set(ctx, key, "token-value", 0).Err(); err != nil {
		t.Fatalf("SET: %v", err)
	}
	if v, err := rdb.Get(ctx, key).Result(); err != nil || v != "token-value" {
		t.Fatalf("GET = %q, %v; want %q", v, err, "token-value")
	}
	if ok, err := rdb.PExpire(ctx, key, 1500*time.Millisecond).Result(); err != nil || !ok {
		t.Fatalf("PEXPIRE = %v, %v; want true", ok, err)
	}
	if ttl, err := rdb.PTTL(ctx, key).Result(); err != nil || ttl <= 0 || ttl > 1500*time.Millisecond {
		t.Fatalf("PTTL = %v, %v; want in (0, 1.5s]", ttl, err)
	}
	if ok, err := rdb.PExpire(ctx, key+":missing", time.Second).Result(); err != nil || ok {
		t.Fatalf("PEXPIRE on a missing key = %v, %v; want false", ok, err)
	}
}

// The helpers' contract with CI: without the wrapper's variables a test skips on a laptop but
// fails when CI=true. Checked in a child test process so that Skip/Fatal act on the child.
func TestMissingServicesSkipLocallyFailInCI(t *testing.T) {
	if os.Getenv(probeEnv) == "1" {
		testenv.Kafka(t)
		testenv.Redis(t)
		return
	}
	for _, ci := range []string{"", "true"} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestMissingServicesSkipLocallyFailInCI$", "-test.v", "-test.count=1")
		for _, kv := range os.Environ() {
			name, _, _ := strings.Cut(kv, "=")
			if name != testenv.KafkaEnv && name != testenv.RedisEnv && name != "CI" {
				cmd.Env = append(cmd.Env, kv)
			}
		}
		cmd.Env = append(cmd.Env, probeEnv+"=1", "CI="+ci)
		out, err := cmd.CombinedOutput()
		mentionsWrapper := strings.Contains(string(out), "scripts/testenv/with-services.sh")
		switch {
		case ci == "" && (err != nil || !strings.Contains(string(out), "--- SKIP") || !mentionsWrapper):
			t.Errorf("CI unset: want a skip naming the wrapper; err=%v output:\n%s", err, out)
		case ci == "true" && (err == nil || !strings.Contains(string(out), "--- FAIL") || !mentionsWrapper):
			t.Errorf("CI=true: want a failure naming the wrapper; err=%v output:\n%s", err, out)
		}
	}
}

const probeEnv = "ACTUATE_TESTENV_PROBE"
