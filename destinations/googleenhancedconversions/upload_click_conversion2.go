package googleenhancedconversions

import "github.com/actuate/actuate/destinations/destkit"

// clickUpload2 is clickUpload under the subscription's sync mode, which must be add.
var clickUpload2 = &upload{method: "uploadClickConversions", list: "conversions", syncModeAdd: true, write: writeClickConversion}

// UploadClickConversion2 is Upload Click Conversion for subscriptions with a
// sync mode (Insert Records only).
var UploadClickConversion2 = &destkit.Action{
	Key:         "uploadClickConversion2",
	Title:       "Click Conversion V2",
	Description: "Send an offline click conversion to the Google Ads API.",
	Fields:      clickFields,
	Batch:       &destkit.Batch{MaxSize: batchMaxSize},
	Run:         clickUpload2.run,
	RunBatch:    clickUpload2.runBatch,
}
