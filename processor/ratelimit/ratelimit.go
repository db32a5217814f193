// Package ratelimit spaces out requests to a destination instance across every sender
// process, and caps how many are in flight at once.
//
// The rate lives in Redis as a GCRA "theoretical arrival time" per key, updated by one
// Lua script that reads Redis's own clock, so the processes' clocks do not matter and a
// decision is one round trip. Waiters reserve a slot and then sleep until it comes
// (rather than polling "may I?"): that keeps Redis traffic at one call per request however
// long the queue is, and serves waiters in the order they asked. A reservation whose
// waiter gives up is simply lost, which can only make the real rate lower, never higher.
//
// Concurrency is a set of expiring leases per key in Redis (concurrency.go).
//
// When Redis cannot be reached the limiter falls back to a local GCRA and a local
// semaphore per key, at the instance's limits divided by the number of sender processes
// last seen alive (each process announces itself in a Redis sorted set), so the fleet as
// a whole stays near the limits. A background probe switches back to Redis as soon as it
// answers again; the shared state simply resumes from there.
package ratelimit

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"math"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
	"go.uber.org/zap"
)

// Defaults of Options.
const (
	DefaultPrefix            = "actuate:ratelimit:"
	DefaultTimeout           = time.Second
	DefaultProbeInterval     = time.Second
	DefaultHeartbeatInterval = 5 * time.Second
)

// Options tune a Limiter. The zero value takes every default.
type Options struct {
	// Prefix starts every key the limiter writes.
	Prefix string
	// BurstSeconds lets requests go back to back up to perSecond×BurstSeconds (at least
	// 1) before spacing applies. 0 spaces every request evenly.
	BurstSeconds float64
	// Timeout bounds one Redis call on the request path; past it the limiter falls back.
	Timeout time.Duration
	// ProbeInterval is how often a limiter that fell back tries Redis again.
	ProbeInterval time.Duration
	// HeartbeatInterval is how often a process announces itself; processes silent for
	// three intervals stop counting towards the fallback share.
	HeartbeatInterval time.Duration
	// LeaseTTL is how long a concurrency slot stays taken if its holder never releases
	// it (a crash); default DefaultLeaseTTL.
	LeaseTTL time.Duration
	// ID names this process among the senders; default host, pid and a random suffix.
	ID     string
	Logger *zap.Logger
}

// Limiter is safe for concurrent use. Close stops its background work.
type Limiter struct {
	rdb  redis.UniversalClient
	opts Options

	degraded atomic.Bool
	peers    atomic.Int64
	probing  atomic.Bool

	mu     sync.Mutex
	local  map[string]*gcra
	sems   map[string]*semaphore
	closed bool

	stop chan struct{}
	wg   sync.WaitGroup
}

// New returns a limiter on rdb. With a nil rdb every limit is local to this process.
func New(rdb redis.UniversalClient, opts Options) *Limiter {
	if opts.Prefix == "" {
		opts.Prefix = DefaultPrefix
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.ProbeInterval <= 0 {
		opts.ProbeInterval = DefaultProbeInterval
	}
	if opts.HeartbeatInterval <= 0 {
		opts.HeartbeatInterval = DefaultHeartbeatInterval
	}
	if opts.LeaseTTL <= 0 {
		opts.LeaseTTL = DefaultLeaseTTL
	}
	if opts.ID == "" {
		host, _ := os.Hostname()
		var b [4]byte
		_, _ = rand.Read(b[:])
		opts.ID = host + "-" + strconv.Itoa(os.Getpid()) + "-" + hex.EncodeToString(b[:])
	}
	if opts.Logger == nil {
		opts.Logger = zap.NewNop()
	}
	l := &Limiter{rdb: rdb, opts: opts, local: map[string]*gcra{}, sems: map[string]*semaphore{}, stop: make(chan struct{})}
	l.peers.Store(1)
	if rdb == nil {
		l.degraded.Store(true)
		return l
	}
	l.wg.Add(1)
	go l.heartbeat()
	return l
}

// Close stops the heartbeat and any probe. It does not close the Redis client.
func (l *Limiter) Close() {
	l.mu.Lock()
	if !l.closed {
		l.closed = true
		close(l.stop)
	}
	l.mu.Unlock()
	l.wg.Wait()
}

// Degraded reports whether the limiter is running on local limits.
func (l *Limiter) Degraded() bool { return l.degraded.Load() }

// Peers is the number of sender processes last seen alive, this one included.
func (l *Limiter) Peers() int { return int(l.peers.Load()) }

// Wait blocks until a request under key may go at perSecond requests per second across
// all processes. A perSecond of 0 or less means no limit. It fails only when ctx ends.
func (l *Limiter) Wait(ctx context.Context, key string, perSecond float64) error {
	if perSecond <= 0 || math.IsInf(perSecond, 1) || math.IsNaN(perSecond) {
		return ctx.Err()
	}
	if !l.degraded.Load() {
		wait, err := l.reserveShared(ctx, key, perSecond)
		if err == nil {
			return sleep(ctx, wait)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		l.fallBack(err)
	}
	share := perSecond / float64(max(1, l.peers.Load()))
	return sleep(ctx, l.reserveLocal(key, share, time.Now()))
}

func (l *Limiter) burst(perSecond float64) float64 {
	return max(1, math.Floor(perSecond*l.opts.BurstSeconds))
}

// reserveScript is GCRA with reservation, in microseconds of Redis's clock. The stored
// value is the theoretical arrival time (TAT) of the next request; a request may go once
// now >= TAT - (burst-1)×interval, and taking it moves TAT on by one interval. The key
// expires once TAT is in the past, when it would be reset to "now" anyway. The TAT is
// written with %.0f because Lua's default number format keeps 14 digits, which would
// round a microsecond timestamp to a tenth of a millisecond. ARGV[3], when given,
// replaces Redis's clock, so that tests can check the arithmetic on a fake one.
var reserveScript = redis.NewScript(`
local now = tonumber(ARGV[3])
if not now then
	local t = redis.call('TIME')
	now = tonumber(t[1]) * 1000000 + tonumber(t[2])
end
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]))
if not tat or tat < now then tat = now end
local wait = tat - now - (burst - 1) * interval
if wait < 0 then wait = 0 end
tat = tat + interval
redis.call('SET', KEYS[1], string.format('%.0f', tat), 'PX', math.floor((tat - now) / 1000) + 1000)
return wait`)

func (l *Limiter) reserveShared(ctx context.Context, key string, perSecond float64) (time.Duration, error) {
	return l.reserveSharedAt(ctx, key, perSecond, time.Time{})
}

// reserveSharedAt is reserveShared on a fake clock at, unless at is zero.
func (l *Limiter) reserveSharedAt(ctx context.Context, key string, perSecond float64, at time.Time) (time.Duration, error) {
	interval := max(1, math.Round(1e6/perSecond))
	args := []any{strconv.FormatFloat(interval, 'f', 0, 64), strconv.FormatFloat(l.burst(perSecond), 'f', 0, 64)}
	if !at.IsZero() {
		args = append(args, strconv.FormatInt(at.UnixMicro(), 10))
	}
	ctx, cancel := context.WithTimeout(ctx, l.opts.Timeout)
	defer cancel()
	us, err := reserveScript.Run(ctx, l.rdb, []string{l.opts.Prefix + "gcra:" + key}, args...).Int64()
	if err != nil {
		return 0, err
	}
	return time.Duration(us) * time.Microsecond, nil
}

func (l *Limiter) reserveLocal(key string, perSecond float64, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	g := l.local[key]
	if g == nil {
		g = &gcra{}
		l.local[key] = g
	}
	return g.reserve(now, time.Duration(float64(time.Second)/perSecond), l.burst(perSecond))
}

// gcra is the in-process form of the script above.
type gcra struct{ tat time.Time }

func (g *gcra) reserve(now time.Time, interval time.Duration, burst float64) time.Duration {
	if g.tat.Before(now) {
		g.tat = now
	}
	wait := g.tat.Sub(now) - time.Duration((burst-1)*float64(interval))
	g.tat = g.tat.Add(interval)
	return max(0, wait)
}

// fallBack switches to local limits and starts probing Redis.
func (l *Limiter) fallBack(err error) {
	if l.degraded.Swap(true) {
		return
	}
	l.opts.Logger.Warn("rate limiter: Redis unreachable, limiting locally",
		zap.Error(err), zap.Int64("peers", l.peers.Load()))
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed || l.probing.Swap(true) {
		return
	}
	l.wg.Add(1)
	go l.probe()
}

func (l *Limiter) probe() {
	defer l.wg.Done()
	defer l.probing.Store(false)
	t := time.NewTicker(l.opts.ProbeInterval)
	defer t.Stop()
	for {
		select {
		case <-l.stop:
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), l.opts.Timeout)
		err := l.rdb.Ping(ctx).Err()
		cancel()
		if err == nil {
			l.beat() // refresh the peer count before trusting Redis again
			l.degraded.Store(false)
			l.opts.Logger.Info("rate limiter: Redis reachable again, limits shared")
			return
		}
	}
}

// beatScript announces this process and counts the live ones, on Redis's clock.
var beatScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
return redis.call('ZCARD', KEYS[1])`)

func (l *Limiter) beat() {
	ctx, cancel := context.WithTimeout(context.Background(), l.opts.Timeout)
	defer cancel()
	n, err := beatScript.Run(ctx, l.rdb, []string{l.opts.Prefix + "members"}, l.opts.ID,
		strconv.FormatInt((3*l.opts.HeartbeatInterval).Milliseconds(), 10)).Int64()
	if err != nil {
		if !errors.Is(err, context.Canceled) {
			l.fallBack(err)
		}
		return
	}
	l.peers.Store(max(1, n))
}

func (l *Limiter) heartbeat() {
	defer l.wg.Done()
	t := time.NewTicker(l.opts.HeartbeatInterval)
	defer t.Stop()
	for {
		if !l.degraded.Load() {
			l.beat()
		}
		select {
		case <-l.stop:
			ctx, cancel := context.WithTimeout(context.Background(), l.opts.Timeout)
			_ = l.rdb.ZRem(ctx, l.opts.Prefix+"members", l.opts.ID).Err()
			cancel()
			return
		case <-t.C:
		}
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
