package schematic

import (
	"context"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

var settings = map[string]any{"apiKey": "sch_key"}

const (
	track = `{"type":"track","event":"Report Exported","userId":"user-1234","messageId":"m-1",` +
		`"timestamp":"2024-05-01T10:00:00.123456Z","properties":{"format":"csv"},"context":{"groupId":"acme"}}`
	identify = `{"type":"identify","userId":"user-1234","messageId":"m-2","timestamp":"2024-05-01T12:00:00+02:00",` +
		`"context":{"groupId":"acme"},"traits":{"name":"Ada Lovelace","company_name":"Acme Inc","plan":"pro"}}`
)

// The bodies are what Segment's implementation sends for the same settings,
// mapping and event (run under actions-core's test harness).
func TestPresets(t *testing.T) {
	for _, tc := range []struct {
		preset  string
		mapping destkit.JSON
		event   string
		body    string
	}{
		{preset: "Track Event", event: track,
			body: `{"api_key":"sch_key","type":"track","sent_at":"2024-05-01T10:00:00.123Z","body":{` +
				`"traits":{"raw_event_name":"Report Exported"},"user":{"userId":"user-1234"},"event":"report_exported"}}`},
		{preset: "Track Event", event: track,
			mapping: `{"event_name":{"@path":"$.event"},"timestamp":{"@path":"$.timestamp"},"user_keys":{"userId":{"@path":"$.userId"}},` +
				`"company_keys":{"groupId":{"@path":"$.context.groupId"}},"traits":{"raw_event_name":{"@path":"$.event"},"format":{"@path":"$.properties.format"}}}`,
			body: `{"api_key":"sch_key","type":"track","sent_at":"2024-05-01T10:00:00.123Z","body":{` +
				`"traits":{"raw_event_name":"Report Exported","format":"csv"},"company":{"groupId":"acme"},"user":{"userId":"user-1234"},"event":"report_exported"}}`},
		// A numeric timestamp is milliseconds, as for new Date(n).
		{preset: "Track Event", event: `{"type":"track","event":"Report Exported","userId":"user-1234","timestamp":1714557600123}`,
			body: `{"api_key":"sch_key","type":"track","sent_at":"2024-05-01T10:00:00.123Z","body":{` +
				`"traits":{"raw_event_name":"Report Exported"},"user":{"userId":"user-1234"},"event":"report_exported"}}`},
		{preset: "Identify User", event: identify,
			body: `{"api_key":"sch_key","type":"identify","sent_at":"2024-05-01T10:00:00.000Z","body":{` +
				`"keys":{"userId":"user-1234"},"name":"Ada Lovelace","company":{"keys":{"groupId":"acme"},"name":"Acme Inc"}}}`},
		{preset: "Identify User", event: identify,
			mapping: `{"company_keys":{"groupId":{"@path":"$.context.groupId"}},"timestamp":{"@path":"$.timestamp"},` +
				`"user_keys":{"userId":{"@path":"$.userId"}},"company_traits":{"plan":{"@path":"$.traits.plan"}},"user_traits":{"@path":"$.traits"}}`,
			body: `{"api_key":"sch_key","type":"identify","sent_at":"2024-05-01T10:00:00.000Z","body":{"keys":{"userId":"user-1234"},` +
				`"traits":{"name":"Ada Lovelace","company_name":"Acme Inc","plan":"pro"},"company":{"keys":{"groupId":"acme"},"traits":{"plan":"pro"}}}}`},
	} {
		var pr *destkit.Preset
		for i := range Definition.Presets {
			if Definition.Presets[i].Name == tc.preset {
				pr = &Definition.Presets[i]
			}
		}
		m := tc.mapping
		if m == "" {
			m = pr.Mapping
		}
		a := Definition.Action(pr.Action)
		srv := desttest.NewServer(t, desttest.Reply{Body: `{"ok":true}`})
		p := desttest.Render(t, Definition, a.Key, m, tc.event)
		if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings), a, p); err != nil {
			t.Fatalf("%s: %v", tc.preset, err)
		}
		r := srv.Only(t)
		if r.Method != "POST" || r.Path != "/e" || r.RawQuery != "" {
			t.Fatalf("%s: got %s %s?%s", tc.preset, r.Method, r.Path, r.RawQuery)
		}
		desttest.Header(t, r, "Authorization", "Bearer sch_key")
		desttest.Header(t, r, "Content-Type", "application/json")
		desttest.JSONEqual(t, r.Body, tc.body)
	}
}

func TestDefaultMappingsArePresets(t *testing.T) {
	for _, p := range Definition.Presets {
		if got := string(Definition.Action(p.Action).DefaultMapping()); got != string(p.Mapping) {
			t.Errorf("%s: default mapping %s, preset %s", p.Name, got, p.Mapping)
		}
	}
}

func TestEndpoint(t *testing.T) {
	inst := desttest.Instance(t, Definition, settings)
	for _, a := range Definition.Actions {
		p := desttest.Validate(t, Definition, a.Key, `{"event_name":"x","timestamp":"2024-05-01T10:00:00Z","user_keys":{"id":"u"},"company_keys":{"id":"c"}}`)
		var got string
		reqs, err := desttest.Perform(a, inst, p)
		if err == nil && len(reqs) == 1 {
			got = reqs[0].Method + " " + reqs[0].URL
		}
		if got != "POST https://c.schematichq.com/e" {
			t.Errorf("%s: %q %v", a.Key, got, err)
		}
	}
}

func TestSnakeCase(t *testing.T) {
	for in, want := range map[string]string{
		"Report Exported": "report_exported", "Signed  Up": "signed__up", "camelCase": "camelcase", "already_snake": "already_snake", "Été Fini": "été_fini",
	} {
		if got := snakeCase(in); got != want {
			t.Errorf("%q: %q", in, got)
		}
	}
}

func TestValidation(t *testing.T) {
	desttest.Refuses(t, Definition, settings, []desttest.Invalid{
		{Action: TrackEvent.Key, Payload: `{"timestamp":"2024-05-01T10:00:00Z"}`, Field: "event_name"},
		{Action: TrackEvent.Key, Payload: `{"event_name":"x"}`, Field: "timestamp"},
		{Action: TrackEvent.Key, Payload: `{"event_name":"x","timestamp":"yesterday"}`, Field: "timestamp"},
		{Action: TrackEvent.Key, Payload: `{"event_name":"x","timestamp":"2024-05-01T10:00:00Z","user_keys":"u-1"}`, Field: "user_keys"},
		{Action: IdentifyUser.Key, Payload: `{"timestamp":"2024-05-01T10:00:00Z","user_keys":{"id":"u"}}`, Field: "company_keys"},
		{Action: IdentifyUser.Key, Payload: `{"timestamp":"2024-05-01T10:00:00Z","company_keys":{"id":"c"}}`, Field: "user_keys"},
		{Action: IdentifyUser.Key, Payload: `{"timestamp":"1714557600","company_keys":{"id":"c"},"user_keys":{"id":"u"}}`, Field: "timestamp"},
	})
	// Payloads that skipped validation are refused too, never sent half-empty.
	desttest.RefusesEmpty(t, Definition, settings, Definition.Actions...)
}

func TestErrors(t *testing.T) {
	desttest.ErrorPaths(t, Definition, settings, Definition.Actions, `{"event_name":"x","timestamp":"2024-05-01T10:00:00Z","user_keys":{"id":"u"},"company_keys":{"id":"c"}}`,
		desttest.Statuses(`{"error":"bad"}`))
}

// perform runs the action's Perform on a payload without sending anything.
