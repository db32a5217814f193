// Package schematic sends track and identify events to Schematic, which
// keeps user and company profiles and usage for plans and entitlements.
//
// Both actions post one event to Schematic's capture endpoint,
// https://c.schematichq.com/e, with the API key as a bearer token and also
// in the body (api_key), the event type, sent_at (the payload's timestamp
// as an ISO time in UTC with milliseconds) and the event body. Endpoint,
// body and auth follow Segment's open-source implementation: Schematic's
// public REST API documents api.schematichq.com with an X-Schematic-Api-Key
// header (which Segment uses only to test credentials), not the capture
// endpoint. Segment's code asks for "application/json;charset=UTF-8", but
// its request client sends "application/json"; we send what it sends.
package schematic

import (
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

const captureURL = "https://c.schematichq.com/e"

// Definition is the Schematic destination.
var Definition = &destkit.Definition{
	Slug:        "schematic",
	SegmentSlug: "actions-schematic",
	Name:        "Schematic",
	Description: "Send events to Schematic to enrich and update user and company profiles.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "apiKey", Label: "API Key", Type: destkit.Password, Required: true, Secret: true,
			Description: "Schematic API key, from the settings page; sent as a bearer token and in the event body."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		r.SetHeader("Authorization", "Bearer "+s.Str("apiKey"))
		return nil
	},
	Actions: []*destkit.Action{TrackEvent, IdentifyUser},
	Presets: []destkit.Preset{
		{Name: "Track Event", Action: "trackEvent", Trigger: `type = "track"`, Mapping: `{"event_name":{"@path":"$.event"},"timestamp":{"@path":"$.timestamp"},"user_keys":{"userId":{"@path":"$.userId"}},"traits":{"raw_event_name":{"@path":"$.event"}}}`},
		{Name: "Identify User", Action: "identifyUser", Trigger: `type = "identify"`, Mapping: `{"company_keys":{"groupId":{"@path":"$.context.groupId"}},"company_name":{"@path":"$.traits.company_name"},"timestamp":{"@path":"$.timestamp"},"user_keys":{"userId":{"@path":"$.userId"}},"user_name":{"@path":"$.traits.name"}}`},
	},
}

// capture builds the request for one event: the envelope Schematic's
// capture endpoint reads, with body written by the caller.
func capture(in *destkit.Input, eventType string, body func(w *destkit.JSONWriter)) ([]destkit.Request, error) {
	t, ok := destkit.ParseJSDate(in.Payload.Get("timestamp"))
	if !ok {
		return nil, destkit.ValidationErrorf("timestamp", "Timestamp must be a date and time.")
	}
	w := destkit.NewJSONWriter(make([]byte, 0, 256))
	w.ObjectStart()
	w.Key("api_key")
	w.String(in.Settings.Str("apiKey"))
	w.Key("type")
	w.String(eventType)
	w.Key("sent_at")
	w.String(destkit.JSISOString(t))
	w.Key("body")
	w.ObjectStart()
	body(w)
	w.ObjectEnd()
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest("POST", captureURL, w.Bytes())}, nil
}

// snakeCase is Segment's rendering of event names: spaces become
// underscores and letters are lower-cased; nothing else changes.
func snakeCase(s string) string { return strings.ToLower(strings.ReplaceAll(s, " ", "_")) }

// requireObject reports a missing or non-object key field by name.
func requireObject(p *fastjson.Value, key string) error {
	if p.GetObject(key) == nil {
		return destkit.ValidationErrorf(key, "The root value is missing the required field '%s'.", key)
	}
	return nil
}
