// Package actionspardot upserts prospects in Pardot (Marketing Cloud
// Account Engagement) through its v5 API.
//
// Requests go to https://pi.pardot.com (https://pi.demo.pardot.com for a
// sandbox) with the Salesforce OAuth access token as a Bearer credential and
// the business unit in Pardot-Business-Unit-Id. Tokens are renewed with the
// refresh_token grant at Salesforce's login host (test.salesforce.com for a
// sandbox); Salesforce refusing a refresh because another one with the same
// token is in flight is retried, as the other sender's new token will do.
package actionspardot

import (
	"context"
	"net/url"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// Definition is the Pardot (Actions) destination.
var Definition = &destkit.Definition{
	Slug:        "actions-pardot",
	SegmentSlug: "actions-pardot",
	Name:        "Pardot (Actions)",
	Description: "Create or update Pardot prospects, matched by email address.",
	Auth:        destkit.AuthOAuth2,
	Settings: []destkit.Field{
		{Key: "businessUnitID", Label: "Pardot Business Unit ID", Type: destkit.String, Required: true,
			Description: "The 18-character id (starting 0Uv) of the Pardot business unit, from Salesforce Setup > Pardot Account Setup."},
		{Key: "accountID", Label: "Account ID", Type: destkit.String, Required: true,
			Description: "The Pardot account id."},
		{Key: "isSandbox", Label: "Sandbox Instance", Type: destkit.Boolean, Default: `false`,
			Description: "Use a Salesforce sandbox and Pardot's demo instance."},
	},
	OAuth: &destkit.OAuthConfig{Refresh: refresh},
	Authorize: func(r *destkit.Request, s *destkit.Settings, t *destkit.Token) error {
		if t == nil || t.AccessToken == "" {
			return &destkit.AuthError{Code: "INVALID_AUTHENTICATION", Message: "Pardot needs a Salesforce OAuth access token; connect the destination first."}
		}
		r.SetHeader("Authorization", "Bearer "+t.AccessToken)
		r.SetHeader("Pardot-Business-Unit-Id", s.Str("businessUnitID"))
		return nil
	},
	Actions: []*destkit.Action{Prospects},
}

// now is replaced in tests.
var now = time.Now

// refresh renews the access token with the refresh_token grant at the
// Salesforce login host.
func refresh(ctx context.Context, d destkit.Doer, c destkit.OAuthCredentials, s *destkit.Settings) (destkit.Token, error) {
	host := "https://login.salesforce.com"
	if s.Bool("isSandbox") {
		host = "https://test.salesforce.com"
	}
	form := url.Values{}
	form.Set("refresh_token", c.RefreshToken)
	form.Set("client_id", c.ClientID)
	form.Set("client_secret", c.ClientSecret)
	form.Set("grant_type", "refresh_token")
	r := destkit.NewFormRequest("POST", host+"/services/oauth2/token", []byte(form.Encode()))
	resp, err := d.Do(ctx, &r)
	if err != nil {
		if resp != nil && resp.Status == 400 && refreshInFlight(resp.Body) {
			return destkit.Token{}, &destkit.RetryableError{Err: err, RetryAfter: time.Second}
		}
		return destkit.Token{}, err
	}
	return destkit.ParseTokenResponse(resp.Body, now())
}

// refreshInFlight recognises Salesforce refusing a refresh that races
// another.
func refreshInFlight(body []byte) bool {
	v, err := fastjson.ParseBytes(body)
	if err != nil || string(v.GetStringBytes("error")) != "invalid_grant" {
		return false
	}
	d := string(v.GetStringBytes("error_description"))
	return d == "token request is already being processed" || d == "expired authorization code"
}

// apiBase is Pardot's API host.
func apiBase(s *destkit.Settings) string {
	if s.Bool("isSandbox") {
		return "https://pi.demo.pardot.com"
	}
	return "https://pi.pardot.com"
}
