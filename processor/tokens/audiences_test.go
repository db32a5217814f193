package tokens

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/actuate/actuate/destinations/destkit"
)

// Two stores (two sender processes) on one Redis create an audience once, and the id
// outlives the token TTL.
func TestAudienceIDsSharedAndCreatedOnce(t *testing.T) {
	prefix := uniquePrefix(t)
	ctx := context.Background()
	inst := &destkit.Instance{ID: "inst-a", Def: &destkit.Definition{}}
	var creates atomic.Int32
	create := func(context.Context) (string, error) {
		creates.Add(1)
		time.Sleep(20 * time.Millisecond) // widen the race
		return "ext-1", nil
	}
	var wg sync.WaitGroup
	ids := make([]string, 6)
	for i := range ids {
		store := newStore(t, prefix, Options{TTL: time.Second}).Audiences()
		wg.Add(1)
		go func() {
			defer wg.Done()
			id, err := destkit.NewAudiences(inst, store).Once(ctx, "vip", create)
			if err != nil {
				t.Error(err)
			}
			ids[i] = id
		}()
	}
	wg.Wait()
	if creates.Load() != 1 {
		t.Fatalf("%d creates", creates.Load())
	}
	for _, id := range ids {
		if id != "ext-1" {
			t.Fatalf("ids %v", ids)
		}
	}
	s := newStore(t, prefix, Options{TTL: time.Second})
	if ttl := s.rdb.TTL(ctx, s.Audiences().key("inst-a\x1fvip")).Val(); ttl != -1 {
		t.Fatalf("audience id expires in %v; it must not", ttl)
	}
	if got, err := s.Audiences().SetIfAbsent(ctx, "inst-a\x1fvip", "other"); err != nil || got != "ext-1" {
		t.Fatalf("%q %v", got, err)
	}
	if _, ok, err := s.Audiences().Get(ctx, "inst-a\x1fnone"); ok || err != nil {
		t.Fatalf("%v %v", ok, err)
	}
	s.rdb.Del(ctx, s.Audiences().key("inst-a\x1fvip"))
}

// Without Redis, a sender cannot know whether another created the audience: the event is
// retried, and nothing is created.
func TestAudienceIDsWithoutRedisRetry(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", DialTimeout: 100 * time.Millisecond, MaxRetries: -1})
	t.Cleanup(func() { rdb.Close() })
	store := New(rdb, Options{Prefix: "actuate-test:down:"}).Audiences()
	created := false
	_, err := destkit.NewAudiences(&destkit.Instance{ID: "i", Def: &destkit.Definition{}}, store).Once(context.Background(), "vip",
		func(context.Context) (string, error) { created = true; return "x", nil })
	if v := destkit.Classify(err); v.Outcome != destkit.Retry || created {
		t.Fatalf("%+v (%v), created %v", v, err, created)
	}
}
