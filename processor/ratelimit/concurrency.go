package ratelimit

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// DefaultLeaseTTL bounds how long a crashed sender's requests keep counting against an
// instance's concurrency. It must outlast a request: destkit's timeout is 10 s, and an
// OAuth refresh can add a second round trip.
const DefaultLeaseTTL = time.Minute

// Limit is what one destination instance allows, across every sender process.
type Limit struct {
	// PerSecond spaces requests; 0 or less: no rate limit.
	PerSecond float64
	// Concurrency caps requests in flight; 0 or less: no cap.
	Concurrency int
}

// Acquire waits until a request under key may go: first a concurrency slot (a lease
// that release frees), then a rate slot. The lease is taken first so that a request
// never spends its rate slot waiting for concurrency, which would let the waiting
// requests go out in a burst later. release is never nil when err is nil.
func (l *Limiter) Acquire(ctx context.Context, key string, lim Limit) (release func(), err error) {
	release = func() {}
	if lim.Concurrency > 0 {
		if release, err = l.lease(ctx, key, lim.Concurrency); err != nil {
			return nil, err
		}
	}
	if err := l.Wait(ctx, key, lim.PerSecond); err != nil {
		release()
		return nil, err
	}
	return release, nil
}

// leaseScript takes a slot if fewer than ARGV[1] unexpired leases exist. Leases are the
// members of a sorted set scored by their expiry on Redis's clock, so leases of a
// process that died without releasing them lapse after the TTL.
var leaseScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
	redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
	redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
	return 1
end
return 0`)

var leaseSeq atomic.Uint64

func (l *Limiter) lease(ctx context.Context, key string, n int) (func(), error) {
	if l.degraded.Load() {
		return l.localLease(ctx, key, n)
	}
	zkey := l.opts.Prefix + "conc:" + key
	id := l.opts.ID + ":" + strconv.FormatUint(leaseSeq.Add(1), 36)
	ttl := strconv.FormatInt(l.opts.LeaseTTL.Milliseconds(), 10)
	// Poll while full, quickly at first: slots free up as requests finish, typically
	// within tens of milliseconds.
	pause := 2 * time.Millisecond
	for {
		cctx, cancel := context.WithTimeout(ctx, l.opts.Timeout)
		got, err := leaseScript.Run(cctx, l.rdb, []string{zkey}, n, ttl, id).Int64()
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			l.fallBack(err)
			return l.localLease(ctx, key, n)
		}
		if got == 1 {
			return sync.OnceFunc(func() {
				// If Redis is gone by now the lease lapses on its own after the TTL.
				rctx, cancel := context.WithTimeout(context.Background(), l.opts.Timeout)
				defer cancel()
				_ = l.rdb.ZRem(rctx, zkey, id).Err()
			}), nil
		}
		if err := sleep(ctx, pause); err != nil {
			return nil, err
		}
		pause = min(pause*2, 50*time.Millisecond)
	}
}

// localLease is the fallback: this process's share of the slots.
func (l *Limiter) localLease(ctx context.Context, key string, n int) (func(), error) {
	share := max(1, n/int(max(1, l.peers.Load())))
	l.mu.Lock()
	s := l.sems[key]
	if s == nil {
		s = &semaphore{free: make(chan struct{})}
		l.sems[key] = s
	}
	l.mu.Unlock()
	if err := s.acquire(ctx, share); err != nil {
		return nil, err
	}
	return sync.OnceFunc(s.release), nil
}

// semaphore is a counting semaphore whose limit may change between acquisitions.
type semaphore struct {
	mu   sync.Mutex
	used int
	free chan struct{} // closed and replaced on every release
}

func (s *semaphore) acquire(ctx context.Context, limit int) error {
	for {
		s.mu.Lock()
		if s.used < limit {
			s.used++
			s.mu.Unlock()
			return nil
		}
		ch := s.free
		s.mu.Unlock()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ch:
		}
	}
}

func (s *semaphore) release() {
	s.mu.Lock()
	s.used--
	close(s.free)
	s.free = make(chan struct{})
	s.mu.Unlock()
}
