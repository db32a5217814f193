// Package linkedinconversions streams conversion events to LinkedIn's
// Conversions API.
//
// Requests go to https://api.linkedin.com/rest/conversionEvents with the
// OAuth access token as a Bearer credential and the headers LinkedIn's
// versioned REST API requires (LinkedIn-Version 202603, the version Segment
// pins, and X-Restli-Protocol-Version 2.0.0). Tokens are renewed with the
// standard refresh_token grant at https://www.linkedin.com/oauth/v2/accessToken.
//
// Each event is attributed to a conversion rule. The mapping's onMappingSave
// hook, run from the control API, picks, creates or updates that rule and
// associates campaigns with it (conversion_rule.go); its outputs are saved
// in the mapping ({"onMappingSave":{"outputs":{"id":"…"}}}), where Segment
// keeps them, so mappings exported from Segment work unchanged. The ad
// account, its campaigns and its Conversions API rules are dynamic inputs.
//
// Payload rules (Segment's, unless said otherwise):
//   - conversionHappenedAt is epoch milliseconds: a decimal integer string
//     between 1970 and 2100 is taken as it is, anything else is read as a
//     date. It must lie within the past 90 days, LinkedIn's limit.
//   - At least one of email, LinkedIn first-party tracking UUID, Acxiom ID
//     or Oracle MOAT ID is required; they become user.userIds in that order.
//   - Emails are sent as hex SHA-256 of the address trimmed and lower-cased;
//     a value that already is 64 hex digits is taken as a hash and sent
//     unchanged. LinkedIn's documentation asks for the trim, which Segment
//     leaves out (an address with stray spaces would never match there).
//   - Only the first external id is sent; LinkedIn accepts one.
//
// Batches are one BATCH_CREATE request per conversion rule; an invalid
// event is rejected on its own and the rest of the batch is sent.
package linkedinconversions

import (
	"time"

	"github.com/actuate/actuate/destinations/destkit"
)

const (
	apiBase    = "https://api.linkedin.com/rest"
	apiVersion = "202603"
	tokenURL   = "https://www.linkedin.com/oauth/v2/accessToken"
)

// Definition is the LinkedIn Conversions API destination.
var Definition = &destkit.Definition{
	Slug:        "linkedin-conversions",
	SegmentSlug: "actions-linkedin-conversions",
	Name:        "LinkedIn Conversions API",
	Description: "Send conversion events to LinkedIn to measure and optimise ad campaigns.",
	Auth:        destkit.AuthOAuth2,
	OAuth:       &destkit.OAuthConfig{TokenURL: tokenURL},
	Authorize: func(r *destkit.Request, _ *destkit.Settings, t *destkit.Token) error {
		if t == nil || t.AccessToken == "" {
			return &destkit.AuthError{Code: "INVALID_AUTHENTICATION", Message: "LinkedIn needs an OAuth access token; connect the destination first."}
		}
		r.SetHeader("Authorization", "Bearer "+t.AccessToken)
		r.SetHeader("LinkedIn-Version", apiVersion)
		r.SetHeader("X-Restli-Protocol-Version", "2.0.0")
		return nil
	},
	Actions: []*destkit.Action{StreamConversion},
}

// now is replaced in tests.
var now = time.Now
