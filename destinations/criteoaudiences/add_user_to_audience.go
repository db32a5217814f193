package criteoaudiences

import "github.com/actuate/actuate/destinations/destkit"

// AddUserToAudience adds users to the audience's contact list.
var AddUserToAudience = &destkit.Action{
	Key:                 "addUserToAudience",
	Title:               "Add users to Audience",
	Description:         "Add users entering an Engage audience to the Criteo contact list named after it.",
	DefaultSubscription: `type = "track" and event = "Audience Entered"`,
	Fields:              audienceFields(),
	Batch:               &destkit.Batch{MaxSize: 1000}, // Segment's default batch size
	Run:                 runOne("add"),
	RunBatch:            amend("add"),
}
