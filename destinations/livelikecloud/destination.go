// Package livelikecloud sends events and user-group memberships to
// LiveLike, the fan engagement platform.
//
// Requests go to https://cf-blast.livelikecdn.com/api/v1/applications/<client
// id>/… with the producer token as a Bearer credential: events to
// segment-events/ as {"events":[…]}, memberships to segment-audience-sync/
// as a list. An event needs one of the LiveLike profile id, custom id or
// user id. A membership's action is the mapped boolean, or else the
// Engage audience's flag (the traits member named by the audience key),
// which must be a boolean; the additional traits are spread into it.
package livelikecloud

import (
	"net/url"

	"github.com/actuate/actuate/destinations/destkit"
)

const apiBase = "https://cf-blast.livelikecdn.com/api/v1/applications/"

// Definition is the LiveLike destination.
var Definition = &destkit.Definition{
	Slug:        "livelike-cloud",
	SegmentSlug: "actions-livelike-cloud",
	Name:        "LiveLike",
	Description: "Send user events and audience memberships to LiveLike for fan engagement.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "clientId", Label: "Client ID", Type: destkit.String, Required: true,
			Description: "Client id of your LiveLike application."},
		{Key: "producerToken", Label: "Producer Token", Type: destkit.Password, Required: true, Secret: true,
			Description: "LiveLike producer token, sent as a Bearer credential."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		r.SetHeader("Authorization", "Bearer "+s.Str("producerToken"))
		return nil
	},
	Actions: []*destkit.Action{TrackEvent, SyncToUserGroup},
	Presets: []destkit.Preset{
		{Name: "Track User Actions", Action: "trackEvent", Trigger: `type = "track"`, Mapping: destkit.JSON(TrackEvent.DefaultMapping())},
		{Name: "Page Calls", Action: "trackEvent", Trigger: `type = "page"`, Mapping: namedAfterPage},
		{Name: "Screen Calls", Action: "trackEvent", Trigger: `type = "screen"`, Mapping: namedAfterPage},
	},
}

// namedAfterPage is Track Event's default mapping with the event named
// after the page or screen.
var namedAfterPage = destkit.JSON(`{"event_name":{"@if":{"exists":{"@path":"$.name"},"then":{"@path":"$.name"},"else":{"@path":"$.properties.title"}}},` +
	string(TrackEvent.DefaultMapping())[len(`{"event_name":{"@path":"$.event"},`):])

// endpoint is the URL of an application's API path.
func endpoint(s *destkit.Settings, path string) string {
	return apiBase + url.PathEscape(s.Str("clientId")) + "/" + path
}
