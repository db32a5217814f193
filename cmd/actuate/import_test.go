package main

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/actuate/actuate/destinations"
	"github.com/actuate/actuate/processor/configstore"
	"github.com/actuate/actuate/processor/control"
)

// Saved Public API responses: an Amplitude destination with two presets' subscriptions,
// one browser-plugin subscription and a filter.
const (
	segDestination = `{"data":{"destination":{"id":"dAmp1","name":"Amplitude","enabled":true,"sourceId":"rh5BDZp6QDHvXFCkibm1pR",
	  "metadata":{"id":"m1","name":"Actions Amplitude","slug":"actions-amplitude"},
	  "settings":{"apiKey":"••••••••••dada","secretKey":"••••••••••beef","endpoint":"north_america"}}}}`
	segSubscriptions = `{"data":{"subscriptions":[
	  {"id":"sub1","name":"Track Calls","actionSlug":"logEventV2","destinationId":"dAmp1","enabled":true,
	   "trigger":"type = \"track\"","settings":{"user_id":{"@path":"$.userId"},"event_type":{"@path":"$.event"},"event_properties":{"@path":"$.properties"},"use_batch_endpoint":false}},
	  {"id":"sub2","name":"Identify Calls","actionSlug":"identifyUser","destinationId":"dAmp1","enabled":true,
	   "trigger":"type = \"identify\"","settings":{"user_id":{"@path":"$.userId"},"user_properties":{"@path":"$.traits"}}}]}}`
	segBrowserSub = `{"subscriptions":[{"id":"sub3","name":"Session","actionSlug":"sessionId","destinationId":"dAmp1","enabled":true,"trigger":"type = \"page\"","settings":{}}]}`
	segFilters    = `{"data":{"filters":[{"id":"flt1","destinationId":"dAmp1","title":"Drop bots","if":"context.userAgent = \"bot\"","actions":[{"type":"drop"}],"enabled":true}]}}`
)

func TestImportSegmentOut(t *testing.T) {
	dest := writeFile(t, "dest.json", segDestination)
	subs := writeFile(t, "subs.json", segSubscriptions)
	filters := writeFile(t, "filters.json", segFilters)
	out := filepath.Join(t.TempDir(), "ws.yaml")
	code, stdout, stderr := runCLI(t, "", "import", "segment", "--destination", dest, "--subscriptions", subs, "--filters", filters,
		"--source", "web", "--out", out)
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{"→ amplitude (type amplitude): imported", `subscription "Track Calls" (sub1) → sub1: imported`,
		"secrets: set AMPLITUDE_API_KEY, AMPLITUDE_SECRET_KEY", "4 of 4 objects imported"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("report lacks %q:\n%s", want, stdout)
		}
	}
	file, _ := os.ReadFile(out)
	if strings.Contains(string(file), "•") || !strings.Contains(string(file), "${env:AMPLITUDE_API_KEY}") {
		t.Errorf("file:\n%s", file)
	}
	// The file is a workspace: it validates, and the Event Tester runs the imported mapping.
	t.Setenv("AMPLITUDE_API_KEY", "k1")
	t.Setenv("AMPLITUDE_SECRET_KEY", "k2")
	if code, stdout, stderr := runCLI(t, "", "validate", "--config", out); code != exitOK {
		t.Fatalf("validate: %d %s%s", code, stdout, stderr)
	}
	event := writeFile(t, "e.json", `{"type":"track","event":"Order Completed","userId":"u1","messageId":"m1","timestamp":"2024-01-01T00:00:00Z","properties":{"total":5}}`)
	code, stdout, stderr = runCLI(t, "", "test", "--config", out, "--destination", "amplitude", "--event", event)
	if code != exitOK || !strings.Contains(stdout, `"event_type": "Order Completed"`) {
		t.Errorf("test: %d\n%s%s", code, stdout, stderr)
	}

	// Some imported: exit 1; dry run writes nothing.
	browser := writeFile(t, "browser.json", segBrowserSub)
	dry := filepath.Join(t.TempDir(), "dry.yaml")
	code, stdout, _ = runCLI(t, "", "import", "segment", "--destination", dest, "--subscriptions", subs, "--subscriptions", browser, "--dry-run")
	if code != exitFailure || !strings.Contains(stdout, `subscription "Session" (sub3): NOT imported`) || !strings.Contains(stdout, "dry run") {
		t.Errorf("partial dry run: exit %d\n%s", code, stdout)
	}
	if _, err := os.Stat(dry); err == nil {
		t.Error("dry run wrote a file")
	}
	// Nothing imported: exit 2.
	unknown := writeFile(t, "u.json", `{"destination":{"id":"x","name":"GA","sourceId":"s","metadata":{"slug":"google-analytics"},"settings":{}}}`)
	if code, stdout, _ := runCLI(t, "", "import", "segment", "--destination", unknown, "--out", dry); code != exitInvalid || !strings.Contains(stdout, "0 of 1") {
		t.Errorf("unknown: exit %d\n%s", code, stdout)
	}
	if _, err := os.Stat(dry); err == nil {
		t.Error("a file was written though nothing was imported")
	}
}

func TestImportSegmentUsage(t *testing.T) {
	dest := writeFile(t, "dest.json", segDestination)
	for _, args := range [][]string{
		{"import"},
		{"import", "rudderstack"},
		{"import", "segment", "--destination", dest},
		{"import", "segment", "--destination", dest, "--out", "x.yaml", "--dry-run"},
		{"import", "segment", "--destination", dest, "--apply"},
		{"import", "segment", "--destination", writeFile(t, "bad.json", `{"subscriptions":[]}`), "--dry-run"},
	} {
		if code, _, _ := runCLI(t, "", args...); code != exitInvalid {
			t.Errorf("%q: exit %d, want %d", args, code, exitInvalid)
		}
	}
}

// --apply creates everything through the control API in one write, or nothing.
func TestImportSegmentApply(t *testing.T) {
	mem := configstore.NewMemory(destinations.Get)
	srv := httptest.NewServer(control.New(control.Options{Store: mem, Lookup: destinations.Get, Token: "tok"}))
	defer srv.Close()
	dest := writeFile(t, "dest.json", segDestination)
	subs := writeFile(t, "subs.json", segSubscriptions)
	filters := writeFile(t, "filters.json", segFilters)
	args := []string{"import", "segment", "--destination", dest, "--subscriptions", subs, "--filters", filters,
		"--source", "web", "--apply", "--api", srv.URL, "--api-token", "tok"}

	// The server cannot resolve the secrets' references: refused, nothing written.
	code, stdout, _ := runCLI(t, "", args...)
	if code != exitInvalid || !strings.Contains(stdout, "AMPLITUDE_API_KEY is not set") || !strings.Contains(stdout, "nothing was written") {
		t.Errorf("unresolvable secrets: exit %d\n%s", code, stdout)
	}
	if len(mem.Snapshot().Objects("")) != 0 {
		t.Fatal("a refused import wrote objects")
	}

	t.Setenv("AMPLITUDE_API_KEY", "k1")
	t.Setenv("AMPLITUDE_SECRET_KEY", "k2")
	code, stdout, _ = runCLI(t, "", args...)
	if code != exitOK || !strings.Contains(stdout, "source web: created") {
		t.Fatalf("apply: exit %d\n%s", code, stdout)
	}
	inst := mem.Workspace().Instance("amplitude")
	if inst == nil || len(inst.Mappings) != 2 || len(inst.Filters) != 1 || !inst.Enabled {
		t.Fatalf("instance %+v", inst)
	}
	o, _ := mem.Snapshot().Object("destination/amplitude")
	if !strings.Contains(string(o.Value), `"${env:AMPLITUDE_API_KEY}"`) || strings.Contains(string(o.Value), "•") {
		t.Errorf("stored %s", o.Value)
	}

	// Again: the destination exists, so nothing is written; the source is found.
	rev := mem.Snapshot().Revision
	code, stdout, _ = runCLI(t, "", args...)
	if code != exitInvalid || !strings.Contains(stdout, "destination/amplitude already exist") {
		t.Errorf("second apply: exit %d\n%s", code, stdout)
	}
	if mem.Snapshot().Revision != rev {
		t.Error("the refused second apply wrote something")
	}
	// Under another id it goes through, connected to the existing source.
	t.Setenv("AMPLITUDE_2_API_KEY", "k1")
	t.Setenv("AMPLITUDE_2_SECRET_KEY", "k2")
	code, stdout, _ = runCLI(t, "", append(args, "--id", "amplitude-2")...)
	if code != exitOK || !strings.Contains(stdout, "source web: exists in the workspace") || mem.Workspace().Instance("amplitude-2") == nil {
		t.Errorf("apply under a new id: exit %d\n%s", code, stdout)
	}
	// Wrong token: nothing imported.
	bad := append(append([]string(nil), args[:len(args)-1]...), "wrong")
	if code, stdout, _ := runCLI(t, "", append(bad, "--id", "amplitude-3")...); code != exitInvalid || !strings.Contains(stdout, "401") {
		t.Errorf("wrong token: exit %d\n%s", code, stdout)
	}
}
