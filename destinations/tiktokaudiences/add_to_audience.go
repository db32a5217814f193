package tiktokaudiences

import "github.com/actuate/actuate/destinations/destkit"

// AddToAudience adds users to the TikTok audience of their Engage audience (the event's external audience id).
var AddToAudience = &destkit.Action{
	Key:                 "addToAudience",
	Title:               "Add to Audience",
	Description:         "Add records from an Engage Audience to a TikTok Audience Segment.",
	DefaultSubscription: `event = "Audience Entered"`,
	Fields:              nativeFields,
	Batch:               &destkit.Batch{MaxSize: 10000},
	Run:                 runOne(nativeSync("add")),
	RunBatch:            nativeSync("add"),
}
