// Package linkedinaudiences syncs Engage audiences to LinkedIn Matched
// Audiences: users into DMP segments (Sync To LinkedIn DMP Segment) and
// companies into company DMP segments (Sync To LinkedIn DMP Company
// Segment).
//
// Requests go to https://api.linkedin.com/rest with the OAuth access token
// as a Bearer credential and LinkedIn-Version 202604 (the version Segment
// pins today); tokens are renewed with the standard refresh_token grant at
// https://www.linkedin.com/oauth/v2/accessToken.
//
// A DMP segment belongs to the settings' ad account and is named by the
// audience (sourcePlatform SEGMENT, sourceSegmentId the audience key). The
// first event of an audience looks it up and creates it when missing; its
// id is then kept per instance and audience key by the audience kit
// (destkit.Audiences), so later events, in any sender process, go straight
// to it. Segment keeps the same id in its request state for 24 hours.
// User and company segments are kept apart ("user:" and "company:" keys).
package linkedinaudiences

import (
	"github.com/actuate/actuate/destinations/destkit"
)

const (
	apiBase        = "https://api.linkedin.com/rest"
	apiVersion     = "202604"
	tokenURL       = "https://www.linkedin.com/oauth/v2/accessToken"
	sourcePlatform = "SEGMENT"
)

// Definition is the LinkedIn Audiences destination.
var Definition = &destkit.Definition{
	Slug:        "linkedin-audiences",
	SegmentSlug: "actions-linkedin-audiences",
	Name:        "Linkedin Audiences",
	Description: "Sync Engage audiences of users and companies to LinkedIn DMP segments for ad targeting.",
	Auth:        destkit.AuthOAuth2,
	OAuth:       &destkit.OAuthConfig{TokenURL: tokenURL},
	Settings: []destkit.Field{
		{Key: "ad_account_id", Label: "LinkedIn Ad Account Id", Type: destkit.String, Required: true,
			Description: "Id of the LinkedIn ad account the segments belong to (Campaign Manager)."},
		{Key: "send_email", Label: "Send Email", Type: destkit.Boolean, Required: true, Default: `true`,
			Description: "Send users' hashed emails to LinkedIn, for every mapping of this instance."},
		{Key: "send_google_advertising_id", Label: "Send Google Advertising ID", Type: destkit.Boolean, Required: true, Default: `true`,
			Description: "Send users' Google advertising IDs to LinkedIn, for every mapping of this instance."},
	},
	Authorize: func(r *destkit.Request, _ *destkit.Settings, t *destkit.Token) error {
		if t == nil || t.AccessToken == "" {
			return &destkit.AuthError{Code: "INVALID_AUTHENTICATION", Message: "LinkedIn needs an OAuth access token; connect the destination first."}
		}
		r.SetHeader("Authorization", "Bearer "+t.AccessToken)
		r.SetHeader("LinkedIn-Version", apiVersion)
		return nil
	},
	Actions: []*destkit.Action{UpdateAudience, UpdateCompanyAudience},
}

// account is the URN of the settings' ad account.
func account(s *destkit.Settings) string {
	return "urn:li:sponsoredAccount:" + s.Str("ad_account_id")
}
