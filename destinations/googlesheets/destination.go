// Package googlesheets keeps rows of a Google Sheet in step with records:
// one row per record identifier, updated in place or appended.
package googlesheets

import "github.com/actuate/actuate/destinations/destkit"

// Definition is the Google Sheets destination.
var Definition = &destkit.Definition{
	Slug:        "google-sheets",
	SegmentSlug: "actions-google-sheets",
	Name:        "Google Sheets",
	Description: "Write records as rows of a Google Sheet, updating rows that already exist.",
	Auth:        destkit.AuthOAuth2,
	OAuth:       &destkit.OAuthConfig{TokenURL: "https://www.googleapis.com/oauth2/v4/token"},
	Actions:     []*destkit.Action{PostSheet},
}
