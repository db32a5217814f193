package tiktokaudiences

import "github.com/actuate/actuate/destinations/destkit"

// RemoveUser removes users from the audience chosen in the mapping.
var RemoveUser = &destkit.Action{
	Key:                 "removeUser",
	Title:               "Remove Users (Legacy)",
	Description:         "Remove contacts from an Engage Audience to a TikTok Audience Segment.",
	DefaultSubscription: `event = "Audience Exited"`,
	Fields:              legacyFields,
	Batch:               &destkit.Batch{MaxSize: 10000},
	Run:                 runOne(legacySync("delete")),
	RunBatch:            legacySync("delete"),
}
