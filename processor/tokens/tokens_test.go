package tokens

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/internal/testenv"
)

// newStore connects a store with a prefix unique to this test, so tests never share keys.
func newStore(t *testing.T, prefix string, opts Options) *Store {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: testenv.Redis(t)})
	t.Cleanup(func() { rdb.Close() })
	opts.Prefix = prefix
	return New(rdb, opts)
}

func uniquePrefix(t *testing.T) string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return "actuate-test:" + t.Name() + ":" + hex.EncodeToString(b[:]) + ":"
}

func TestGetSetRoundTrip(t *testing.T) {
	s := newStore(t, uniquePrefix(t), Options{TTL: time.Minute})
	ctx := context.Background()

	if _, ok, err := s.Get(ctx, "inst"); err != nil || ok {
		t.Fatalf("Get on an empty store = ok %v, err %v; want not found", ok, err)
	}
	exp := time.UnixMilli(time.Now().Add(time.Hour).UnixMilli())
	want := destkit.Token{AccessToken: "at-1", RefreshToken: "rt-1", Expiry: exp}
	if err := s.Set(ctx, "inst", want); err != nil {
		t.Fatal(err)
	}
	got, ok, err := s.Get(ctx, "inst")
	if err != nil || !ok {
		t.Fatalf("Get = ok %v, err %v", ok, err)
	}
	if got.AccessToken != want.AccessToken || got.RefreshToken != want.RefreshToken || !got.Expiry.Equal(want.Expiry) {
		t.Fatalf("Get = %+v (access %q), want access at-1, refresh rt-1, expiry %v", got, got.AccessToken, exp)
	}

	// A token without a known expiry stays without one.
	if err := s.Set(ctx, "other", destkit.Token{AccessToken: "x"}); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := s.Get(ctx, "other"); !got.Expiry.IsZero() || got.RefreshToken != "" {
		t.Fatalf("Get(other) = expiry %v refresh %q; want zero values", got.Expiry, got.RefreshToken)
	}

	// The record outlives the access token but not the store's TTL.
	ttl, err := s.rdb.TTL(ctx, s.tokenKey("inst")).Result()
	if err != nil || ttl <= 50*time.Second || ttl > time.Minute {
		t.Fatalf("TTL of the record = %v, %v; want just under 1m", ttl, err)
	}
}

func TestCorruptRecordErrorHidesContent(t *testing.T) {
	s := newStore(t, uniquePrefix(t), Options{})
	ctx := context.Background()
	if err := s.rdb.Set(ctx, s.tokenKey("inst"), "secret-token-value-not-json", 0).Err(); err != nil {
		t.Fatal(err)
	}
	_, _, err := s.Get(ctx, "inst")
	if err == nil {
		t.Fatal("Get of a corrupt record succeeded")
	}
	if strings.Contains(err.Error(), "secret") {
		t.Fatalf("error quotes the record: %v", err)
	}
}

func TestLockIsExclusiveAcrossStores(t *testing.T) {
	prefix := uniquePrefix(t)
	a := newStore(t, prefix, Options{})
	b := newStore(t, prefix, Options{})
	ctx := context.Background()

	unlock, err := a.Lock(ctx, "inst")
	if err != nil {
		t.Fatal(err)
	}
	// While a holds the lock, b waits until its context ends.
	short, cancel := context.WithTimeout(ctx, 150*time.Millisecond)
	defer cancel()
	if _, err := b.Lock(short, "inst"); err == nil {
		t.Fatal("b took a lock that a holds")
	}
	// Another key is independent.
	u2, err := b.Lock(ctx, "other")
	if err != nil {
		t.Fatal(err)
	}
	u2()

	got := make(chan time.Time, 1)
	go func() {
		u, err := b.Lock(ctx, "inst")
		if err != nil {
			t.Error(err)
			return
		}
		got <- time.Now()
		u()
	}()
	time.Sleep(100 * time.Millisecond)
	released := time.Now()
	unlock()
	unlock() // a second call is harmless
	select {
	case at := <-got:
		if at.Before(released) {
			t.Fatal("b took the lock before a released it")
		}
		if wait := at.Sub(released); wait > time.Second {
			t.Fatalf("b took %v to notice the release", wait)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("b never got the lock after a released it")
	}
}

func TestLockExpiresAfterTTL(t *testing.T) {
	prefix := uniquePrefix(t)
	crashed := newStore(t, prefix, Options{LockTTL: 300 * time.Millisecond})
	other := newStore(t, prefix, Options{LockTTL: 300 * time.Millisecond})
	ctx := context.Background()
	if _, err := crashed.Lock(ctx, "inst"); err != nil { // never unlocked: the holder "died"
		t.Fatal(err)
	}
	start := time.Now()
	wait, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	unlock, err := other.Lock(wait, "inst")
	if err != nil {
		t.Fatalf("lock of a dead holder never expired: %v", err)
	}
	defer unlock()
	if d := time.Since(start); d < 200*time.Millisecond {
		t.Fatalf("took the lock after %v, before the TTL ran out", d)
	}
}

// A stale unlock (after the TTL gave the lock to someone else) must not release the new
// holder's lock.
func TestStaleUnlockKeepsNewHolder(t *testing.T) {
	prefix := uniquePrefix(t)
	first := newStore(t, prefix, Options{LockTTL: 200 * time.Millisecond})
	second := newStore(t, prefix, Options{LockTTL: 10 * time.Second})
	ctx := context.Background()
	staleUnlock, err := first.Lock(ctx, "inst")
	if err != nil {
		t.Fatal(err)
	}
	unlock, err := second.Lock(ctx, "inst") // waits out first's TTL
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	staleUnlock()
	short, cancel := context.WithTimeout(ctx, 150*time.Millisecond)
	defer cancel()
	if _, err := first.Lock(short, "inst"); err == nil {
		t.Fatal("the stale unlock released the new holder's lock")
	}
}

// tokenAPI issues "fresh-N" tokens from /token, slowly enough that concurrent refreshes
// overlap, and accepts only the newest token on /api.
type tokenAPI struct {
	refreshes atomic.Int32
	mu        sync.Mutex
	current   string
}

func (a *tokenAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	switch r.URL.Path {
	case "/token":
		if !strings.Contains(string(body), "refresh_token=rt-1") {
			w.WriteHeader(400)
			return
		}
		n := a.refreshes.Add(1)
		time.Sleep(150 * time.Millisecond)
		a.mu.Lock()
		a.current = fmt.Sprintf("fresh-%d", n)
		a.mu.Unlock()
		fmt.Fprintf(w, `{"access_token":"fresh-%d","expires_in":3600}`, n)
	default:
		a.mu.Lock()
		ok := a.current != "" && r.Header.Get("Authorization") == "Bearer "+a.current
		a.mu.Unlock()
		if !ok {
			w.WriteHeader(401)
			return
		}
		w.WriteHeader(200)
	}
}

func oauthDefinition(tokenURL string) *destkit.Definition {
	return &destkit.Definition{
		Slug: "oauth-test", Auth: destkit.AuthOAuth2,
		OAuth: &destkit.OAuthConfig{TokenURL: tokenURL},
		Actions: []*destkit.Action{{
			Key: "post",
			Perform: func(in *destkit.Input) ([]destkit.Request, error) {
				return []destkit.Request{destkit.NewJSONRequest("POST", "https://api.example.com/v1", destkit.AppendValue(nil, in.Payload))}, nil
			},
		}},
	}
}

// Two sender processes (two stores, two Redis connections, two destkit clients) hit a 401
// at the same moment: the token endpoint is called once, and both deliver with its token.
func TestConcurrentRefreshCallsTokenEndpointOnce(t *testing.T) {
	api := &tokenAPI{}
	srv := httptest.NewServer(api)
	defer srv.Close()
	def := oauthDefinition(srv.URL + "/token")
	prefix := uniquePrefix(t)

	const senders = 4
	var wg sync.WaitGroup
	errs := make([]error, senders)
	for i := range senders {
		store := newStore(t, prefix, Options{})
		client := destkit.NewClient(destkit.WithTokenStore(store), destkit.RedirectAll(srv.URL))
		inst, err := destkit.NewInstance("inst-1", def, map[string]any{"oauth": map[string]any{
			"access_token": "stale", "refresh_token": "rt-1", "clientId": "ci", "clientSecret": "cs",
		}})
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = client.Send(context.Background(), inst, def.Actions[0], []byte(`{"n":1}`))
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("sender %d: %v", i, err)
		}
	}
	if n := api.refreshes.Load(); n != 1 {
		t.Fatalf("token endpoint called %d times, want 1", n)
	}
	got, ok, err := newStore(t, prefix, Options{}).Get(context.Background(), "inst-1")
	if err != nil || !ok || got.AccessToken != "fresh-1" || got.RefreshToken != "rt-1" {
		t.Fatalf("stored token = %q/%q ok=%v err=%v, want fresh-1 with refresh token rt-1", got.AccessToken, got.RefreshToken, ok, err)
	}
}
