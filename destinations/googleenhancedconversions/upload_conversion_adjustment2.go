package googleenhancedconversions

// UploadConversionAdjustment2 is Upload Conversion Adjustment for
// subscriptions with a sync mode (Insert Records only).
var UploadConversionAdjustment2 = adjustmentUpload.withSyncMode().action("uploadConversionAdjustment2", "Conversion Adjustment V2",
	"Send a conversion adjustment to the Google Ads API.",
	// Segment lists the phone country code before the email here.
	swapped(adjustmentFields, "email_address", "phone_country_code"))
