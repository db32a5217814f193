// Package marketostaticlists syncs Engage audiences to Marketo static
// lists: Add to List imports the audience's leads (Marketo's bulk lead
// import, a CSV file, which creates leads Marketo does not know yet) into
// the list; Remove From List looks the leads up by their lookup field and
// removes them from the list.
//
// Marketo authenticates with OAuth's client-credentials grant against the
// instance's own REST API: the settings' client id and secret are posted
// to <api endpoint>/identity/oauth/token, and the access token is sent as
// a Bearer credential (renewed when Marketo answers 401, or with error
// 601/602, expired or invalid token). The API Endpoint setting may be given
// with or without its /rest suffix; the first "/rest" is removed, as in
// Segment.
//
// Marketo reports most failures as HTTP 200 with success false and an error
// code: codes Marketo documents as permanent (Segment's list: 603, 605,
// 609, 610, 612, 613, 616, 701-704, 709-712, 714, 718 and the 10xx codes)
// fail the events; others are retried.
//
// The list is the one the mapping's retlOnMappingSave hook saved (created
// in the settings' folder, or an existing one checked), else the event's
// external audience id (context.personas.external_audience_id). The
// destination's audience config creates a list named after an audience the
// same way.
package marketostaticlists

import (
	"context"
	"net/url"
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
)

// Definition is the Marketo Static Lists destination.
var Definition = &destkit.Definition{
	Slug:        "marketo-static-lists",
	SegmentSlug: "actions-marketo-static-lists",
	Name:        "Marketo Static Lists (Actions)",
	Description: "Sync Engage audiences to Marketo static lists.",
	Auth:        destkit.AuthOAuth2,
	OAuth:       &destkit.OAuthConfig{Refresh: clientCredentials},
	Settings: []destkit.Field{
		{Key: "client_id", Label: "Client ID", Type: destkit.String, Required: true,
			Description: "Client ID of the Marketo LaunchPoint service (Admin > LaunchPoint > View Details)."},
		{Key: "client_secret", Label: "Client Secret", Type: destkit.Password, Required: true, Secret: true,
			Description: "Client secret of the Marketo LaunchPoint service."},
		{Key: "api_endpoint", Label: "API Endpoint", Type: destkit.String, Required: true,
			Description: "REST API endpoint of your Marketo instance (Admin > Web Services), e.g. https://123-ABC-456.mktorest.com/rest."},
		{Key: "folder_name", Label: "Folder Name", Type: destkit.String, Required: true,
			Description: "Marketo folder in which new static lists are created."},
	},
	Authorize: func(r *destkit.Request, _ *destkit.Settings, t *destkit.Token) error {
		if t == nil || t.AccessToken == "" {
			return &destkit.AuthError{Code: "INVALID_AUTHENTICATION", Message: "Marketo has not issued an access token yet."}
		}
		r.SetHeader("Authorization", "Bearer "+t.AccessToken)
		return nil
	},
	Audience: audienceConfig,
	Actions:  []*destkit.Action{AddToList, RemoveFromList},
}

// endpoint is the instance's API base URL without its first "/rest".
func endpoint(s *destkit.Settings) string {
	return strings.Replace(s.Str("api_endpoint"), "/rest", "", 1)
}

// clientCredentials obtains an access token from the instance's identity
// endpoint with the settings' client credentials.
func clientCredentials(ctx context.Context, d destkit.Doer, _ destkit.OAuthCredentials, s *destkit.Settings) (destkit.Token, error) {
	form := url.Values{}
	form.Set("client_id", s.Str("client_id"))
	form.Set("client_secret", s.Str("client_secret"))
	form.Set("grant_type", "client_credentials")
	r := destkit.NewFormRequest("POST", endpoint(s)+"/identity/oauth/token", []byte(form.Encode()))
	resp, err := d.Do(ctx, &r)
	if err != nil {
		return destkit.Token{}, err
	}
	return destkit.ParseTokenResponse(resp.Body, now())
}
