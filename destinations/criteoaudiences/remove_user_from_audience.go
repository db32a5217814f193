package criteoaudiences

import "github.com/actuate/actuate/destinations/destkit"

// RemoveUserFromAudience removes users from the audience's contact list.
var RemoveUserFromAudience = &destkit.Action{
	Key:                 "removeUserFromAudience",
	Title:               "Remove users from Audience",
	Description:         "Remove users leaving an Engage audience from the Criteo contact list named after it.",
	DefaultSubscription: `type = "track" and event = "Audience Exited"`,
	Fields:              audienceFields(),
	Batch:               &destkit.Batch{MaxSize: 1000}, // Segment's default batch size
	Run:                 runOne("remove"),
	RunBatch:            amend("remove"),
}
