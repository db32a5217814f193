package control

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/actuate/actuate/processor/replay"
)

// TestReplayEndpoint: the body becomes the replay's request, the counts are answered, and
// bad fields, unknown destinations and a server without replay are refused.
func TestReplayEndpoint(t *testing.T) {
	var got replay.Request
	c, _ := newAPI(t, Options{Replay: func(_ context.Context, req replay.Request) (*replay.Result, error) {
		got = req
		return &replay.Result{ID: "r1", Destination: req.Destination, DryRun: req.DryRun, Selected: 3,
			Outcomes: map[string]int64{replay.OutcomeReplayed: 3}, Requests: 3}, nil
	}})
	setup(c, "https://hooks.example.com/x")
	res := c.must(200, "POST", "/v1/destinations/hook/replay",
		`{"mapping":"tracks","reason":"payload validation failed","from":"2026-01-01T00:00:00Z","to":"2026-01-02T00:00:00Z","dry_run":true}`)
	if !strings.Contains(res.body, `"replayed": 3`) || !strings.Contains(res.body, `"dry_run": true`) {
		t.Errorf("answer %s", res.body)
	}
	want := replay.Request{Destination: "hook", DryRun: true, Filter: replay.Filter{Mapping: "tracks", Reason: "payload validation failed",
		Since: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Until: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)}}
	if got.Destination != want.Destination || got.DryRun != want.DryRun || got.Mapping != want.Mapping || got.Reason != want.Reason ||
		!got.Since.Equal(want.Since) || !got.Until.Equal(want.Until) {
		t.Errorf("request %+v, want %+v", got, want)
	}
	c.must(400, "POST", "/v1/destinations/hook/replay", `{"mode":"sideways"}`)
	c.must(400, "POST", "/v1/destinations/hook/replay", `{"from":"2026-01-02T00:00:00Z","to":"2026-01-01T00:00:00Z"}`)
	c.must(400, "POST", "/v1/destinations/hook/replay", `{"nope":1}`)
	c.must(404, "POST", "/v1/destinations/nope/replay", `{}`)

	off, _ := newAPI(t, Options{})
	setup(off, "https://hooks.example.com/x")
	off.must(501, "POST", "/v1/destinations/hook/replay", `{}`)
}

func TestBackfillEndpoint(t *testing.T) {
	var got replay.BackfillRequest
	c, _ := newAPI(t, Options{Backfill: func(_ context.Context, req replay.BackfillRequest) (*replay.Result, error) {
		got = req
		return &replay.Result{ID: "b1", Destination: req.Destination, Requests: 4}, nil
	}})
	setup(c, "https://hooks.example.com/x")
	res := c.must(200, "POST", "/v1/destinations/hook/backfill", `{"source":"web","from":"2026-01-01T00:00:00Z","dry_run":true}`)
	if !strings.Contains(res.body, `"requests": 4`) || got.Source != "web" || got.Destination != "hook" || !got.DryRun || got.Rate != 1000 ||
		!got.Since.Equal(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("answer %s, request %+v", res.body, got)
	}
	c.must(400, "POST", "/v1/destinations/hook/backfill", `{}`)
	c.must(400, "POST", "/v1/destinations/hook/backfill", `{"source":"web","rate":-1}`)
	c.must(404, "POST", "/v1/destinations/nope/backfill", `{"source":"web"}`)
}
