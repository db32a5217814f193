package kgroup

import (
	"context"
	"errors"
	"sync"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"
)

// Lead runs work in one process of many: the member of group that is assigned partition 0
// of topic (a one-partition topic, created when missing) leads, and work runs while it
// does. A rebalance that takes the partition away (this process stopping, or the group
// rebalancing) ends work's context, and Lead waits for work to return before the
// partition goes to the next member, so two processes never run work at once. A leader
// that dies without leaving is replaced once the broker's session timeout expires. Lead
// returns when ctx ends.
//
// It is for jobs that must not run twice at once across replicas, such as the privacy
// requests' deletions every `actuate serve` could otherwise send.
func Lead(ctx context.Context, seeds []string, opts []kgo.Opt, group, topic string, work func(context.Context), log *zap.Logger) error {
	if err := ensureOnePartition(ctx, seeds, opts, topic); err != nil {
		return err
	}
	var mu sync.Mutex
	var stopWork func()
	start := func() {
		mu.Lock()
		defer mu.Unlock()
		if stopWork != nil {
			return
		}
		wctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() {
			defer close(done)
			work(wctx)
		}()
		stopWork = func() { cancel(); <-done }
		log.Info("leading", zap.String("group", group))
	}
	stop := func() {
		mu.Lock()
		defer mu.Unlock()
		if stopWork != nil {
			stopWork()
			stopWork = nil
			log.Info("no longer leading", zap.String("group", group))
		}
	}
	holdsZero := func(m map[string][]int32) bool {
		for _, p := range m[topic] {
			if p == 0 {
				return true
			}
		}
		return false
	}
	cl, err := kgo.NewClient(append([]kgo.Opt{
		kgo.SeedBrokers(seeds...),
		kgo.ConsumerGroup(group),
		kgo.ConsumeTopics(topic),
		kgo.OnPartitionsAssigned(func(_ context.Context, _ *kgo.Client, m map[string][]int32) {
			if holdsZero(m) {
				start()
			}
		}),
		kgo.OnPartitionsRevoked(func(_ context.Context, _ *kgo.Client, m map[string][]int32) {
			if holdsZero(m) {
				stop()
			}
		}),
		kgo.OnPartitionsLost(func(_ context.Context, _ *kgo.Client, m map[string][]int32) {
			if holdsZero(m) {
				stop()
			}
		}),
		kgo.WithLogger(Logger(log)),
	}, opts...)...)
	if err != nil {
		return err
	}
	// The topic stays empty; polling keeps the member in the group and runs its callbacks.
	for ctx.Err() == nil {
		cl.PollFetches(ctx)
	}
	stop()
	CloseWithin(cl.Close, LeaveTimeout, log)
	return nil
}

// ensureOnePartition creates topic with one partition unless it exists.
func ensureOnePartition(ctx context.Context, seeds []string, opts []kgo.Opt, topic string) error {
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(seeds...)}, opts...)...)
	if err != nil {
		return err
	}
	defer cl.Close()
	resp, err := kadm.NewClient(cl).CreateTopic(ctx, 1, -1, nil, topic)
	if err == nil {
		err = resp.Err
	}
	if errors.Is(err, kerr.TopicAlreadyExists) {
		return nil
	}
	return err
}
