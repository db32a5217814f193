package googleenhancedconversions

import "github.com/actuate/actuate/destinations/destkit"

// The fields several upload actions declare alike.
var (
	conversionActionField = destkit.Field{Key: "conversion_action", Label: "Conversion Action ID", Type: destkit.Number, Required: true, Dynamic: conversionActionChoices,
		Description: "ID of the Google Ads conversion action the conversion is attributed to."}
	conversionTimestampField = destkit.Field{Key: "conversion_timestamp", Label: "Conversion Timestamp", Type: destkit.String, Required: true, Default: `{"@path":"$.timestamp"}`,
		Description: "When the conversion happened, as an ISO 8601 date and time."}
	valueField = destkit.Field{Key: "value", Label: "Value", Type: destkit.Number, Default: `{"@path":"$.properties.total"}`,
		Description: "Value of the conversion."}
	currencyField = destkit.Field{Key: "currency", Label: "Currency", Type: destkit.String, Default: `{"@path":"$.properties.currency"}`,
		Description: "ISO 4217 currency code of the value."}
	customVariablesField = destkit.Field{Key: "custom_variables", Label: "Custom Variables", Type: destkit.Object,
		Description: "Values of conversion custom variables, keyed by the variable's name in Google Ads."}
	adUserDataConsentField = destkit.Field{Key: "ad_user_data_consent_state", Label: "Ad User Data Consent State", Type: destkit.String, Choices: destkit.ChoiceValues("GRANTED", "DENIED", "UNSPECIFIED"),
		Description: "Consent to sending the user's data to Google for advertising."}
	adPersonalizationConsentField = destkit.Field{Key: "ad_personalization_consent_state", Label: "Ad Personalization Consent State", Type: destkit.String, Choices: destkit.ChoiceValues("GRANTED", "DENIED", "UNSPECIFIED"),
		Description: "Consent to ad personalisation for the user."}
	enableBatchingField = destkit.Field{Key: "enable_batching", Label: "Batch Data to Google Enhanced Conversions", Type: destkit.Boolean, Default: `false`,
		Description: "Send events in batches."}
	batchSizeField = destkit.Field{Key: "batch_size", Label: "Batch Size", Type: destkit.Number, Default: `1500`,
		Description: "Largest number of events per batch."}
	emailAddressField = destkit.Field{Key: "email_address", Label: "Email Address", Type: destkit.String, Default: `{"@if":{"exists":{"@path":"$.properties.email"},"then":{"@path":"$.properties.email"},"else":{"@path":"$.context.traits.email"}}}`,
		Description: "Email of the person who converted; normalised and hashed with SHA-256 before sending."}
	phoneCountryCodeField = destkit.Field{Key: "phone_country_code", Label: "Phone Number Country Code", Type: destkit.String,
		Description: "Country calling code for the phone number; +1 when unset."}
	phoneNumberField = destkit.Field{Key: "phone_number", Label: "Phone Number", Type: destkit.String, Default: `{"@if":{"exists":{"@path":"$.properties.phone"},"then":{"@path":"$.properties.phone"},"else":{"@path":"$.context.traits.phone"}}}`,
		Description: "Phone number of the person who converted; sent in E.164 form, hashed with SHA-256."}
	orderIDField = destkit.Field{Key: "order_id", Label: "Order ID", Type: destkit.String, Default: `{"@if":{"exists":{"@path":"$.properties.orderId"},"then":{"@path":"$.properties.orderId"},"else":{"@path":"$.properties.order_id"}}}`,
		Description: "Order ID of the conversion."}
)

// swapped returns a copy of fields with the fields named a and b exchanged.
func swapped(fields []destkit.Field, a, b string) []destkit.Field {
	out := append([]destkit.Field(nil), fields...)
	i, j := -1, -1
	for k := range out {
		switch out[k].Key {
		case a:
			i = k
		case b:
			j = k
		}
	}
	out[i], out[j] = out[j], out[i]
	return out
}
