package tiktokaudiences

import "github.com/actuate/actuate/destinations/destkit"

// RemoveFromAudience removes users from the TikTok audience of their Engage audience.
var RemoveFromAudience = &destkit.Action{
	Key:                 "removeFromAudience",
	Title:               "Remove from Audience",
	Description:         "Remove contacts from an Engage Audience to a TikTok Audience Segment.",
	DefaultSubscription: `event = "Audience Exited"`,
	Fields:              nativeFields,
	Batch:               &destkit.Batch{MaxSize: 10000},
	Run:                 runOne(nativeSync("delete")),
	RunBatch:            nativeSync("delete"),
}
