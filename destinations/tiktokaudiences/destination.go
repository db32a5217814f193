// Package tiktokaudiences syncs Engage audiences to TikTok custom audiences
// through TikTok's Marketing API v1.3 (https://business-api.tiktok.com/open_api/v1.3).
//
// Every request carries the OAuth access token in TikTok's Access-Token
// header. TikTok's long-lived tokens have no refresh grant: a rejected token
// means reconnecting the destination.
//
// Users are sent in TikTok's segment mapping format: an id schema (which of
// EMAIL_SHA256, PHONE_SHA256, IDFA_SHA256 each user lists, in that order,
// from the send_* flags) and per user one entry per schema column, either
// {"id": hex SHA-256, "audience_ids": [audience]} or {} when the user lacks
// that identifier. Emails are normalised TikTok's way before hashing (a
// +tag removed, dots before the @ removed, lower-cased); phone numbers and
// advertising IDs are hashed as they come. A value that already contains a
// SHA-256 hex digest is sent as it is.
//
// TikTok answers 200 with a code of its own; a code other than 0 fails the
// events (40100, too many requests, retries them). Segment's Add/Remove
// actions never read that answer, so an event TikTok rejected counts as
// delivered there.
//
// Per-audience settings (Segment's audienceFields, the advertiser) reach an
// action only through Engage's context.personas.audience_settings, which the
// actions' fields do not map; Actuate takes the advertiser from the
// instance's TikTok Advertiser IDs setting when it holds exactly one.
package tiktokaudiences

import (
	"context"

	"github.com/actuate/actuate/destinations/destkit"
)

const apiBase = "https://business-api.tiktok.com/open_api/v1.3"

// Definition is the TikTok Audiences destination.
var Definition = &destkit.Definition{
	Slug:        "tiktok-audiences",
	SegmentSlug: "actions-tiktok-audiences",
	Name:        "TikTok Audiences",
	Description: "Sync Engage audiences to TikTok custom audiences for ad targeting.",
	Auth:        destkit.AuthOAuth2,
	OAuth: &destkit.OAuthConfig{Refresh: func(context.Context, destkit.Doer, destkit.OAuthCredentials, *destkit.Settings) (destkit.Token, error) {
		return destkit.Token{}, &destkit.AuthError{Code: "OAUTH_REFRESH_FAILED", Message: "TikTok access tokens cannot be refreshed; reconnect the destination."}
	}},
	Settings: []destkit.Field{
		{Key: "advertiser_ids", Label: "TikTok Advertiser IDs", Type: destkit.String, Multiple: true,
			Description: "Advertiser IDs the OAuth connection may sync audiences to, separated by commas."},
	},
	Authorize: func(r *destkit.Request, _ *destkit.Settings, t *destkit.Token) error {
		if t == nil || t.AccessToken == "" {
			return &destkit.AuthError{Code: "INVALID_AUTHENTICATION", Message: "TikTok needs an OAuth access token; connect the destination first."}
		}
		r.SetHeader("Access-Token", t.AccessToken)
		return nil
	},
	Audience: audienceConfig,
	Actions:  []*destkit.Action{SyncAudience, AddToAudience, RemoveFromAudience, AddUser, RemoveUser, CreateAudience},
}
