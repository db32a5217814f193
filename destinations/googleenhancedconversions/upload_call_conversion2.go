package googleenhancedconversions

import "github.com/actuate/actuate/destinations/destkit"

// callUpload2 is callUpload under the subscription's sync mode, which must be add.
var callUpload2 = &upload{method: "uploadCallConversions", list: "conversions", syncModeAdd: true, write: writeCallConversion}

// UploadCallConversion2 is Upload Call Conversion for subscriptions with a
// sync mode (Insert Records only).
var UploadCallConversion2 = &destkit.Action{
	Key:         "uploadCallConversion2",
	Title:       "Call Conversion V2",
	Description: "Send an offline call conversion to the Google Ads API.",
	Fields:      callFields,
	Batch:       &destkit.Batch{MaxSize: batchMaxSize},
	Run:         callUpload2.run,
	RunBatch:    callUpload2.runBatch,
}
