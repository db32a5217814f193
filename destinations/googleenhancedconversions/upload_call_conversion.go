package googleenhancedconversions

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// callFields are the fields of both call conversion actions.
var callFields = []destkit.Field{
	{Key: "conversion_action", Label: "Conversion Action ID", Type: destkit.Number, Required: true, Dynamic: conversionActionChoices,
		Description: "ID of the Google Ads conversion action the conversion is attributed to."},
	{Key: "caller_id", Label: "Caller ID", Type: destkit.String, Required: true,
		Description: "Caller ID of the call, in E.164 form (+15555555555)."},
	{Key: "call_timestamp", Label: "Call Timestamp", Type: destkit.String, Required: true,
		Description: "When the call started, as an ISO 8601 date and time."},
	{Key: "conversion_timestamp", Label: "Conversion Timestamp", Type: destkit.String, Required: true, Default: `{"@path":"$.timestamp"}`,
		Description: "When the conversion happened, as an ISO 8601 date and time."},
	{Key: "value", Label: "Value", Type: destkit.Number, Default: `{"@path":"$.properties.total"}`,
		Description: "Value of the conversion."},
	{Key: "currency", Label: "Currency", Type: destkit.String, Default: `{"@path":"$.properties.currency"}`,
		Description: "ISO 4217 currency code of the value."},
	{Key: "custom_variables", Label: "Custom Variables", Type: destkit.Object,
		Description: "Values of conversion custom variables, keyed by the variable's name in Google Ads."},
	{Key: "ad_user_data_consent_state", Label: "Ad User Data Consent State", Type: destkit.String, Choices: destkit.ChoiceValues("GRANTED", "DENIED", "UNSPECIFIED"),
		Description: "Consent to sending the user's data to Google for advertising."},
	{Key: "ad_personalization_consent_state", Label: "Ad Personalization Consent State", Type: destkit.String, Choices: destkit.ChoiceValues("GRANTED", "DENIED", "UNSPECIFIED"),
		Description: "Consent to ad personalisation for the user."},
	{Key: "enable_batching", Label: "Batch Data to Google Enhanced Conversions", Type: destkit.Boolean, Default: `false`,
		Description: "Send events in batches."},
	{Key: "batch_size", Label: "Batch Size", Type: destkit.Number, Default: `1500`,
		Description: "Largest number of events per batch."},
}

// callUpload uploads call conversions (uploadCallConversions).
var callUpload = &upload{method: "uploadCallConversions", list: "conversions", write: writeCallConversion}

// UploadCallConversion sends offline call conversions.
var UploadCallConversion = &destkit.Action{
	Key:         "uploadCallConversion",
	Title:       "Upload Call Conversion",
	Description: "Upload an offline call conversion to the Google Ads API.",
	Fields:      callFields,
	Batch:       &destkit.Batch{MaxSize: batchMaxSize},
	Run:         callUpload.run,
	RunBatch:    callUpload.runBatch,
}

// writeCallConversion writes one CallConversion.
func writeCallConversion(w *destkit.JSONWriter, p *fastjson.Value, cid string, vars customVariables) error {
	w.ObjectStart()
	w.Key("conversionAction")
	w.String(conversionAction(cid, p))
	w.Field("callerId", p.Get("caller_id"))
	writeTimestamp(w, "callStartDateTime", p.Get("call_timestamp"))
	writeTimestamp(w, "conversionDateTime", p.Get("conversion_timestamp"))
	w.Field("conversionValue", p.Get("value"))
	w.Field("currencyCode", p.Get("currency"))
	writeConsent(w, p)
	writeCustomVariables(w, p, vars)
	w.ObjectEnd()
	return nil
}
