// Package hubspot upserts contacts, companies and records of any object
// type (defining missing properties on the way) and sends custom events to
// HubSpot, authenticating with OAuth 2 access tokens that the sender
// refreshes through HubSpot's token endpoint.
package hubspot

import "github.com/actuate/actuate/destinations/destkit"

// Definition is the HubSpot Cloud Mode (Actions) destination.
var Definition = &destkit.Definition{
	Slug:        "hubspot",
	SegmentSlug: "actions-hubspot-cloud",
	Name:        "HubSpot Cloud Mode (Actions)",
	Description: "Create and update HubSpot contacts and send custom behavioral events.",
	Auth:        destkit.AuthOAuth2,
	Settings: []destkit.Field{{
		Key: "portalId", Label: "Hub ID", Type: destkit.String,
		Description: "ID of the HubSpot account; informational, the token already selects the account.",
	}},
	// Access tokens go in a Bearer header, the client's default for OAuth.
	OAuth:   &destkit.OAuthConfig{TokenURL: "https://api.hubapi.com/oauth/v1/token"},
	Actions: []*destkit.Action{SendCustomBehavioralEvent, UpsertContact, UpsertCompany, UpsertCustomObjectRecord, UpsertObject, CustomEvent},
}

const apiBase = "https://api.hubapi.com"
