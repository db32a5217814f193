package destkit

import (
	"context"
	"sync"
)

// keyLocks are the per-key locks of the in-memory stores (tokens, audience
// ids). A channel per key, rather than a sync.Mutex, lets a waiter give up
// when its context ends. The zero value is ready to use.
type keyLocks struct {
	mu    sync.Mutex
	locks map[string]chan struct{}
}

// lock blocks until key's lock is held or ctx ends; unlock may be called
// more than once.
func (l *keyLocks) lock(ctx context.Context, key string) (unlock func(), err error) {
	l.mu.Lock()
	if l.locks == nil {
		l.locks = map[string]chan struct{}{}
	}
	ch, ok := l.locks[key]
	if !ok {
		ch = make(chan struct{}, 1)
		l.locks[key] = ch
	}
	l.mu.Unlock()
	select {
	case ch <- struct{}{}:
		var once sync.Once
		return func() { once.Do(func() { <-ch }) }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
