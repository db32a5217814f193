// Package tokens keeps OAuth tokens in Redis so that every sender process uses the same
// access token and only one of them refreshes it at a time.
//
// A token record holds the access token, the refresh token and the access token's expiry.
// The record itself lives much longer than the access token: vendors that rotate refresh
// tokens hand out a new one on every refresh, and dropping the record at access-token
// expiry would throw that away and fall back to the (by then revoked) refresh token of the
// settings. destkit reads the expiry and refreshes ahead of it.
//
// Lock is a Redis lock (SET NX PX with a random value, released by compare-and-delete) with
// a TTL, so a sender that dies mid-refresh blocks the others for at most the TTL. Waiters
// poll; after taking the lock destkit re-reads the token and skips the refresh when another
// process has already stored a fresh one.
package tokens

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/actuate/actuate/destinations/destkit"
)

// Defaults of Options.
const (
	DefaultPrefix  = "actuate:oauth:"
	DefaultTTL     = 30 * 24 * time.Hour
	DefaultLockTTL = 30 * time.Second
)

// Options tune a Store. The zero value takes every default.
type Options struct {
	// Prefix starts every key the store writes; deployments sharing one Redis use
	// different prefixes.
	Prefix string
	// TTL is how long a record outlives its last write. It bounds how long tokens of a
	// deleted instance stay in Redis.
	TTL time.Duration
	// LockTTL bounds how long a crashed refresher can block the others. It must be longer
	// than a token request (destkit's request timeout is 10 s by default).
	LockTTL time.Duration
	// PollInterval is the longest pause between attempts to take a held lock.
	PollInterval time.Duration
}

// Store is a destkit.TokenStore on Redis. It is safe for concurrent use.
type Store struct {
	rdb  redis.UniversalClient
	opts Options

	// local keeps the newest token this process has seen per key, so senders keep
	// delivering on it while Redis is unreachable; localLocks serialise refreshes within
	// the process then. Both only ever hold what Redis held or was told.
	mu         sync.Mutex
	local      map[string]destkit.Token
	localLocks map[string]*sync.Mutex
	// downUntil skips Redis for a moment after it was unreachable: a dial that fails
	// slowly must not hold every request up while a cached token would do.
	downUntil time.Time
	probing   bool // one request tries Redis again at a time while it is down
}

// retryRedisAfter is how long the store serves cached tokens before trying Redis again.
const retryRedisAfter = time.Second

func (s *Store) redisDown() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return time.Now().Before(s.downUntil)
}

// skipRedis reports whether a read should be served from the cache: Redis was just
// unreachable, or another request is already finding out whether it is back.
func (s *Store) skipRedis() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if time.Now().Before(s.downUntil) || s.probing {
		return true
	}
	if !s.downUntil.IsZero() {
		s.probing = true // this request is the probe
	}
	return false
}

func (s *Store) markDown(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.probing = false
	if err != nil && unreachable(err) {
		s.downUntil = time.Now().Add(retryRedisAfter)
	} else if err == nil {
		s.downUntil = time.Time{}
	}
}

var _ destkit.TokenStore = (*Store)(nil)

// New returns a store on rdb. The caller owns rdb and closes it.
func New(rdb redis.UniversalClient, opts Options) *Store {
	if opts.Prefix == "" {
		opts.Prefix = DefaultPrefix
	}
	if opts.TTL <= 0 {
		opts.TTL = DefaultTTL
	}
	if opts.LockTTL <= 0 {
		opts.LockTTL = DefaultLockTTL
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = 200 * time.Millisecond
	}
	return &Store{rdb: rdb, opts: opts}
}

// record is the stored form. Short names keep the record small; the expiry is in Unix
// milliseconds, 0 when unknown.
type record struct {
	Access  string `json:"a"`
	Refresh string `json:"r,omitempty"`
	Expiry  int64  `json:"e,omitempty"`
}

func (s *Store) tokenKey(key string) string { return s.opts.Prefix + "token:" + key }
func (s *Store) lockKey(key string) string  { return s.opts.Prefix + "lock:" + key }

// Get returns the token stored for key. While Redis is unreachable it returns the token
// this process saw last, if any.
func (s *Store) Get(ctx context.Context, key string) (destkit.Token, bool, error) {
	cached, has := s.cached(key)
	if has && s.skipRedis() {
		return cached, true, nil
	}
	t, ok, err := s.getShared(ctx, key)
	s.markDown(err)
	if err != nil {
		if cached, has := s.cached(key); has {
			return cached, true, nil
		}
		return t, ok, err
	}
	// A token refreshed here while Redis was down is newer than Redis's: put it back,
	// so the other processes do not refresh with a refresh token the vendor rotated.
	if cached, has := s.cached(key); has && (!ok || cached.Expiry.After(t.Expiry)) {
		if s.setShared(ctx, key, cached) == nil {
			return cached, true, nil
		}
	}
	if ok {
		s.remember(key, t)
	}
	return t, ok, nil
}

func (s *Store) cached(key string) (destkit.Token, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.local[key]
	return t, ok
}

func (s *Store) remember(key string, t destkit.Token) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.local == nil {
		s.local = map[string]destkit.Token{}
	}
	s.local[key] = t
}

func (s *Store) getShared(ctx context.Context, key string) (destkit.Token, bool, error) {
	data, err := s.rdb.Get(ctx, s.tokenKey(key)).Bytes()
	if errors.Is(err, redis.Nil) {
		return destkit.Token{}, false, nil
	}
	if err != nil {
		return destkit.Token{}, false, fmt.Errorf("tokens: reading %s: %w", key, err)
	}
	var r record
	if err := json.Unmarshal(data, &r); err != nil {
		// The decoder's message can quote the record, which holds the tokens.
		return destkit.Token{}, false, fmt.Errorf("tokens: the record of %s is not a token record", key)
	}
	t := destkit.Token{AccessToken: r.Access, RefreshToken: r.Refresh}
	if r.Expiry > 0 {
		t.Expiry = time.UnixMilli(r.Expiry)
	}
	return t, true, nil
}

// Set stores t for key. While Redis is unreachable the token is kept in this process and
// written to Redis by the first Get after Redis is back.
func (s *Store) Set(ctx context.Context, key string, t destkit.Token) error {
	s.remember(key, t)
	if s.redisDown() {
		return nil
	}
	if err := s.setShared(ctx, key, t); err != nil {
		if unreachable(err) {
			s.markDown(err)
			return nil
		}
		return err
	}
	return nil
}

// unreachable tells Redis being down from Redis refusing a command.
func unreachable(err error) bool {
	var re redis.Error
	return !errors.As(err, &re)
}

func (s *Store) setShared(ctx context.Context, key string, t destkit.Token) error {
	r := record{Access: t.AccessToken, Refresh: t.RefreshToken}
	if !t.Expiry.IsZero() {
		r.Expiry = t.Expiry.UnixMilli()
	}
	data, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("tokens: encoding the record of %s failed", key)
	}
	if err := s.rdb.Set(ctx, s.tokenKey(key), data, s.opts.TTL).Err(); err != nil {
		return fmt.Errorf("tokens: writing %s: %w", key, err)
	}
	return nil
}

func (s *Store) localLock(key string) func() {
	s.mu.Lock()
	if s.localLocks == nil {
		s.localLocks = map[string]*sync.Mutex{}
	}
	m := s.localLocks[key]
	if m == nil {
		m = &sync.Mutex{}
		s.localLocks[key] = m
	}
	s.mu.Unlock()
	m.Lock()
	return sync.OnceFunc(m.Unlock)
}

// unlockScript deletes the lock only if it still holds our value: after a TTL expiry the
// lock may belong to another process, whose refresh must not be cut short.
var unlockScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
	return redis.call('DEL', KEYS[1])
end
return 0`)

// Lock takes key's refresh lock, waiting while another process holds it.
func (s *Store) Lock(ctx context.Context, key string) (func(), error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, fmt.Errorf("tokens: lock value: %w", err)
	}
	val := hex.EncodeToString(b[:])
	lk := s.lockKey(key)
	// Start polling fast: a refresh is one HTTP round trip, usually tens of milliseconds.
	pause := 10 * time.Millisecond
	if s.redisDown() {
		return s.localLock(key), nil
	}
	for {
		ok, err := s.rdb.SetNX(ctx, lk, val, s.opts.LockTTL).Result()
		if err != nil {
			if unreachable(err) {
				s.markDown(err)
				// Redis is down: refreshes are one at a time within this process only.
				return s.localLock(key), nil
			}
			return nil, fmt.Errorf("tokens: locking %s: %w", key, err)
		}
		if ok {
			break
		}
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
		pause = min(pause*2, s.opts.PollInterval)
	}
	unlock := func() {
		// The caller's context may be done by now; the lock must still go, or the
		// others wait out the TTL.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = unlockScript.Run(ctx, s.rdb, []string{lk}, val).Err()
	}
	return sync.OnceFunc(unlock), nil
}
