package control

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/actuate/actuate/destinations"
	"github.com/actuate/actuate/processor/configstore"
)

// hostileBodies are bodies an attacker or a broken client sends.
var hostileBodies = []string{
	"", "{", "}", "null", "[]", `"text"`, "42", `{"id":`, `{"id":"a"}{"id":"b"}`,
	`{"id":"a/../b","topics":["events"]}`, `{"id":"a.b..c","topics":["x"]}`, `{"id":"../../etc/passwd"}`,
	`{"id":"\u0000","topics":["\u202e"]}`, `{"id":"日本語","topics":["😀"]}`, "{\"id\":\"\xff\xfe\"}",
	`{"id":"x","unknown":true}`, `{"id":1,"topics":"events"}`, `{"settings":{"apiKey":{"$gt":""}}}`,
	strings.Repeat("[", 10000) + strings.Repeat("]", 10000),
	`{"a":` + strings.Repeat(`{"a":`, 5000) + `1` + strings.Repeat("}", 5001),
	`{"id":"` + strings.Repeat("x", 300) + `"}`,
	`{"if":"` + strings.Repeat("(", 2000) + `","actions":[{"type":"drop"}]}`,
	`{"trigger":"` + strings.Repeat("a and ", 5000) + `a = 1","action":"send","mapping":{}}`,
	`{"mapping":{"@path":"$.` + strings.Repeat("a.", 5000) + `"}}`,
}

// hostilePaths are the routes the corpus is sent to, with ids that have no business there.
var hostilePaths = []string{
	"/v1/sources", "/v1/sources/..%2F..%2Fx", "/v1/sources/a.b", "/v1/tracking-plans", "/v1/tracking-plans/x/violations",
	"/v1/destinations", "/v1/destinations/hook", "/v1/destinations/hook/mappings", "/v1/destinations/hook/mappings/%00",
	"/v1/destinations/hook/filters", "/v1/destinations/hook/test", "/v1/destinations/..%2Fhook/delivery",
	"/v1/history?limit=-1&before=x", "/v1/workspace",
}

// Every hostile request gets a 4xx answer with a reason (or a 2xx when it happens to be
// valid), never a 5xx or a panic.
func TestHostileRequestsGetClearAnswers(t *testing.T) {
	c, _ := newAPI(t, Options{})
	setup(c, "https://hooks.example.com/in")
	for _, path := range hostilePaths {
		for _, method := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
			for _, body := range hostileBodies {
				for _, ctype := range []string{"application/json", "text/plain", "application/x-www-form-urlencoded"} {
					r := c.do(method, path, body, "Content-Type", ctype)
					if r.status >= 500 && r.status != http.StatusNotImplemented {
						t.Fatalf("%s %s (%s, %d bytes): %d %s", method, path, ctype, len(body), r.status, r.body)
					}
					if r.status >= 400 && r.status != http.StatusNotFound && r.status != http.StatusMethodNotAllowed && !strings.Contains(r.body, "error") {
						t.Fatalf("%s %s: %d without a reason: %q", method, path, r.status, r.body)
					}
				}
			}
		}
	}
}

// FuzzAPI sends arbitrary requests to the API over an in-memory store: no answer is a 5xx
// (but 501 for what the server is not configured for) and nothing panics. One API serves
// every input, so the workspace the inputs build up is part of what is fuzzed.
func FuzzAPI(f *testing.F) {
	for i, p := range hostilePaths {
		f.Add("POST", p, hostileBodies[i%len(hostileBodies)])
	}
	f.Add("PATCH", "/v1/destinations/hook", `{"enabled":true,"consent_categories":["a"]}`)
	f.Add("POST", "/v1/destinations/hook/test", `{"event":{"type":"track","event":"x"}}`)
	mem := configstore.NewMemory(destinations.Get)
	api := New(Options{Store: mem, Lookup: destinations.Get, Token: token})
	f.Fuzz(func(t *testing.T, method, path, body string) {
		if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, " \r\n\t#") || method == "" || strings.ContainsAny(method, " \r\n\t/:") {
			return
		}
		req, err := http.NewRequest(method, "http://api"+path, strings.NewReader(body))
		if err != nil {
			return
		}
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		api.ServeHTTP(rec, req)
		if rec.Code >= 500 && rec.Code != http.StatusNotImplemented {
			b, _ := io.ReadAll(rec.Body)
			t.Fatalf("%s %s %q: %d %s", method, path, body, rec.Code, b)
		}
	})
}
