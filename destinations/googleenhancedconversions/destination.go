// Package googleenhancedconversions sends conversions, conversion
// adjustments and Customer Match audiences to Google Ads.
//
// Two APIs are used, both with the instance's OAuth access token as a Bearer
// credential (renewed with the standard refresh_token grant at Google's
// token endpoint):
//
//   - the legacy enhanced conversions endpoint, https://www.google.com/ads/event/api/v1,
//     for Upload Enhanced Conversion (Legacy), keyed by the Conversion ID setting;
//   - the Google Ads API, https://googleads.googleapis.com/v21 (the version
//     Segment pins), for every other action, under the Customer ID setting
//     (dashes removed). Each of its requests carries a developer-token header
//     and, when the Login Customer ID setting is set, a login-customer-id
//     header (a manager account acting for its client).
//
// Segment sends its own developer token, from its platform; a self-hosted
// engine has none, so the instance brings its own in the developerToken
// setting (Google Ads API Center of the manager account). It is sent only to
// the Google Ads API.
//
// Hashing (Segment's rules, Google's documented normalisation): identifiers
// are sent as hex SHA-256 unless they already are 64 hex digits. Emails are
// trimmed and lower-cased, and for gmail.com and googlemail.com the first dot
// of the local part is dropped; an address that is then no valid email fails
// the event. Phone numbers become E.164: the digits, prefixed with the
// country code (phone_country_code, +1 when unset) unless they already start
// with it. Names and street addresses are hashed as they come. The legacy
// endpoint hashes differently (its own normalisation, web-safe base64
// digests): see post_conversion.go.
//
// Partial failures: the Google Ads API is called with partialFailure on, and
// answers 200 with a partialFailureError naming the rejected operations by
// index. A single event then fails (not retried); in a batch, only the
// events named fail and the others count as delivered, where Segment fails
// the whole batch.
//
// Custom variables are sent by their resource name, which one lookup of the
// account's conversion custom variables (googleAds:searchStream) finds; a
// batch makes that lookup once.
package googleenhancedconversions

import (
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
)

const (
	apiVersion    = "v21"
	adsAPI        = "https://googleads.googleapis.com/" + apiVersion
	eventsAPI     = "https://www.google.com/ads/event/api/v1"
	tokenURL      = "https://www.googleapis.com/oauth2/v4/token"
	batchMaxSize  = 2000 // Google's limit per upload request
	listBatchSize = 10000
)

// Definition is the Google Ads Conversions destination.
var Definition = &destkit.Definition{
	Slug:        "google-enhanced-conversions",
	SegmentSlug: "actions-google-enhanced-conversions",
	Name:        "Google Ads Conversions",
	Description: "Upload offline click and call conversions, conversion adjustments and Customer Match user lists to Google Ads.",
	Auth:        destkit.AuthOAuth2,
	OAuth:       &destkit.OAuthConfig{TokenURL: tokenURL},
	Settings: []destkit.Field{
		{Key: "conversionTrackingId", Label: "Conversion ID", Type: destkit.String,
			Description: "Conversion ID of the event snippet (AW-CONVERSION_ID, without the AW- prefix); needed by Upload Enhanced Conversion (Legacy) only."},
		{Key: "customerId", Label: "Customer ID", Type: destkit.String,
			Description: "Google Ads account ID (XXX-XXX-XXXX); needed by every action that calls the Google Ads API."},
		{Key: "loginCustomerId", Label: "Login Customer ID", Type: destkit.String,
			Description: "Manager account ID (XXX-XXX-XXXX) when a manager account uploads for the Customer ID account."},
		{Key: "developerToken", Label: "Developer Token", Type: destkit.Password, Secret: true,
			Description: "Google Ads API developer token of your manager account; Segment uses its own, Actuate needs yours for every Google Ads API call."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, t *destkit.Token) error {
		if t == nil || t.AccessToken == "" {
			return &destkit.AuthError{Code: "INVALID_AUTHENTICATION", Message: "Google Ads needs an OAuth access token; connect the destination first."}
		}
		r.SetHeader("Authorization", "Bearer "+t.AccessToken)
		if login := strings.ReplaceAll(strings.TrimSpace(s.Str("loginCustomerId")), "-", ""); login != "" {
			r.SetHeader("login-customer-id", login)
		}
		return nil
	},
	Audience: audienceConfig,
	Actions: []*destkit.Action{
		PostConversion, UploadClickConversion, UploadCallConversion, UploadConversionAdjustment,
		UploadConversionAdjustment2, UploadClickConversion2, UploadCallConversion2, UserList,
	},
}
