// Package launchdarkly sends Segment events to LaunchDarkly as custom
// events (for experiment metrics) and alias events.
//
// Both actions post a one-element JSON array to LaunchDarkly's bulk events
// endpoint, https://{events host}/events/bulk/{client-side id}, with the
// header X-LaunchDarkly-Event-Schema: 4, as Segment's implementation does.
// The client-side id in the path is the only credential. The events host
// must be a bare host name (the setting's documented format); anything
// else would let the setting rewrite the URL, and is refused.
//
// creationDate is epoch milliseconds. As in Segment, a missing or
// unreadable timestamp becomes the time of sending rather than an error,
// since LaunchDarkly requires the field and the event is still useful.
// Segment also sends a User-Agent naming itself; Actuate sends its own.
package launchdarkly

import (
	"net/url"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

const defaultEventsHost = "events.launchdarkly.com"

// Definition is the LaunchDarkly destination.
var Definition = &destkit.Definition{
	Slug:        "launchdarkly",
	SegmentSlug: "actions-launchdarkly",
	Name:        "LaunchDarkly",
	Description: "Use Segment events as custom metric events in LaunchDarkly experiments.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "client_id", Label: "LaunchDarkly client-side ID", Type: destkit.String, Required: true,
			Description: "The environment's client-side id, from LaunchDarkly's account settings."},
		{Key: "events_host_name", Label: "LaunchDarkly events host name", Type: destkit.String, Format: "hostname",
			Default:     `"events.launchdarkly.com"`,
			Description: "Host that receives events; only relay proxies and private instances change it."},
	},
	Authorize: func(r *destkit.Request, _ *destkit.Settings, _ *destkit.Token) error {
		r.SetHeader("X-LaunchDarkly-Event-Schema", "4")
		return nil
	},
	Actions: []*destkit.Action{AliasUser, TrackEvent},
	Presets: []destkit.Preset{
		{Name: "Track Event", Action: "trackEvent", Trigger: `type = "track"`,
			Mapping: `{"context_kind":"user","user_key":{"@if":{"exists":{"@path":"$.userId"},"then":{"@path":"$.userId"},"else":{"@path":"$.anonymousId"}}},"additional_context_keys":{"unauthenticatedUser":{"@path":"$.anonymousId"}},"event_name":{"@path":"$.event"},"metric_value":{"@if":{"exists":{"@path":"$.properties.revenue"},"then":{"@path":"$.properties.revenue"},"else":{"@path":"$.properties.value"}}},"event_properties":{"@path":"$.properties"},"timestamp":{"@path":"$.timestamp"}}`},
		{Name: "Alias User", Action: "aliasUser", Trigger: `type = "identify" or type = "alias"`,
			Mapping: `{"user_key":{"@path":"$.userId"},"previous_key":{"@if":{"exists":{"@path":"$.previousId"},"then":{"@path":"$.previousId"},"else":{"@path":"$.anonymousId"}}},"timestamp":{"@path":"$.timestamp"}}`},
	},
}

// eventsURL is the bulk events endpoint of the instance.
func eventsURL(s *destkit.Settings) (string, error) {
	host := s.Str("events_host_name")
	if host == "" {
		host = defaultEventsHost
	}
	if !destkit.ValidFormat("hostname", []byte(host)) {
		return "", &destkit.IntegrationError{Code: "INVALID_SETTINGS", Message: "The events host name setting is not a host name."}
	}
	id := s.Str("client_id")
	if id == "" {
		return "", &destkit.IntegrationError{Code: "INVALID_SETTINGS", Message: "The client-side ID setting is empty."}
	}
	return "https://" + host + "/events/bulk/" + url.PathEscape(id), nil
}

// now is replaced in tests.
var now = time.Now

var timeLayouts = []string{
	time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999", "2006-01-02T15:04Z07:00", "2006-01-02T15:04", "2006-01-02",
}

// creationDate returns the event time in epoch milliseconds: numbers are
// milliseconds already, strings without a zone are UTC, and anything
// missing or unreadable is now.
func creationDate(v *fastjson.Value) int64 {
	if v != nil {
		switch v.Type() {
		case fastjson.TypeNumber:
			return int64(v.GetFloat64())
		case fastjson.TypeString:
			s := string(v.GetStringBytes())
			for _, l := range timeLayouts {
				if t, err := time.Parse(l, s); err == nil {
					return t.UnixMilli()
				}
			}
		}
	}
	return now().UnixMilli()
}

// required returns a validation error when the string field key is empty.
func required(p *fastjson.Value, keys ...string) error {
	for _, k := range keys {
		if len(p.GetStringBytes(k)) == 0 {
			return destkit.ValidationErrorf(k, "The field %s is required.", k)
		}
	}
	return nil
}
