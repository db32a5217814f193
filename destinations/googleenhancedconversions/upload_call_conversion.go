package googleenhancedconversions

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// callFields are the fields of both call conversion actions.
var callFields = []destkit.Field{
	conversionActionField,
	{Key: "caller_id", Label: "Caller ID", Type: destkit.String, Required: true,
		Description: "Caller ID of the call, in E.164 form (+15555555555)."},
	{Key: "call_timestamp", Label: "Call Timestamp", Type: destkit.String, Required: true,
		Description: "When the call started, as an ISO 8601 date and time."},
	conversionTimestampField,
	valueField,
	currencyField,
	customVariablesField,
	adUserDataConsentField,
	adPersonalizationConsentField,
	enableBatchingField,
	batchSizeField,
}

// callUpload uploads call conversions (uploadCallConversions).
var callUpload = &upload{method: "uploadCallConversions", list: "conversions", write: writeCallConversion}

// UploadCallConversion sends offline call conversions.
var UploadCallConversion = callUpload.action("uploadCallConversion", "Upload Call Conversion",
	"Upload an offline call conversion to the Google Ads API.",
	callFields)

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
