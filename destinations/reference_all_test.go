package destinations

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// referenceDir is the shared reference folder of Segment's destination facts: beside the
// repository (as in CI), at /work/shared, or ACTUATE_REFERENCE_DIR. The test skips, saying
// so, when it is absent.
func referenceDir(t *testing.T) string {
	t.Helper()
	if dir := os.Getenv("ACTUATE_REFERENCE_DIR"); dir != "" {
		return dir
	}
	for _, candidate := range []string{filepath.Join("..", "..", "shared", "reference", "destinations"), "/work/shared/reference/destinations"} {
		if _, err := os.Stat(candidate); err == nil {
			return candidate
		}
	}
	t.Skip("the shared reference folder is not beside the repository; set ACTUATE_REFERENCE_DIR to run this check")
	return ""
}

// TestEveryReferenceDestinationShips is the other half of TestReferenceFields: every
// destination of the reference (one JSON file each; index.json lists them) is registered,
// so none of the product brief's cloud destinations is missing.
func TestEveryReferenceDestinationShips(t *testing.T) {
	dir := referenceDir(t)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		slug, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok || slug == "index" {
			continue
		}
		n++
		if _, ok := Get(slug); !ok {
			t.Errorf("reference destination %s is not registered", slug)
		}
	}
	if n == 0 {
		t.Fatalf("no reference destinations in %s", dir)
	}
	if n != len(All()) {
		t.Errorf("the reference has %d destinations, the registry %d", n, len(All()))
	}
}
