package destkit

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// The egress guard keeps destination traffic away from the network Actuate runs in. A
// destination URL, an OAuth token endpoint or a Kafka destination's brokers come from a
// config anyone with an editor's token can write; without the guard they could point at
// 127.0.0.1, the cloud metadata address or an internal service (server-side request
// forgery).
//
// The check runs on the resolved address at connect time (net.Dialer's Control hook), so
// DNS names that resolve to a refused address, DNS rebinding and redirects are refused
// too, before a byte is sent. The processes install a policy at start
// (SetEgressPolicy): by default every refused range below is closed, and
// ACTUATE_EGRESS_ALLOW opens ranges on purpose. Code that installs none (tests, library
// use) is not guarded.

// refusedRanges are the ranges refused unless allowed, each with the rule it breaks.
var refusedRanges = []struct {
	prefix netip.Prefix
	rule   string
}{
	{netip.MustParsePrefix("127.0.0.0/8"), "loopback"},
	{netip.MustParsePrefix("::1/128"), "loopback"},
	{netip.MustParsePrefix("10.0.0.0/8"), "private (RFC 1918)"},
	{netip.MustParsePrefix("172.16.0.0/12"), "private (RFC 1918)"},
	{netip.MustParsePrefix("192.168.0.0/16"), "private (RFC 1918)"},
	{netip.MustParsePrefix("fc00::/7"), "private (unique local, fc00::/7)"},
	{netip.MustParsePrefix("169.254.0.0/16"), "link-local (cloud metadata among it)"},
	{netip.MustParsePrefix("fe80::/10"), "link-local"},
	{netip.MustParsePrefix("100.64.0.0/10"), "carrier-grade NAT (RFC 6598)"},
	{netip.MustParsePrefix("0.0.0.0/8"), "unspecified"},
	{netip.MustParsePrefix("::/128"), "unspecified"},
}

// EgressError is a connection the guard refused. It is final: retrying cannot help.
type EgressError struct {
	Addr netip.Addr
	Rule string
}

func (e *EgressError) Error() string {
	return fmt.Sprintf("egress refused: %s is %s; allow it on purpose with ACTUATE_EGRESS_ALLOW", e.Addr, e.Rule)
}

// EgressPolicy says which addresses outgoing connections may reach. The zero value
// refuses every range above.
type EgressPolicy struct {
	allow []netip.Prefix
}

// NewEgressPolicy refuses the ranges above except those in allow.
func NewEgressPolicy(allow ...netip.Prefix) *EgressPolicy {
	return &EgressPolicy{allow: allow}
}

// ParseEgressAllow reads "CIDR[,CIDR]" (a bare address is its own /32 or /128).
func ParseEgressAllow(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if p, err := netip.ParsePrefix(part); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(part)
		if err != nil {
			return nil, fmt.Errorf("%q is neither a CIDR range nor an address", part)
		}
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// Check returns an *EgressError when addr may not be reached.
func (p *EgressPolicy) Check(addr netip.Addr) error {
	addr = addr.Unmap()
	for _, a := range p.allow {
		if a.Contains(addr) {
			return nil
		}
	}
	for _, r := range refusedRanges {
		if r.prefix.Contains(addr) {
			return &EgressError{Addr: addr, Rule: r.rule}
		}
	}
	return nil
}

var egress atomic.Pointer[EgressPolicy]

// SetEgressPolicy installs the process-wide policy every connection made through this
// package's transports and dialers is checked against; nil removes it.
func SetEgressPolicy(p *EgressPolicy) { egress.Store(p) }

// CurrentEgressPolicy returns the installed policy, or nil.
func CurrentEgressPolicy() *EgressPolicy { return egress.Load() }

// guardControl is net.Dialer's Control hook: it sees the address actually dialled, after
// name resolution.
func guardControl(_, address string, _ syscall.RawConn) error {
	p := egress.Load()
	if p == nil {
		return nil
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return &EgressError{Rule: "not an IP address: " + address}
	}
	return p.Check(ap.Addr())
}

// NewDialer returns a dialer that connects only where the installed policy allows.
func NewDialer() *net.Dialer {
	return &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second, Control: guardControl}
}

// DialContext dials through the guard, for clients that take a dial function (Kafka).
func DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	return NewDialer().DialContext(ctx, network, address)
}

// NewTransport returns an HTTP transport pooled for many requests to few hosts, whose
// connections pass through the guard.
func NewTransport() *http.Transport {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DialContext = NewDialer().DialContext
	// Every worker of an instance talks to the same host; the default of 2 idle
	// connections per host would reconnect on most requests.
	tr.MaxIdleConns = 1024
	tr.MaxIdleConnsPerHost = 128
	// With HTTPS_PROXY set the proxy connects on the request's behalf: the guard then sees
	// the proxy's address, and keeping destinations off the internal network is the
	// proxy's job.
	return tr
}
