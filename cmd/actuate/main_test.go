package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const orderCompleted = `{"type":"track","event":"Order Completed","userId":"u1","properties":{"revenue":42.5,"products":[{"sku":"A"},{"sku":"B"}]}}`

// runCLI runs the command in-process and returns its exit code and output streams.
func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, streams{strings.NewReader(stdin), &stdout, &stderr})
	return code, stdout.String(), stderr.String()
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestFQLMatch(t *testing.T) {
	ev := writeFile(t, "event.json", orderCompleted)
	cases := []struct {
		expr, stdout string
		code         int
		stderr       string
	}{
		{`type = "track" and event = "Order Completed"`, "true\n", exitOK, ""},
		{`properties.revenue > 100`, "false\n", exitOK, ""},
		{`type = `, "", exitInvalid, "invalid expression"},
		{`contains(event)`, "", exitInvalid, "invalid expression"},
	}
	for _, tc := range cases {
		code, stdout, stderr := runCLI(t, "", "fql", "match", "--expr", tc.expr, "--event", ev)
		if code != tc.code || stdout != tc.stdout || !strings.Contains(stderr, tc.stderr) {
			t.Errorf("fql match %q: got exit %d stdout %q stderr %q; want exit %d stdout %q stderr containing %q",
				tc.expr, code, stdout, stderr, tc.code, tc.stdout, tc.stderr)
		}
	}
}

func TestFQLMatchUsageErrors(t *testing.T) {
	bad := writeFile(t, "bad.json", `{"type":`)
	for _, args := range [][]string{
		{"fql"},
		{"fql", "match", "--expr", "type = 'x'"},
		{"fql", "match", "--expr", "type = 'x'", "--event", bad},
	} {
		if code, _, stderr := runCLI(t, "", args...); code != exitInvalid || stderr == "" {
			t.Errorf("%q: exit %d stderr %q, want exit 2 with a message", args, code, stderr)
		}
	}
}

func TestMappingRenderOne(t *testing.T) {
	ev := writeFile(t, "event.json", orderCompleted)
	m := writeFile(t, "mapping.json", `{"name":{"@path":"$.event"},"uid":{"@path":"$.userId"},"missing":{"@path":"$.nope"},"label":{"@template":"{{event}} by {{userId}}"}}`)
	code, stdout, stderr := runCLI(t, "", "mapping", "render", "--mapping", m, "--event", ev)
	want := `{"name":"Order Completed","uid":"u1","label":"Order Completed by u1"}` + "\n"
	if code != exitOK || stdout != want {
		t.Fatalf("got exit %d stdout %q stderr %q; want %q", code, stdout, stderr, want)
	}
}

func TestMappingRenderInvalidMappingListsEveryError(t *testing.T) {
	ev := writeFile(t, "event.json", orderCompleted)
	m := writeFile(t, "mapping.json", `{"a":{"@path":"$.x","@template":"y"},"b":{"@nope":1}}`)
	code, stdout, stderr := runCLI(t, "", "mapping", "render", "--mapping", m, "--event", ev)
	if code != exitInvalid || stdout != "" {
		t.Fatalf("got exit %d stdout %q, want exit 2 and no output", code, stdout)
	}
	for _, want := range []string{"/a", "/b"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr %q does not name %s", stderr, want)
		}
	}
}

func TestMappingRenderStream(t *testing.T) {
	m := writeFile(t, "mapping.json", `{"name":{"@path":"$.event"}}`)
	events := orderCompleted + "\n\n" + `{"type":"track","event":"Signed Up"` + "\n" + `{"type":"identify","userId":"u2"}` + "\r\n"
	code, stdout, stderr := runCLI(t, events, "mapping", "render", "--mapping", m, "--events", "-")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("got %d lines %q, want 3 (blank input lines carry no event)", len(lines), stdout)
	}
	if lines[0] != `{"name":"Order Completed"}` || !strings.HasPrefix(lines[1], `{"error":"invalid event: malformed JSON`) || lines[2] != `{}` {
		t.Fatalf("unexpected output:\n%s", stdout)
	}
}

func TestMappingRenderStreamWithTriggers(t *testing.T) {
	m := writeFile(t, "mapping.json", `{"name":{"@path":"$.event"}}`)
	triggers := writeFile(t, "triggers.json", `["type = \"track\"", "event = \"Signed Up\"", "properties.revenue > 10", "type = \"page\""]`)
	events := orderCompleted + "\n" + `{"type":"identify","userId":"u2"}` + "\n" + `not json` + "\n" + `{"type":"track","event":"Signed Up"}` + "\n"
	code, stdout, stderr := runCLI(t, events, "mapping", "render", "--mapping", m, "--events", "-", "--triggers", triggers)
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	want := []string{
		`{"m":[0,2],"out":{"name":"Order Completed"}}`,
		`{"m":[],"out":null}`,
		`{"error":`,
		`{"m":[0,1],"out":{"name":"Signed Up"}}`,
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(want), stdout)
	}
	for i := range want {
		if !strings.HasPrefix(lines[i], want[i]) {
			t.Errorf("line %d = %s, want %s", i, lines[i], want[i])
		}
	}
}

func TestMappingRenderBadTriggers(t *testing.T) {
	m := writeFile(t, "mapping.json", `{"name":{"@path":"$.event"}}`)
	triggers := writeFile(t, "triggers.json", `["type = \"track\"", "type = "]`)
	code, _, stderr := runCLI(t, "", "mapping", "render", "--mapping", m, "--events", "-", "--triggers", triggers)
	if code != exitInvalid || !strings.Contains(stderr, "trigger 1") {
		t.Fatalf("exit %d stderr %q, want exit 2 naming trigger 1", code, stderr)
	}
}

func TestUnknownCommand(t *testing.T) {
	if code, _, stderr := runCLI(t, "", "frobnicate"); code != exitInvalid || !strings.Contains(stderr, "unknown command") {
		t.Fatalf("exit %d stderr %q", code, stderr)
	}
}

func TestProcessRejectsABadCommitInterval(t *testing.T) {
	for _, v := range []string{"fast", "0s", "-1s", "1m"} {
		t.Setenv("ACTUATE_COMMIT_INTERVAL", v)
		code, _, stderr := runCLI(t, "", "process", "--brokers", "127.0.0.1:1")
		if code != exitInvalid || !strings.Contains(stderr, "ACTUATE_COMMIT_INTERVAL") {
			t.Errorf("%q: exit %d stderr %q", v, code, stderr)
		}
	}
	t.Setenv("ACTUATE_COMMIT_INTERVAL", "20ms")
	if d, err := commitIntervalFromEnv(); err != nil || d != 20*time.Millisecond {
		t.Errorf("20ms: %v %v", d, err)
	}
}

func TestValidateAndTestCommands(t *testing.T) {
	good := writeFile(t, "good.yaml", `
sources: [{ id: web, topics: [events] }]
destinations:
  - id: hooks
    type: webhook
    sources: [web]
    enabled: true
    mappings:
      - { id: m, enabled: true, action: send, trigger: "type = 'track'", mapping: { url: "https://x.example.com", method: POST, data: { e: { "@path": "$.event" } } } }
`)
	bad := writeFile(t, "bad.yaml", `
sources: [{ id: web, topics: [events] }]
destinations:
  - { id: hooks, type: nosuch, sources: [web] }
  - { id: two, type: webhook, sources: [ghost], mappings: [{ id: m, action: send, trigger: "type = ", mapping: { url: "x" } }] }
`)
	if code, stdout, _ := runCLI(t, "", "validate", "--config", good); code != exitOK || !strings.Contains(stdout, "valid (1 sources, 1 destination instances, 1 enabled mappings)") {
		t.Fatalf("validate good: exit %d %q", code, stdout)
	}
	code, _, stderr := runCLI(t, "", "validate", "--config", bad)
	if code != exitInvalid {
		t.Fatalf("validate bad: exit %d", code)
	}
	for _, want := range []string{"3 problems", `destinations[0].type: unknown destination "nosuch"`, `destinations[1].sources[0]: no source has the id "ghost"`, "destinations[1].mappings[0].trigger: "} {
		if !strings.Contains(stderr, want) {
			t.Errorf("validate bad: stderr lacks %q:\n%s", want, stderr)
		}
	}
	ev := writeFile(t, "event.json", orderCompleted)
	code, stdout, stderr := runCLI(t, "", "test", "--config", good, "--destination", "hooks", "--event", ev)
	var res struct {
		Mappings []struct {
			Mapping string          `json:"mapping"`
			Matched bool            `json:"matched"`
			Payload json.RawMessage `json:"payload"`
		} `json:"mappings"`
	}
	var payload bytes.Buffer
	if code != exitOK || json.Unmarshal([]byte(stdout), &res) != nil || len(res.Mappings) != 1 || !res.Mappings[0].Matched ||
		json.Compact(&payload, res.Mappings[0].Payload) != nil ||
		payload.String() != `{"url":"https://x.example.com","method":"POST","data":{"e":"Order Completed"}}` {
		t.Fatalf("test: exit %d stdout %s stderr %s", code, stdout, stderr)
	}
}

func TestDestinationsCommand(t *testing.T) {
	code, stdout, _ := runCLI(t, "", "destinations", "list")
	if code != exitOK || !strings.Contains(stdout, "webhook") {
		t.Fatalf("list: exit %d %q", code, stdout)
	}
	code, stdout, _ = runCLI(t, "", "destinations", "show", "webhook", "--json")
	var view map[string]any
	if code != exitOK || json.Unmarshal([]byte(stdout), &view) != nil || view["slug"] != "webhook" {
		t.Fatalf("show --json: exit %d %q", code, stdout)
	}
	if code, _, stderr := runCLI(t, "", "destinations", "show", "nosuch"); code != exitInvalid || !strings.Contains(stderr, "unknown destination") {
		t.Fatalf("show nosuch: exit %d %q", code, stderr)
	}
}
