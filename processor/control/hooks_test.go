package control

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/tester"
)

// brazeCatalogs is a Braze REST API with the two catalog calls of the mapping hook: it
// lists catalogs and creates one, and answers 401 to any other API key.
type brazeCatalogs struct {
	mu       sync.Mutex
	requests []string // "METHOD path body"
}

func (b *brazeCatalogs) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	b.mu.Lock()
	b.requests = append(b.requests, r.Method+" "+r.URL.Path+" "+string(body))
	b.mu.Unlock()
	if r.Header.Get("Authorization") != "Bearer braze-key-123" {
		w.WriteHeader(401)
		io.WriteString(w, `{"message":"Invalid API key: `+r.Header.Get("Authorization")+`"}`)
		return
	}
	switch r.Method + " " + r.URL.Path {
	case "GET /catalogs":
		io.WriteString(w, `{"catalogs":[{"name":"shoes","description":"Shoes"},{"name":"hats"}],"message":"success"}`)
	case "POST /catalogs":
		w.WriteHeader(201)
		io.WriteString(w, `{"message":"success"}`)
	default:
		w.WriteHeader(404)
	}
}

func newHookAPI(t *testing.T) (*client, *brazeCatalogs, func(token, method, path, body string) reply) {
	t.Helper()
	vendor := &brazeCatalogs{}
	srv := httptest.NewServer(vendor)
	t.Cleanup(srv.Close)
	c, mem := newAPI(t, Options{Tester: tester.Options{DestOptions: []destkit.Option{destkit.RedirectAll(srv.URL)}}})
	c.must(201, "POST", "/v1/sources", `{"id":"web","topics":["events"],"write_key":"wk"}`)
	c.must(201, "POST", "/v1/destinations", `{"id":"braze","type":"braze","sources":["web"],"enabled":true,
		"settings":{"api_key":"braze-key-123","endpoint":"https://rest.iad-01.braze.com"}}`)
	c.must(201, "POST", "/v1/destinations/braze/mappings", `{"id":"items","action":"upsertCatalogItem","trigger":"type = \"track\"",
		"mapping":{"item_id":{"@path":"$.properties.sku"},"__segment_internal_sync_mode":"upsert"}}`)
	addToken(t, mem, "dashboards", "viewer", "view-token-1")
	addToken(t, mem, "marketing-ops", "editor", "edit-token-1")
	// as sends with a named token instead of the admin's.
	as := func(token, method, path, body string) reply {
		t.Helper()
		return c.do(method, path, body, "Authorization", "Bearer "+token)
	}
	return c, vendor, as
}

// savedMapping is the stored mapping of braze/items, compact, in its stored key order.
func savedMapping(t *testing.T, c *client) string {
	t.Helper()
	var m struct{ Mapping json.RawMessage }
	if err := json.Unmarshal([]byte(c.must(200, "GET", "/v1/destinations/braze/mappings/items", "").body), &m); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	json.Compact(&b, m.Mapping)
	return b.String()
}

const hookPath = "/v1/destinations/braze/mappings/items/hooks/onMappingSave"

// Running Braze's onMappingSave hook creates the catalog at Braze with the instance's
// key and saves inputs and outputs on the mapping, in one recorded write.
func TestRunHookCreatesAndSavesOnTheMapping(t *testing.T) {
	c, vendor, as := newHookAPI(t)
	r := as("edit-token-1", "POST", hookPath, `{"inputs":{"operation":"create","created_catalog_name":"shoes",
		"description":"Our shoes","columns":[{"name":"id","type":"number"},{"name":"price","type":"number"}]}}`)
	if r.status != 200 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	if len(vendor.requests) != 1 || vendor.requests[0] != `POST /catalogs {"catalogs":[{"name":"shoes","description":"Our shoes","fields":[{"name":"id","type":"string"},{"name":"price","type":"number"}]}]}` {
		t.Fatalf("vendor saw %q", vendor.requests)
	}
	var got struct {
		Mapping struct {
			Mapping json.RawMessage `json:"mapping"`
		} `json:"mapping"`
		Hook json.RawMessage `json:"hook"`
	}
	if err := json.Unmarshal([]byte(r.body), &got); err != nil {
		t.Fatal(err)
	}
	var hook bytes.Buffer
	json.Compact(&hook, got.Hook)
	if !strings.HasSuffix(hook.String(), `"outputs":{"catalog_name":"shoes"}}`) {
		t.Fatalf("hook %s", got.Hook)
	}
	b := savedMapping(t, c)
	// The hook's entry is added after the members people wrote, which keep their order.
	if want := `{"item_id":{"@path":"$.properties.sku"},"__segment_internal_sync_mode":"upsert","onMappingSave":{"inputs":{"operation":"create","created_catalog_name":"shoes","description":"Our shoes","columns":[{"name":"id","type":"number"},{"name":"price","type":"number"}]},"outputs":{"catalog_name":"shoes"}}}`; b != want {
		t.Fatalf("saved mapping\n%s\nwant\n%s", b, want)
	}
	hist := c.must(200, "GET", "/v1/history", "").body
	if !strings.Contains(hist, "run hook onMappingSave of mapping items") || !strings.Contains(hist, "marketing-ops") {
		t.Fatalf("history does not record the hook run: %s", hist)
	}
	// Running it again (select) replaces the entry.
	c.must(200, "POST", hookPath, `{"inputs":{"operation":"select","selected_catalog_name":"hats"}}`)
	b = savedMapping(t, c)
	if !strings.HasSuffix(b, `"onMappingSave":{"inputs":{"operation":"select","selected_catalog_name":"hats"},"outputs":{"catalog_name":"hats"}}}`) {
		t.Fatalf("after select: %s", b)
	}
}

func TestHookErrors(t *testing.T) {
	c, vendor, as := newHookAPI(t)
	// A viewer may not run hooks: they change the mapping and the vendor.
	if r := as("view-token-1", "POST", hookPath, `{"inputs":{"operation":"select","selected_catalog_name":"x"}}`); r.status != 403 {
		t.Fatalf("viewer: %d %s", r.status, r.body)
	}
	// Inputs are checked against the hook's inputs, and named.
	r := c.must(400, "POST", hookPath, `{"inputs":{"operation":"create"}}`)
	if !strings.Contains(r.body, `"path": "inputs.created_catalog_name`) && !strings.Contains(r.body, `inputs.`) {
		t.Fatalf("%s", r.body)
	}
	c.must(400, "POST", hookPath, `{"inputs":{"operation":"rename"}}`)
	c.must(404, "POST", "/v1/destinations/braze/mappings/items/hooks/nope", `{"inputs":{}}`)
	c.must(404, "POST", "/v1/destinations/braze/mappings/nope/hooks/onMappingSave", `{"inputs":{}}`)
	c.must(404, "POST", "/v1/destinations/none/mappings/items/hooks/onMappingSave", `{"inputs":{}}`)
	if len(vendor.requests) != 0 {
		t.Fatalf("invalid runs reached the vendor: %q", vendor.requests)
	}
	// The vendor's refusal is a 502 that never shows the key, and nothing is saved.
	c.must(200, "PATCH", "/v1/destinations/braze", `{"settings":{"api_key":"braze-key-wrong-456"}}`)
	r = c.must(502, "POST", hookPath, `{"inputs":{"operation":"create","created_catalog_name":"x","columns":[]}}`)
	if strings.Contains(r.body, "braze-key-wrong-456") || !strings.Contains(r.body, "braze answered") {
		t.Fatalf("%s", r.body)
	}
	saved := c.must(200, "GET", "/v1/destinations/braze/mappings/items", "").body
	if strings.Contains(saved, "onMappingSave") {
		t.Fatalf("a failed run was saved: %s", saved)
	}
}

// The egress guard applies: with loopback refused, the hook never connects.
func TestHookThroughTheEgressGuard(t *testing.T) {
	c, vendor, _ := newHookAPI(t)
	destkit.SetEgressPolicy(destkit.NewEgressPolicy())
	t.Cleanup(func() { destkit.SetEgressPolicy(nil) })
	r := c.must(502, "POST", hookPath, `{"inputs":{"operation":"create","created_catalog_name":"x","columns":[]}}`)
	if !strings.Contains(r.body, "egress guard") {
		t.Fatalf("%s", r.body)
	}
	if len(vendor.requests) != 0 {
		t.Fatalf("the guard let %q through", vendor.requests)
	}
}

// A dynamic field (here a hook input's) lists the vendor's choices; a viewer may ask.
func TestFieldChoices(t *testing.T) {
	c, vendor, as := newHookAPI(t)
	path := "/v1/destinations/braze/actions/upsertCatalogItem/fields/onMappingSave.selected_catalog_name/choices"
	r := as("view-token-1", "GET", path+"?mapping=items&values="+url.QueryEscape(`{"operation":"select"}`), "")
	if r.status != 200 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	var got struct{ Choices []destkit.Choice }
	if err := json.Unmarshal([]byte(r.body), &got); err != nil || len(got.Choices) != 2 || got.Choices[0].Value != "shoes" || got.Choices[1].Label != "hats" {
		t.Fatalf("%s", r.body)
	}
	if vendor.requests[0] != "GET /catalogs " {
		t.Fatalf("%q", vendor.requests)
	}
	c.must(400, "GET", "/v1/destinations/braze/actions/upsertCatalogItem/fields/item_id/choices", "")
	c.must(400, "GET", "/v1/destinations/braze/actions/upsertCatalogItem/fields/nope/choices", "")
	c.must(404, "GET", "/v1/destinations/braze/actions/nope/fields/item_id/choices", "")
	c.must(404, "GET", path+"?mapping=nope", "")
	c.must(400, "GET", path+"?values=[1]", "")
}

// An audience destination's hook (the audience kit's, here The Trade Desk CRM's) creates
// the vendor's audience and saves its id on the mapping, where the pipeline reads it.
func TestAudienceHookCreatesTheAudience(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	vendor := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		seen = append(seen, r.Method+" "+r.URL.Path+" "+r.Header.Get("TTD-Auth")+" "+string(body))
		mu.Unlock()
		io.WriteString(w, `{"CrmDataId":"crm-77"}`)
	}))
	t.Cleanup(vendor.Close)
	c, _ := newAPI(t, Options{Tester: tester.Options{DestOptions: []destkit.Option{destkit.RedirectAll(vendor.URL)}}})
	c.must(201, "POST", "/v1/sources", `{"id":"web","topics":["events"],"write_key":"wk"}`)
	c.must(201, "POST", "/v1/destinations", `{"id":"ttd","type":"the-trade-desk-crm","sources":["web"],"enabled":true,
		"settings":{"auth_token":"ttd-token-1","advertiser_id":"adv1"}}`)
	c.must(201, "POST", "/v1/destinations/ttd/mappings", `{"id":"vip","action":"syncAudience","trigger":"event = \"Audience Entered\"",
		"mapping":{"pii_type":"Email","email":{"@path":"$.context.traits.email"}}}`)
	r := c.must(200, "POST", "/v1/destinations/ttd/mappings/vip/hooks/onMappingSave", `{"inputs":{"audienceName":"VIPs","audienceSettings":{"region":"US"}}}`)
	if strings.Contains(r.body, "ttd-token-1") {
		t.Fatalf("the token reached the answer: %s", r.body)
	}
	if len(seen) != 1 || seen[0] != `POST /v3/crmdata/targeting/segment ttd-token-1 {"AdvertiserId":"adv1","SegmentName":"VIPs","Region":"US","DataProviderId":"twilio"}` {
		t.Fatalf("vendor saw %q", seen)
	}
	var m struct{ Mapping json.RawMessage }
	json.Unmarshal([]byte(c.must(200, "GET", "/v1/destinations/ttd/mappings/vip", "").body), &m)
	var b bytes.Buffer
	json.Compact(&b, m.Mapping)
	if !strings.HasSuffix(b.String(), `"onMappingSave":{"inputs":{"audienceName":"VIPs","audienceSettings":{"region":"US"}},"outputs":{"audienceName":"VIPs","externalId":"crm-77"}}}`) {
		t.Fatalf("saved %s", b.String())
	}
	// A missing region is the person's to fix: a 400 naming it, and nothing sent.
	r = c.must(400, "POST", "/v1/destinations/ttd/mappings/vip/hooks/onMappingSave", `{"inputs":{"audienceName":"VIPs"}}`)
	if !strings.Contains(r.body, "region") || len(seen) != 1 {
		t.Fatalf("%s %q", r.body, seen)
	}
}

// The catalog tells the console which hooks run, which fields are dynamic, and how an
// audience destination's audiences are made.
func TestCatalogShowsHooksAndDynamicFields(t *testing.T) {
	c, _ := newAPI(t, Options{})
	var braze struct {
		Actions []struct {
			Key   string
			Hooks []struct {
				Key    string
				Runs   bool
				Inputs []struct {
					Key     string
					Dynamic bool
				}
			}
		}
	}
	json.Unmarshal([]byte(c.must(200, "GET", "/v1/catalog/braze", "").body), &braze)
	found := false
	for _, a := range braze.Actions {
		if a.Key != "upsertCatalogItem" {
			continue
		}
		found = len(a.Hooks) == 1 && a.Hooks[0].Key == "onMappingSave" && a.Hooks[0].Runs &&
			a.Hooks[0].Inputs[1].Key == "selected_catalog_name" && a.Hooks[0].Inputs[1].Dynamic
	}
	if !found {
		t.Fatalf("braze's catalog hook is not shown as runnable with a dynamic input: %+v", braze)
	}
	var ttd struct {
		Audience struct {
			FullAudienceSync bool `json:"full_audience_sync"`
			Creates, Checks  bool
			Fields           []struct{ Key string }
		}
	}
	json.Unmarshal([]byte(c.must(200, "GET", "/v1/catalog/the-trade-desk-crm", "").body), &ttd)
	if !ttd.Audience.FullAudienceSync || !ttd.Audience.Creates || !ttd.Audience.Checks || len(ttd.Audience.Fields) != 1 {
		t.Fatalf("%+v", ttd)
	}
}
