// Package metronome sends usage events to Metronome's ingest API.
//
// Each event is posted on its own to https://api.metronome.com/v1/ingest as
// a one-element JSON array, with the API token as a Bearer credential, as
// Metronome documents and Segment's implementation does. Segment keeps the
// batch form disabled so that one invalid event cannot fail its neighbours;
// so does Actuate. The timestamp is rewritten as RFC 3339 in UTC with
// milliseconds (the form Segment sends); a value that is not a date is a
// validation error on timestamp instead of a request Metronome would reject.
package metronome

import "github.com/actuate/actuate/destinations/destkit"

// Definition is the Metronome destination.
var Definition = &destkit.Definition{
	Slug:        "metronome",
	SegmentSlug: "metronome-actions",
	Name:        "Metronome (Actions)",
	Description: "Send usage events to Metronome for usage-based billing.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "apiToken", Label: "API Token", Type: destkit.Password, Required: true, Secret: true,
			Description: "Metronome API token, sent as a Bearer credential."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		r.SetHeader("Authorization", "Bearer "+s.Str("apiToken"))
		return nil
	},
	Actions: []*destkit.Action{SendEvent},
	Presets: []destkit.Preset{
		{Name: "Send track events to Metronome", Action: "sendEvent", Trigger: `type = "track"`,
			Mapping: `{"transaction_id":{"@path":"$.messageId"},"customer_id":{"@path":"$.context.groupId"},"timestamp":{"@path":"$.timestamp"},"event_type":{"@path":"$.event"},"properties":{"@path":"$.properties"}}`},
	},
}
