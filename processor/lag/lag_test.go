package lag

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"

	"github.com/actuate/actuate/internal/testenv"
)

func TestLagOfAGroupOnKafka(t *testing.T) {
	brokers := testenv.Kafka(t)
	topic := testenv.Topic(t, "lag", 2)
	group := "lag-test-" + fmt.Sprint(time.Now().UnixNano())
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.DefaultProduceTopic(topic), kgo.RecordPartitioner(kgo.ManualPartitioner()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx := context.Background()
	var records []*kgo.Record
	for i := range 10 {
		records = append(records, &kgo.Record{Partition: int32(i % 2), Value: []byte("x")})
	}
	if err := cl.ProduceSync(ctx, records...).FirstErr(); err != nil {
		t.Fatal(err)
	}
	// The group has consumed 2 records of partition 0 and none of partition 1.
	offsets := kadm.Offsets{}
	offsets.Add(kadm.Offset{Topic: topic, Partition: 0, At: 2})
	offsets.Add(kadm.Offset{Topic: topic, Partition: 1, At: 0})
	if _, err := kadm.NewClient(cl).CommitOffsets(ctx, group, offsets); err != nil {
		t.Fatal(err)
	}
	gauge := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "lag"}, []string{"group", "topic", "partition"})
	known := map[[3]string]bool{}
	measure(ctx, kadm.NewClient(cl), []string{group}, gauge, known, zap.NewNop())
	if got := testutil.ToFloat64(gauge.WithLabelValues(group, topic, "0")); got != 3 {
		t.Errorf("partition 0 lag %v, want 3", got)
	}
	if got := testutil.ToFloat64(gauge.WithLabelValues(group, topic, "1")); got != 5 {
		t.Errorf("partition 1 lag %v, want 5", got)
	}
}
