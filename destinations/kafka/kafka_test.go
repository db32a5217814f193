package kafka

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/valyala/fastjson"
)

func cluster(t *testing.T, opts ...kfake.Opt) string {
	t.Helper()
	c, err := kfake.NewCluster(append([]kfake.Opt{kfake.NumBrokers(1), kfake.SeedTopics(3, "events")}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { Close(); c.Close() })
	return strings.Join(c.ListenAddrs(), ",")
}

// consume reads n records from the events topic.
func consume(t *testing.T, brokers string, n int, opts ...kgo.Opt) []*kgo.Record {
	t.Helper()
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(strings.Split(brokers, ",")...),
		kgo.ConsumeTopics("events"), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart())}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var recs []*kgo.Record
	for len(recs) < n {
		fs := cl.PollFetches(ctx)
		if err := ctx.Err(); err != nil {
			t.Fatalf("consumed %d of %d records: %v", len(recs), n, err)
		}
		recs = append(recs, fs.Records()...)
	}
	return recs
}

func settings(brokers string) map[string]any {
	return map[string]any{"brokers": brokers, "ssl_enabled": false}
}

const track = `{"type":"track","event":"Song Played","userId":"user-1234","messageId":"m-1","properties":{"song":"Blue"}}`

func TestSendDefaultMapping(t *testing.T) {
	brokers := cluster(t)
	p := desttest.Render(t, Definition, "send", destkit.JSON(`{"topic":"events","payload":{"@path":"$."},`+
		`"key":{"@path":"$.userId"},"headers":{"source":"web","attempt":1}}`), track)
	inst := desttest.Instance(t, Definition, settings(brokers))
	if err := destkit.NewClient().Send(context.Background(), inst, Send, p); err != nil {
		t.Fatal(err)
	}
	r := consume(t, brokers, 1)[0]
	if string(r.Key) != "user-1234" || r.Topic != "events" {
		t.Fatalf("key %q topic %s", r.Key, r.Topic)
	}
	desttest.JSONEqual(t, r.Value, track)
	if len(r.Headers) != 2 || r.Headers[0].Key != "source" || string(r.Headers[0].Value) != "web" || string(r.Headers[1].Value) != "1" {
		t.Fatalf("headers %+v", r.Headers)
	}
}

func TestSendBatchWithPartitions(t *testing.T) {
	brokers := cluster(t)
	inst := desttest.Instance(t, Definition, settings(brokers))
	ps := [][]byte{
		desttest.Validate(t, Definition, "send", `{"topic":"events","payload":{"n":1},"partition":2}`),
		desttest.Validate(t, Definition, "send", `{"topic":"events","payload":{"n":2},"default_partition":1}`),
		// Partition 7 does not exist: that record fails, the others go.
		desttest.Validate(t, Definition, "send", `{"topic":"events","payload":{"n":3},"partition":7}`),
		desttest.Validate(t, Definition, "send", `{"topic":"events","payload":{"n":4},"key":"k"}`),
	}
	errs := destkit.NewClient().SendBatch(context.Background(), inst, Send, ps)
	if errs[0] != nil || errs[1] != nil || errs[3] != nil {
		t.Fatalf("errs %v", errs)
	}
	if errs[2] == nil || destkit.Classify(errs[2]).Outcome != destkit.Fail {
		t.Fatalf("errs[2] = %v", errs[2])
	}
	got := map[string]int32{}
	for _, r := range consume(t, brokers, 3) {
		got[string(r.Value)] = r.Partition
	}
	if got[`{"n":1}`] != 2 || got[`{"n":2}`] != 1 {
		t.Fatalf("partitions %v", got)
	}
}

func TestSendSCRAM(t *testing.T) {
	brokers := cluster(t, kfake.EnableSASL(), kfake.Superuser("SCRAM-SHA-256", "actuate", "s3cret"))
	s := settings(brokers)
	s["mechanism"], s["username"], s["password"] = "scram-sha-256", "actuate", "s3cret"
	inst := desttest.Instance(t, Definition, s)
	p := desttest.Validate(t, Definition, "send", `{"topic":"events","payload":{"ok":true}}`)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := destkit.NewClient().Send(ctx, inst, Send, p); err != nil {
		t.Fatal(err)
	}
}

func TestUnreachableBrokerIsRetryable(t *testing.T) {
	inst := desttest.Instance(t, Definition, settings("127.0.0.1:1"))
	defer Close()
	p := desttest.Validate(t, Definition, "send", `{"topic":"events","payload":{}}`)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	err := destkit.NewClient().Send(ctx, inst, Send, p)
	if destkit.Classify(err).Outcome != destkit.Retry {
		t.Fatalf("got %v", err)
	}
}

func TestConfigErrors(t *testing.T) {
	for _, s := range []map[string]any{
		{"brokers": " , ", "ssl_enabled": false},
		{"brokers": "b:9092", "mechanism": "client-cert-auth"},
		{"brokers": "b:9092", "ssl_ca": "not pem"},
	} {
		inst := desttest.Instance(t, Definition, s)
		p := desttest.Validate(t, Definition, "send", `{"topic":"events","payload":{}}`)
		err := destkit.NewClient().Send(context.Background(), inst, Send, p)
		var ie *destkit.IntegrationError
		if !errors.As(err, &ie) || ie.Code != "KAFKA_CONFIG" {
			t.Errorf("%v: got %v", s, err)
		}
	}
}

func BenchmarkRecords100(b *testing.B) {
	v := fastjson.MustParse(`{"topic":"events","key":"user-1234","headers":{"source":"web"},"payload":` + track + `}`)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		for range 100 {
			_ = record(ctx, v)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*100), "ns/event")
}
