package sender

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// OrderStore keeps, per delivery partition, which users have requests waiting in the
// retry topic (per-user ordering, doc.go). Invariant: a request id is pending from before
// its retry record is produced until after its final outcome is recorded; a user is held
// while any of its ids is pending. It must outlive a sender process and be shared by all
// of them: the delivery partition's owner adds, the retry partition's owner (maybe
// another process) removes.
type OrderStore interface {
	// Held returns the held users of a delivery partition and their pending counts.
	Held(ctx context.Context, part string) (map[string]int, error)
	// Count returns how many requests of user are pending.
	Count(ctx context.Context, part, user string) (int, error)
	// Add makes id pending for user (again: no change); the partition's entries live at
	// least ttl after the latest Add. It returns false, changing nothing, for an id that
	// was done within DoneTTL: a copy of a request already final.
	Add(ctx context.Context, part, user, id string, ttl time.Duration) (bool, error)
	// Pending reports whether id is pending.
	Pending(ctx context.Context, part, id string) (bool, error)
	// Done ends id; its user is released with its last id.
	Done(ctx context.Context, part, id string) error
}

// DoneTTL is how long an OrderStore remembers that an id is done, so that a delivery
// record redelivered after a crash (its forwarding was final, not yet committed) is not
// sent through the retry topic a second time.
const DoneTTL = time.Hour

// NewRedisOrderStore keeps the order state in Redis: one hash per delivery partition,
// "<prefix>{<topic>/<partition>}", with a field "u:<user>" holding the user's pending
// count and a field "i:<id>" naming the user of each pending id, and a key
// "<prefix>{<topic>/<partition>}:done:<id>" per id done within DoneTTL. Prefix defaults to
// "actuate:order:".
func NewRedisOrderStore(rdb redis.UniversalClient, prefix string) OrderStore {
	if prefix == "" {
		prefix = "actuate:order:"
	}
	return &redisOrder{rdb: rdb, prefix: prefix}
}

type redisOrder struct {
	rdb    redis.UniversalClient
	prefix string
}

func (r *redisOrder) key(part string) string { return r.prefix + "{" + part + "}" }

func (r *redisOrder) doneKey(part, id string) string { return r.key(part) + ":done:" + id }

var orderAddScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
if redis.call('HSETNX', KEYS[1], 'i:' .. ARGV[2], ARGV[1]) == 1 then
  redis.call('HINCRBY', KEYS[1], 'u:' .. ARGV[1], 1)
end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`)

var orderDoneScript = redis.NewScript(`
redis.call('SET', KEYS[2], '1', 'PX', ARGV[2])
local u = redis.call('HGET', KEYS[1], 'i:' .. ARGV[1])
if not u then return 0 end
redis.call('HDEL', KEYS[1], 'i:' .. ARGV[1])
if redis.call('HINCRBY', KEYS[1], 'u:' .. u, -1) <= 0 then
  redis.call('HDEL', KEYS[1], 'u:' .. u)
end
return 1`)

func (r *redisOrder) Held(ctx context.Context, part string) (map[string]int, error) {
	all, err := r.rdb.HGetAll(ctx, r.key(part)).Result()
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for k, v := range all {
		if len(k) > 2 && k[:2] == "u:" {
			if n, err := strconv.Atoi(v); err == nil && n > 0 {
				out[k[2:]] = n
			}
		}
	}
	return out, nil
}

func (r *redisOrder) Count(ctx context.Context, part, user string) (int, error) {
	n, err := r.rdb.HGet(ctx, r.key(part), "u:"+user).Int()
	if err == redis.Nil {
		return 0, nil
	}
	return n, err
}

func (r *redisOrder) Add(ctx context.Context, part, user, id string, ttl time.Duration) (bool, error) {
	n, err := orderAddScript.Run(ctx, r.rdb, []string{r.key(part), r.doneKey(part, id)}, user, id, ttl.Milliseconds()).Int()
	return n == 1, err
}

func (r *redisOrder) Pending(ctx context.Context, part, id string) (bool, error) {
	return r.rdb.HExists(ctx, r.key(part), "i:"+id).Result()
}

func (r *redisOrder) Done(ctx context.Context, part, id string) error {
	return orderDoneScript.Run(ctx, r.rdb, []string{r.key(part), r.doneKey(part, id)}, id, DoneTTL.Milliseconds()).Err()
}

// memoryOrder is the default OrderStore: right for one sender process that is not
// restarted while requests wait in the retry topic.
type memoryOrder struct {
	mu    sync.Mutex
	parts map[string]*memoryPart
}

type memoryPart struct {
	users map[string]int
	ids   map[string]string
	done  map[string]time.Time
	kept  int // len(done) after the last pruning
}

func newMemoryOrder() *memoryOrder { return &memoryOrder{parts: map[string]*memoryPart{}} }

func (m *memoryOrder) part(p string) *memoryPart {
	mp := m.parts[p]
	if mp == nil {
		mp = &memoryPart{users: map[string]int{}, ids: map[string]string{}, done: map[string]time.Time{}}
		m.parts[p] = mp
	}
	return mp
}

func (m *memoryOrder) Held(_ context.Context, part string) (map[string]int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[string]int{}
	for u, n := range m.part(part).users {
		out[u] = n
	}
	return out, nil
}

func (m *memoryOrder) Count(_ context.Context, part, user string) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.part(part).users[user], nil
}

func (m *memoryOrder) Add(_ context.Context, part, user, id string, _ time.Duration) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	mp := m.part(part)
	if at, ok := mp.done[id]; ok && time.Since(at) < DoneTTL {
		return false, nil
	}
	if _, ok := mp.ids[id]; !ok {
		mp.ids[id] = user
		mp.users[user]++
	}
	return true, nil
}

func (m *memoryOrder) Pending(_ context.Context, part, id string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	_, ok := m.part(part).ids[id]
	return ok, nil
}

func (m *memoryOrder) Done(_ context.Context, part, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	mp := m.part(part)
	mp.done[id] = time.Now()
	if len(mp.done) > 2*mp.kept+1024 {
		for d, at := range mp.done {
			if time.Since(at) >= DoneTTL {
				delete(mp.done, d)
			}
		}
		mp.kept = len(mp.done)
	}
	if u, ok := mp.ids[id]; ok {
		delete(mp.ids, id)
		if mp.users[u]--; mp.users[u] <= 0 {
			delete(mp.users, u)
		}
	}
	return nil
}
