package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const modelsWorkspace = `
sources: [{ id: web, write_key: dev, topics: [events] }]
data_models:
  - id: accounts
    key: "$.context.groupId"
destinations:
  - id: inspector
    type: webhook
    sources: [web]
    enabled: true
    mappings:
      - id: tracks
        enabled: true
        action: send
        trigger: 'type = "track" and enrichments.accounts.tier != "blocked"'
        mapping:
          url: "{{inspector}}/tracks"
          method: POST
          data:
            user: { "@path": "$.userId" }
            tier: { "@path": "$.enrichments.accounts.tier" }
            seats: { "@path": "$.enrichments.accounts.seats" }
`

// TestDevDataModel: in actuate dev with a data model, a row PUT through the control API
// reaches the requests of the events sent after it; `actuate models load` loads a CSV
// file through the same API.
func TestDevDataModel(t *testing.T) {
	d, call := devWithConfig(t, modelsWorkspace)
	api, ingest := asAPI, asWriteKey
	dir := t.TempDir()
	if code, body := call("PUT", "/v1/data-models/accounts/rows/acme", `{"tier":"enterprise","seats":40}`, api); code != http.StatusOK {
		t.Fatalf("PUT row: %d %s", code, body)
	}
	call("POST", "/v1/track", `{"userId":"ada","event":"Signed Up","context":{"groupId":"acme"}}`, ingest)
	call("POST", "/v1/track", `{"userId":"bob","event":"Signed Up","context":{"groupId":"unknown"}}`, ingest)
	got := waitForRequests(t, d, 2)
	bodies := map[string]string{}
	for _, r := range got {
		var v struct {
			User string `json:"user"`
		}
		json.Unmarshal(r.Body, &v)
		bodies[v.User] = string(r.Body)
	}
	if bodies["ada"] != `{"user":"ada","tier":"enterprise","seats":40}` || bodies["bob"] != `{"user":"bob"}` {
		t.Fatalf("requests: %v", bodies)
	}

	// The Event Tester shows the row it used.
	code, res := call("POST", "/v1/destinations/inspector/test", `{"event":{"type":"track","event":"x","userId":"ada","context":{"groupId":"acme"}}}`, api)
	if code != http.StatusOK || !strings.Contains(res, `"key": "acme"`) || !strings.Contains(res, `"found": true`) {
		t.Fatalf("tester: %d %s", code, res)
	}

	// A CSV file through actuate models load; a bad line loads nothing.
	csvFile := filepath.Join(dir, "accounts.csv")
	os.WriteFile(csvFile, []byte("id,tier\nacme,blocked\n,free\n"), 0o600)
	var out, errOut bytes.Buffer
	args := []string{"models", "load", "--model", "accounts", "--file", csvFile, "--key-column", "id", "--api", d.baseURL, "--api-token", devAPIToken}
	if code := run(args, streams{stdout: &out, stderr: &errOut}); code != exitInvalid || !strings.Contains(errOut.String(), "accounts.csv:3: the row key is empty") {
		t.Fatalf("a bad CSV: exit %d, %s", code, errOut.String())
	}
	if _, body := call("GET", "/v1/data-models/accounts/rows/acme", "", api); !strings.Contains(body, `"tier": "enterprise"`) {
		t.Fatalf("a refused load changed the row: %s", body)
	}
	os.WriteFile(csvFile, []byte("id,tier\nacme,blocked\nglobex,free\n"), 0o600)
	out.Reset()
	errOut.Reset()
	if code := run(args, streams{stdout: &out, stderr: &errOut}); code != exitOK || !strings.Contains(errOut.String(), "loaded 2/2 rows (100%)") {
		t.Fatalf("load: exit %d, %s %s", code, out.String(), errOut.String())
	}
	if _, body := call("GET", "/v1/data-models/accounts/rows/globex", "", api); !strings.Contains(body, `"tier": "free"`) {
		t.Fatalf("row globex: %s", body)
	}
	// The changed row applies to the events after it: acme is now blocked by the trigger.
	call("POST", "/v1/track", `{"userId":"cy","event":"Signed Up","context":{"groupId":"acme"}}`, ingest)
	call("POST", "/v1/track", `{"userId":"di","event":"Signed Up","context":{"groupId":"globex"}}`, ingest)
	got = waitForRequests(t, d, 3)
	if last := string(got[2].Body); last != `{"user":"di","tier":"free"}` {
		t.Fatalf("after the load: %s", last)
	}
	time.Sleep(500 * time.Millisecond)
	if n := len(d.inspector.received()); n != 3 {
		t.Fatalf("%d requests; cy's account is blocked", n)
	}
}

func waitForRequests(t *testing.T, d *devRun, n int) []inspectedRequest {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if got := d.inspector.received(); len(got) >= n {
			return got
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("fewer than %d requests reached the inspector within 60 s: %v", n, d.inspector.received())
	return nil
}

func TestValidateNamesUnknownModels(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "w.yaml")
	os.WriteFile(cfg, []byte(strings.ReplaceAll(strings.ReplaceAll(modelsWorkspace, "{{inspector}}", "https://example.com"), "$.enrichments.accounts.seats", "$.enrichments.acount.seats")), 0o600)
	var out, errOut bytes.Buffer
	code := run([]string{"validate", "--config", cfg}, streams{stdout: &out, stderr: &errOut})
	if code != exitInvalid || !strings.Contains(out.String()+errOut.String(), `destinations[0].mappings[0].mapping: $.enrichments.acount names data model "acount", which is not declared (data_models: accounts)`) {
		t.Fatalf("exit %d: %s%s", code, out.String(), errOut.String())
	}
}
