package tester

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/internal/testws"
	"github.com/actuate/actuate/processor/workspace"
)

const testConfig = `
sources: [{ id: web, topics: [events] }]
destinations:
  - id: amp
    type: amplitude
    sources: [web]
    enabled: true
    settings: { apiKey: amp-key-1234567, secretKey: amp-secret-7654321 }
    filters: [{ title: no bots, if: "context.userAgent = 'bot'", actions: [{ type: drop }] }]
    mappings:
      - id: orders
        name: Orders
        enabled: true
        action: logEvent
        trigger: 'event = "Order Completed"'
        mapping: { event_type: { "@path": "$.event" }, user_id: { "@path": "$.userId" }, time: { "@path": "$.timestamp" } }
      - id: nameless
        enabled: true
        action: logEvent
        trigger: 'type = "track"'
        mapping: { user_id: { "@path": "$.userId" } }
      - id: pages
        enabled: true
        action: logEvent
        trigger: 'type = "page"'
        mapping: { event_type: "Viewed", user_id: { "@path": "$.userId" } }
      - id: draft
        enabled: false
        action: logEvent
        trigger: 'type = "identify"'
        mapping: { event_type: "Identified", user_id: { "@path": "$.userId" } }
`

func testWorkspace(t *testing.T) *workspace.Workspace { return testws.Compile(t, testConfig) }

const order = `{"type":"track","event":"Order Completed","userId":"u1","timestamp":"2024-05-01T12:00:00.000Z"}`

func TestMatchesRendersAndValidatesWithoutSending(t *testing.T) {
	res, err := Run(context.Background(), testWorkspace(t), "amp", []byte(order), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Error != "" || len(res.Mappings) != 4 {
		t.Fatalf("result %+v", res)
	}
	orders, nameless, pages := res.Mappings[0], res.Mappings[1], res.Mappings[2]
	if !orders.Matched || string(orders.Payload) != `{"event_type":"Order Completed","user_id":"u1","time":"2024-05-01T12:00:00.000Z"}` || orders.ValidationError != "" || orders.Requests != nil {
		t.Errorf("orders: %+v (payload %s)", orders, orders.Payload)
	}
	if !nameless.Matched || !strings.Contains(nameless.ValidationError, "event_type") {
		t.Errorf("nameless: want a validation error naming event_type, got %+v", nameless)
	}
	if pages.Matched || pages.Payload != nil {
		t.Errorf("pages: %+v", pages)
	}
}

func TestNoMatchingMapping(t *testing.T) {
	res, err := Run(context.Background(), testWorkspace(t), "amp", []byte(`{"type":"screen","userId":"u1"}`), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Error != NoMatch {
		t.Fatalf("error %q, want %q", res.Error, NoMatch)
	}
}

func TestDisabledMappingIsTestedButDoesNotCountAsAMatch(t *testing.T) {
	res, err := Run(context.Background(), testWorkspace(t), "amp", []byte(`{"type":"identify","userId":"u1"}`), Options{})
	if err != nil {
		t.Fatal(err)
	}
	draft := res.Mappings[3]
	if draft.Mapping != "draft" || draft.Enabled || !draft.Matched || string(draft.Payload) != `{"event_type":"Identified","user_id":"u1"}` {
		t.Fatalf("draft: %+v (payload %s)", draft, draft.Payload)
	}
	if res.Error != NoMatch {
		t.Fatalf("error %q: only enabled mappings are subscriptions", res.Error)
	}
}

func TestReportsTheFilterThatDrops(t *testing.T) {
	res, err := Run(context.Background(), testWorkspace(t), "amp", []byte(`{"type":"track","event":"Order Completed","userId":"u1","context":{"userAgent":"bot"}}`), Options{})
	if err != nil || res.Filtered != "no bots" {
		t.Fatalf("got %+v, %v; want filtered by \"no bots\"", res, err)
	}
}

func TestSendShowsRequestAndResponseWithSecretsMasked(t *testing.T) {
	var gotBody string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		gotBody = string(b)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`{"code":400,"error":"Invalid API key: amp-key-1234567"}`))
	}))
	defer srv.Close()
	res, err := Run(context.Background(), testWorkspace(t), "amp", []byte(order), Options{Send: true, DestOptions: []destkit.Option{destkit.RedirectAll(srv.URL)}})
	if err != nil {
		t.Fatal(err)
	}
	orders := res.Mappings[0]
	if len(orders.Requests) != 1 {
		t.Fatalf("requests: %+v", orders.Requests)
	}
	ex := orders.Requests[0]
	if !strings.Contains(gotBody, "amp-key-1234567") {
		t.Fatalf("the destination did not get the real key: %s", gotBody)
	}
	if ex.Method != http.MethodPost || ex.Status != http.StatusBadRequest || orders.Outcome != "fail" || orders.SendError == "" {
		t.Fatalf("exchange %+v outcome %s error %q", ex, orders.Outcome, orders.SendError)
	}
	out, _ := json.Marshal(res)
	if strings.Contains(string(out), "amp-key-1234567") || strings.Contains(string(out), "amp-secret-7654321") {
		t.Fatalf("a secret reached the tester's output: %s", out)
	}
	if !strings.Contains(ex.Body, destkit.Redacted) || !strings.Contains(ex.ResponseBody, "Invalid API key: "+destkit.Redacted) {
		t.Fatalf("body %s response %s: want the key masked in both", ex.Body, ex.ResponseBody)
	}
}

func TestUnknownInstanceAndBadEvent(t *testing.T) {
	ws := testWorkspace(t)
	if _, err := Run(context.Background(), ws, "nope", []byte(order), Options{}); err == nil {
		t.Fatal("an unknown instance was tested")
	}
	if _, err := Run(context.Background(), ws, "amp", []byte(`{"type":`), Options{}); err == nil || !strings.Contains(err.Error(), "malformed JSON") {
		t.Fatalf("got %v, want a malformed JSON error", err)
	}
}
