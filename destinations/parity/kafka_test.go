package parity

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/kafka"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl"
	"github.com/twmb/franz-go/pkg/sasl/plain"
)

// kafkaTopic is the topic the Kafka cases produce to (mappingExtras).
const kafkaTopic = "segment-events"

// kafkaTap is an in-process Kafka cluster for Actuate's Kafka destination, and a
// consumer that turns what it produced into requests shaped like those runner.js records
// from its stand-in for kafkajs: PRODUCE kafka:///<topic>?key=…&partition=…, headers
// prefixed "kafka-", the value as the body.
type kafkaTap struct {
	cluster  *kfake.Cluster
	consumer *kgo.Client
}

func newKafkaTap(t *testing.T) *kafkaTap {
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(3, kafkaTopic),
		kfake.EnableSASL(), kfake.Superuser("PLAIN", kafkaUser, kafkaPassword))
	if err != nil {
		t.Fatal(err)
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(c.ListenAddrs()...), kgo.ConsumeTopics(kafkaTopic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.SASL(plainAuth()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cl.Close()
		kafka.Close()
		c.Close()
	})
	return &kafkaTap{cluster: c, consumer: cl}
}

func (k *kafkaTap) brokers() string { return strings.Join(k.cluster.ListenAddrs(), ",") }

// take reads the n records produced since the last take. explicit says whether the
// payloads chose their partition; only then is the partition part of the request, as
// Segment's messages carry one only then.
func (k *kafkaTap) take(n int, explicit bool) ([]sent, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var out []sent
	for len(out) < n {
		fs := k.consumer.PollFetches(ctx)
		if err := ctx.Err(); err != nil {
			return out, err
		}
		for _, r := range fs.Records() {
			q := url.Values{}
			if r.Key != nil {
				q.Set("key", string(r.Key))
			}
			if explicit {
				q.Set("partition", strconv.Itoa(int(r.Partition)))
			}
			headers := map[string]string{"content-type": "application/json"}
			for _, h := range r.Headers {
				headers["kafka-"+strings.ToLower(h.Key)] = string(h.Value)
			}
			u := "kafka:///" + r.Topic
			if len(q) > 0 {
				u += "?" + q.Encode()
			}
			out = append(out, sent{Method: "PRODUCE", URL: u, Headers: headers, Body: string(r.Value)})
		}
	}
	return out, nil
}

const (
	kafkaUser     = "parity"
	kafkaPassword = "parity-secret"
)

func plainAuth() sasl.Mechanism {
	return plain.Auth{User: kafkaUser, Pass: kafkaPassword}.AsMechanism()
}
