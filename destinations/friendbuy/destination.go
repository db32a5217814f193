// Package friendbuy sends customers, purchases, sign-ups and custom events
// to Friendbuy's Merchant API (MAPI) for referral and loyalty programs.
//
// Each call first needs a MAPI token: POST /v1/authorization with the key
// and secret answers a token and its expiry. Tokens are kept per key in
// the process until ten seconds before they expire (Segment keeps one
// token for its whole process, whatever the key). Events then go to
// POST /v1/customer, /v1/event/purchase, /v1/event/account-sign-up or
// /v1/event/custom with the token as the Authorization header. The base
// URL is https://mapi.fbot.me, or https://mapi.fbot-<env>.me when the secret
// is written <env>:<secret> (Friendbuy's test environments); <env> must be
// a host label.
//
// The body is built as Segment's shared Friendbuy mapper builds it
// (mapping.go): custom attributes are merged into the payload, known
// fields are renamed and converted (ids to strings, amounts and ages to
// numbers, birthdays to {month, day, year}), the page fields are dropped,
// and every other non-empty field goes, as a string, into
// additionalProperties.
//
// Segment's deletion call (DELETE /v1/user-data) carries no credentials;
// Actuate does not offer deletion for Friendbuy.
package friendbuy

import (
	"regexp"
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
)

const defaultBaseURL = "https://mapi.fbot.me"

// Definition is the Friendbuy (Cloud Destination) destination.
var Definition = &destkit.Definition{
	Slug:        "friendbuy",
	SegmentSlug: "actions-friendbuy-cloud",
	Name:        "Friendbuy (Cloud Destination)",
	Description: "Send customers, purchases, sign-ups and custom events to Friendbuy's referral and loyalty platform.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "authKey", Label: "Friendbuy MAPI Key", Type: destkit.Password, Required: true, Secret: true,
			Description: "Friendbuy MAPI key (a UUID) from your Friendbuy account manager."},
		{Key: "authSecret", Label: "Friendbuy MAPI Secret", Type: destkit.Password, Required: true, Secret: true,
			Description: "Friendbuy MAPI secret that goes with the key; a secret of the form <environment>:<secret> addresses Friendbuy's https://mapi.fbot-<environment>.me instead of production."},
	},
	Actions: []*destkit.Action{TrackCustomer, TrackPurchase, TrackSignUp, TrackCustomEvent},
}

// environment is a Friendbuy environment name: one host label.
var environment = regexp.MustCompile(`^[A-Za-z0-9-]+$`)

// endpoint splits the secret setting into the MAPI base URL and the secret.
func endpoint(s *destkit.Settings) (base, secret string, err error) {
	raw := s.Str("authSecret")
	env, rest, found := strings.Cut(raw, ":")
	if !found || env == "" {
		return defaultBaseURL, raw, nil
	}
	if !environment.MatchString(env) {
		return "", "", destkit.ValidationErrorf("authSecret", "The setting authSecret names the Friendbuy environment %q, which is not a host name label.", env)
	}
	return "https://mapi.fbot-" + env + ".me", rest, nil
}
