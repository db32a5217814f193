package googleenhancedconversions

// UploadCallConversion2 is Upload Call Conversion for subscriptions with a
// sync mode (Insert Records only).
var UploadCallConversion2 = callUpload.withSyncMode().action("uploadCallConversion2", "Call Conversion V2",
	"Send an offline call conversion to the Google Ads API.",
	callFields)
