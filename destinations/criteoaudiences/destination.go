// Package criteoaudiences adds users to and removes them from Criteo
// contact lists (audience segments), by email.
//
// Each batch takes one token from Criteo's client-credentials endpoint,
// then PATCHes the contact list with the batch's emails (SHA-256 hashed
// when hash_emails is set). The contact list is the advertiser's audience
// segment named after the audience key: found by paging through the
// advertiser's contact lists, or created when there is none. Segment
// searches before every batch; here the id is kept per instance and
// audience key by destkit's audience store, so only the first batch of an
// audience searches (or creates).
//
// As in Segment, a batch's audience is its first event's audience key:
// connect one audience per instance.
package criteoaudiences

import "github.com/actuate/actuate/destinations/destkit"

const (
	apiBase  = "https://api.criteo.com/2023-10"
	tokenURL = "https://api.criteo.com/oauth2/token"
)

// Definition is the Criteo Audiences destination.
var Definition = &destkit.Definition{
	Slug:        "criteo-audiences",
	SegmentSlug: "actions-criteo-audiences",
	Name:        "Criteo Audiences",
	Description: "Sync Engage audiences to Criteo contact lists.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "client_id", Label: "API Client ID", Type: destkit.String, Required: true,
			Description: "Client id of your Criteo API application."},
		{Key: "client_secret", Label: "API Client Secret", Type: destkit.Password, Required: true, Secret: true,
			Description: "Client secret of your Criteo API application."},
		{Key: "advertiser_id", Label: "Advertiser ID", Type: destkit.String, Required: true,
			Description: "Your Criteo advertiser id, a number."},
		{Key: "enable_batching", Label: "Enable Batching", Type: destkit.Boolean, Default: `true`,
			Description: "Send users in batches."},
	},
	Actions: []*destkit.Action{AddUserToAudience, RemoveUserFromAudience},
}
