package kgroup

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/actuate/actuate/internal/testenv"
)

// On the real broker: of two processes leading the same group, exactly one runs the work
// at a time; when the leader stops, the other takes over, after the first's work returned.
func TestLeadRunsWorkInOneProcessAtATime(t *testing.T) {
	brokers := testenv.Kafka(t)
	topic := fmt.Sprintf("test-leader-%d", time.Now().UnixNano())
	group := topic + "-group"
	var running, most atomic.Int32
	var mu sync.Mutex
	var leaders []string
	work := func(name string) func(context.Context) {
		return func(ctx context.Context) {
			n := running.Add(1)
			for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
			}
			mu.Lock()
			leaders = append(leaders, name)
			mu.Unlock()
			<-ctx.Done()
			time.Sleep(200 * time.Millisecond) // a job finishing: the next leader must wait for it
			running.Add(-1)
		}
	}
	leadersSoFar := func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), leaders...)
	}
	ctxA, stopA := context.WithCancel(context.Background())
	ctxB, stopB := context.WithCancel(context.Background())
	defer stopB()
	var wg sync.WaitGroup
	for _, p := range []struct {
		name string
		ctx  context.Context
	}{{"a", ctxA}, {"b", ctxB}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := Lead(p.ctx, brokers, nil, group, topic, work(p.name), zap.NewNop()); err != nil {
				t.Errorf("%s: %v", p.name, err)
			}
		}()
	}
	waitUntil(t, "a leader", func() bool { return len(leadersSoFar()) == 1 })
	time.Sleep(2 * time.Second) // both have joined by now: still one leader
	if got := leadersSoFar(); len(got) != 1 || running.Load() != 1 {
		t.Fatalf("leaders %v, %d running; want one", got, running.Load())
	}
	first := leadersSoFar()[0]
	map[string]context.CancelFunc{"a": stopA, "b": stopB}[first]()
	waitUntil(t, "the other to take over", func() bool { return len(leadersSoFar()) == 2 })
	if got := leadersSoFar(); got[1] == first {
		t.Errorf("leaders %v: the stopped process led again", got)
	}
	stopA()
	stopB()
	wg.Wait()
	if most.Load() != 1 {
		t.Errorf("%d processes ran the work at once", most.Load())
	}
}

func waitUntil(t *testing.T, what string, f func() bool) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for !f() {
		if time.Now().After(deadline) {
			t.Fatalf("no %s within 90 s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
