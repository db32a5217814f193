package destinations

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestCatalogText(t *testing.T) {
	var b bytes.Buffer
	if err := WriteCatalogText(&b, All()); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"SLUG", "webhook", "send*", "amplitude", "logEventV2"} {
		if !strings.Contains(out, want) {
			t.Errorf("catalog lacks %q:\n%s", want, out)
		}
	}
	b.Reset()
	d, _ := Get("amplitude")
	if err := WriteDestinationText(&b, d); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Authentication: custom", "apiKey (password, required, secret)", "Action logPurchase",
		`default: {"@path":"$.userId"}`, "Presets:", "User deletion: supported"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("show lacks %q", want)
		}
	}
}

func TestCatalogJSON(t *testing.T) {
	b, err := CatalogJSON(All())
	if err != nil {
		t.Fatal(err)
	}
	var rows []SummaryView
	if err := json.Unmarshal(b, &rows); err != nil || len(rows) != len(All()) {
		t.Fatalf("%v %d", err, len(rows))
	}
	d, _ := Get("webhook")
	b, err = DestinationJSON(d)
	if err != nil {
		t.Fatal(err)
	}
	var v DestinationView
	if err := json.Unmarshal(b, &v); err != nil || v.Actions[0].Batch.MaxSize != 4000 || !v.Settings[0].Secret {
		t.Fatalf("%v %+v", err, v)
	}
}

// The README states how many destinations ship; it must say what the registry holds.
func TestReadmeCountsTheDestinations(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`ships (\d+) destinations`).FindSubmatch(b)
	if m == nil {
		t.Fatal(`README.md does not say "ships N destinations"`)
	}
	if n, _ := strconv.Atoi(string(m[1])); n != len(All()) {
		t.Errorf("README.md says %d destinations ship; the registry holds %d", n, len(All()))
	}
}
