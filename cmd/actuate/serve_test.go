package main

import (
	"slices"
	"strings"
	"testing"
)

// A bad ingest rate limit stops `serve` and `dev` before they start anything, naming the
// flag, whether given by flag or by variable.
func TestServeAndDevRefuseABadIngestRateLimit(t *testing.T) {
	for _, command := range [][]string{{"serve", "--brokers", "127.0.0.1:1"}, {"dev", "--listen", "127.0.0.1:0"}} {
		for _, c := range []struct {
			args []string
			env  map[string]string
			want string
		}{
			{args: []string{"--ingest-rate-limit", "fast"}, want: `--ingest-rate-limit (ACTUATE_INGEST_RATE_LIMIT) "fast"`},
			{args: []string{"--ingest-rate-limit", "-5"}, want: "want a finite rate of 0 or more"},
			{args: []string{"--ingest-rate-limit", "10", "--ingest-rate-burst", "2.5"}, want: `--ingest-rate-burst (ACTUATE_INGEST_RATE_BURST) "2.5"`},
			{env: map[string]string{"ACTUATE_INGEST_RATE_LIMIT": "10", "ACTUATE_INGEST_RATE_BURST": "-1"}, want: "a burst of 0 or more"},
		} {
			t.Run(command[0], func(t *testing.T) {
				for name, value := range c.env {
					t.Setenv(name, value)
				}
				code, _, stderr := runCLI(t, "", append(slices.Clone(command), c.args...)...)
				if code != exitInvalid || !strings.Contains(stderr, c.want) {
					t.Errorf("%v %v: exit %d %q, want exit %d and %q", c.args, c.env, code, stderr, exitInvalid, c.want)
				}
			})
		}
	}
}
