package kafka

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
)

// Brokers named in a destination's settings are dialled through the egress guard, with
// or without TLS.
func TestBrokersAreDialledThroughTheEgressGuard(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan struct{}, 2)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted <- struct{}{}
			c.Close()
		}
	}()
	t.Cleanup(func() { destkit.SetEgressPolicy(nil) })
	destkit.SetEgressPolicy(destkit.NewEgressPolicy())
	for _, cfg := range []*tls.Config{nil, {MinVersion: tls.VersionTLS12}} {
		_, err := guardedDialer(cfg)(context.Background(), "tcp", ln.Addr().String())
		var ee *destkit.EgressError
		if !errors.As(err, &ee) || ee.Rule != "loopback" {
			t.Fatalf("tls %v: %v, want refused as loopback", cfg != nil, err)
		}
	}
	select {
	case <-accepted:
		t.Fatal("a refused dial reached the listener")
	default:
	}
	destkit.SetEgressPolicy(nil)
	conn, err := guardedDialer(nil)(context.Background(), "tcp", ln.Addr().String())
	if err != nil {
		t.Fatalf("without a policy: %v", err)
	}
	conn.Close()
}
