package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/actuate/actuate/processor/ingest"
)

// TestDevDeliversToTheInspector is the README's first command, end to end: an event sent
// to the ingest API comes out of the embedded pipeline as a request to the inspector.
func TestDevDeliversToTheInspector(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	d, err := startDev(ctx, devOptions{listen: "127.0.0.1:0", log: zap.NewNop()})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		cancel()
		if err := d.wait(); err != nil {
			t.Errorf("dev stopped with %v", err)
		}
	}()
	// Before anything was sent the inspector lists no request: [], not null.
	resp, err := http.Get(d.baseURL + "/inspect")
	if err != nil {
		t.Fatal(err)
	}
	empty, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.TrimSpace(string(empty)) != "[]" {
		t.Fatalf("GET /inspect before any request: %q, want []", empty)
	}
	send := func(path, body string) {
		req, _ := http.NewRequest(http.MethodPost, d.baseURL+path, strings.NewReader(body))
		req.SetBasicAuth(d.writeKey, "")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", path, resp.StatusCode)
		}
	}
	send("/v1/track", `{"userId":"test-9","event":"Order Completed","properties":{"order_id":"dropped"}}`)
	send("/v1/track", `{"userId":"ada","event":"Order Completed","properties":{"order_id":"o-1","revenue":42}}`)

	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if got := d.inspector.received(); len(got) > 0 {
			if len(got) != 1 || got[0].Path != "/inspect/orders" {
				t.Fatalf("inspector got %+v", got)
			}
			var body any
			json.Unmarshal(got[0].Body, &body)
			want := map[string]any{"order_id": "o-1", "revenue": 42.0, "user": "ada", "summary": "ada ordered o-1"}
			b, _ := json.Marshal(body)
			w, _ := json.Marshal(want)
			if string(b) != string(w) {
				t.Fatalf("body %s, want %s", b, w)
			}
			checkDevControlAPI(t, d.baseURL)
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("no request reached the inspector within 60 s")
}

// checkDevControlAPI: the control API is on in dev mode, behind the printed token.
func checkDevControlAPI(t *testing.T, baseURL string) {
	t.Helper()
	get := func(token string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, baseURL+"/v1/destinations/inspector", nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := get(""); code != http.StatusUnauthorized {
		t.Errorf("without the token: status %d, want 401", code)
	}
	if code, body := get(devAPIToken); code != http.StatusOK || !strings.Contains(body, `"orders"`) {
		t.Errorf("with the token: status %d body %s", code, body)
	}
}

// `actuate dev --ingest-rate-limit` holds each write key to the limit as `serve` does: the
// requests beyond the burst get 429 with Retry-After, are counted per source on /metrics,
// and none of them reaches the pipeline.
func TestDevIngestRateLimit(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	// A rate too slow to refill during the test: the burst is all a key gets.
	d, err := startDev(ctx, devOptions{listen: "127.0.0.1:0", log: zap.NewNop(), ingestLimit: ingest.RateLimit{PerSecond: 0.01, Burst: 2}})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	defer func() {
		cancel()
		if err := d.wait(); err != nil {
			t.Errorf("dev stopped with %v", err)
		}
	}()
	var codes []int
	var retryAfter string
	for i := range 3 {
		body := fmt.Sprintf(`{"userId":"ada","event":"Order Completed","properties":{"order_id":"o-%d","revenue":1}}`, i)
		req, _ := http.NewRequest(http.MethodPost, d.baseURL+"/v1/track", strings.NewReader(body))
		req.SetBasicAuth(d.writeKey, "")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		codes = append(codes, resp.StatusCode)
		if resp.StatusCode == http.StatusTooManyRequests {
			retryAfter = resp.Header.Get("Retry-After")
		}
	}
	if fmt.Sprint(codes) != "[200 200 429]" {
		t.Fatalf("statuses %v, want [200 200 429]: a burst of 2, then refused", codes)
	}
	if s, err := strconv.Atoi(retryAfter); err != nil || s < 1 {
		t.Errorf("Retry-After %q, want whole seconds", retryAfter)
	}
	resp, err := http.Get(d.baseURL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if want := ingest.RateLimitedMetric + `{source="web"} 1`; !strings.Contains(string(metrics), want) {
		t.Errorf("/metrics has no %s", want)
	}
	// The two accepted events are delivered; the refused one never is.
	deadline := time.Now().Add(60 * time.Second)
	for len(d.inspector.received()) < 2 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(time.Second)
	var orders []string
	for _, r := range d.inspector.received() {
		var b struct {
			OrderID string `json:"order_id"`
		}
		json.Unmarshal(r.Body, &b)
		orders = append(orders, b.OrderID)
	}
	sort.Strings(orders)
	if fmt.Sprint(orders) != "[o-0 o-1]" {
		t.Errorf("the inspector received orders %v, want [o-0 o-1]", orders)
	}
}
