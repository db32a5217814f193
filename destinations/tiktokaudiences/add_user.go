package tiktokaudiences

import "github.com/actuate/actuate/destinations/destkit"

// AddUser adds users to the audience chosen in the mapping, for every advertiser of the settings.
var AddUser = &destkit.Action{
	Key:                 "addUser",
	Title:               "Add Users (Legacy)",
	Description:         "Add contacts from an Engage Audience to a TikTok Audience Segment.",
	DefaultSubscription: `event = "Audience Entered"`,
	Fields:              legacyFields,
	Batch:               &destkit.Batch{MaxSize: 10000},
	Run:                 runOne(legacySync("add")),
	RunBatch:            legacySync("add"),
}
