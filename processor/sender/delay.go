package sender

import (
	"container/heap"
	"context"
	"sync"
	"time"
)

// delayQueue holds retry-topic records until their not-before time. Records of the retry
// topic are roughly in production order, not in due order (their backoffs differ), so
// they wait in a heap rather than blocking the partition at the first one not due.
type delayQueue struct {
	mu   sync.Mutex
	h    delayHeap
	wake chan struct{}
	fire func(*item)
}

type delayed struct {
	at time.Time
	it *item
}

type delayHeap []delayed

func (h delayHeap) Len() int           { return len(h) }
func (h delayHeap) Less(i, j int) bool { return h[i].at.Before(h[j].at) }
func (h delayHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *delayHeap) Push(x any)        { *h = append(*h, x.(delayed)) }
func (h *delayHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	old[len(old)-1] = delayed{}
	*h = old[:len(old)-1]
	return x
}

func newDelayQueue(fire func(*item)) *delayQueue {
	return &delayQueue{wake: make(chan struct{}, 1), fire: fire}
}

// add queues it until at and returns how many records wait.
func (q *delayQueue) add(it *item, at time.Time) int {
	q.mu.Lock()
	heap.Push(&q.h, delayed{at: at, it: it})
	n := len(q.h)
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
	return n
}

func (q *delayQueue) len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.h)
}

// drop removes the records for which f is true (those of revoked partitions).
func (q *delayQueue) drop(f func(*item) bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	keep := q.h[:0]
	for _, d := range q.h {
		if !f(d.it) {
			keep = append(keep, d)
		}
	}
	clear(q.h[len(keep):])
	q.h = keep
	heap.Init(&q.h)
}

func (q *delayQueue) run(ctx context.Context) {
	t := time.NewTimer(time.Hour)
	defer t.Stop()
	for {
		now := time.Now()
		var due []*item
		q.mu.Lock()
		for len(q.h) > 0 && !q.h[0].at.After(now) {
			due = append(due, heap.Pop(&q.h).(delayed).it)
		}
		wait := time.Hour
		if len(q.h) > 0 {
			wait = q.h[0].at.Sub(now)
		}
		q.mu.Unlock()
		for _, it := range due {
			q.fire(it)
		}
		t.Reset(wait)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-q.wake:
		}
	}
}
