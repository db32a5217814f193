package control

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/actuate/actuate/processor/configstore"
)

// Role is what a token may do.
type Role int

// The roles, each allowed everything the ones before it are.
const (
	RoleViewer Role = iota + 1 // read everything (secrets are never shown to anyone)
	RoleEditor                 // also change destinations, their mappings and filters, and run tests
	RoleAdmin                  // everything: sources, tracking plans, data, regulations, replays
)

var roleNames = map[Role]string{RoleViewer: "viewer", RoleEditor: "editor", RoleAdmin: "admin"}

func (r Role) String() string { return roleNames[r] }

// ParseRole reads "viewer", "editor" or "admin".
func ParseRole(s string) (Role, bool) {
	for r, name := range roleNames {
		if name == s {
			return r, true
		}
	}
	return 0, false
}

// TokenRecord is a named token as stored on the config topic (key token/<name>): only the
// SHA-256 of the token is kept.
type TokenRecord struct {
	Name    string    `json:"name"`
	Role    string    `json:"role"`
	SHA256  string    `json:"sha256"`
	Created time.Time `json:"created"`
}

// HashToken is the stored form of a token.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// principal is who a request comes from.
type principal struct {
	name string
	role Role
}

type principalKey struct{}

// authenticate finds the token's principal: the --api-token is the admin "api-token";
// named tokens are compared by hash, in constant time, against every stored one.
func (a *API) authenticate(r *http.Request) (principal, bool) {
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	got = strings.TrimSpace(got)
	if !ok || got == "" {
		return principal{}, false
	}
	if a.opts.Token != "" && subtle.ConstantTimeCompare([]byte(got), []byte(a.opts.Token)) == 1 {
		return principal{name: "api-token", role: RoleAdmin}, true
	}
	if a.opts.Store == nil {
		return principal{}, false
	}
	given := []byte(HashToken(got))
	var found principal
	for _, t := range a.namedTokens(a.opts.Store.Snapshot()) {
		if subtle.ConstantTimeCompare(given, t.sha256) == 1 {
			found = t.principal
		}
	}
	return found, found.role != 0
}

// namedTokens is the config snapshot's named tokens with a valid role, decoded once per
// snapshot (a snapshot never changes; a change is a new one) rather than per request.
func (a *API) namedTokens(snap *configstore.Snapshot) []storedToken {
	if c := a.tokens.Load(); c != nil && c.snap == snap {
		return c.tokens
	}
	var list []storedToken
	for _, o := range snap.Objects(configstore.KindToken) {
		var t TokenRecord
		if json.Unmarshal(o.Value, &t) != nil {
			continue
		}
		if role, ok := ParseRole(t.Role); ok {
			list = append(list, storedToken{principal: principal{name: t.Name, role: role}, sha256: []byte(t.SHA256)})
		}
	}
	a.tokens.Store(&snapshotTokens{snap: snap, tokens: list})
	return list
}

// snapshotTokens are the named tokens of one config snapshot.
type snapshotTokens struct {
	snap   *configstore.Snapshot
	tokens []storedToken
}

type storedToken struct {
	principal
	sha256 []byte // hex, as stored
}

// requiredRole is the least role a request needs.
func requiredRole(r *http.Request) (Role, string) {
	if r.Method == http.MethodGet || r.Method == http.MethodHead || (r.Method == http.MethodPost && r.URL.Path == "/v1/triggers") {
		return RoleViewer, "read"
	}
	if rest, ok := strings.CutPrefix(r.URL.Path, "/v1/destinations"); ok &&
		!strings.HasSuffix(rest, "/replay") && !strings.HasSuffix(rest, "/backfill") {
		return RoleEditor, "change destinations, mappings and filters, and run tests"
	}
	return RoleAdmin, "change sources, tracking plans, data, regulations, replays and tokens"
}

// signInLimit slows repeated failed sign-ins: past failuresAllowed failures in a
// window from one host, that host is answered 429 until the window ends.
type signInLimit struct {
	mu       sync.Mutex
	failures map[string]*failureWindow
}

type failureWindow struct {
	start time.Time
	n     int
}

const (
	failuresAllowed  = 10
	failureWindowLen = time.Minute
)

func host(r *http.Request) string {
	h, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return h
}

// blocked reports how long the host must wait, if it failed too often.
func (l *signInLimit) blocked(h string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.failures[h]
	if w == nil || now.Sub(w.start) > failureWindowLen {
		return 0
	}
	if w.n >= failuresAllowed {
		return failureWindowLen - now.Sub(w.start)
	}
	return 0
}

func (l *signInLimit) failed(h string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.failures == nil {
		l.failures = map[string]*failureWindow{}
	}
	w := l.failures[h]
	if w == nil || now.Sub(w.start) > failureWindowLen {
		if len(l.failures) > 10000 { // bounded: forget every window rather than grow
			clear(l.failures)
		}
		w = &failureWindow{start: now}
		l.failures[h] = w
	}
	w.n++
}

func withPrincipal(ctx context.Context, p principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

func principalOf(r *http.Request) (principal, bool) {
	p, ok := r.Context().Value(principalKey{}).(principal)
	return p, ok
}
