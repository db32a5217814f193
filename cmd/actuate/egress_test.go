package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
)

// `actuate test --send` to a webhook on loopback is refused with the address named and
// nothing reaching the listener; with the range allowed it is sent.
func TestTesterSendIsGuarded(t *testing.T) {
	var hits atomic.Int32
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer hook.Close()
	cfg := writeFile(t, "ws.yaml", fmt.Sprintf(`
sources: [{ id: web, topics: [events] }]
destinations:
  - id: hooks
    type: webhook
    sources: [web]
    enabled: true
    mappings:
      - { id: m, enabled: true, action: send, trigger: 'type = "track"', mapping: { url: "%s/hook", method: POST, data: { e: { "@path": "$.event" } } } }
      - { id: metadata, enabled: true, action: send, trigger: 'type = "track"', mapping: { url: "http://169.254.169.254/latest/meta-data/", method: POST } }
`, hook.URL))
	ev := writeFile(t, "event.json", orderCompleted)
	type result struct {
		Mappings []struct {
			Mapping   string `json:"mapping"`
			SendError string `json:"send_error"`
			Outcome   string `json:"outcome"`
		} `json:"mappings"`
	}
	send := func(extra ...string) result {
		t.Helper()
		code, stdout, stderr := runCLI(t, "", append([]string{"test", "--config", cfg, "--destination", "hooks", "--event", ev, "--send"}, extra...)...)
		var res result
		if code != exitOK || json.Unmarshal([]byte(stdout), &res) != nil || len(res.Mappings) != 2 {
			t.Fatalf("exit %d stdout %s stderr %s", code, stdout, stderr)
		}
		return res
	}
	res := send()
	for _, m := range res.Mappings {
		if m.Outcome != "fail" || !strings.Contains(m.SendError, "egress refused") {
			t.Errorf("%s: outcome %q error %q, want a refusal", m.Mapping, m.Outcome, m.SendError)
		}
	}
	if !strings.Contains(res.Mappings[0].SendError, "127.0.0.1 is loopback") || !strings.Contains(res.Mappings[1].SendError, "169.254.169.254 is link-local") {
		t.Errorf("errors do not name the address and rule: %+v", res.Mappings)
	}
	if hits.Load() != 0 {
		t.Fatalf("%d requests reached the listener", hits.Load())
	}
	res = send("--egress-allow", "127.0.0.1/32")
	if res.Mappings[0].Outcome != "delivered" || hits.Load() != 1 {
		t.Fatalf("allowed: %+v, hits %d", res.Mappings[0], hits.Load())
	}
	if !strings.Contains(res.Mappings[1].SendError, "169.254.169.254") {
		t.Errorf("the metadata address was not refused with loopback allowed: %+v", res.Mappings[1])
	}
	if destkit.CurrentEgressPolicy() != nil {
		t.Error("the command left its egress policy installed")
	}
	if code, _, stderr := runCLI(t, "", "test", "--config", cfg, "--destination", "hooks", "--event", ev, "--egress-allow", "nonsense"); code != exitInvalid || !strings.Contains(stderr, "nonsense") {
		t.Errorf("a bad --egress-allow: exit %d, %s", code, stderr)
	}
}
