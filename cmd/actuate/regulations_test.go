package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/actuate/actuate/destinations/destkit"
)

// A deletion request in `actuate dev` reaches the destination once, through the deleter
// that leads its group on the embedded Kafka, and its status becomes succeeded.
func TestDevRunsDeletionsThroughTheElectedDeleter(t *testing.T) {
	var mu sync.Mutex
	var deletions []string
	vendor := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		deletions = append(deletions, r.Method+" "+r.URL.Path+" "+string(b))
		mu.Unlock()
		w.Write([]byte(`{}`))
	}))
	defer vendor.Close()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	cfg := filepath.Join(t.TempDir(), "workspace.yaml")
	os.WriteFile(cfg, []byte(`
sources: [{ id: web, write_key: wk, topics: [events] }]
destinations:
  - { id: amp, type: amplitude, sources: [web], enabled: true, settings: { apiKey: amp-key, secretKey: amp-secret } }
`), 0o600)
	ctx, cancel := context.WithCancel(context.Background())
	d, err := startDev(ctx, devOptions{configFile: cfg, listen: addr, log: zap.NewNop(),
		destOptions: []destkit.Option{destkit.OverrideHost("amplitude.com", vendor.URL)}})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	defer func() { cancel(); d.wait() }()
	call := func(method, path, body string) (int, string) {
		req, _ := http.NewRequest(method, d.baseURL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+devAPIToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, body := call("POST", "/v1/regulations", `{"type":"delete","user_ids":["ada"]}`)
	if code != http.StatusCreated {
		t.Fatalf("create: %d %s", code, body)
	}
	var created struct {
		ID string `json:"id"`
	}
	if json.Unmarshal([]byte(body), &created) != nil || created.ID == "" {
		t.Fatalf("create answered %s", body)
	}
	id := created.ID
	deadline := time.Now().Add(60 * time.Second)
	for {
		_, body = call("GET", "/v1/regulations/"+id, "")
		if strings.Contains(body, `"succeeded"`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no deletion succeeded within 60 s: %s", body)
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond) // a second deleter, if there were one, would call now
	mu.Lock()
	defer mu.Unlock()
	if want := `POST /api/2/deletions/users {"user_ids":["ada"],"requester":"actuate"}`; len(deletions) != 1 || deletions[0] != want {
		t.Errorf("the vendor got %q, want once %s", deletions, want)
	}
	if strings.Contains(fmt.Sprint(deletions), "amp-secret") {
		t.Error("the secret key reached a body")
	}
}
