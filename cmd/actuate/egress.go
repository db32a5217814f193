package main

import (
	"fmt"
	"net/netip"

	"github.com/actuate/actuate/destinations/destkit"
)

// egressFlagHelp is the help of --egress-allow.
const egressFlagHelp = "CIDR ranges (comma-separated) destinations may reach although they are loopback, private, link-local, CGNAT or unspecified; refused by default (env ACTUATE_EGRESS_ALLOW)"

// installEgress installs the process's egress guard: every connection to a destination,
// an OAuth token endpoint or a Kafka destination's brokers is refused in the loopback,
// private, link-local, CGNAT and unspecified ranges, but for the ranges in allow (and
// loopback too when withLoopback, as `actuate dev` needs for its inspector). The command
// calls restore when it ends, which matters only to tests that run commands in process.
func installEgress(allow string, withLoopback bool) (restore func(), err error) {
	prefixes, err := destkit.ParseEgressAllow(allow)
	if err != nil {
		return nil, fmt.Errorf("--egress-allow (ACTUATE_EGRESS_ALLOW): %w", err)
	}
	if withLoopback {
		prefixes = append(prefixes, netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128"))
	}
	previous := destkit.CurrentEgressPolicy()
	destkit.SetEgressPolicy(destkit.NewEgressPolicy(prefixes...))
	return func() { destkit.SetEgressPolicy(previous) }, nil
}
