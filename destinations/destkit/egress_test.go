package destkit

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

func TestEgressPolicyRanges(t *testing.T) {
	p := NewEgressPolicy(netip.MustParsePrefix("10.1.0.0/16"))
	for _, tc := range []struct {
		addr, rule string // rule "": allowed
	}{
		{"127.0.0.1", "loopback"},
		{"127.9.9.9", "loopback"},
		{"::1", "loopback"},
		{"::ffff:127.0.0.1", "loopback"},
		{"10.0.0.5", "private (RFC 1918)"},
		{"10.1.2.3", ""}, // allowed on purpose
		{"172.16.0.1", "private (RFC 1918)"},
		{"172.32.0.1", ""},
		{"192.168.1.1", "private (RFC 1918)"},
		{"fd12::1", "private (unique local, fc00::/7)"},
		{"169.254.169.254", "link-local (cloud metadata among it)"},
		{"fe80::1", "link-local"},
		{"100.64.0.1", "carrier-grade NAT (RFC 6598)"},
		{"0.0.0.0", "unspecified"},
		{"::", "unspecified"},
		{"93.184.216.34", ""},
		{"2606:4700::1111", ""},
	} {
		err := p.Check(netip.MustParseAddr(tc.addr))
		var ee *EgressError
		switch {
		case tc.rule == "" && err != nil:
			t.Errorf("%s refused: %v", tc.addr, err)
		case tc.rule != "" && (!errors.As(err, &ee) || ee.Rule != tc.rule):
			t.Errorf("%s: %v, want refused as %s", tc.addr, err, tc.rule)
		case tc.rule != "" && !strings.Contains(err.Error(), ee.Addr.String()):
			t.Errorf("%s: the error %q does not name the address", tc.addr, err)
		}
	}
}

func TestParseEgressAllow(t *testing.T) {
	got, err := ParseEgressAllow(" 10.0.0.0/8, 127.0.0.1 ,::1,, 192.168.1.7/24")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"10.0.0.0/8", "127.0.0.1/32", "::1/128", "192.168.1.0/24"}
	if len(got) != len(want) {
		t.Fatalf("%v", got)
	}
	for i := range want {
		if got[i].String() != want[i] {
			t.Errorf("%d: %s, want %s", i, got[i], want[i])
		}
	}
	if _, err := ParseEgressAllow("10.0.0.0/33"); err == nil || !strings.Contains(err.Error(), "10.0.0.0/33") {
		t.Errorf("a bad range: %v", err)
	}
}

// The guard acts at connect time on the resolved address: a loopback URL, a name that
// resolves to loopback and a redirect to a refused address all fail before any byte
// reaches the server, and the failure is final.
func TestEgressGuardRefusesBeforeSending(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	t.Cleanup(func() { SetEgressPolicy(nil) })
	SetEgressPolicy(NewEgressPolicy())

	cl := NewClient()
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	for _, u := range []string{srv.URL, "http://localhost:" + strconv.Itoa(port) + "/x"} {
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, u, strings.NewReader("{}"))
		_, err := cl.cfg.httpClient.Do(req)
		var ee *EgressError
		if !errors.As(err, &ee) || ee.Rule != "loopback" {
			t.Fatalf("%s: %v, want refused as loopback", u, err)
		}
		if v := Classify(err); v.Outcome != Fail {
			t.Errorf("%s: outcome %v, want fail (no retry)", u, v.Outcome)
		}
	}
	if hits.Load() != 0 {
		t.Fatalf("%d requests reached the server", hits.Load())
	}

	// Allowed on purpose: 127.0.0.1 only. A redirect to 127.0.0.2 is refused.
	SetEgressPolicy(NewEgressPolicy(netip.MustParsePrefix("127.0.0.1/32")))
	other, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Skipf("no second loopback address to redirect to: %v", err)
	}
	behind := &httptest.Server{Listener: other, Config: &http.Server{Handler: http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(100) })}}
	behind.Start()
	defer behind.Close()
	front := httptest.NewServer(http.RedirectHandler(behind.URL+"/metadata", http.StatusFound))
	defer front.Close()
	resp, err := NewClient().cfg.httpClient.Get(srv.URL)
	if err != nil || hits.Load() != 1 {
		t.Fatalf("an allowed address: %v (hits %d)", err, hits.Load())
	}
	resp.Body.Close()
	_, err = NewClient().cfg.httpClient.Get(front.URL)
	var ee *EgressError
	if !errors.As(err, &ee) || ee.Addr.String() != "127.0.0.2" {
		t.Fatalf("redirect: %v, want 127.0.0.2 refused", err)
	}
	if hits.Load() != 1 {
		t.Fatalf("the redirect reached the refused server (hits %d)", hits.Load())
	}
}
