package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/actuate/actuate/internal/testws"
	"github.com/actuate/actuate/processor/workspace"
)

type captured struct{ records []*kgo.Record }

func newTestHandler(t testing.TB, produceErr error) (*Handler, *captured) {
	t.Helper()
	ws := testws.Compile(t, "sources:\n  - { id: web, write_key: wk_web, topics: [events, mirror] }\n")
	c := &captured{}
	h := NewHandler(func() *workspace.Workspace { return ws }, func(_ context.Context, rs ...*kgo.Record) error {
		if produceErr != nil {
			return produceErr
		}
		c.records = append(c.records, rs...)
		return nil
	}, nil)
	h.now = func() time.Time { return time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC) }
	return h, c
}

func post(h http.Handler, path, writeKey, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	if writeKey != "" {
		req.SetBasicAuth(writeKey, "")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestTrackIsProducedToEverySourceTopicKeyedByUser(t *testing.T) {
	h, c := newTestHandler(t, nil)
	rec := post(h, "/v1/track", "wk_web", `{"userId":"u1","event":"Signed Up","properties":{"plan":"pro"}}`)
	if rec.Code != http.StatusOK || strings.TrimSpace(rec.Body.String()) != `{"success":true}` {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	if len(c.records) != 2 || c.records[0].Topic != "events" || c.records[1].Topic != "mirror" {
		t.Fatalf("records: %+v", c.records)
	}
	r := c.records[0]
	if string(r.Key) != "u1" || string(r.Headers[0].Value) != "wk_web" {
		t.Fatalf("key %q headers %+v", r.Key, r.Headers)
	}
	var ev map[string]any
	if err := json.Unmarshal(r.Value, &ev); err != nil {
		t.Fatal(err)
	}
	if ev["type"] != "track" || ev["receivedAt"] != "2024-05-01T12:00:00.000Z" || ev["timestamp"] != "2024-05-01T12:00:00.000Z" ||
		!strings.HasPrefix(ev["messageId"].(string), "api-") {
		t.Fatalf("event %v: want type, receivedAt, a timestamp and a messageId added", ev)
	}
	kept := `{"userId":"u1","event":"Signed Up","properties":{"plan":"pro"},"type":"track"`
	if !strings.HasPrefix(string(r.Value), kept) {
		t.Fatalf("the client's fields and their order changed: %s", r.Value)
	}
}

func TestExistingMessageIDAndReceivedAtAreKept(t *testing.T) {
	h, c := newTestHandler(t, nil)
	post(h, "/v1/identify", "wk_web", `{"anonymousId":"a1","messageId":"m-7","receivedAt":"2020-01-01T00:00:00Z","timestamp":"2019-12-31T23:59:59Z","traits":{}}`)
	var ev map[string]any
	json.Unmarshal(c.records[0].Value, &ev)
	if ev["messageId"] != "m-7" || ev["receivedAt"] != "2020-01-01T00:00:00Z" || ev["timestamp"] != "2019-12-31T23:59:59Z" || string(c.records[0].Key) != "a1" {
		t.Fatalf("event %v key %q", ev, c.records[0].Key)
	}
}

func TestBatch(t *testing.T) {
	h, c := newTestHandler(t, nil)
	rec := post(h, "/v1/batch", "wk_web", `{"batch":[{"type":"track","userId":"u1","event":"A"},{"type":"page","userId":"u2","name":"Home"}],"context":{"ip":"1.2.3.4"}}`)
	if rec.Code != http.StatusOK || len(c.records) != 4 {
		t.Fatalf("%d %s, %d records", rec.Code, rec.Body, len(c.records))
	}
	var ev map[string]any
	json.Unmarshal(c.records[2].Value, &ev)
	if ev["type"] != "page" || ev["context"].(map[string]any)["ip"] != "1.2.3.4" {
		t.Fatalf("second event %v: want the batch's context", ev)
	}
}

func TestRejections(t *testing.T) {
	big := `{"userId":"u","event":"e","properties":{"x":"` + strings.Repeat("a", MaxEventBytes) + `"}}`
	bigBatch := `{"batch":[` + strings.Repeat(`{"type":"track","userId":"u","event":"`+strings.Repeat("a", 1000)+`"},`, 520) + `{}]}`
	cases := []struct {
		name, path, key, body string
		status                int
		message               string
	}{
		{"no write key", "/v1/track", "", `{"userId":"u","event":"e"}`, 401, "write key"},
		{"unknown write key", "/v1/track", "nope", `{"userId":"u","event":"e"}`, 401, "write key"},
		{"unknown endpoint", "/v1/explode", "wk_web", `{}`, 404, "unknown endpoint"},
		{"not JSON", "/v1/track", "wk_web", `{"userId":`, 400, "not valid JSON"},
		{"not an object", "/v1/track", "wk_web", `[1]`, 400, "JSON object"},
		{"no user", "/v1/track", "wk_web", `{"event":"e"}`, 400, "userId or anonymousId is required"},
		{"no event name", "/v1/track", "wk_web", `{"userId":"u"}`, 400, "needs an event name"},
		{"type mismatch", "/v1/track", "wk_web", `{"type":"page","userId":"u"}`, 400, "sent to /v1/track"},
		{"group without groupId", "/v1/group", "wk_web", `{"userId":"u"}`, 400, "groupId"},
		{"alias without previousId", "/v1/alias", "wk_web", `{"userId":"u"}`, 400, "previousId"},
		{"event over 32 KB", "/v1/track", "wk_web", big, 400, "over the 32 KB limit"},
		{"batch over 500 KB", "/v1/batch", "wk_web", bigBatch, 400, "over the 500 KB limit"},
		{"batch item without type", "/v1/batch", "wk_web", `{"batch":[{"userId":"u"}]}`, 400, "batch[0].type"},
		{"empty batch", "/v1/batch", "wk_web", `{"batch":[]}`, 400, "empty"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h, c := newTestHandler(t, nil)
			rec := post(h, tc.path, tc.key, tc.body)
			if rec.Code != tc.status || !strings.Contains(rec.Body.String(), tc.message) {
				t.Fatalf("got %d %s, want %d with %q", rec.Code, rec.Body, tc.status, tc.message)
			}
			if len(c.records) != 0 {
				t.Fatalf("a rejected request produced %d records", len(c.records))
			}
		})
	}
}

func TestProduceFailureIs503(t *testing.T) {
	h, _ := newTestHandler(t, errors.New("broker down"))
	if rec := post(h, "/v1/track", "wk_web", `{"userId":"u","event":"e"}`); rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("got %d", rec.Code)
	}
}

func TestGetIsRejected(t *testing.T) {
	h, _ := newTestHandler(t, nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/v1/track", nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Fatalf("got %d", rec.Code)
	}
}

// The ingest API reads the userId (for the key and suppression) before it writes the event
// out: a string so read is unescaped, and must still be written as JSON, with the same text
// (fastjson's own encoder quoted it as Go does, "\x01", which is not JSON).
func TestStringsReadBeforeWritingStayJSON(t *testing.T) {
	h, c := newTestHandler(t, nil)
	rec := post(h, "/v1/track", "wk_web", `{"userId":"u\u0001\"1\u007f","event":"e","properties":{"note":"a\u0007b\"c"}}`)
	if rec.Code != http.StatusOK {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	var ev struct {
		UserID     string            `json:"userId"`
		Properties map[string]string `json:"properties"`
	}
	if err := json.Unmarshal(c.records[0].Value, &ev); err != nil {
		t.Fatalf("the produced event is not JSON: %v\n%s", err, c.records[0].Value)
	}
	if ev.UserID != "u\x01\"1\x7f" || ev.Properties["note"] != "a\x07b\"c" {
		t.Fatalf("text changed: %q %q", ev.UserID, ev.Properties["note"])
	}
}
