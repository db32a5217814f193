package main

import (
	"strings"
	"testing"

	"github.com/actuate/actuate/processor/configstore"
)

func TestSecretsKeygen(t *testing.T) {
	code, stdout, _ := runCLI(t, "", "secrets", "keygen")
	if _, err := configstore.ParseSecretKey(stdout); code != exitOK || err != nil {
		t.Fatalf("keygen: exit %d %q: %v", code, stdout, err)
	}
	if code, _, stderr := runCLI(t, "", "secrets"); code != exitInvalid || !strings.Contains(stderr, "usage") {
		t.Errorf("no subcommand: exit %d %q", code, stderr)
	}
	t.Setenv("ACTUATE_SECRET_KEY", "not a key")
	if code, _, stderr := runCLI(t, "", "secrets", "rotate"); code != exitInvalid || !strings.Contains(stderr, "32 random bytes") {
		t.Errorf("a bad key: exit %d %q", code, stderr)
	}
}
