// Package blackbaudraisersedgenxt creates and updates constituents, gifts
// and constituent actions in Blackbaud Raiser's Edge NXT through the SKY
// API.
//
// Requests carry the OAuth access token as a Bearer credential and the
// subscription key in Bb-Api-Subscription-Key. Tokens are renewed with the
// refresh_token grant at https://oauth2.sky.blackbaud.com/token, asking
// Blackbaud to keep the refresh token (preserve_refresh_token=true).
//
// Create or Update Individual Constituent (constituent.go) uses the mapped
// constituent id, or finds the constituent by lookup id or else email
// address (several matches fail the event), then creates it with its
// address, email, online presence and phone, or updates it: the
// constituent's own fields, then each related record, matched against the
// constituent's existing ones (addresses by lines, city, postal code and
// state; emails and web addresses by address; phones by their digits), is
// created when new and updated when its type, primary or do-not-contact
// flag changed or it was inactive. A related record that fails with 429 or
// 5xx retries the event; other failures are gathered and fail it at the
// end (Segment retries those too, though the same request would fail
// again).
//
// Create Gift and Create Constituent Action first run the constituent step
// with their constituent_ fields when any is mapped (an object only when
// all its members are), else take the mapped constituent id.
package blackbaudraisersedgenxt

import (
	"context"
	"net/url"

	"github.com/actuate/actuate/destinations/destkit"
)

const (
	tokenURL        = "https://oauth2.sky.blackbaud.com/token"
	constituentsAPI = "https://api.sky.blackbaud.com/constituent/v1"
	giftsAPI        = "https://api.sky.blackbaud.com/gift/v1"
)

// Definition is the Blackbaud Raiser's Edge NXT destination.
var Definition = &destkit.Definition{
	Slug:        "blackbaud-raisers-edge-nxt",
	SegmentSlug: "actions-blackbaud-raisers-edge-nxt",
	Name:        "Blackbaud Raiser's Edge NXT",
	Description: "Create and update constituents, gifts and constituent actions in Blackbaud Raiser's Edge NXT.",
	Auth:        destkit.AuthOAuthManaged,
	OAuth:       &destkit.OAuthConfig{TokenURL: tokenURL, Refresh: refresh},
	Settings: []destkit.Field{
		{Key: "bbApiSubscriptionKey", Label: "Blackbaud API Subscription Key", Type: destkit.String, Required: true, Secret: true,
			Description: "Blackbaud SKY API subscription key, from your Blackbaud developer account's My subscriptions page; sent in the Bb-Api-Subscription-Key header."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, t *destkit.Token) error {
		if t == nil || t.AccessToken == "" {
			return &destkit.AuthError{Code: "INVALID_AUTHENTICATION", Message: "Raiser's Edge NXT needs an OAuth access token; connect the destination first."}
		}
		r.SetHeader("Authorization", "Bearer "+t.AccessToken)
		r.SetHeader("Bb-Api-Subscription-Key", s.Str("bbApiSubscriptionKey"))
		return nil
	},
	Actions: []*destkit.Action{CreateConstituentAction, CreateGift, CreateOrUpdateIndividualConstituent},
}

// refresh renews the access token, asking Blackbaud to keep the refresh
// token valid.
func refresh(ctx context.Context, d destkit.Doer, c destkit.OAuthCredentials, _ *destkit.Settings) (destkit.Token, error) {
	form := url.Values{}
	form.Set("grant_type", "refresh_token")
	form.Set("refresh_token", c.RefreshToken)
	form.Set("preserve_refresh_token", "true")
	form.Set("client_id", c.ClientID)
	form.Set("client_secret", c.ClientSecret)
	u := tokenURL
	if c.RefreshTokenURL != "" {
		u = c.RefreshTokenURL
	}
	r := destkit.NewFormRequest("POST", u, []byte(form.Encode()))
	resp, err := d.Do(ctx, &r)
	if err != nil {
		return destkit.Token{}, err
	}
	t, err := destkit.ParseTokenResponse(resp.Body, now())
	if err != nil {
		return destkit.Token{}, err
	}
	if t.RefreshToken == "" {
		t.RefreshToken = c.RefreshToken
	}
	return t, nil
}
