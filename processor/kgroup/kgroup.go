// Package kgroup holds what the processes that consume in a Kafka consumer group share:
// leaving it, electing one of them to run a job (Lead), and passing franz-go's logs to zap.
package kgroup

import (
	"time"

	"go.uber.org/zap"
)

// LeaveTimeout bounds how long a stopping process waits to leave its group.
const LeaveTimeout = 10 * time.Second

// CloseWithin closes a group client but waits at most d for it. Leaving a group first
// finishes a join in flight, and during a rebalance that waits for every member the broker
// still knows — a SIGKILLed process stays one until its session times out — so a clean
// leave can take a minute. Giving up is safe: the broker expires the member, and
// uncommitted work (an open transaction, unacknowledged requests) is done again by
// whoever takes the partitions. It reports whether the close finished.
func CloseWithin(closeClient func(), d time.Duration, log *zap.Logger) bool {
	done := make(chan struct{})
	go func() {
		closeClient()
		close(done)
	}()
	select {
	case <-done:
		return true
	case <-time.After(d):
		log.Warn("leaving the consumer group is taking too long; exiting without it (the broker expires the member)",
			zap.Duration("waited", d))
		return false
	}
}
