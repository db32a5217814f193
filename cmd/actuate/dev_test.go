package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
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
