// Package appfit sends track events to AppFit's metric-events API.
//
// Sources: Segment's open-source AppFit destination (the vendor's API
// reference is not public beyond it). Each event is one
// POST https://api.appfit.io/metric-events with the project API key as
// "Authorization: Basic {apiKey}" — the key itself, not base64 of a
// user:password pair — and a version-2 body: eventSource "segment", the
// occurrence time, and the event with its system properties (app version,
// IP, OS, device). Device type is a field, as in Segment, but neither
// sends it. User deletion is DELETE /metric-event-users/{userId}
// ?source=segment_destination with the same key as a Bearer token.
package appfit

import (
	"net/url"

	"github.com/actuate/actuate/destinations/destkit"
)

const apiBase = "https://api.appfit.io"

// Definition is the AppFit destination.
var Definition = &destkit.Definition{
	Slug:        "app-fit",
	SegmentSlug: "actions-app-fit",
	Name:        "AppFit",
	Description: "Send product events to AppFit for metrics and user analytics.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "apiKey", Label: "API Key", Type: destkit.Password, Required: true, Secret: true,
			Description: "The API key of the AppFit project."},
	},
	Actions: []*destkit.Action{Track},
	Delete:  deleteUser,
}

func deleteUser(in *destkit.DeleteInput) ([]destkit.Request, error) {
	if in.UserID == "" {
		return nil, destkit.ValidationErrorf("userId", "AppFit deletes users by user ID; none given.")
	}
	r := destkit.Request{Method: "DELETE", URL: apiBase + "/metric-event-users/" + url.PathEscape(in.UserID) + "?source=segment_destination"}
	r.SetHeader("Authorization", "Bearer "+in.Settings.Str("apiKey"))
	return []destkit.Request{r}, nil
}
