// Package listrak updates the profile fields of email contacts in Listrak
// through Listrak's Email API.
//
// Listrak authenticates with OAuth 2's client-credentials grant: the API
// client ID and secret of the settings are posted, form-encoded, to
// https://auth.listrak.com/OAuth2/Token (grant_type=client_credentials),
// and the access token it returns is sent as a bearer token; there is no
// refresh token, so a 401 (or an instance without a token yet) fetches a
// new one the same way.
//
// Update Email Contact Profile Fields posts, for each list of a batch, the
// contacts of that list to
// https://api.listrak.com/email/v1/List/<listId>/Contact/SegmentationField
// as [{emailAddress, segmentationFieldValues: [{segmentationFieldId,
// value}]}]. The profile field values map Listrak profile field IDs to
// "on", "off" or "useAudienceKey"; the last becomes "on" or "off" from the
// boolean the event carries under its Segment audience key (Engage's
// audience membership), and stays as written when the event has none. Keys
// that are not field IDs (as parseInt reads them) are left out. Lists go
// out in ascending order, as in Segment's implementation; each list's
// request decides the outcome of its own contacts, where Segment stops at
// the first list that fails and fails the whole batch.
package listrak

import (
	"context"
	"net/url"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
)

// now is replaced in tests.
var now = time.Now

const (
	tokenURL = "https://auth.listrak.com/OAuth2/Token"
	apiBase  = "https://api.listrak.com/email/v1"
)

// Definition is the Listrak destination.
var Definition = &destkit.Definition{
	Slug:        "listrak",
	SegmentSlug: "actions-listrak",
	Name:        "Listrak (Actions)",
	Description: "Update the profile fields of Listrak email contacts, from events or audience membership.",
	Auth:        destkit.AuthOAuth2,
	Settings: []destkit.Field{
		{Key: "client_id", Label: "API Client ID", Type: destkit.String, Required: true,
			Description: "Client ID of your Segment integration in Listrak (Integrations, Integrations Management, setup tab)."},
		{Key: "client_secret", Label: "API Client Secret", Type: destkit.Password, Required: true, Secret: true,
			Description: "Client secret of your Segment integration in Listrak (Integrations, Integrations Management, setup tab)."},
	},
	OAuth:   &destkit.OAuthConfig{Refresh: clientCredentials},
	Actions: []*destkit.Action{UpdateEmailContactProfileFields},
}

// clientCredentials gets a new access token with the settings' client
// credentials (or the OAuth object's, when the settings have none).
func clientCredentials(ctx context.Context, d destkit.Doer, c destkit.OAuthCredentials, s *destkit.Settings) (destkit.Token, error) {
	id, secret := s.Str("client_id"), s.Str("client_secret")
	if id == "" {
		id = c.ClientID
	}
	if secret == "" {
		secret = c.ClientSecret
	}
	form := url.Values{}
	form.Set("client_id", id)
	form.Set("client_secret", secret)
	form.Set("grant_type", "client_credentials")
	r := destkit.NewFormRequest("POST", tokenURL, []byte(form.Encode()))
	resp, err := d.Do(ctx, &r)
	if err != nil {
		return destkit.Token{}, err
	}
	return destkit.ParseTokenResponse(resp.Body, now())
}
