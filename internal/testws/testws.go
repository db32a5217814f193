// Package testws compiles workspace configs for tests, with every destination of the
// registry.
package testws

import (
	"testing"

	"github.com/actuate/actuate/destinations"
	"github.com/actuate/actuate/processor/config"
	"github.com/actuate/actuate/processor/workspace"
)

// Compile parses yaml as a workspace config and compiles it, failing the test on an error.
func Compile(t testing.TB, yaml string) *workspace.Workspace {
	t.Helper()
	cfg, err := config.Parse([]byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	ws, err := workspace.Compile(cfg, destinations.Get)
	if err != nil {
		t.Fatal(err)
	}
	return ws
}
