package june

import "github.com/actuate/actuate/destinations/destkit"

// Page sends a page view.
var Page = &destkit.Action{
	Key:                 "page",
	Title:               "Page Event",
	Description:         "Send a page view to June.",
	DefaultSubscription: `type = "page"`,
	Fields: []destkit.Field{
		{Key: "anonymousId", Label: "Anonymous ID", Type: destkit.String,
			Default:     `{"@path":"$.anonymousId"}`,
			Description: "Anonymous id of the user."},
		{Key: "userId", Label: "User ID", Type: destkit.String,
			Default:     `{"@path":"$.userId"}`,
			Description: "Your id for the user."},
		{Key: "properties", Label: "Properties", Type: destkit.Object,
			Default:     `{"@path":"$.properties"}`,
			Description: "Properties of the page."},
		{Key: "name", Label: "Page Name", Type: destkit.String,
			Default:     `{"@path":"$.properties.name"}`,
			Description: "Name of the page."},
		{Key: "context", Label: "Context properties", Type: destkit.Object,
			Default:     `{"@path":"$.context"}`,
			Description: "The call's context."},
		{Key: "timestamp", Label: "Timestamp", Type: destkit.String, Required: true, Format: "date-time",
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the page was viewed."},
		{Key: "messageId", Label: "MessageId", Type: destkit.String,
			Default:     `{"@path":"$.messageId"}`,
			Description: "Segment message id, for deduplication."},
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		return call("page", in.Payload, []string{"timestamp"},
			"anonymousId", "userId", "properties", "name", "context", "timestamp", "messageId")
	},
}
