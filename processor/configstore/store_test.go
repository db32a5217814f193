package configstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/actuate/actuate/destinations"
	"github.com/actuate/actuate/internal/testenv"
	"github.com/actuate/actuate/processor/workspace"
)

func TestAssembleNamesProblemsByObject(t *testing.T) {
	objects := map[string]json.RawMessage{
		"source/web":       json.RawMessage(`{"id":"web","topics":["events"]}`),
		"destination/a":    json.RawMessage(`{"id":"a","type":"webhook","sources":["web"],"enabled":true,"mappings":[{"id":"m","action":"send","trigger":"type =","mapping":{"url":"http://x"}}]}`),
		"destination/b":    json.RawMessage(`{"id":"b","type":"nope","sources":["web"]}`),
		"tracking_plan/tp": json.RawMessage(`{"id":"tp"}`),
	}
	_, err := Compile(objects, destinations.Get)
	var problems workspace.Problems
	if !errors.As(err, &problems) {
		t.Fatalf("got %v, want problems", err)
	}
	got := problems.Error()
	for _, want := range []string{"destination/a.mappings[0].trigger", "destination/b.type"} {
		if !strings.Contains(got, want) {
			t.Errorf("problems %q do not name %s", got, want)
		}
	}
	delete(objects, "destination/b")
	objects["destination/a"] = json.RawMessage(`{"id":"a","type":"webhook","sources":["web"],"enabled":true,"mappings":[{"id":"m","enabled":true,"action":"send","trigger":"type = \"track\"","mapping":{"url":"http://x","method":"POST","data":{"@path":"$."}}}]}`)
	ws, err := Compile(objects, destinations.Get)
	if err != nil {
		t.Fatal(err)
	}
	ws2, _ := Compile(objects, destinations.Get)
	if ws.Version != ws2.Version || len(ws.Instance("a").Mappings) != 1 {
		t.Fatalf("same objects must compile to the same version: %d %d", ws.Version, ws2.Version)
	}
}

func TestObjectsFromFileKeepsReferencesAndOrder(t *testing.T) {
	objs, err := ObjectsFromFile([]byte(`
sources: [{ id: web, topics: [events], write_key: "${env:WK}" }]
destinations:
  - id: hook
    type: webhook
    sources: [web]
    settings: { sharedSecret: "${env:SECRET}" }
    mappings: [{ id: m, action: send, trigger: 'type = "track"', mapping: { z: 1, a: 2 } }]
`))
	if err != nil {
		t.Fatal(err)
	}
	if got := string(objs["source/web"]); got != `{"id":"web","topics":["events"],"write_key":"${env:WK}"}` {
		t.Errorf("source: %s", got)
	}
	if got := string(objs["destination/hook"]); !strings.Contains(got, `"mapping":{"z":1,"a":2}`) || !strings.Contains(got, `${env:SECRET}`) {
		t.Errorf("destination: %s", got)
	}
	red := string(Redact("destination/hook", json.RawMessage(`{"id":"hook","type":"webhook","settings":{"sharedSecret":"s3cret"}}`), destinations.Get))
	if strings.Contains(red, "s3cret") || !strings.Contains(red, "[redacted]") {
		t.Errorf("redacted: %s", red)
	}
}

// testStore starts a store on fresh topics of the test broker.
func testStore(t *testing.T, brokers []string, topic, history, txnID string) *Store {
	t.Helper()
	s, err := New(Config{Brokers: brokers, Topic: topic, HistoryTopic: history, TransactionalID: txnID, Lookup: destinations.Get,
		ClientOptions: []kgo.Opt{kgo.MetadataMinAge(100 * time.Millisecond)}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); s.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	return s
}

func put(key, value string) []Change {
	return []Change{{Key: key, Value: json.RawMessage(value)}}
}

// TestChangeReachesAnotherProcess is the topic's promise on the real broker: a change
// written through one store is compiled and swapped in by another within seconds; an
// invalid state written behind the API's back is never applied; history lists the
// writes with secrets redacted.
func TestChangeReachesAnotherProcess(t *testing.T) {
	brokers := testenv.Kafka(t)
	topic := testenv.Topic(t, "config", 1)
	history := testenv.Topic(t, "history", 1)
	txn := "txn-" + topic
	a := testStore(t, brokers, topic, history, txn)
	b := testStore(t, brokers, topic, history, txn)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	start := time.Now()
	_, err := a.Update(ctx, Meta{Actor: "test"}, func(*Snapshot) ([]Change, error) {
		return append(put("source/web", `{"id":"web","topics":["events"],"write_key":"wk"}`),
			put("destination/hook", `{"id":"hook","type":"webhook","sources":["web"],"enabled":true,"settings":{"sharedSecret":"s3cret-value"},"mappings":[{"id":"m","enabled":true,"action":"send","trigger":"type = \"track\"","mapping":{"url":"http://x","method":"POST","data":{"@path":"$."}}}]}`)...), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if a.Workspace().Instance("hook") == nil {
		t.Fatal("the writer does not see its own write on return")
	}
	waitFor(t, 10*time.Second, func() bool { return b.Workspace().Instance("hook") != nil })
	t.Logf("a change reached the other store in %v", time.Since(start))
	if b.Workspace().SourceForWriteKey("wk") == nil {
		t.Error("the source came without its write key")
	}

	// Written directly, skipping validation: the other process keeps the last valid state.
	good := b.Workspace().Version
	raw, err := kgo.NewClient(kgo.SeedBrokers(brokers...))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if err := raw.ProduceSync(ctx, &kgo.Record{Topic: topic, Key: []byte("destination/bad"), Value: []byte(`{"id":"bad","type":"webhook","sources":["nowhere"]}`)}).FirstErr(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, func() bool { return b.Snapshot().Problems != nil })
	if b.Workspace().Version != good || !strings.Contains(b.Snapshot().Problems.Error(), "destination/bad.sources[0]") {
		t.Fatalf("an invalid state was applied or not reported: %v", b.Snapshot().Problems)
	}
	// A tombstone deletes; the state is valid again and applied.
	if err := raw.ProduceSync(ctx, &kgo.Record{Topic: topic, Key: []byte("destination/bad")}).FirstErr(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, func() bool { return b.Snapshot().Problems == nil })

	entries, err := b.History(ctx, 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || len(entries[0].Changes) != 2 || entries[0].Actor != "test" {
		t.Fatalf("history %+v", entries)
	}
	if h, _ := json.Marshal(entries); strings.Contains(string(h), "s3cret-value") {
		t.Fatalf("history leaks a secret: %s", h)
	}
}

// TestConcurrentWritersNeverLoseAnUpdate: two stores (two API processes) each increment
// a counter held in an object twenty times, read-modify-write, at the same time. With
// compare-and-set every increment survives.
func TestConcurrentWritersNeverLoseAnUpdate(t *testing.T) {
	brokers := testenv.Kafka(t)
	topic := testenv.Topic(t, "config", 1)
	history := testenv.Topic(t, "history", 1)
	txn := "txn-" + topic
	stores := []*Store{testStore(t, brokers, topic, history, txn), testStore(t, brokers, topic, history, txn)}
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	const each = 10
	var wg sync.WaitGroup
	for _, s := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				_, err := s.Update(ctx, Meta{}, func(snap *Snapshot) ([]Change, error) {
					n := 0
					if o, ok := snap.Object("source/counter"); ok {
						var src struct {
							WriteKey string `json:"write_key"`
						}
						json.Unmarshal(o.Value, &src)
						fmt.Sscanf(src.WriteKey, "n-%d", &n)
					}
					return put("source/counter", fmt.Sprintf(`{"id":"counter","topics":["t"],"write_key":"n-%d"}`, n+1)), nil
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, s := range stores {
		if err := s.CatchUp(ctx); err != nil {
			t.Fatal(err)
		}
		if s.Workspace().SourceForWriteKey(fmt.Sprintf("n-%d", 2*each)) == nil {
			o, _ := s.Snapshot().Object("source/counter")
			t.Fatalf("counter is %s, want n-%d: an update was lost", o.Value, 2*each)
		}
	}
}

// TestCommittedTellsTheOutcomeOfAWrite checks how a write whose commit answered an error
// finds out whether it committed: by the version of its first object once the store has
// read up to the stable offset.
func TestCommittedTellsTheOutcomeOfAWrite(t *testing.T) {
	brokers := testenv.Kafka(t)
	topic := testenv.Topic(t, "config", 1)
	history := testenv.Topic(t, "history", 1)
	s := testStore(t, brokers, topic, history, "txn-"+topic)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	change := put("source/web", `{"id":"web","topics":["t"],"write_key":"wk"}`)
	snap, err := s.Update(ctx, Meta{}, func(*Snapshot) ([]Change, error) { return change, nil })
	if err != nil {
		t.Fatal(err)
	}
	o, _ := snap.Object("source/web")
	for _, c := range []struct {
		name   string
		first  Change
		offset int64
		want   bool
	}{
		{"the write that committed", change[0], o.Version, true},
		{"a write at another offset (aborted)", change[0], o.Version + 1, false},
		{"a delete of an object still there", Change{Key: "source/web"}, o.Version + 1, false},
		{"a delete of an object gone", Change{Key: "source/gone"}, o.Version + 1, true},
	} {
		got, err := s.committed(ctx, c.first, c.offset)
		if err != nil || got != c.want {
			t.Errorf("%s: committed = %v, %v; want %v", c.name, got, err, c.want)
		}
	}
}

func waitFor(t *testing.T, d time.Duration, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %v", d)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
