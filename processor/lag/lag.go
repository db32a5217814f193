// Package lag exports consumer lag per group, topic and partition as a Prometheus gauge,
// so operators watch Actuate the way they watch any Kafka consumer.
package lag

import (
	"context"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"
)

// DefaultInterval is how often lag is measured.
const DefaultInterval = 15 * time.Second

// Watch measures the lag of groups every interval until ctx ends, setting gauge (labels
// group, topic, partition). Partitions that disappear are removed from the gauge.
func Watch(ctx context.Context, brokers []string, groups []string, interval time.Duration, gauge *prometheus.GaugeVec, log *zap.Logger, opts ...kgo.Opt) error {
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(brokers...)}, opts...)...)
	if err != nil {
		return err
	}
	defer cl.Close()
	admin := kadm.NewClient(cl)
	if interval <= 0 {
		interval = DefaultInterval
	}
	known := map[[3]string]bool{}
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		measure(ctx, admin, groups, gauge, known, log)
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C:
		}
	}
}

// Partition is the lag of one group on one partition.
type Partition struct {
	Group     string
	Topic     string
	Partition int32
	Lag       int64
}

// Measure returns the lag of groups on every partition they consume or have committed
// to, as Kafka's kafka-consumer-groups computes it: the log end offset minus the committed
// offset. Groups commit past transaction markers (the router and the sender keep control
// records for that), so an idle group's lag is 0. Partitions whose lag cannot be known (an
// error listing or fetching their offsets) are left out.
func Measure(ctx context.Context, admin *kadm.Client, groups ...string) ([]Partition, error) {
	lags, err := admin.Lag(ctx, groups...)
	if err != nil {
		return nil, err
	}
	var out []Partition
	for _, g := range lags.Sorted() {
		if g.Error() != nil {
			continue
		}
		for _, l := range g.Lag.Sorted() {
			if l.Err != nil || l.Lag < 0 {
				continue
			}
			out = append(out, Partition{Group: g.Group, Topic: l.Topic, Partition: l.Partition, Lag: l.Lag})
		}
	}
	return out, nil
}

// measure updates the gauge once.
func measure(ctx context.Context, admin *kadm.Client, groups []string, gauge *prometheus.GaugeVec, known map[[3]string]bool, log *zap.Logger) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	lags, err := Measure(ctx, admin, groups...)
	if err != nil {
		log.Debug("measuring consumer lag", zap.Error(err))
		return
	}
	seen := map[[3]string]bool{}
	for _, l := range lags {
		key := [3]string{l.Group, l.Topic, strconv.Itoa(int(l.Partition))}
		gauge.WithLabelValues(key[0], key[1], key[2]).Set(float64(l.Lag))
		seen[key] = true
	}
	for key := range known {
		if !seen[key] {
			gauge.DeleteLabelValues(key[0], key[1], key[2])
			delete(known, key)
		}
	}
	for key := range seen {
		known[key] = true
	}
}
