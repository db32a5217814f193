package googleenhancedconversions

// UploadClickConversion2 is Upload Click Conversion for subscriptions with a
// sync mode (Insert Records only).
var UploadClickConversion2 = clickUpload.withSyncMode().action("uploadClickConversion2", "Click Conversion V2",
	"Send an offline click conversion to the Google Ads API.",
	clickFields)
