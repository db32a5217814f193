package googleenhancedconversions

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/url"
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// PostConversion sends an enhanced conversion to Google's legacy endpoint.
//
// That endpoint has its own normalisation, which Segment follows and so do
// we: the email is lower-cased with its spaces removed (for Gmail addresses
// every dot of the local part is dropped), the phone number is a plus sign
// and its digits (15 characters at most), names keep only the letters a-z,
// the street is lower-cased; each is hashed with SHA-256 and sent as web-safe
// base64 (- and _ for + and /, with padding). City and region are sent in
// the clear, lower-cased, letters only. Empty values are left out. Google
// answers an expired token with 400 and INVALID_OAUTH_TOKEN, which is taken
// as a 401: the token is renewed and the event sent again.
var PostConversion = &destkit.Action{
	Key:         "postConversion",
	Title:       "Upload Enhanced Conversion (Legacy)",
	Description: "Upload a conversion enhancement to the legacy Google Enhanced Conversions API.",
	Fields: []destkit.Field{
		{Key: "conversion_label", Label: "Conversion Label", Type: destkit.String, Required: true, Default: `""`,
			Description: "Conversion label of the Google Ads conversion action (send_to: AW-CONVERSION_ID/CONVERSION_LABEL)."},
		{Key: "email", Label: "Email", Type: destkit.String, Required: true, Default: `{"@if":{"exists":{"@path":"$.properties.email"},"then":{"@path":"$.properties.email"},"else":{"@path":"$.traits.email"}}}`, Format: "email",
			Description: "Email of the person who converted; normalised and hashed with SHA-256 before sending."},
		{Key: "transaction_id", Label: "Order ID", Type: destkit.String, Required: true, Default: `{"@path":"$.properties.orderId"}`,
			Description: "Order or transaction ID of the conversion; Google requires one even outside ecommerce, and deduplicates on it."},
		{Key: "user_agent", Label: "User Agent", Type: destkit.String, Default: `{"@path":"$.context.userAgent"}`,
			Description: "User agent of the device on which the conversion happened."},
		{Key: "conversion_time", Label: "Conversion Time", Type: destkit.Datetime, Required: true, Default: `{"@path":"$.timestamp"}`,
			Description: "When the conversion happened."},
		{Key: "value", Label: "Value", Type: destkit.Number, Default: `{"@path":"$.properties.total"}`,
			Description: "Value of the conversion."},
		{Key: "currency_code", Label: "Currency Code", Type: destkit.String, Default: `{"@path":"$.properties.currency"}`,
			Description: "ISO 4217 currency code of the value."},
		{Key: "is_app_incrementality", Label: "App Conversion for Incrementality Study", Type: destkit.Boolean, Default: `false`,
			Description: "Marks an app conversion that belongs to an incrementality study."},
		{Key: "pcc_game", Label: "PCC Game Flag", Type: destkit.Boolean, Default: `false`,
			Description: "Marks the conversion as a PCC game conversion."},
		{Key: "phone_number", Label: "Phone Number", Type: destkit.String, Default: `{"@if":{"exists":{"@path":"$.properties.phone"},"then":{"@path":"$.properties.phone"},"else":{"@path":"$.traits.phone"}}}`,
			Description: "Phone number of the person who converted; sent in E.164 form, hashed with SHA-256."},
		{Key: "first_name", Label: "First Name", Type: destkit.String, Default: `{"@if":{"exists":{"@path":"$.properties.firstName"},"then":{"@path":"$.properties.firstName"},"else":{"@path":"$.traits.firstName"}}}`,
			Description: "First name of the person who converted; hashed with SHA-256."},
		{Key: "last_name", Label: "Last Name", Type: destkit.String, Default: `{"@if":{"exists":{"@path":"$.properties.lastName"},"then":{"@path":"$.properties.lastName"},"else":{"@path":"$.traits.lastName"}}}`,
			Description: "Last name of the person who converted; hashed with SHA-256."},
		{Key: "street_address", Label: "Street Address", Type: destkit.String, Default: `{"@if":{"exists":{"@path":"$.properties.address.street"},"then":{"@path":"$.properties.address.street"},"else":{"@path":"$.traits.address.street"}}}`,
			Description: "Street address of the person who converted; hashed with SHA-256."},
		{Key: "city", Label: "City", Type: destkit.String, Default: `{"@if":{"exists":{"@path":"$.properties.address.city"},"then":{"@path":"$.properties.address.city"},"else":{"@path":"$.traits.address.city"}}}`,
			Description: "City of the person who converted."},
		{Key: "region", Label: "Region", Type: destkit.String, Default: `{"@if":{"exists":{"@path":"$.properties.address.state"},"then":{"@path":"$.properties.address.state"},"else":{"@path":"$.traits.address.state"}}}`,
			Description: "State or region of the person who converted."},
		{Key: "post_code", Label: "Postal Code", Type: destkit.String, Default: `{"@if":{"exists":{"@path":"$.properties.address.postalCode"},"then":{"@path":"$.properties.address.postalCode"},"else":{"@path":"$.traits.address.postalCode"}}}`,
			Description: "Postal code of the person who converted."},
		{Key: "country", Label: "Country", Type: destkit.String, Default: `{"@if":{"exists":{"@path":"$.properties.address.country"},"then":{"@path":"$.properties.address.country"},"else":{"@path":"$.traits.address.country"}}}`,
			Description: "Country code of the person who converted."},
	},
	Run: postConversion,
}

func postConversion(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
	trackingID := in.Settings.Str("conversionTrackingId")
	if trackingID == "" {
		return destkit.ValidationErrorf("conversionTrackingId", "Conversion ID is required for this action. Please set it in destination settings.")
	}
	p := in.Payload
	str := func(k string) string { return string(p.GetStringBytes(k)) }

	address := destkit.NewJSONWriter(nil)
	address.ObjectStart()
	address.StringField("hashed_first_name", hashLegacy(str("first_name"), lettersOnly))
	address.StringField("hashed_last_name", hashLegacy(str("last_name"), lettersOnly))
	address.StringField("hashed_street_address", hashLegacy(str("street_address"), strings.ToLower))
	address.StringField("city", lettersOnly(str("city")))
	address.StringField("region", lettersOnly(str("region")))
	address.StringField("postcode", str("post_code"))
	address.StringField("country", str("country"))
	address.ObjectEnd()
	email := str("email")
	if email == "" && len(address.Bytes()) == 2 {
		return destkit.ValidationErrorf("email", "Either a valid email address or at least one address property (firstName, lastName, street, city, region, postalCode, or country) is required to send a valid conversion.")
	}

	w := destkit.NewJSONWriter(make([]byte, 0, 512))
	w.ObjectStart()
	w.Key("pii_data")
	w.ObjectStart()
	w.StringField("hashed_email", hashLegacy(email, legacyEmail))
	if phone := str("phone_number"); phone != "" {
		w.Key("hashed_phone_number")
		w.ArrayStart()
		w.String(hashLegacy(phone, legacyPhone))
		w.ArrayEnd()
	}
	w.Key("address")
	w.ArrayStart()
	w.Raw(address.Bytes())
	w.ArrayEnd()
	w.ObjectEnd()
	w.StringField("oid", str("transaction_id"))
	w.StringField("user_agent", str("user_agent"))
	if t, ok := destkit.ParseJSDate(p.Get("conversion_time")); ok {
		w.Key("conversion_time")
		w.Int(t.UnixMilli() * 1000)
	}
	w.StringField("label", str("conversion_label"))
	if destkit.Truthy(p.Get("value")) {
		w.Field("value", p.Get("value"))
	}
	w.StringField("currency_code", str("currency_code"))
	if destkit.Truthy(p.Get("is_app_incrementality")) {
		w.Key("is_app_incrementality")
		w.Int(1)
	}
	if destkit.Truthy(p.Get("pcc_game")) {
		w.Key("pcc_game")
		w.Int(1)
	}
	w.ObjectEnd()

	r := destkit.NewJSONRequest("POST", eventsAPI+"?conversion_tracking_id="+url.QueryEscape(trackingID), w.Bytes())
	resp, err := d.Do(ctx, &r)
	var api *destkit.APIError
	if err != nil && errors.As(err, &api) && api.Status == 400 && resp != nil && invalidOAuthToken(resp.Body) {
		// Not wrapping the 400: the client renews tokens on INVALID_AUTHENTICATION.
		return &destkit.AuthError{Code: "INVALID_AUTHENTICATION", Message: "The OAuth token is missing or invalid (Google answered 400 INVALID_OAUTH_TOKEN)."}
	}
	return err
}

// invalidOAuthToken reports whether a 400 answer names INVALID_OAUTH_TOKEN.
func invalidOAuthToken(body []byte) bool {
	v, err := fastjson.ParseBytes(body)
	if err != nil {
		return false
	}
	for _, s := range v.GetArray("error_statuses") {
		if string(s.GetStringBytes("error_code")) == "INVALID_OAUTH_TOKEN" {
			return true
		}
	}
	return false
}

// hashLegacy is the legacy endpoint's digest of s cleaned: SHA-256 in
// web-safe base64. An empty s stays empty; one that cleaning empties is
// still hashed, as Segment does.
func hashLegacy(s string, clean func(string) string) string {
	if s == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(clean(s)))
	return base64.URLEncoding.EncodeToString(sum[:])
}

// legacyEmail lower-cases the address and removes its spaces; Gmail
// addresses also lose every dot before the @.
func legacyEmail(email string) string {
	e := strings.ReplaceAll(strings.ToLower(email), " ", "")
	if strings.Contains(e, "@gmail") || strings.Contains(e, "@googlemail.com") {
		at := strings.IndexByte(e, '@')
		return strings.ReplaceAll(e[:at], ".", "") + e[at:]
	}
	return e
}

// legacyPhone is a plus sign and the number's digits, cut to 15 characters.
func legacyPhone(phone string) string {
	p := "+" + onlyDigits(phone)
	if len(p) > 15 {
		p = p[:15]
	}
	return p
}

// lettersOnly lower-cases s and keeps the letters a to z.
func lettersOnly(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' {
			return r
		}
		return -1
	}, strings.ToLower(s))
}
