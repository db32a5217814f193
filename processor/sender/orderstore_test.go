package sender

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/actuate/actuate/internal/testenv"
)

// Both order stores: Add is idempotent per id, a user is held while any id is pending,
// Done of an id that is not pending changes nothing, and Held lists the held users.
func TestOrderStores(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: testenv.Redis(t)})
	t.Cleanup(func() { rdb.Close() })
	for name, st := range map[string]OrderStore{
		"memory": newMemoryOrder(),
		"redis":  NewRedisOrderStore(rdb, "actuate-test:order:"+randomSuffix()+":"),
	} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			must := func(err error) {
				t.Helper()
				if err != nil {
					t.Fatal(err)
				}
			}
			add := func(user, id string) bool {
				t.Helper()
				fresh, err := st.Add(ctx, "d/0", user, id, time.Hour)
				must(err)
				return fresh
			}
			count := func(user string) int {
				t.Helper()
				n, err := st.Count(ctx, "d/0", user)
				must(err)
				return n
			}
			if !add("u-1", "10") || !add("u-1", "10") || !add("u-1", "12") || !add("u-2", "11") {
				t.Fatal("Add refused a request never done") // 10 twice: the same request again
			}
			if count("u-1") != 2 || count("u-2") != 1 || count("u-3") != 0 {
				t.Fatalf("counts %d %d %d, want 2 1 0", count("u-1"), count("u-2"), count("u-3"))
			}
			held, err := st.Held(ctx, "d/0")
			must(err)
			if len(held) != 2 || held["u-1"] != 2 || held["u-2"] != 1 {
				t.Fatalf("held %v", held)
			}
			if other, _ := st.Held(ctx, "d/1"); len(other) != 0 {
				t.Fatalf("another partition holds %v", other)
			}
			must(st.Done(ctx, "d/0", "10"))
			must(st.Done(ctx, "d/0", "10")) // a copy of it, again
			if ok, _ := st.Pending(ctx, "d/0", "10"); ok {
				t.Fatal("10 still pending after Done")
			}
			if ok, _ := st.Pending(ctx, "d/0", "12"); !ok {
				t.Fatal("12 not pending")
			}
			if count("u-1") != 1 {
				t.Fatalf("u-1 count %d after one of two done, want 1", count("u-1"))
			}
			if add("u-1", "10") || count("u-1") != 1 {
				t.Fatal("a copy of a request already done was taken again")
			}
			must(st.Done(ctx, "d/0", "12"))
			must(st.Done(ctx, "d/0", "11"))
			held, err = st.Held(ctx, "d/0")
			must(err)
			if len(held) != 0 || count("u-1") != 0 {
				t.Fatalf("held %v after all done", held)
			}
		})
	}
}
