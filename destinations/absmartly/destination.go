// Package absmartly sends goals and exposures to ABsmartly's collector.
//
// Sources: ABsmartly's collector API (PUT {collectorEndpoint}/context with
// X-API-Key, X-Environment, X-Agent and optional X-Application headers)
// and Segment's open-source ABsmartly destination; the bodies follow
// Segment's code. Every event is sent as historic: ABsmartly places it in
// time by publishedAt, achievedAt and exposedAt (milliseconds).
//
// One difference cannot be avoided: Segment times goals and exposures with
// the raw event's timestamp, which is not one of the action's fields, and
// an Actuate action sees only its mapped payload. Here the time the action
// runs stands in for it; exposure times keep their offsets from the
// exposure's publishedAt either way, so only the reference point moves (by
// the event's delivery delay, seconds in normal operation, longer after
// retries).
package absmartly

import (
	"strings"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
)

// now is the time events are placed at; tests replace it.
var now = time.Now

// Definition is the ABsmartly destination.
var Definition = &destkit.Definition{
	Slug:        "absmartly",
	SegmentSlug: "actions-absmartly",
	Name:        "ABsmartly (Actions)",
	Description: "Send goals and experiment exposures to ABsmartly, the experimentation platform.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "collectorEndpoint", Label: "Collector Endpoint", Type: destkit.String, Required: true, Format: "uri",
			Description: "Your ABsmartly collector endpoint, such as https://your-subdomain.absmartly.io/v1."},
		{Key: "apiKey", Label: "API Key", Type: destkit.String, Required: true, Secret: true,
			Description: "An ABsmartly SDK API key (Settings > API Keys in the web console)."},
		{Key: "environment", Label: "Environment", Type: destkit.String, Required: true,
			Description: "Name of the ABsmartly environment, as in the web console."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		r.SetHeader("X-API-Key", s.Str("apiKey"))
		r.SetHeader("X-Environment", s.Str("environment"))
		return nil
	},
	Actions: []*destkit.Action{TrackGoal, TrackExposure},
	Presets: []destkit.Preset{
		{Name: "Track Calls", Action: "trackGoal", Trigger: `type = "track" and event != "Experiment Viewed"`,
			Mapping: destkit.JSON(TrackGoal.DefaultMapping())},
		{Name: "Page Calls", Action: "trackGoal", Trigger: `type = "page"`,
			Mapping: withName(`{"@template":"Page: {{ name }}"}`)},
		{Name: "Screen Calls", Action: "trackGoal", Trigger: `type = "screen"`,
			Mapping: withName(`{"@template":"Screen: {{ name }}"}`)},
		{Name: "Exposures (Verbatim)", Action: "trackExposure", Trigger: `type = "track" and event = "Experiment Viewed"`,
			Mapping: destkit.JSON(TrackExposure.DefaultMapping())},
	},
}

// withName is Track Goal's default mapping with another goal name.
func withName(name string) destkit.JSON {
	m := string(TrackGoal.DefaultMapping())
	return destkit.JSON(strings.Replace(m, `"name":{"@path":"$.event"}`, `"name":`+name, 1))
}

// Fields both actions end with.
var (
	agentField = destkit.Field{Key: "agent", Label: "Agent", Type: destkit.String,
		Default:     `{"@if":{"exists":{"@path":"$.context.library.name"},"then":{"@path":"$.context.library.name"},"else":"segment"}}`,
		Description: "Name of the source of the event (the SDK); sent as X-Agent, segment when empty."}
	applicationField = destkit.Field{Key: "application", Label: "Application", Type: destkit.String,
		Description: "Application the event came from; it must exist in ABsmartly (Settings > Applications)."}
)

// put sends one context event with the agent and application headers.
func put(in *destkit.Input, body []byte) []destkit.Request {
	r := destkit.NewJSONRequest("PUT", in.Settings.Str("collectorEndpoint")+"/context", body)
	agent := strings.TrimSpace(string(in.Payload.GetStringBytes("agent")))
	if agent == "" {
		agent = "segment"
	}
	r.SetHeader("X-Agent", agent)
	if app := strings.TrimSpace(string(in.Payload.GetStringBytes("application"))); app != "" {
		r.SetHeader("X-Application", app)
		r.SetHeader("X-Application-Version", "0")
	}
	return []destkit.Request{r}
}
