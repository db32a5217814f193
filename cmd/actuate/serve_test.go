package main

import (
	"strings"
	"testing"
)

// A bad ingest rate limit stops `serve` before it connects to anything, naming the flag.
func TestServeRefusesABadIngestRateLimit(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--ingest-rate-limit", "fast"}, `--ingest-rate-limit (ACTUATE_INGEST_RATE_LIMIT) "fast"`},
		{[]string{"--ingest-rate-limit", "-5"}, "want a finite rate of 0 or more"},
		{[]string{"--ingest-rate-limit", "10", "--ingest-rate-burst", "2.5"}, `--ingest-rate-burst (ACTUATE_INGEST_RATE_BURST) "2.5"`},
	} {
		code, _, stderr := runCLI(t, "", append([]string{"serve", "--brokers", "127.0.0.1:1"}, c.args...)...)
		if code != exitInvalid || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d %q, want exit %d and %q", c.args, code, stderr, exitInvalid, c.want)
		}
	}
}
