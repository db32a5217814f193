package ratelimit

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"net"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/actuate/actuate/internal/testenv"
)

func prefix(t *testing.T) string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return "actuate-test:" + t.Name() + ":" + hex.EncodeToString(b[:]) + ":"
}

func client(t *testing.T, addr string) *redis.Client {
	rdb := redis.NewClient(&redis.Options{Addr: addr, DialTimeout: 200 * time.Millisecond, MaxRetries: -1})
	t.Cleanup(func() { rdb.Close() })
	return rdb
}

// run makes n requests under key through the limiters (round robin, `workers` goroutines
// each) and returns how long they took.
func run(t *testing.T, limiters []*Limiter, key string, perSecond float64, n, workers int) time.Duration {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	jobs := make(chan int, n)
	for i := range n {
		jobs <- i
	}
	close(jobs)
	start := time.Now()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				if err := limiters[(w+i)%len(limiters)].Wait(ctx, key, perSecond); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	return time.Since(start)
}

// With burst 1, n requests at r/s go at 0, 1/r, …, (n-1)/r.
func checkRate(t *testing.T, what string, elapsed time.Duration, n int, perSecond float64) {
	t.Helper()
	ideal := time.Duration(float64(n-1) / perSecond * float64(time.Second))
	measured := float64(n-1) / elapsed.Seconds()
	t.Logf("%s: %d requests at %.0f/s took %v (ideal %v): measured %.2f req/s", what, n, perSecond, elapsed.Round(time.Millisecond), ideal, measured)
	if elapsed < ideal*9/10 || elapsed > ideal*3/2 {
		t.Fatalf("%s: took %v, want about %v", what, elapsed, ideal)
	}
}

func TestSharedRateOneProcess(t *testing.T) {
	l := New(client(t, testenv.Redis(t)), Options{Prefix: prefix(t)})
	defer l.Close()
	elapsed := run(t, []*Limiter{l}, "inst", 20, 41, 8)
	checkRate(t, "redis", elapsed, 41, 20)
	if l.Degraded() {
		t.Fatal("limiter fell back although Redis is up")
	}
}

// Two processes (two limiters, two connections) share one instance's rate.
func TestSharedRateAcrossProcesses(t *testing.T) {
	p := prefix(t)
	addr := testenv.Redis(t)
	a := New(client(t, addr), Options{Prefix: p, HeartbeatInterval: 100 * time.Millisecond})
	b := New(client(t, addr), Options{Prefix: p, HeartbeatInterval: 100 * time.Millisecond})
	defer a.Close()
	defer b.Close()
	elapsed := run(t, []*Limiter{a, b}, "inst", 20, 41, 8)
	checkRate(t, "two processes", elapsed, 41, 20)
	// Keys are independent: another instance is not slowed by the first one's queue.
	start := time.Now()
	if err := a.Wait(context.Background(), "other", 1); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 100*time.Millisecond {
		t.Fatalf("first request of another key waited %v", d)
	}
	time.Sleep(300 * time.Millisecond)
	if a.Peers() != 2 || b.Peers() != 2 {
		t.Fatalf("peers = %d and %d, want 2", a.Peers(), b.Peers())
	}
}

func TestBurst(t *testing.T) {
	l := New(client(t, testenv.Redis(t)), Options{Prefix: prefix(t), BurstSeconds: 1})
	defer l.Close()
	// A burst of 10 at 10/s goes at once; the 11th waits one interval.
	elapsed := run(t, []*Limiter{l}, "inst", 10, 10, 10)
	if elapsed > 100*time.Millisecond {
		t.Fatalf("burst of 10 took %v", elapsed)
	}
	start := time.Now()
	if err := l.Wait(context.Background(), "inst", 10); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 50*time.Millisecond {
		t.Fatalf("11th request waited only %v", d)
	}
}

func TestNoLimit(t *testing.T) {
	l := New(nil, Options{})
	defer l.Close()
	start := time.Now()
	for range 1000 {
		if err := l.Wait(context.Background(), "inst", 0); err != nil {
			t.Fatal(err)
		}
	}
	if d := time.Since(start); d > 50*time.Millisecond {
		t.Fatalf("unlimited waits took %v", d)
	}
}

func TestWaitEndsWithContext(t *testing.T) {
	l := New(nil, Options{})
	defer l.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_ = l.Wait(ctx, "inst", 1) // the first goes at once
	if err := l.Wait(ctx, "inst", 1); err == nil {
		t.Fatal("second request at 1/s did not end with its 50ms context")
	}
}

// closedPort returns an address where nothing listens.
func closedPort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestFallsBackLocallyWhenRedisUnreachable(t *testing.T) {
	l := New(client(t, closedPort(t)), Options{Prefix: prefix(t), Timeout: 300 * time.Millisecond})
	defer l.Close()
	elapsed := run(t, []*Limiter{l}, "inst", 20, 41, 8)
	if !l.Degraded() {
		t.Fatal("limiter did not notice that Redis is unreachable")
	}
	checkRate(t, "local fallback", elapsed, 41, 20)
}

// proxy forwards TCP connections from a fixed address to target while on.
type proxy struct {
	addr, target string
	mu           sync.Mutex
	ln           net.Listener
	conns        []net.Conn
}

func (p *proxy) start(t *testing.T) {
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			u, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, u)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(u, c); u.Close() }()
			go func() { _, _ = io.Copy(c, u); c.Close() }()
		}
	}()
}

func (p *proxy) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// Redis goes away and comes back: the limiter falls back, then shares limits again.
func TestResyncsWhenRedisIsBack(t *testing.T) {
	px := &proxy{addr: closedPort(t), target: testenv.Redis(t)}
	px.start(t)
	defer px.stop()
	l := New(client(t, px.addr), Options{Prefix: prefix(t), Timeout: 300 * time.Millisecond, ProbeInterval: 50 * time.Millisecond})
	defer l.Close()
	ctx := context.Background()
	if err := l.Wait(ctx, "inst", 100); err != nil || l.Degraded() {
		t.Fatalf("with Redis up: err %v, degraded %v", err, l.Degraded())
	}
	px.stop()
	if err := l.Wait(ctx, "inst", 100); err != nil {
		t.Fatal(err)
	}
	if !l.Degraded() {
		t.Fatal("limiter did not fall back when Redis went away")
	}
	px.start(t)
	deadline := time.Now().Add(5 * time.Second)
	for l.Degraded() {
		if time.Now().After(deadline) {
			t.Fatal("limiter did not go back to Redis within 5s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	// And the shared limit works again.
	elapsed := run(t, []*Limiter{l}, "inst2", 20, 21, 4)
	checkRate(t, "after resync", elapsed, 21, 20)
	if l.Degraded() {
		t.Fatal("fell back again")
	}
}

func TestLocalGCRA(t *testing.T) {
	var g gcra
	now := time.Unix(1000, 0)
	iv := 100 * time.Millisecond
	want := []time.Duration{0, 100 * time.Millisecond, 200 * time.Millisecond}
	for i, w := range want {
		if got := g.reserve(now, iv, 1); got != w {
			t.Fatalf("reservation %d waits %v, want %v", i, got, w)
		}
	}
	// After a quiet spell the bucket is full again but does not bank unused time.
	later := now.Add(10 * time.Second)
	if got := g.reserve(later, iv, 1); got != 0 {
		t.Fatalf("after idling: wait %v, want 0", got)
	}
	if got := g.reserve(later, iv, 1); got != iv {
		t.Fatalf("second after idling: wait %v, want %v", got, iv)
	}
	// Burst 3: three go at once, the fourth waits one interval.
	var b gcra
	for i := range 3 {
		if got := b.reserve(now, iv, 3); got != 0 {
			t.Fatalf("burst request %d waits %v", i, got)
		}
	}
	if got := b.reserve(now, iv, 3); got != iv {
		t.Fatalf("request after the burst waits %v, want %v", got, iv)
	}
}

// hold runs `workers` goroutines per limiter, each acquiring `rounds` times and holding
// the slot for d, and returns the most slots ever held at once.
func hold(t *testing.T, limiters []*Limiter, key string, lim Limit, workers, rounds int, d time.Duration) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var cur, peak atomic.Int32
	var wg sync.WaitGroup
	for _, l := range limiters {
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range rounds {
					release, err := l.Acquire(ctx, key, lim)
					if err != nil {
						t.Error(err)
						return
					}
					n := cur.Add(1)
					for {
						p := peak.Load()
						if n <= p || peak.CompareAndSwap(p, n) {
							break
						}
					}
					time.Sleep(d)
					cur.Add(-1)
					release()
				}
			}()
		}
	}
	wg.Wait()
	return int(peak.Load())
}

func TestConcurrencySharedAcrossProcesses(t *testing.T) {
	p := prefix(t)
	addr := testenv.Redis(t)
	a := New(client(t, addr), Options{Prefix: p})
	b := New(client(t, addr), Options{Prefix: p})
	defer a.Close()
	defer b.Close()
	start := time.Now()
	peak := hold(t, []*Limiter{a, b}, "inst", Limit{Concurrency: 3}, 6, 4, 30*time.Millisecond)
	t.Logf("12 workers in two processes, concurrency 3: peak %d in flight, 48 holds of 30ms took %v (ideal %v)",
		peak, time.Since(start).Round(time.Millisecond), 48*30*time.Millisecond/3)
	if peak != 3 {
		t.Fatalf("peak concurrency %d, want exactly 3", peak)
	}
	if a.Degraded() || b.Degraded() {
		t.Fatal("fell back although Redis is up")
	}
}

func TestLeaseOfCrashedHolderLapses(t *testing.T) {
	p := prefix(t)
	addr := testenv.Redis(t)
	crashed := New(client(t, addr), Options{Prefix: p, LeaseTTL: 200 * time.Millisecond})
	defer crashed.Close()
	if _, err := crashed.Acquire(context.Background(), "inst", Limit{Concurrency: 1}); err != nil {
		t.Fatal(err) // never released
	}
	other := New(client(t, addr), Options{Prefix: p})
	defer other.Close()
	start := time.Now()
	release, err := other.Acquire(context.Background(), "inst", Limit{Concurrency: 1})
	if err != nil {
		t.Fatal(err)
	}
	release()
	if d := time.Since(start); d < 150*time.Millisecond || d > 2*time.Second {
		t.Fatalf("got the slot after %v, want about the 200ms lease TTL", d)
	}
}

func TestConcurrencyFallsBackLocally(t *testing.T) {
	l := New(client(t, closedPort(t)), Options{Prefix: prefix(t), Timeout: 300 * time.Millisecond})
	defer l.Close()
	peak := hold(t, []*Limiter{l}, "inst", Limit{Concurrency: 2, PerSecond: 1000}, 6, 3, 20*time.Millisecond)
	if !l.Degraded() || peak != 2 {
		t.Fatalf("degraded %v, peak %d; want the local semaphore at 2", l.Degraded(), peak)
	}
}

// admissions simulates, on a fake clock from t0, `workers` senders that each take a slot,
// wait for it, spend hold on the request and ask again; it returns when each of the n
// requests went, in order. Nothing sleeps, so the result is the limiter's arithmetic alone.
func admissions(t *testing.T, reserve func(now time.Time) time.Duration, t0 time.Time, workers, n int, hold time.Duration) []time.Time {
	t.Helper()
	ready := make([]time.Time, workers)
	for i := range ready {
		ready[i] = t0
	}
	went := make([]time.Time, 0, n)
	for range n {
		w := 0
		for i := range ready {
			if ready[i].Before(ready[w]) {
				w = i
			}
		}
		at := ready[w].Add(reserve(ready[w]))
		went = append(went, at)
		ready[w] = at.Add(hold)
	}
	slices.SortFunc(went, func(a, b time.Time) int { return a.Compare(b) })
	return went
}

// countIn is how many of the sorted times fall in [from, from+d).
func countIn(times []time.Time, from time.Time, d time.Duration) int {
	lo, _ := slices.BinarySearchFunc(times, from, func(a, b time.Time) int { return a.Compare(b) })
	hi, _ := slices.BinarySearchFunc(times, from.Add(d), func(a, b time.Time) int { return a.Compare(b) })
	return hi - lo
}

// A queue of workers at a rate R gets R requests a second over every window of a few
// seconds, within 1%, and the burst goes at once at the start only. This pins the
// arithmetic (interval rounding, burst offset, TAT updates) that the pipeline benchmark's
// rate-limit figure depends on; reserve takes a slot under key on a fake clock.
func checkEveryWindow(t *testing.T, l *Limiter, where string, reserve func(key string, perSecond float64, now time.Time) time.Duration) {
	t0 := time.Unix(1_750_000_000, 0) // a realistic magnitude for the script's float arithmetic
	const secs, window = 6, 3 * time.Second
	for _, c := range []struct {
		perSecond, burstSeconds float64
	}{{20, 0}, {300, 0}, {500, 0}, {300, 1}} {
		l.opts.BurstSeconds = c.burstSeconds
		burst := int(l.burst(c.perSecond))
		key := fmt.Sprintf("inst-%g-%g", c.perSecond, c.burstSeconds)
		res := func(now time.Time) time.Duration { return reserve(key, c.perSecond, now) }
		name := fmt.Sprintf("%s %.0f/s burst %d", where, c.perSecond, burst)
		n := burst + int(c.perSecond*secs)
		// More workers than the burst, so that the whole burst can go at once.
		workers := max(32, burst+1)
		went := admissions(t, res, t0, workers, n, time.Millisecond)
		if got := countIn(went, t0, time.Nanosecond); got != burst {
			t.Errorf("%s: %d requests went at once at the start, want the burst of %d", name, got, burst)
		}
		// Every window after the first instant, burst aside, holds R a second.
		want := c.perSecond * window.Seconds()
		for from := t0.Add(time.Nanosecond); from.Add(window).Before(went[n-1]); from = from.Add(250 * time.Millisecond) {
			if got := float64(countIn(went, from, window)); math.Abs(got-want) > want/100 {
				t.Fatalf("%s: %.0f requests in the %v from %v, want %.0f (within 1%%)", name, got, window, from.Sub(t0), want)
			}
		}
		// After a quiet spell the unused time is not banked beyond one burst.
		later := went[n-1].Add(time.Minute)
		again := admissions(t, res, later, workers, 2*burst+1, time.Millisecond)
		if got := countIn(again, later, time.Nanosecond); got != burst {
			t.Errorf("%s: after idling %d requests went at once, want the burst of %d", name, got, burst)
		}
	}
}

func TestRateOverEveryWindowRedis(t *testing.T) {
	l := New(client(t, testenv.Redis(t)), Options{Prefix: prefix(t)})
	defer l.Close()
	checkEveryWindow(t, l, "redis", func(key string, perSecond float64, now time.Time) time.Duration {
		wait, err := l.reserveSharedAt(context.Background(), key, perSecond, now)
		if err != nil {
			t.Fatal(err)
		}
		return wait
	})
}

func TestRateOverEveryWindowLocal(t *testing.T) {
	l := New(nil, Options{})
	defer l.Close()
	checkEveryWindow(t, l, "local", l.reserveLocal)
}
