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

const profilesWorkspace = `
sources: [{ id: web, write_key: dev, topics: [events] }]
profiles:
  enabled: true
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
        trigger: 'type = "track"'
        mapping:
          url: "{{inspector}}/tracks"
          method: POST
          data:
            user: { "@path": "$.userId" }
            email: { "@path": "$.profile.traits.email" }
            tier: { "@path": "$.enrichments.accounts.tier" }
`

// TestDevProfilesAndEnrichments is the demo: in actuate dev with profiles on and
// a data model, a row PUT through the API, an identify with an email, then a track without
// one: the track's request carries the email from the profile and the account's column
// from the model. The API shows the profile and erases it.
func TestDevProfilesAndEnrichments(t *testing.T) {
	d, call := devWithConfig(t, profilesWorkspace)
	api, ingest := asAPI, asWriteKey
	if code, body := call("PUT", "/v1/data-models/accounts/rows/acme", `{"tier":"enterprise"}`, api); code != http.StatusOK {
		t.Fatalf("PUT row: %d %s", code, body)
	}
	if code, body := call("POST", "/v1/identify", `{"userId":"ada","traits":{"email":"ada@example.com"}}`, ingest); code != http.StatusOK {
		t.Fatalf("identify: %d %s", code, body)
	}
	// The ingest API keys both events by ada: they share a partition and are routed in
	// order, the identify's update before the track.
	if code, body := call("POST", "/v1/track", `{"userId":"ada","event":"Signed Up","context":{"groupId":"acme"}}`, ingest); code != http.StatusOK {
		t.Fatalf("track: %d %s", code, body)
	}
	got := waitForRequests(t, d, 1)
	if body := string(got[0].Body); body != `{"user":"ada","email":"ada@example.com","tier":"enterprise"}` {
		t.Fatalf("the track's request: %s", body)
	}

	// The API shows the profile; the Event Tester shows it before and after an event.
	code, body := call("GET", "/v1/profiles/ada", "", api)
	var shown struct {
		Profile struct {
			UserID string            `json:"user_id"`
			Traits map[string]string `json:"traits"`
		} `json:"profile"`
	}
	json.Unmarshal([]byte(body), &shown)
	if code != http.StatusOK || shown.Profile.UserID != "ada" || shown.Profile.Traits["email"] != "ada@example.com" {
		t.Fatalf("GET profile: %d %s", code, body)
	}
	code, res := call("POST", "/v1/destinations/inspector/test", `{"event":{"type":"track","event":"x","userId":"ada","context":{"traits":{"plan":"pro"}}}}`, api)
	if code != http.StatusOK || !strings.Contains(res, `"before": {`) || !strings.Contains(res, `"plan": "pro"`) || !strings.Contains(res, `"email": "ada@example.com"`) {
		t.Fatalf("tester: %d %s", code, res)
	}

	// Erasure: a tombstone through the processor; the next track has no email.
	if code, body := call("DELETE", "/v1/profiles/ada", "", api); code != http.StatusAccepted {
		t.Fatalf("DELETE profile: %d %s", code, body)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		code, body := call("GET", "/v1/profiles/ada", "", api)
		if code == http.StatusNotFound {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the erased profile is still shown: %d %s", code, body)
		}
		time.Sleep(100 * time.Millisecond)
	}
	call("POST", "/v1/track", `{"userId":"ada","event":"Signed Up","context":{"groupId":"acme"}}`, ingest)
	got = waitForRequests(t, d, 2)
	if body := string(got[1].Body); body != `{"user":"ada","tier":"enterprise"}` {
		t.Fatalf("the track after the erasure: %s", body)
	}
}

func TestValidateKnowsProfilePaths(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "w.yaml")
	valid := strings.ReplaceAll(profilesWorkspace, "{{inspector}}", "https://example.com")
	os.WriteFile(cfg, []byte(valid), 0o600)
	var out, errOut bytes.Buffer
	if code := run([]string{"validate", "--config", cfg}, streams{stdout: &out, stderr: &errOut}); code != exitOK {
		t.Fatalf("$.profile.traits.email with profiles on: exit %d: %s%s", code, out.String(), errOut.String())
	}
	os.WriteFile(cfg, []byte(strings.ReplaceAll(valid, "$.profile.traits.email", "$.profile.email")), 0o600)
	out.Reset()
	errOut.Reset()
	code := run([]string{"validate", "--config", cfg}, streams{stdout: &out, stderr: &errOut})
	if code != exitInvalid || !strings.Contains(errOut.String(), "destinations[0].mappings[0].mapping: $.profile.email is not a profile path: a profile has traits (profile.traits.<name>), user_id and anonymous_ids") {
		t.Fatalf("exit %d: %s%s", code, out.String(), errOut.String())
	}
	os.WriteFile(cfg, []byte(strings.ReplaceAll(valid, "enabled: true", "enabled: false")), 0o600)
	errOut.Reset()
	code = run([]string{"validate", "--config", cfg}, streams{stdout: &out, stderr: &errOut})
	if code != exitInvalid || !strings.Contains(errOut.String(), "$.profile.traits reads the user's profile, and profiles are off (profiles: {enabled: true})") {
		t.Fatalf("profiles off: exit %d: %s", code, errOut.String())
	}
}
