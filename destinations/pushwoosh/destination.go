// Package pushwoosh sends user profiles and events to Pushwoosh's Segment
// integration service, and erases users on request.
//
// Requests go to https://integration-segment.svc-nue.pushwoosh.com/
// integration-segment/v1/ (track-user, post-events, delete-user) with
// "Authorization: Token <API key>" and the application code in
// X-PW-Appcode. Endpoint, bodies and headers follow Segment's open-source
// implementation (the service is Pushwoosh's endpoint for Segment and has no
// public reference), including one oddity kept for parity: a single event
// names the application "app_code" and a batched one "app_id".
package pushwoosh

import (
	"github.com/actuate/actuate/destinations/destkit"
)

const apiBase = "https://integration-segment.svc-nue.pushwoosh.com/integration-segment/v1/"

// Definition is the Pushwoosh destination.
var Definition = &destkit.Definition{
	Slug:        "pushwoosh",
	SegmentSlug: "actions-pushwoosh",
	Name:        "Pushwoosh",
	Description: "Send user profiles and events to Pushwoosh for personalised push, in-app and email messaging.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "pushwooshAPIKey", Label: "Pushwoosh API Key", Type: destkit.Password, Required: true, Secret: true,
			Description: "Pushwoosh API access token (Settings > API Access in the Pushwoosh control panel)."},
		{Key: "pushwooshAppCode", Label: "Pushwoosh Application Code", Type: destkit.String, Required: true,
			Description: "Code of the Pushwoosh application that receives the data (XXXXX-XXXXX)."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		r.SetHeader("Authorization", "Token "+s.Str("pushwooshAPIKey"))
		r.SetHeader("X-PW-Appcode", s.Str("pushwooshAppCode"))
		return nil
	},
	Actions: []*destkit.Action{UpdateUserProfile, TrackEvent},
	Presets: []destkit.Preset{
		{Name: "Track Events", Action: "trackEvent", Trigger: `type = "track" or type = "page" or type = "screen"`, Mapping: `{"external_id":{"@path":"$.userId"},"device_id":{"@path":"$.context.device.id"},"device_platform":{"@path":"$.context.device.type"},"name":{"@if":{"exists":{"@path":"$.event"},"then":{"@path":"$.event"},"else":{"@path":"$.name"}}},"timestamp":{"@path":"$.timestamp"},"properties":{"@path":"$.properties"},"enable_batching":false}`},
		{Name: "Create or Update User Profile", Action: "updateUserProfile", Trigger: `type = "identify"`, Mapping: `{"external_id":{"@path":"$.userId"},"email":{"@path":"$.traits.email"},"app_version":{"@path":"$.context.app.version"},"device_id":{"@path":"$.context.device.id"},"device_model":{"@path":"$.context.device.model"},"device_platform":{"@path":"$.context.device.type"},"device_token":{"@path":"$.context.device.token"},"language":{"@path":"$.context.locale"},"country":{"@path":"$.context.location.country"},"city":{"@path":"$.context.location.city"},"current_location":{"latitude":{"@path":"$.context.location.latitude"},"longitude":{"@path":"$.context.location.longitude"}},"device_os_version":{"@path":"$.context.os.version"},"timezone":{"@path":"$.context.timezone"},"user_agent":{"@path":"$.context.userAgent"},"custom_attributes":{"@path":"$.traits"}}`},
	},
	Delete: deleteUser,
}

func deleteUser(in *destkit.DeleteInput) ([]destkit.Request, error) {
	if in.UserID == "" {
		return nil, destkit.ValidationErrorf("userId", "A user ID is required to delete a user from Pushwoosh.")
	}
	w := destkit.NewJSONWriter(nil)
	w.ObjectStart()
	w.StringField("external_id", in.UserID)
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest("POST", apiBase+"delete-user", w.Bytes())}, nil
}
