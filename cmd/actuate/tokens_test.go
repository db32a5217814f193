package main

import (
	"strings"
	"testing"

	"github.com/actuate/actuate/internal/testenv"
)

// On the real broker: a token is created (printed once, stored hashed), listed and revoked.
func TestTokensCommand(t *testing.T) {
	brokers := testenv.Kafka(t)
	topic := testenv.Topic(t, "config", 1)
	testenv.Topic(t, "config-history", 1)
	flags := []string{"--brokers", strings.Join(brokers, ","), "--config-topic", topic}
	code, stdout, stderr := runCLI(t, "", append([]string{"tokens", "create", "--name", "ci-bot", "--role", "editor"}, flags...)...)
	token := strings.TrimSpace(stdout)
	if code != exitOK || !strings.HasPrefix(token, "act_") || !strings.Contains(stderr, "shown this once") {
		t.Fatalf("create: exit %d %q %q", code, stdout, stderr)
	}
	code, stdout, _ = runCLI(t, "", append([]string{"tokens", "list"}, flags...)...)
	if code != exitOK || !strings.Contains(stdout, "ci-bot") || !strings.Contains(stdout, "editor") || strings.Contains(stdout, token) {
		t.Fatalf("list: exit %d %q", code, stdout)
	}
	if code, _, stderr := runCLI(t, "", append([]string{"tokens", "create", "--name", "ci-bot", "--role", "admin"}, flags...)...); code == exitOK || !strings.Contains(stderr, "already") {
		t.Errorf("a second token of the same name: exit %d %q", code, stderr)
	}
	if code, stdout, _ := runCLI(t, "", append([]string{"tokens", "revoke", "--name", "ci-bot"}, flags...)...); code != exitOK || !strings.Contains(stdout, "revoked") {
		t.Fatalf("revoke: exit %d %q", code, stdout)
	}
	if code, stdout, _ := runCLI(t, "", append([]string{"tokens", "list"}, flags...)...); code != exitOK || strings.Contains(stdout, "ci-bot") {
		t.Fatalf("list after revoke: exit %d %q", code, stdout)
	}
	if code, _, _ := runCLI(t, "", "tokens", "create", "--name", "x", "--role", "owner"); code != exitInvalid {
		t.Errorf("a bad role: exit %d", code)
	}
}
