package control

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/tester"
)

// Klaviyo's Reverse ETL list hook through the control API: the vendor refusing the list a
// person named is a 400 naming that input, the vendor failing a 502, and a list found is
// saved on the mapping, where Upsert Profile reads it.
func TestKlaviyoListHook(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	status := 200
	vendor := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, r.Method+" "+r.URL.Path+" "+r.Header.Get("Authorization")+" "+string(body))
		switch {
		case status != 200:
			w.WriteHeader(status)
			io.WriteString(w, `{"errors":[{"code":"unavailable","detail":"try later"}]}`)
		case r.URL.Path == "/api/lists/XyZ9":
			io.WriteString(w, `{"data":{"type":"list","id":"XyZ9","attributes":{"name":"VIPs"}}}`)
		default:
			w.WriteHeader(404)
			io.WriteString(w, `{"errors":[{"code":"not_found","detail":"A list with id nope does not exist."}]}`)
		}
	}))
	t.Cleanup(vendor.Close)
	c, _ := newAPI(t, Options{Tester: tester.Options{DestOptions: []destkit.Option{destkit.RedirectAll(vendor.URL)}}})
	c.must(201, "POST", "/v1/sources", `{"id":"warehouse","topics":["events"],"write_key":"wk"}`)
	c.must(201, "POST", "/v1/destinations", `{"id":"klaviyo","type":"klaviyo","sources":["warehouse"],"enabled":true,
		"settings":{"api_key":"pk_live_secret_1"}}`)
	c.must(201, "POST", "/v1/destinations/klaviyo/mappings", `{"id":"profiles","action":"upsertProfile","trigger":"type = \"identify\"",
		"mapping":{"email":{"@path":"$.traits.email"}}}`)
	const path = "/v1/destinations/klaviyo/mappings/profiles/hooks/retlOnMappingSave"

	r := c.must(400, "POST", path, `{"inputs":{"list_identifier":"nope"}}`)
	if !strings.Contains(r.body, `inputs.list_identifier`) || !strings.Contains(r.body, "does not exist") || strings.Contains(r.body, "pk_live_secret_1") {
		t.Fatalf("%s", r.body)
	}
	setStatus := func(s int) { mu.Lock(); status = s; mu.Unlock() }
	setStatus(503)
	if r := c.must(502, "POST", path, `{"inputs":{"list_identifier":"XyZ9"}}`); strings.Contains(r.body, "pk_live_secret_1") {
		t.Fatalf("%s", r.body)
	}
	setStatus(200)
	c.must(200, "POST", path, `{"inputs":{"list_identifier":"XyZ9"}}`)
	mu.Lock()
	defer mu.Unlock()
	if seen[len(seen)-1] != "GET /api/lists/XyZ9 Klaviyo-API-Key pk_live_secret_1 " {
		t.Fatalf("vendor saw %q", seen)
	}
	var m struct{ Mapping json.RawMessage }
	json.Unmarshal([]byte(c.must(200, "GET", "/v1/destinations/klaviyo/mappings/profiles", "").body), &m)
	var b bytes.Buffer
	json.Compact(&b, m.Mapping)
	if !strings.HasSuffix(b.String(), `"retlOnMappingSave":{"inputs":{"list_identifier":"XyZ9"},"outputs":{"id":"XyZ9","name":"VIPs"}}}`) {
		t.Fatalf("saved %s", b.String())
	}
}
