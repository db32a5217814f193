package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"
)

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// Every HTTP server answers /healthz and /readyz before its handler; without a check of
// its own it is ready while it serves (serve, dev).
func TestServeHTTPAnswersProbes(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("next " + r.URL.Path)) })
	addr, err := serveHTTP(ctx, "127.0.0.1:0", next, zap.NewNop())
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + addr.String()
	for path, want := range map[string]string{"/healthz": "ok\n", "/readyz": "ready\n", "/v1/track": "next /v1/track"} {
		if code, body := get(t, base+path); code != 200 || body != want {
			t.Errorf("GET %s = %d %q, want 200 %q", path, code, body, want)
		}
	}
}

// A process's readiness follows its check: 503 with the reason until it passes.
func TestServeProbedReadiness(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := &probe{}
	addr, err := serveProbed(ctx, "127.0.0.1:0", http.NotFoundHandler(), ready, zap.NewNop())
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + addr.String()
	if code, body := get(t, base+"/readyz"); code != 503 || !strings.Contains(body, "starting") {
		t.Errorf("before a check: %d %q, want 503 starting", code, body)
	}
	ready.set(func() error { return errors.New("joining the consumer group") })
	if code, body := get(t, base+"/readyz"); code != 503 || body != "not ready: joining the consumer group\n" {
		t.Errorf("failing check: %d %q", code, body)
	}
	if code, _ := get(t, base+"/healthz"); code != 200 {
		t.Errorf("/healthz while not ready = %d, want 200 (alive)", code)
	}
	ready.set(func() error { return nil })
	if code, body := get(t, base+"/readyz"); code != 200 || body != "ready\n" {
		t.Errorf("passing check: %d %q", code, body)
	}
	// `actuate health` is the container's probe.
	var out, errOut bytes.Buffer
	if code := runHealth([]string{base + "/readyz"}, streams{stdout: &out, stderr: &errOut}); code != exitOK || out.String() != "ready\n" {
		t.Errorf("health: exit %d, %q %q", code, out.String(), errOut.String())
	}
	ready.set(func() error { return errors.New("no") })
	if code := runHealth([]string{base + "/readyz"}, streams{stdout: &out, stderr: &errOut}); code != exitFailure || !strings.Contains(errOut.String(), "503") {
		t.Errorf("health when not ready: exit %d, stderr %q", code, errOut.String())
	}
}

// groupMember is ready once its client has a place in the consumer group, and follows the
// client that replaces a closed one.
func TestGroupMemberReady(t *testing.T) {
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(2, "events"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	member := &groupMember{}
	if err := member.ready(); err == nil {
		t.Fatal("ready without a client")
	}
	connect := func() *kgo.Client {
		cl, err := kgo.NewClient(kgo.SeedBrokers(c.ListenAddrs()...), kgo.ConsumerGroup("g"), kgo.ConsumeTopics("events"), kgo.WithHooks(member))
		if err != nil {
			t.Fatal(err)
		}
		return cl
	}
	waitReady := func(cl *kgo.Client) {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for member.ready() != nil {
			if time.Now().After(deadline) {
				t.Fatalf("not ready after 15 s: %v", member.ready())
			}
			ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
			cl.PollFetches(ctx) // joining happens while polling
			cancel()
		}
	}
	cl := connect()
	if err := member.ready(); err == nil || !strings.Contains(err.Error(), "consumer group") {
		t.Errorf("before joining: %v", err)
	}
	waitReady(cl)
	cl.Close()
	if err := member.ready(); err == nil {
		t.Error("ready after the client closed")
	}
	cl = connect()
	defer cl.Close()
	waitReady(cl)
}
