package destkit

import (
	"context"
	"fmt"
	"net/url"
	"sync"
	"time"

	"github.com/valyala/fastjson"
)

// Token is an OAuth access token with what is needed to renew it.
type Token struct {
	AccessToken  string
	RefreshToken string
	// Expiry is when the access token stops working; zero when unknown.
	Expiry time.Time
}

// expiringSoon reports whether the token should be renewed before use. The
// margin avoids sending a token that expires while the request is in flight.
func (t Token) expiringSoon(now time.Time) bool {
	return !t.Expiry.IsZero() && now.Add(30*time.Second).After(t.Expiry)
}

// String hides the secrets.
func (t Token) String() string {
	return fmt.Sprintf("Token{access:%s refresh:%s expiry:%s}", Redacted, Redacted, t.Expiry.Format(time.RFC3339))
}

// GoString hides the secrets from %#v.
func (t Token) GoString() string { return t.String() }

// OAuthCredentials are the OAuth part of an instance's settings (the
// "oauth" object: access_token, refresh_token, refresh_token_url, clientId,
// clientSecret — Segment's names).
type OAuthCredentials struct {
	AccessToken     string
	RefreshToken    string
	RefreshTokenURL string
	ClientID        string
	ClientSecret    string
}

// String hides the secrets.
func (c OAuthCredentials) String() string {
	return "OAuthCredentials{client:" + c.ClientID + " secrets:" + Redacted + "}"
}

// GoString hides the secrets from %#v.
func (c OAuthCredentials) GoString() string { return c.String() }

func oauthFromSettings(raw map[string]any) OAuthCredentials {
	m, _ := raw["oauth"].(map[string]any)
	str := func(k string) string { s, _ := m[k].(string); return s }
	return OAuthCredentials{
		AccessToken:     str("access_token"),
		RefreshToken:    str("refresh_token"),
		RefreshTokenURL: str("refresh_token_url"),
		ClientID:        str("clientId"),
		ClientSecret:    str("clientSecret"),
	}
}

// OAuthConfig describes how a destination renews access tokens.
type OAuthConfig struct {
	// TokenURL is the token endpoint for the standard refresh_token grant.
	// The instance's refresh_token_url, when set, takes precedence.
	TokenURL string
	// Refresh replaces the standard grant for vendors that differ (JSON
	// bodies, client-credentials). It receives a Doer without credentials.
	Refresh func(ctx context.Context, d Doer, c OAuthCredentials, s *Settings) (Token, error)
}

// refreshStandard performs the RFC 6749 §6 refresh_token grant with the
// client credentials in the form body, which every wave-1 vendor accepts.
func refreshStandard(ctx context.Context, d Doer, tokenURL string, c OAuthCredentials, now time.Time) (Token, error) {
	form := url.Values{}
	form.Set("grant_type", "refresh_token")
	form.Set("refresh_token", c.RefreshToken)
	if c.ClientID != "" {
		form.Set("client_id", c.ClientID)
	}
	if c.ClientSecret != "" {
		form.Set("client_secret", c.ClientSecret)
	}
	r := NewFormRequest("POST", tokenURL, []byte(form.Encode()))
	resp, err := d.Do(ctx, &r)
	if err != nil {
		return Token{}, err
	}
	return ParseTokenResponse(resp.Body, now)
}

// ParseTokenResponse reads a standard token endpoint response
// (access_token, optional refresh_token and expires_in).
func ParseTokenResponse(body []byte, now time.Time) (Token, error) {
	v, err := fastjson.ParseBytes(body)
	if err != nil {
		return Token{}, &AuthError{Code: "OAUTH_REFRESH_FAILED", Message: "token endpoint returned invalid JSON"}
	}
	t := Token{
		AccessToken:  string(v.GetStringBytes("access_token")),
		RefreshToken: string(v.GetStringBytes("refresh_token")),
	}
	if t.AccessToken == "" {
		return Token{}, &AuthError{Code: "OAUTH_REFRESH_FAILED", Message: "token endpoint returned no access_token"}
	}
	if s := v.GetFloat64("expires_in"); s > 0 {
		t.Expiry = now.Add(time.Duration(s * float64(time.Second)))
	}
	return t, nil
}

// TokenStore keeps the current token of each destination instance, shared
// by every sender that talks to it. Lock makes refreshes of one key
// exclusive: a sender holding the lock re-reads the token before refreshing,
// so when several senders see a 401 at once only one refresh happens.
type TokenStore interface {
	Get(ctx context.Context, key string) (Token, bool, error)
	Set(ctx context.Context, key string, t Token) error
	// Lock blocks until the key's refresh lock is held or ctx ends.
	Lock(ctx context.Context, key string) (unlock func(), err error)
}

// TokenSeeder is an optional TokenStore extension: SetIfAbsent stores t
// only when key holds no token, atomically, and returns the token stored
// for key afterwards (t, or the one already there). The Client seeds a new
// instance's token from its settings with it; stores without it are seeded
// under their refresh Lock instead, which costs a lock round trip.
type TokenSeeder interface {
	SetIfAbsent(ctx context.Context, key string, t Token) (Token, error)
}

// MemoryTokenStore is a TokenStore for one process (tests, `actuate dev`).
type MemoryTokenStore struct {
	mu     sync.Mutex
	tokens map[string]Token
	locks  keyLocks
}

// NewMemoryTokenStore returns an empty store.
func NewMemoryTokenStore() *MemoryTokenStore {
	return &MemoryTokenStore{tokens: map[string]Token{}}
}

// Get returns the stored token for key.
func (m *MemoryTokenStore) Get(_ context.Context, key string) (Token, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.tokens[key]
	return t, ok, nil
}

// Set stores the token for key.
func (m *MemoryTokenStore) Set(_ context.Context, key string, t Token) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.tokens[key] = t
	return nil
}

// SetIfAbsent stores t for key unless a token is already stored, and
// returns the token stored for key.
func (m *MemoryTokenStore) SetIfAbsent(_ context.Context, key string, t Token) (Token, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if cur, ok := m.tokens[key]; ok {
		return cur, nil
	}
	m.tokens[key] = t
	return t, nil
}

// Lock takes the refresh lock of key; a waiter gives up when ctx ends.
func (m *MemoryTokenStore) Lock(ctx context.Context, key string) (func(), error) {
	return m.locks.lock(ctx, key)
}

var (
	_ TokenStore  = (*MemoryTokenStore)(nil)
	_ TokenSeeder = (*MemoryTokenStore)(nil)
)
