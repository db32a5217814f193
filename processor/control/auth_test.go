package control

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/actuate/actuate/processor/configstore"
)

func addToken(t *testing.T, mem *configstore.Memory, name, role, token string) {
	t.Helper()
	v, _ := json.Marshal(TokenRecord{Name: name, Role: role, SHA256: HashToken(token), Created: time.Now().UTC()})
	if _, err := mem.Update(context.Background(), configstore.Meta{Actor: "test"}, func(*configstore.Snapshot) ([]configstore.Change, error) {
		return []configstore.Change{{Key: configstore.Key(configstore.KindToken, name), Value: v}}, nil
	}); err != nil {
		t.Fatal(err)
	}
}

func TestRoles(t *testing.T) {
	c, mem := newAPI(t, Options{})
	setup(c, "https://hooks.example.com/in")
	addToken(t, mem, "dashboards", "viewer", "view-token-1")
	addToken(t, mem, "marketing-ops", "editor", "edit-token-1")
	addToken(t, mem, "platform", "admin", "admin-token-1")
	as := func(token, method, path, body string) reply {
		t.Helper()
		req, _ := http.NewRequest(method, c.srv.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b strings.Builder
		buf := make([]byte, 4096)
		for {
			n, err := resp.Body.Read(buf)
			b.Write(buf[:n])
			if err != nil {
				break
			}
		}
		return reply{resp.StatusCode, resp.Header, b.String()}
	}
	for _, tc := range []struct {
		token, method, path, body string
		want                      int
		says                      string
	}{
		{"view-token-1", "GET", "/v1/destinations/hook", "", 200, ""},
		{"view-token-1", "POST", "/v1/triggers", `{"trigger":"type = \"track\""}`, 0, ""}, // a conversion: any answer but 401/403
		{"view-token-1", "PATCH", "/v1/destinations/hook", `{"enabled":false}`, 403, "needs editor"},
		{"view-token-1", "POST", "/v1/destinations/hook/test", `{"event":{"type":"track"}}`, 403, "has the role viewer"},
		{"edit-token-1", "PATCH", "/v1/destinations/hook", `{"enabled":false}`, 200, ""},
		{"edit-token-1", "POST", "/v1/sources", `{"id":"app","topics":["events"]}`, 403, "needs admin"},
		{"edit-token-1", "POST", "/v1/destinations/hook/replay", `{}`, 403, "needs admin"},
		{"admin-token-1", "POST", "/v1/sources", `{"id":"app","topics":["events"]}`, 201, ""},
		{"wrong", "GET", "/v1/sources", "", 401, "wrong bearer token"},
	} {
		r := as(tc.token, tc.method, tc.path, tc.body)
		switch {
		case tc.want == 0 && (r.status == 401 || r.status == 403):
			t.Errorf("%s %s as %s: %d %s", tc.method, tc.path, tc.token, r.status, r.body)
		case tc.want != 0 && (r.status != tc.want || !strings.Contains(r.body, tc.says)):
			t.Errorf("%s %s as %s: %d %s, want %d saying %q", tc.method, tc.path, tc.token, r.status, r.body, tc.want, tc.says)
		}
	}
	// The history names the token that made a change.
	hist := c.must(200, "GET", "/v1/history?limit=5", "").body
	if !strings.Contains(hist, "token marketing-ops") || !strings.Contains(hist, "token platform") {
		t.Errorf("history does not name the tokens: %s", hist)
	}
	// A viewer sees no secret either.
	if body := as("view-token-1", "GET", "/v1/destinations/hook", "").body; strings.Contains(body, "very-secret-value") {
		t.Errorf("a secret reached a viewer: %s", body)
	}
	// Tokens are decoded once per config snapshot: a revoked token (a tombstone, a new
	// snapshot) is refused from the next request on, and a role change applies as soon.
	if _, err := mem.Update(context.Background(), configstore.Meta{Actor: "test"}, func(*configstore.Snapshot) ([]configstore.Change, error) {
		return []configstore.Change{{Key: configstore.Key(configstore.KindToken, "dashboards")}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if r := as("view-token-1", "GET", "/v1/destinations/hook", ""); r.status != 401 {
		t.Errorf("a revoked token still signs in: %d %s", r.status, r.body)
	}
	addToken(t, mem, "marketing-ops", "viewer", "edit-token-1")
	if r := as("edit-token-1", "PATCH", "/v1/destinations/hook", `{"enabled":true}`); r.status != 403 {
		t.Errorf("a token demoted to viewer still edits: %d %s", r.status, r.body)
	}
}

func TestRepeatedFailedSignInsAreSlowed(t *testing.T) {
	c, _ := newAPI(t, Options{})
	api := c.srv.Config.Handler
	try := func(token string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", "/v1/sources", nil)
		req.RemoteAddr = "192.0.2.7:5555"
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		api.ServeHTTP(rec, req)
		return rec
	}
	for i := 0; i < failuresAllowed; i++ {
		if rec := try("guess"); rec.Code != 401 {
			t.Fatalf("failure %d: %d", i, rec.Code)
		}
	}
	rec := try(token)
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" {
		t.Fatalf("after %d failures: %d (Retry-After %q)", failuresAllowed, rec.Code, rec.Header().Get("Retry-After"))
	}
	other := httptest.NewRequest("GET", "/v1/sources", nil)
	other.RemoteAddr = "192.0.2.8:5555"
	other.Header.Set("Authorization", "Bearer "+token)
	r2 := httptest.NewRecorder()
	api.ServeHTTP(r2, other)
	if r2.Code != 200 {
		t.Errorf("another address was slowed too: %d", r2.Code)
	}
}
