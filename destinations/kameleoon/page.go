package kameleoon

import "github.com/actuate/actuate/destinations/destkit"

// Page sends a page call.
var Page = &destkit.Action{
	Key:                 "page",
	Title:               "Page Event",
	Description:         "Send a page view to Kameleoon.",
	DefaultSubscription: `type = "page"`,
	Fields: []destkit.Field{
		anonymousIDField, userIDField, typeField,
		{Key: "properties", Label: "Properties", Type: destkit.Object, Default: `{"@path":"$.properties"}`,
			Description: "The page's properties (url, path, title, …)."},
		visitorCodeField(`{"@path":"$.properties.kameleoonVisitorCode"}`),
		{Key: "name", Label: "Page Name", Type: destkit.String, Default: `{"@path":"$.name"}`,
			Description: "The page's name."},
		contextField, timestampField,
		{Key: "messageId", Label: "MessageId", Type: destkit.String, Default: `{"@path":"$.messageId"}`,
			Description: "The call's message id."},
	},
	Perform: send,
}
