// Package amazonamc syncs Engage audiences to Amazon Ads (DSP and Amazon Marketing Cloud):
// each event adds its user to the audience ("Audience Entered") or removes it (any other
// event name), as a record of hashed PII posted to /amc/audiences/records on the
// region's Amazon Ads API.
//
// Records are Segment's: the external user id (letters, digits, '-' and '_', at most 128;
// a batch leaves out, and fails, the events whose id is not), the audience's country code,
// CREATE or DELETE, and the hashed PII: SHA-256 hex digests of the first and last name,
// address, postal code, city and state (lower-cased, letters and digits only), the phone
// (digits only) and the email (lower-cased; letters, digits, '.', '@' and '-' only); a
// value that already is a digest is kept. The audience id is written as a JSON number,
// as Amazon wants it (Segment turns the quoted id of its payload into one).
//
// Tokens are Login with Amazon's: the refresh_token grant at the token endpoint of the
// region (api.amazon.com, api.amazon.co.uk, api.amazon.co.jp). Every call carries the
// access token and, in Amazon-Advertising-API-ClientID, the id of the app the token was
// issued to, read from ACTUATE_AMAZON_AMC_CLIENT_ID as Segment reads its own from its
// environment: destkit's Authorize does not see an instance's OAuth client id.
//
// The audience itself is created (POST /amc/audiences/metadata) or checked (GET
// /amc/audiences/metadata/{id}) by the mapping's audience hook, with the audience's
// settings (advertiser, country, description, fees, time to live). The hook also saves
// the audience's country code on the mapping, where the records read it; without it they
// carry none, as Segment's do when Engage gives no audience settings. Consent (geo and
// Amazon, TCF or GPP strings) is behind a feature flag in Segment that is off by default,
// and is not sent here either.
package amazonamc

import (
	"context"
	"errors"
	"net/url"
	"os"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
)

// The regions' Amazon Ads API endpoints and, for each, Login with Amazon's.
const (
	northAmerica = "https://advertising-api.amazon.com"
	europe       = "https://advertising-api-eu.amazon.com"
	farEast      = "https://advertising-api-fe.amazon.com"
)

var tokenHosts = map[string]string{
	northAmerica: "https://api.amazon.com",
	europe:       "https://api.amazon.co.uk",
	farEast:      "https://api.amazon.co.jp",
}

// endpoint is the API base of the instance's region (North America when unknown).
func endpoint(s *destkit.Settings) string {
	if _, ok := tokenHosts[s.Str("region")]; ok {
		return s.Str("region")
	}
	return northAmerica
}

// Definition is the Amazon Ads DSP and AMC destination.
var Definition = &destkit.Definition{
	Slug:        "amazon-amc",
	SegmentSlug: "actions-amazon-amc",
	Name:        "Amazon Ads DSP and AMC",
	Description: "Sync Engage audiences to Amazon Ads DSP and Amazon Marketing Cloud as hashed audience records.",
	Auth:        destkit.AuthOAuth2,
	Settings: []destkit.Field{
		{Key: "region", Label: "Region", Type: destkit.String, Required: true,
			Choices: []destkit.Choice{
				{Value: northAmerica, Label: "North America (NA)"},
				{Value: europe, Label: "Europe (EU)"},
				{Value: farEast, Label: "Far East (FE)"},
			},
			Default:     `"https://advertising-api.amazon.com"`,
			Description: "Region of the Amazon Ads API: NA, EU or FE."},
	},
	OAuth: &destkit.OAuthConfig{Refresh: refreshToken},
	Authorize: func(r *destkit.Request, _ *destkit.Settings, t *destkit.Token) error {
		if t == nil || t.AccessToken == "" {
			return &destkit.AuthError{Code: "INVALID_AUTHENTICATION", Message: "Amazon Ads needs an OAuth access token; connect the destination first."}
		}
		r.SetHeader("Authorization", "Bearer "+t.AccessToken)
		r.SetHeader("Amazon-Advertising-API-ClientID", os.Getenv("ACTUATE_AMAZON_AMC_CLIENT_ID"))
		return nil
	},
	Audience: audienceConfig,
	Actions:  []*destkit.Action{SyncAudiencesToDSP},
	// Segment's presets all name Engage events by slug rather than by a trigger; Actuate
	// has no such events, so none is kept.
}

// refreshToken renews the access token at the region's Login with Amazon endpoint.
func refreshToken(ctx context.Context, d destkit.Doer, c destkit.OAuthCredentials, s *destkit.Settings) (destkit.Token, error) {
	form := url.Values{}
	form.Set("refresh_token", c.RefreshToken)
	form.Set("client_id", c.ClientID)
	form.Set("client_secret", c.ClientSecret)
	form.Set("grant_type", "refresh_token")
	r := destkit.NewFormRequest("POST", tokenHosts[endpoint(s)]+"/auth/o2/token", []byte(form.Encode()))
	resp, err := d.Do(ctx, &r)
	if err != nil {
		if resp != nil && string(parse(resp).GetStringBytes("error")) == "invalid_grant" {
			return destkit.Token{}, &destkit.AuthError{Code: "REFRESH_TOKEN_EXPIRED",
				Message: "the refresh token is invalid or expired: connect the destination again"}
		}
		var api *destkit.APIError
		if errors.As(err, &api) {
			return destkit.Token{}, &destkit.AuthError{Code: "OAUTH_REFRESH_FAILED",
				Message: "Login with Amazon refused to renew the access token: " + string(parse(resp).GetStringBytes("error"))}
		}
		return destkit.Token{}, err
	}
	return destkit.ParseTokenResponse(resp.Body, time.Now())
}
