// Package klaviyo upserts profiles, tracks events and orders, and manages
// list membership and marketing consent in Klaviyo through its JSON:API
// endpoints, using Klaviyo's asynchronous bulk-job endpoints for batches.
package klaviyo

import (
	"github.com/actuate/actuate/destinations/destkit"
)

// apiBase is Klaviyo's REST API root; tests redirect its host.
const apiBase = "https://a.klaviyo.com/api"

// revision pins the Klaviyo API version. Klaviyo changes payload shapes
// between revisions, so it moves only together with the request builders.
const revision = "2025-01-15"

// Definition is the Klaviyo (Actions) destination.
var Definition = &destkit.Definition{
	Slug:        "klaviyo",
	SegmentSlug: "actions-klaviyo",
	Name:        "Klaviyo (Actions)",
	Description: "Create and update Klaviyo profiles, track events and orders, and manage list membership and subscriptions.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "api_key", Label: "API Key", Type: destkit.Password, Required: true, Secret: true,
			Description: "Private API key from Klaviyo (Settings > API Keys) with write access to profiles, events, lists and subscriptions."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		r.SetHeader("Authorization", "Klaviyo-API-Key "+s.Str("api_key"))
		r.SetHeader("Accept", "application/json")
		r.SetHeader("revision", revision)
		r.SetHeader("Content-Type", "application/json")
		return nil
	},
	Actions: []*destkit.Action{
		UpsertProfile, AddProfileToList, RemoveProfileFromList, TrackEvent, OrderCompleted,
		SubscribeProfile, UnsubscribeProfile, RemoveProfile,
	},
	Delete: deleteProfile,
}

// deleteProfile asks Klaviyo to erase a profile and its data. Like Segment,
// it names the profile by the user ID.
func deleteProfile(in *destkit.DeleteInput) ([]destkit.Request, error) {
	if in.UserID == "" {
		return nil, destkit.ValidationErrorf("userId", "A user ID is required to delete a Klaviyo profile.")
	}
	w := destkit.NewJSONWriter(make([]byte, 0, 160))
	w.ObjectStart()
	w.Key("data")
	w.ObjectStart()
	w.Key("type")
	w.String("data-privacy-deletion-job")
	w.Key("attributes")
	w.ObjectStart()
	w.Key("profile")
	w.ObjectStart()
	w.Key("data")
	writeRef(w, "profile", in.UserID)
	w.ObjectEnd()
	w.ObjectEnd()
	w.ObjectEnd()
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest("POST", apiBase+"/data-privacy-deletion-jobs/", w.Bytes())}, nil
}
