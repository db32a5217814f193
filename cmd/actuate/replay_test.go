package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/actuate/actuate/internal/testenv"
)

// On the real broker: `actuate replay` and `actuate backfill` start on the config topic
// (with --config's overlay), run a dry run and print its counts; a bad time or an unknown
// destination exits 2 naming it.
func TestReplayAndBackfillCommands(t *testing.T) {
	brokers := testenv.Kafka(t)
	configTopic := testenv.Topic(t, "config", 1)
	testenv.Topic(t, "config-history", 1)
	events := testenv.Topic(t, "events", 1)
	cfg := writeFile(t, "ws.yaml", fmt.Sprintf(`
sources: [{ id: web, topics: [%s] }]
destinations:
  - id: hooks
    type: webhook
    sources: [web]
    enabled: true
    mappings:
      - { id: m, enabled: true, action: send, trigger: 'type = "track"', mapping: { url: "https://hooks.example.com/in", method: POST, data: { e: { "@path": "$.event" } } } }
`, events))
	flags := []string{"--brokers", strings.Join(brokers, ","), "--config-topic", configTopic, "--config", cfg}
	type counts struct {
		Destination string `json:"destination"`
		DryRun      bool   `json:"dry_run"`
	}
	for _, cmd := range [][]string{
		{"replay", "--destination", "hooks", "--dry-run", "--json", "--from", "2026-01-01T00:00:00Z"},
		{"backfill", "--source", "web", "--destination", "hooks", "--dry-run", "--json", "--to", "2030-01-01T00:00:00Z"},
	} {
		code, stdout, stderr := runCLI(t, "", append(cmd, flags...)...)
		var got counts
		if code != exitOK || json.Unmarshal([]byte(stdout), &got) != nil || got.Destination != "hooks" || !got.DryRun {
			t.Errorf("%s: exit %d, %q, %q", cmd[0], code, stdout, stderr)
		}
	}
	for _, c := range []struct {
		args []string
		says string
	}{
		{[]string{"replay", "--destination", "hooks", "--from", "yesterday"}, `--from "yesterday" is not an RFC 3339 time`},
		{[]string{"backfill", "--source", "web", "--destination", "hooks", "--to", "soon"}, `--to "soon" is not an RFC 3339 time`},
		{append([]string{"replay", "--destination", "ghost", "--dry-run"}, flags...), "ghost"},
	} {
		if code, _, stderr := runCLI(t, "", c.args...); code != exitInvalid || !strings.Contains(stderr, c.says) {
			t.Errorf("%v: exit %d %q, want 2 saying %q", c.args, code, stderr, c.says)
		}
	}
}
