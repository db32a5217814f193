// Package adobetarget updates visitor profiles in Adobe Target through its
// Profile APIs on the account's own host, https://<client code>.tt.omtrdc.net.
//
// Update Profile first looks the profile up by its mbox 3rd-party ID (GET
// /rest/v1/profiles/thirdPartyId/<id>?client=<client code>), then posts
// the attributes as query parameters to /m2/<client code>/profile/update
// (mbox3rdPartyId=<id>&profile.<attribute>=<value>…). Nested attributes
// are flattened with dots (address.city; list items by index), values
// written as JavaScript prints them and nulls left out. Adobe Target takes
// up to an hour to create a profile, so a lookup that fails for any reason
// but 401 and 403 is retried, as in Segment's implementation; a 403 (and a
// 401) needs a person. The optional authentication token of the settings is
// sent as a bearer token.
//
// Differences from Segment, on purpose: the ID and the attribute names and
// values are escaped in the URL (Segment pastes them raw, so a value with
// "&", "#" or "+" reaches Adobe cut or changed); a 401 on the lookup fails
// where Segment retries it; and the client code must be a host name label,
// so the setting cannot send requests elsewhere.
package adobetarget

import (
	"regexp"

	"github.com/actuate/actuate/destinations/destkit"
)

// Definition is the Adobe Target destination.
var Definition = &destkit.Definition{
	Slug:        "adobe-target",
	SegmentSlug: "actions-adobe-target-cloud",
	Name:        "Adobe Target Cloud Mode",
	Description: "Update visitor profile attributes in Adobe Target.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "client_code", Label: "Client Code", Type: destkit.Password, Required: true, Secret: true,
			Description: "Your Adobe Target client code (Administration, Implementation, Account Details)."},
		{Key: "bearer_token", Label: "Authentication Token", Type: destkit.Password, Secret: true,
			Description: "Authentication token for the Profile API, when your account requires one (Implementation settings, or Adobe I/O); tokens expire and must be replaced here."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		if t := s.Str("bearer_token"); t != "" {
			r.SetHeader("Authorization", "Bearer "+t)
		}
		return nil
	},
	Actions: []*destkit.Action{UpdateProfile},
}

// hostLabel is what a client code may be: one DNS label.
var hostLabel = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`)

// host is the account's Target host, or an error naming the setting.
func host(s *destkit.Settings) (string, string, error) {
	code := s.Str("client_code")
	if !hostLabel.MatchString(code) {
		return "", "", &destkit.IntegrationError{Code: "INVALID_SETTINGS", Message: "The client_code setting must be letters, digits and dashes (the client code Adobe Target shows)."}
	}
	return "https://" + code + ".tt.omtrdc.net", code, nil
}
