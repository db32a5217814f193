// Package testenv connects integration tests to the real Kafka broker and Redis that
// scripts/testenv/with-services.sh starts.
//
// Outside that wrapper the helpers skip the test, so `go test ./...` stays usable on a laptop
// without services; with CI=true they fail it instead, because an integration suite that
// silently skips in CI proves nothing.
package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

const (
	// KafkaEnv names the variable holding a comma-separated list of seed brokers.
	KafkaEnv = "ACTUATE_TEST_KAFKA_BROKERS"
	// RedisEnv names the variable holding the Redis host:port.
	RedisEnv = "ACTUATE_TEST_REDIS_ADDR"
)

// Kafka returns the seed brokers of the test broker.
func Kafka(t testing.TB) []string {
	t.Helper()
	v := lookup(t, KafkaEnv, "Kafka")
	var brokers []string
	for _, b := range strings.Split(v, ",") {
		if b = strings.TrimSpace(b); b != "" {
			brokers = append(brokers, b)
		}
	}
	if len(brokers) == 0 {
		t.Fatalf("%s=%q names no broker", KafkaEnv, v)
	}
	reachable(t, KafkaEnv, brokers[0])
	return brokers
}

// Redis returns the host:port of the test Redis.
func Redis(t testing.TB) string {
	t.Helper()
	addr := strings.TrimSpace(lookup(t, RedisEnv, "Redis"))
	reachable(t, RedisEnv, addr)
	return addr
}

// Topic creates a topic with a name unique to this run (prefix, test name, random suffix) and the
// given number of partitions on the test broker, waits until every partition has a leader, and
// deletes it when the test ends. Unique names let tests run in parallel and against a broker
// that outlives one run without seeing each other's records.
func Topic(t testing.TB, prefix string, partitions int32) string {
	t.Helper()
	brokers := Kafka(t)
	cl := adminClient(t, brokers)
	t.Cleanup(cl.Close) // after the delete below: cleanups run last registered first
	adm := kadm.NewClient(cl)
	name := topicName(prefix, t.Name())
	createTopic(t, adm, name, partitions, func() {
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
			defer cancel()
			resp, err := adm.DeleteTopic(ctx, name)
			if err == nil {
				err = resp.Err
			}
			if err != nil {
				t.Logf("testenv.Topic: delete %s: %v", name, err)
			}
		})
	})
	return name
}

// CreateTopic creates the topic name with the given number of partitions on brokers and waits
// until every partition has a leader, as Topic does, for tests that name their topics or run a
// broker of their own. Nothing is deleted at cleanup: pair it with DeleteTopicsAtCleanup on
// the test broker.
func CreateTopic(t testing.TB, brokers []string, name string, partitions int32) {
	t.Helper()
	cl := adminClient(t, brokers)
	defer cl.Close()
	createTopic(t, kadm.NewClient(cl), name, partitions, func() {})
}

// adminClient returns a client for creating topics. A short metadata min age: the readiness
// poll of createTopic must see fresh metadata on every try.
func adminClient(t testing.TB, brokers []string) *kgo.Client {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.MetadataMinAge(50*time.Millisecond))
	if err != nil {
		t.Fatalf("testenv: kafka client: %v", err)
	}
	return cl
}

// createTopic creates name, calls created once the topic exists, and returns when every
// partition is served.
func createTopic(t testing.TB, adm *kadm.Client, name string, partitions int32, created func()) {
	t.Helper()
	if partitions < 1 {
		t.Fatalf("testenv: partitions must be >= 1, got %d", partitions)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	resp, err := adm.CreateTopic(ctx, partitions, 1, nil, name)
	if err == nil {
		err = resp.Err
	}
	if err != nil {
		t.Fatalf("testenv: create %s: %v", name, err)
	}
	created()

	// CreateTopics returns once the controller accepted the topic, and metadata may name a
	// leader before that broker has taken the partition on: a first produce then gets
	// NOT_LEADER_FOR_PARTITION and franz-go waits out its 5 s metadata min age before retrying.
	// ListOffsets is served by the partition leader itself, so success there means ready.
	for {
		lo, err := adm.ListEndOffsets(ctx, name)
		if err == nil && allListed(lo[name], partitions) {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("testenv: topic %s not ready: %v (last: %v)", name, ctx.Err(), err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func allListed(ps map[int32]kadm.ListedOffset, partitions int32) bool {
	if len(ps) != int(partitions) {
		return false
	}
	for _, p := range ps {
		if p.Err != nil {
			return false
		}
	}
	return true
}

var unsafeTopicChars = regexp.MustCompile(`[^a-zA-Z0-9._-]+`)

// Suffix returns 8 random hex digits, for names (consumer groups, topics, key prefixes) that
// must not meet another run's.
func Suffix() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func topicName(prefix, testName string) string {
	n := unsafeTopicChars.ReplaceAllString(testName, "_")
	// Kafka caps topic names at 249 characters; leave room for prefix and suffix.
	if len(n) > 150 {
		n = n[:150]
	}
	return prefix + "." + n + "." + Suffix()
}

func lookup(t testing.TB, env, what string) string {
	t.Helper()
	v := os.Getenv(env)
	if v != "" {
		return v
	}
	msg := env + " is not set: this test needs a real " + what +
		"; run it under scripts/testenv/with-services.sh (e.g. scripts/testenv/with-services.sh go test ./...)"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// reachable turns "nothing listens there" into one clear message instead of a client that
// retries until the test's deadline.
func reachable(t testing.TB, env, addr string) {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 3*time.Second)
	if err != nil {
		t.Fatalf("%s=%s is set but not reachable: %v", env, addr, err)
	}
	_ = c.Close()
}

// Go runs f in the background until the test ends: f's context is the test's, cancelled
// as the test ends, and the test's cleanup waits for f to return.
func Go(t testing.TB, f func(context.Context) error) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(t.Context())
	}()
	t.Cleanup(func() { <-done })
}
