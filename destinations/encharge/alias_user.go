package encharge

import "github.com/actuate/actuate/destinations/destkit"

// AliasUser links a user's new id to the previous one.
var AliasUser = &destkit.Action{
	Key:                 "aliasUser",
	Title:               "Alias User",
	Description:         "Change a user's id in Encharge (alias the previous id to the new one).",
	DefaultSubscription: `type = "alias"`,
	Fields: []destkit.Field{
		{Key: "userId", Label: "User ID", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.userId"}`,
			Description: "The user's new id."},
		{Key: "previousUserId", Label: "Previous User ID", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.previousId"}`,
			Description: "The user's previous id."},
		{Key: "timestamp", Label: "Timestamp", Type: destkit.String, Format: "date-time",
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the alias happened (ISO 8601)."},
		{Key: "messageId", Label: "MessageId", Type: destkit.String,
			Default:     `{"@path":"$.messageId"}`,
			Description: "Segment's message id, used to deduplicate."},
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		var body destkit.JSObject
		body.Assign(in.Payload, notInternal)
		body.SetString("type", "alias")
		return []destkit.Request{destkit.NewJSONRequest("POST", ingestURL, body.AppendJSON(nil))}, nil
	},
}
