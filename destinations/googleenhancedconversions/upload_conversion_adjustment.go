package googleenhancedconversions

import (
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// adjustmentUpload uploads conversion adjustments (uploadConversionAdjustments).
var adjustmentUpload = &upload{method: "uploadConversionAdjustments", list: "conversionAdjustments", write: writeAdjustment}

// UploadConversionAdjustment restates, retracts or enhances conversions.
var UploadConversionAdjustment = adjustmentUpload.action("uploadConversionAdjustment", "Upload Conversion Adjustment",
	"Upload a conversion adjustment to the Google Ads API.",
	adjustmentFields)

// adjustmentFields are the fields of Upload Conversion Adjustment.
var adjustmentFields = []destkit.Field{
	conversionActionField,
	{Key: "adjustment_type", Label: "Adjustment Type", Type: destkit.String, Required: true, Choices: destkit.ChoiceValues("UNSPECIFIED", "UNKNOWN", "RETRACTION", "RESTATEMENT", "ENHANCEMENT"),
		Description: "Kind of adjustment."},
	{Key: "adjustment_timestamp", Label: "Adjustment Timestamp", Type: destkit.String, Default: `{"@path":"$.timestamp"}`,
		Description: "When the adjustment happened, as an ISO 8601 date and time; the time of sending when unset."},
	orderIDField,
	{Key: "gclid", Label: "GCLID", Type: destkit.String,
		Description: "Google click ID (gclid) of the ad click that led to the conversion."},
	{Key: "conversion_timestamp", Label: "Conversion Timestamp", Type: destkit.String,
		Description: "When the conversion happened, as an ISO 8601 date and time."},
	{Key: "restatement_value", Label: "Restatement Value", Type: destkit.Number,
		Description: "Restated value of the conversion (not sent for retractions)."},
	{Key: "restatement_currency_code", Label: "Restatement Currency Code", Type: destkit.String,
		Description: "ISO 4217 currency code of the restated value."},
	emailAddressField,
	phoneCountryCodeField,
	phoneNumberField,
	{Key: "first_name", Label: "First Name", Type: destkit.String, Default: `{"@if":{"exists":{"@path":"$.properties.firstName"},"then":{"@path":"$.properties.firstName"},"else":{"@path":"$.context.traits.firstName"}}}`,
		Description: "First name of the person who converted; hashed with SHA-256."},
	{Key: "last_name", Label: "Last Name", Type: destkit.String, Default: `{"@if":{"exists":{"@path":"$.properties.lastName"},"then":{"@path":"$.properties.lastName"},"else":{"@path":"$.context.traits.lastName"}}}`,
		Description: "Last name of the person who converted; hashed with SHA-256."},
	{Key: "city", Label: "City", Type: destkit.String, Default: `{"@if":{"exists":{"@path":"$.properties.address.city,"},"then":{"@path":"$.properties.address.city,"},"else":{"@path":"$.context.traits.address.city"}}}`,
		Description: "City of the person who converted."},
	{Key: "state", Label: "State", Type: destkit.String, Default: `{"@if":{"exists":{"@path":"$.properties.address.state,"},"then":{"@path":"$.properties.address.state,"},"else":{"@path":"$.context.traits.address.state"}}}`,
		Description: "State or region of the person who converted."},
	{Key: "country", Label: "Country", Type: destkit.String, Default: `{"@if":{"exists":{"@path":"$.properties.address.country,"},"then":{"@path":"$.properties.address.country,"},"else":{"@path":"$.context.traits.address.country"}}}`,
		Description: "Country code of the person who converted."},
	{Key: "postal_code", Label: "Postal Code", Type: destkit.String, Default: `{"@if":{"exists":{"@path":"$.properties.address.postalCode,"},"then":{"@path":"$.properties.address.postalCode,"},"else":{"@path":"$.context.traits.address.postalCode"}}}`,
		Description: "Postal code of the person who converted."},
	{Key: "street_address", Label: "Street Address", Type: destkit.String, Default: `{"@if":{"exists":{"@path":"$.properties.address.street,"},"then":{"@path":"$.properties.address.street,"},"else":{"@path":"$.context.traits.address.street"}}}`,
		Description: "Street address of the person who converted; hashed with SHA-256."},
	{Key: "user_agent", Label: "User Agent", Type: destkit.String, Default: `{"@path":"$.context.userAgent"}`,
		Description: "User agent of the device on which the conversion happened."},
	enableBatchingField,
	batchSizeField,
}

// now is replaced in tests.
var now = time.Now

// writeAdjustment writes one ConversionAdjustment. An adjustment without a
// time happened now; a retraction carries no restated value.
func writeAdjustment(w *destkit.JSONWriter, p *fastjson.Value, cid string, _ customVariables) error {
	str := func(k string) string { return string(p.GetStringBytes(k)) }
	w.ObjectStart()
	w.Key("conversionAction")
	w.String(conversionAction(cid, p))
	w.Field("adjustmentType", p.Get("adjustment_type"))
	at := str("adjustment_timestamp")
	if at == "" {
		at = destkit.JSISOString(now())
	}
	w.Key("adjustmentDateTime")
	w.String(convertTimestamp(at))
	w.Field("orderId", p.Get("order_id"))
	w.Key("gclidDateTimePair")
	w.ObjectStart()
	w.Field("gclid", p.Get("gclid"))
	writeTimestamp(w, "conversionDateTime", p.Get("conversion_timestamp"))
	w.ObjectEnd()
	w.Key("userIdentifiers")
	w.ArrayStart()
	if _, err := writeEmailPhone(w, p, "email_address", "phone_number"); err != nil {
		return err
	}
	if destkit.Truthy(p.Get("first_name")) || destkit.Truthy(p.Get("last_name")) || destkit.Truthy(p.Get("city")) ||
		destkit.Truthy(p.Get("state")) || destkit.Truthy(p.Get("country")) || destkit.Truthy(p.Get("postal_code")) ||
		destkit.Truthy(p.Get("street_address")) {
		w.ObjectStart()
		w.Key("addressInfo")
		w.ObjectStart()
		for _, h := range [...]struct{ field, key string }{
			{"first_name", "hashedFirstName"}, {"last_name", "hashedLastName"}, {"street_address", "hashedStreetAddress"},
		} {
			if v := str(h.field); v != "" {
				digest, _ := destkit.HashSHA256(v, nil)
				w.Key(h.key)
				w.String(digest)
			}
		}
		w.Field("city", p.Get("city"))
		w.Field("state", p.Get("state"))
		w.Field("countryCode", p.Get("country"))
		w.Field("postalCode", p.Get("postal_code"))
		w.ObjectEnd()
		w.ObjectEnd()
	}
	w.ArrayEnd()
	w.Field("userAgent", p.Get("user_agent"))
	if str("adjustment_type") != "RETRACTION" {
		w.Key("restatementValue")
		w.ObjectStart()
		w.Field("adjustedValue", p.Get("restatement_value"))
		w.Field("currencyCode", p.Get("restatement_currency_code"))
		w.ObjectEnd()
	}
	w.ObjectEnd()
	return nil
}
