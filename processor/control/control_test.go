package control

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/actuate/actuate/destinations"
	"github.com/actuate/actuate/processor/configstore"
	"github.com/actuate/actuate/processor/fql"
)

const token = "test-token"

type client struct {
	t   *testing.T
	srv *httptest.Server
}

func newAPI(t *testing.T, opts Options) (*client, *configstore.Memory) {
	t.Helper()
	mem := configstore.NewMemory(destinations.Get)
	opts.Store, opts.Lookup, opts.Token = mem, destinations.Get, token
	srv := httptest.NewServer(New(opts))
	t.Cleanup(srv.Close)
	return &client{t: t, srv: srv}, mem
}

type reply struct {
	status int
	header http.Header
	body   string
}

func (r reply) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(r.body), &m); err != nil {
		t.Fatalf("answer %d is not JSON: %q", r.status, r.body)
	}
	return m
}

func (c *client) do(method, path, body string, headers ...string) reply {
	c.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, c.srv.URL+path, rd)
	req.Header.Set("Authorization", "Bearer "+token)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return reply{resp.StatusCode, resp.Header, string(b)}
}

func (c *client) must(status int, method, path, body string, headers ...string) reply {
	c.t.Helper()
	r := c.do(method, path, body, headers...)
	if r.status != status {
		c.t.Fatalf("%s %s: status %d, want %d: %s", method, path, r.status, status, r.body)
	}
	return r
}

const hookMapping = `{"url":"%s","method":"POST","data":{"user":{"@path":"$.userId"}}}`

func setup(c *client, hookURL string) {
	c.must(201, "POST", "/v1/sources", `{"id":"web","topics":["events"],"write_key":"wk"}`)
	c.must(201, "POST", "/v1/destinations", `{"id":"hook","type":"webhook","sources":["web"],"enabled":true,"settings":{"sharedSecret":"very-secret-value"}}`)
	c.must(201, "POST", "/v1/destinations/hook/mappings", fmt.Sprintf(`{"id":"tracks","name":"Tracks","action":"send","trigger":"type = \"track\"","mapping":`+hookMapping+`}`, hookURL))
}

func TestAuth(t *testing.T) {
	c, _ := newAPI(t, Options{})
	for _, auth := range []string{"", "Bearer wrong", "Basic " + token, "Bearer"} {
		req, _ := http.NewRequest("GET", c.srv.URL+"/v1/sources", nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 401 || resp.Header.Get("WWW-Authenticate") == "" {
			t.Errorf("Authorization %q: status %d, want 401 with a challenge", auth, resp.StatusCode)
		}
	}
	// No configured token refuses everything rather than opening the API.
	open := httptest.NewServer(New(Options{Store: configstore.NewMemory(destinations.Get), Lookup: destinations.Get}))
	defer open.Close()
	req, _ := http.NewRequest("GET", open.URL+"/v1/sources", nil)
	req.Header.Set("Authorization", "Bearer ")
	resp, _ := http.DefaultClient.Do(req)
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Errorf("without a configured token: %d, want 401", resp.StatusCode)
	}
	// The OpenAPI document needs no token.
	resp, _ = http.Get(c.srv.URL + "/openapi.json")
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("openapi.json: %d", resp.StatusCode)
	}
}

func TestEveryRouteIsInTheOpenAPIDocument(t *testing.T) {
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(OpenAPI(), &doc); err != nil || !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi.json: %v (%q)", err, doc.OpenAPI)
	}
	routes := New(Options{}).Routes()
	documented := 0
	for _, r := range routes {
		method, path, _ := strings.Cut(r, " ")
		if _, ok := doc.Paths[path][strings.ToLower(method)]; !ok {
			t.Errorf("%s is not in openapi.json", r)
		}
	}
	for _, ops := range doc.Paths {
		documented += len(ops)
	}
	if documented != len(routes) {
		t.Errorf("openapi.json documents %d operations; the API serves %d", documented, len(routes))
	}
}

func TestSecretsAreWriteOnly(t *testing.T) {
	c, mem := newAPI(t, Options{})
	setup(c, "http://example.test/x")
	for _, path := range []string{"/v1/destinations", "/v1/destinations/hook", "/v1/history"} {
		r := c.must(200, "GET", path, "")
		if strings.Contains(r.body, "very-secret-value") {
			t.Fatalf("%s leaks a secret: %s", path, r.body)
		}
	}
	d := c.must(200, "GET", "/v1/destinations/hook", "").json(t)
	if d["secrets"].(map[string]any)["sharedSecret"] != "set" {
		t.Errorf("secrets: %v", d["secrets"])
	}
	// A PUT that does not repeat the secret keeps it; null clears it.
	etag := c.must(200, "GET", "/v1/destinations/hook", "").header.Get("ETag")
	c.must(200, "PUT", "/v1/destinations/hook", `{"type":"webhook","sources":["web"],"enabled":true,"settings":{}}`, "If-Match", etag)
	if got := mem.Workspace().Instance("hook").Dest.Settings.Str("sharedSecret"); got != "very-secret-value" {
		t.Errorf("secret after PUT without it: %q", got)
	}
	d = c.must(200, "PATCH", "/v1/destinations/hook", `{"settings":{"sharedSecret":null}}`).json(t)
	if d["secrets"].(map[string]any)["sharedSecret"] != "unset" {
		t.Errorf("secrets after clearing: %v", d["secrets"])
	}
}

func TestInvalidBodiesNameTheField(t *testing.T) {
	c, _ := newAPI(t, Options{})
	setup(c, "http://example.test/x")
	cases := []struct {
		method, path, body string
		status             int
		path0, reason      string
	}{
		{"POST", "/v1/sources", `{"id":"s","topics":"events"}`, 400, "topics", "want []string"},
		{"POST", "/v1/sources", `{"id":"s","topics":["e"],"writeKey":"x"}`, 400, "writeKey", "unknown field"},
		{"POST", "/v1/sources", `{"id":`, 400, "body", "not valid JSON"},
		{"POST", "/v1/sources", ``, 400, "body", "empty"},
		{"POST", "/v1/sources", `{"topics":["e"]}`, 400, "id", "required"},
		{"POST", "/v1/destinations", `{"id":"d","type":"webhook","enabled":"yes"}`, 400, "enabled", "want bool"},
		{"POST", "/v1/destinations/hook/mappings", `{"action":"send","trigger":"type = \"x\"","mapping":{},"enabled":true}`, 400, "body.enabled", "created disabled"},
		{"PUT", "/v1/destinations/hook/mappings/order", `{"order":["nope"]}`, 400, "order[0]", "not a mapping of hook"},
		{"GET", "/v1/destinations/hook/delivery?from=yesterday", "", 400, "from", "RFC 3339"},
		// Compile problems: every one, by object path.
		{"POST", "/v1/destinations", `{"id":"bad","type":"webhook","sources":["nowhere"],"mappings":[{"id":"m","action":"nope","trigger":"type =","mapping":{"url":{"@path":1}}}]}`, 422, "destination/bad.sources[0]", "no source"},
		{"POST", "/v1/destinations", `{"id":"bad","type":"no-such-type","sources":["web"]}`, 422, "destination/bad.type", "unknown destination"},
		{"DELETE", "/v1/sources/web", "", 422, "destination/hook.sources[0]", "no source has the id \"web\""},
	}
	for _, tc := range cases {
		r := c.do(tc.method, tc.path, tc.body)
		if r.status != tc.status {
			t.Errorf("%s %s %s: status %d, want %d: %s", tc.method, tc.path, tc.body, r.status, tc.status, r.body)
			continue
		}
		var e errorBody
		json.Unmarshal([]byte(r.body), &e)
		found := false
		for _, p := range e.Problems {
			found = found || p.Path == tc.path0 && strings.Contains(p.Reason, tc.reason)
		}
		if !found {
			t.Errorf("%s %s %s: problems %+v, want %s: …%s…", tc.method, tc.path, tc.body, e.Problems, tc.path0, tc.reason)
		}
	}
	// The invalid destination's problems are all listed.
	r := c.do("POST", "/v1/destinations", `{"id":"bad","type":"webhook","sources":["nowhere"],"mappings":[{"id":"m","action":"nope","trigger":"type =","mapping":{"url":"x"}}]}`)
	var e errorBody
	json.Unmarshal([]byte(r.body), &e)
	var paths []string
	for _, p := range e.Problems {
		paths = append(paths, p.Path)
	}
	for _, want := range []string{"destination/bad.mappings[0].action", "destination/bad.mappings[0].trigger", "destination/bad.sources[0]"} {
		if !strings.Contains(strings.Join(paths, " "), want) {
			t.Errorf("problems %v miss %s", paths, want)
		}
	}
}

func TestMappingRules(t *testing.T) {
	c, mem := newAPI(t, Options{MaxConditions: fql.SelfServiceMaxConditions})
	setup(c, "http://example.test/x")
	m := c.must(200, "GET", "/v1/destinations/hook/mappings/tracks", "").json(t)
	if m["enabled"] != false {
		t.Fatalf("a new mapping is enabled: %v", m)
	}
	if len(mem.Workspace().Instance("hook").Mappings) != 0 {
		t.Fatal("a disabled mapping is compiled as enabled")
	}
	c.must(200, "PATCH", "/v1/destinations/hook/mappings/tracks", `{"enabled":true,"name":"All tracks"}`)
	if ms := mem.Workspace().Instance("hook").Mappings; len(ms) != 1 || ms[0].Name != "All tracks" {
		t.Fatalf("enable and rename did not apply: %+v", ms)
	}
	// Builder conditions and the plan limit.
	c.must(201, "POST", "/v1/destinations/hook/mappings", `{"id":"pages","action":"send","conditions":{"match":"all","conditions":[{"kind":"event_type","operator":"=","value":"page"}]},"mapping":{"url":"http://x.test","method":"POST","data":{}},"position":0}`)
	r := c.must(400, "POST", "/v1/destinations/hook/mappings", `{"action":"send","trigger":"type = \"track\" and event = \"a\" and userId = \"b\"","mapping":{}}`)
	if !strings.Contains(r.body, "at most 2") {
		t.Errorf("plan limit: %s", r.body)
	}
	c.must(400, "POST", "/v1/destinations/hook/mappings", `{"action":"send","conditions":{"conditions":[{"kind":"event_type","operator":"=","value":"a"},{"kind":"event_type","operator":"=","value":"b"},{"kind":"event_type","operator":"=","value":"c"}]},"mapping":{}}`)
	// Order: explicit and editable.
	order := c.must(200, "GET", "/v1/destinations/hook/mappings", "").json(t)["items"].([]any)
	if order[0].(map[string]any)["id"] != "pages" {
		t.Fatalf("position 0 not honoured: %v", order)
	}
	c.must(200, "PUT", "/v1/destinations/hook/mappings/order", `{"order":["tracks","pages"]}`)
	order = c.must(200, "GET", "/v1/destinations/hook/mappings", "").json(t)["items"].([]any)
	if order[0].(map[string]any)["id"] != "tracks" {
		t.Fatalf("reorder not applied: %v", order)
	}
	c.must(204, "DELETE", "/v1/destinations/hook/mappings/pages", "")
	c.must(404, "GET", "/v1/destinations/hook/mappings/pages", "")
	// At most 50.
	for i := 1; i < 50; i++ {
		c.must(201, "POST", "/v1/destinations/hook/mappings", fmt.Sprintf(`{"id":"m%d","action":"send","trigger":"type = \"track\"","mapping":{"url":"http://x.test","method":"POST","data":{}}}`, i))
	}
	r = c.must(409, "POST", "/v1/destinations/hook/mappings", `{"id":"m51","action":"send","trigger":"type = \"track\"","mapping":{"url":"http://x.test"}}`)
	if !strings.Contains(r.body, "50") {
		t.Errorf("limit message: %s", r.body)
	}
}

func TestFiltersInSegmentsShape(t *testing.T) {
	c, mem := newAPI(t, Options{})
	setup(c, "http://example.test/x")
	// The migration recipe of a classic destination: drop events received before the cutover.
	f := c.must(201, "POST", "/v1/destinations/hook/filters", `{"sourceId":"web","destinationId":"hook","title":"Before cutover","description":"the classic destination keeps these","if":"received_at < '2023-04-21T19:55:00.933Z'","actions":[{"type":"drop"}],"enabled":true}`).json(t)
	if f["sourceId"] != "web" || f["destinationId"] != "hook" || f["enabled"] != true || f["id"] == "" {
		t.Fatalf("filter %v", f)
	}
	if fs := mem.Workspace().Instance("hook").Filters; len(fs) != 1 || fs[0].Name != "Before cutover" {
		t.Fatalf("filter not compiled: %+v", fs)
	}
	id := f["id"].(string)
	c.must(200, "PATCH", "/v1/destinations/hook/filters/"+id, `{"enabled":false}`)
	if len(mem.Workspace().Instance("hook").Filters) != 0 {
		t.Fatal("disabled filter still applies")
	}
	c.must(400, "POST", "/v1/destinations/hook/filters", `{"sourceId":"other","if":"type = \"track\"","actions":[{"type":"drop"}]}`)
	r := c.must(422, "POST", "/v1/destinations/hook/filters", `{"if":"type = ","actions":[{"type":"explode"}]}`)
	if !strings.Contains(r.body, "filters[1].if") || !strings.Contains(r.body, "filters[1].actions[0].type") {
		t.Errorf("filter problems: %s", r.body)
	}
	c.must(204, "DELETE", "/v1/destinations/hook/filters/"+id, "")
}

func TestOptimisticConcurrency(t *testing.T) {
	c, _ := newAPI(t, Options{})
	setup(c, "http://example.test/x")
	etag := c.must(200, "GET", "/v1/sources/web", "").header.Get("ETag")
	c.must(428, "PUT", "/v1/sources/web", `{"topics":["events","more"]}`)
	// Two writers read the same version and both try to replace it: one wins, the
	// other is told, never silently overwritten.
	var wg sync.WaitGroup
	statuses := make([]int, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = c.do("PUT", "/v1/sources/web", fmt.Sprintf(`{"topics":["events"],"write_key":"wk-%d"}`, i), "If-Match", etag).status
		}()
	}
	wg.Wait()
	if !(statuses[0] == 200 && statuses[1] == 412 || statuses[0] == 412 && statuses[1] == 200) {
		t.Fatalf("statuses %v, want one 200 and one 412", statuses)
	}
	// A version field works as If-Match does.
	v := c.must(200, "GET", "/v1/sources/web", "").json(t)["version"].(float64)
	c.must(412, "PUT", "/v1/sources/web", fmt.Sprintf(`{"topics":["events"],"version":%d}`, int(v)-1))
	c.must(200, "PUT", "/v1/sources/web", fmt.Sprintf(`{"topics":["events"],"write_key":"wk","version":%d}`, int(v)))
	c.must(412, "DELETE", "/v1/destinations/hook", "", "If-Match", `"1"`)
	hist := c.must(200, "GET", "/v1/history?limit=100", "").json(t)["entries"].([]any)
	if len(hist) < 5 {
		t.Errorf("history has %d entries", len(hist))
	}
}

func TestCRUDOfEveryKind(t *testing.T) {
	c, _ := newAPI(t, Options{})
	c.must(201, "POST", "/v1/tracking-plans", `{"id":"plan","events":{"Order Completed":{"properties":{"type":"object","required":["order_id"]}}},"on_violation":{"invalid_properties":"block"}}`)
	c.must(201, "POST", "/v1/sources", `{"id":"web","topics":["events"],"tracking_plan":"plan"}`)
	c.must(409, "POST", "/v1/sources", `{"id":"web","topics":["events"]}`)
	c.must(422, "DELETE", "/v1/tracking-plans/plan", "")
	etag := c.must(200, "GET", "/v1/tracking-plans/plan", "").header.Get("ETag")
	c.must(200, "PUT", "/v1/tracking-plans/plan", `{"events":{}}`, "If-Match", etag)
	if n := len(c.must(200, "GET", "/v1/tracking-plans", "").json(t)["items"].([]any)); n != 1 {
		t.Errorf("%d plans", n)
	}
	c.must(201, "POST", "/v1/destinations", `{"id":"hook","type":"webhook","sources":["web"]}`)
	c.must(200, "PATCH", "/v1/destinations/hook", `{"enabled":true}`)
	c.must(204, "DELETE", "/v1/destinations/hook", "")
	c.must(404, "GET", "/v1/destinations/hook", "")
	etag = c.must(200, "GET", "/v1/sources/web", "").header.Get("ETag")
	c.must(200, "PUT", "/v1/sources/web", `{"id":"web","topics":["events"]}`, "If-Match", etag)
	c.must(204, "DELETE", "/v1/sources/web", "")
	c.must(204, "DELETE", "/v1/tracking-plans/plan", "")
	ws := c.must(200, "GET", "/v1/workspace", "").json(t)
	if ws["sources"].(float64) != 0 {
		t.Errorf("workspace %v", ws)
	}
}

func TestEventTesterMasksSecrets(t *testing.T) {
	var got http.Header
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		w.Write([]byte(`{"ok":true}`))
	}))
	defer hook.Close()
	c, _ := newAPI(t, Options{})
	setup(c, hook.URL+"/very-secret-value/path")
	// The tester runs the instance's enabled mappings, as the pipeline would.
	c.must(200, "PATCH", "/v1/destinations/hook/mappings/tracks", `{"enabled":true}`)
	r := c.must(200, "POST", "/v1/destinations/hook/test", `{"event":{"type":"identify","userId":"ada"}}`).json(t)
	if r["result"].(map[string]any)["error"] != "You may not have any subscriptions that match this event." {
		t.Errorf("no match: %v", r["result"])
	}
	res := c.must(200, "POST", "/v1/destinations/hook/test", `{"event":{"type":"track","event":"x","userId":"ada"},"send":true}`)
	if got == nil || got.Get("X-Signature") == "" {
		t.Fatalf("the destination was not called with a signature: %v", got)
	}
	if strings.Contains(res.body, "very-secret-value") || !strings.Contains(res.body, `"status": 200`) || !strings.Contains(res.body, "[redacted]") {
		t.Fatalf("tester answer: %s", res.body)
	}
	c.must(400, "POST", "/v1/destinations/hook/test", `{"send":true}`)
	c.must(501, "POST", "/v1/destinations/hook/test", `{"from_source":"web"}`)
	c.must(404, "POST", "/v1/destinations/nope/test", `{"event":{}}`)
}
