// Package optimizelyfeatureexperimentationactions sends conversion events
// to Optimizely Feature Experimentation through its Event API.
//
// Optimizely identifies events and attributes by numeric ids that live in
// the project's datafile (a JSON document on Optimizely's CDN). Track Event
// therefore takes two steps, as Segment's implementation does:
//
//  1. GET the datafile from the "Datafile URL" setting (no credentials).
//     A body that is not JSON is what Optimizely serves for a deactivated
//     project: the event fails with PROJECT_DEACTIVATED.
//  2. Look the event key up among the datafile's events (the first entry
//     with that key wins); an unknown key is a validation error on eventKey.
//     Keep the mapped attributes whose keys the datafile declares and whose
//     values are strings, numbers or booleans, in mapping order, each as
//     {entity_id, key, value, type: "custom"}; add $opt_bot_filtering when
//     the datafile sets botFiltering. POST one visitor with one snapshot to
//     https://logx.optimizely.com/v1/events with the datafile's account id
//     and anonymizeIP, client_name "Segment" and enrich_decisions true.
//
// The event's timestamp is sent as epoch milliseconds and its tags are the
// mapped tags without revenue and value, which have their own fields (the
// Event API's documented shape, which Segment follows).
//
// The datafile is fetched for every event, as in Segment; Optimizely
// serves it from a CDN. Segment's user deletion sends the account id where
// the Subject Access Request API expects the user's identifier, so it is
// not reproduced: this destination has no deletion.
package optimizelyfeatureexperimentationactions

import "github.com/actuate/actuate/destinations/destkit"

// Definition is the Optimizely Feature Experimentation destination.
var Definition = &destkit.Definition{
	Slug:        "optimizely-feature-experimentation-actions",
	SegmentSlug: "actions-optimizely-feature-experimentation-cloud",
	Name:        "Optimizely Feature Experimentation (Actions)",
	Description: "Send conversion events to Optimizely Feature Experimentation for experiment results.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "accessToken", Label: "Personal Access Token", Type: destkit.Password, Secret: true,
			Description: "Optimizely personal access token (Profile, API Access); only needed for user deletion requests."},
		{Key: "accountId", Label: "Optimizely Account Id", Type: destkit.String, Required: true,
			Description: "The Optimizely account id, shown in the account's plan settings."},
		{Key: "dataFileUrl", Label: "Datafile URL", Type: destkit.String, Required: true,
			Description: "URL of the environment's datafile, e.g. https://cdn.optimizely.com/datafiles/<sdk key>.json."},
	},
	Actions: []*destkit.Action{TrackEvent},
}
