package tokens

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/internal/testenv"
)

// TestKeepsGoingWithoutRedis: with Redis unreachable, a sender still gets the token it
// last saw, can store a refreshed one, and refreshes one at a time within the process.
func TestKeepsGoingWithoutRedis(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", DialTimeout: 100 * time.Millisecond, MaxRetries: -1})
	defer rdb.Close()
	s := New(rdb, Options{})
	ctx := context.Background()
	if _, ok, err := s.Get(ctx, "inst"); ok || err == nil {
		t.Fatalf("nothing cached and no Redis: got ok=%v err=%v, want an error", ok, err)
	}
	tok := destkit.Token{AccessToken: "a1", RefreshToken: "r1", Expiry: time.Now().Add(time.Hour)}
	if err := s.Set(ctx, "inst", tok); err != nil {
		t.Fatalf("Set without Redis: %v", err)
	}
	got, ok, err := s.Get(ctx, "inst")
	if err != nil || !ok || got.AccessToken != "a1" {
		t.Fatalf("Get without Redis: %v %v %v", got, ok, err)
	}
	unlock, err := s.Lock(ctx, "inst")
	if err != nil {
		t.Fatal(err)
	}
	locked := make(chan struct{})
	go func() {
		u, _ := s.Lock(ctx, "inst")
		close(locked)
		u()
	}()
	select {
	case <-locked:
		t.Fatal("a second refresh took the lock while the first held it")
	case <-time.After(100 * time.Millisecond):
	}
	unlock()
	<-locked
}

// TestResyncsARefreshMadeWhileRedisWasDown: a token refreshed locally during an outage
// is newer than Redis's copy and is written back at the next read.
func TestResyncsARefreshMadeWhileRedisWasDown(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: testenv.Redis(t)})
	defer rdb.Close()
	prefix := "actuate-test:" + t.Name() + ":" + time.Now().Format("150405.000000") + ":"
	ctx := context.Background()
	s := New(rdb, Options{Prefix: prefix})
	old := destkit.Token{AccessToken: "old", RefreshToken: "r-old", Expiry: time.Now().Add(time.Minute)}
	if err := s.Set(ctx, "inst", old); err != nil {
		t.Fatal(err)
	}
	fresh := destkit.Token{AccessToken: "fresh", RefreshToken: "r-new", Expiry: time.Now().Add(time.Hour)}
	s.remember("inst", fresh) // as Set does when Redis cannot be written
	if got, _, err := s.Get(ctx, "inst"); err != nil || got.AccessToken != "fresh" {
		t.Fatalf("Get: %v %v", got, err)
	}
	other := New(rdb, Options{Prefix: prefix})
	if got, ok, err := other.Get(ctx, "inst"); err != nil || !ok || got.RefreshToken != "r-new" {
		t.Fatalf("another process reads %v (ok %v, err %v), want the refreshed token", got, ok, err)
	}
}
