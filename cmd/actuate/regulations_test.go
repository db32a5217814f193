package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

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
	t.Cleanup(vendor.Close) // after dev stops
	_, call := devWithConfig(t, `
sources: [{ id: web, write_key: wk, topics: [events] }]
destinations:
  - { id: amp, type: amplitude, sources: [web], enabled: true, settings: { apiKey: amp-key, secretKey: amp-secret } }
`, destkit.OverrideHost("amplitude.com", vendor.URL))
	code, body := call("POST", "/v1/regulations", `{"type":"delete","user_ids":["ada"]}`, asAPI)
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
		_, body = call("GET", "/v1/regulations/"+id, "", asAPI)
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
