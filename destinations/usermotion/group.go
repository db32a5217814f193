package usermotion

import "github.com/actuate/actuate/destinations/destkit"

// Group creates or updates a company and links the user to it.
var Group = &destkit.Action{
	Key:                 "group",
	Title:               "Identify Company",
	Description:         "Create or update a company in UserMotion and associate the user with it.",
	DefaultSubscription: `type = "group"`,
	Fields: []destkit.Field{
		{Key: "userId", Label: "User ID", Type: destkit.String,
			Default:     `{"@path":"$.userId"}`,
			Description: "Your identifier of the user who belongs to the company."},
		{Key: "anonymousId", Label: "Anonymous ID", Type: destkit.String,
			Default:     `{"@path":"$.anonymousId"}`,
			Description: "Anonymous identifier of the visitor who belongs to the company."},
		{Key: "groupId", Label: "Group ID", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.groupId"}`,
			Description: "Your identifier of the company."},
		{Key: "traits", Label: "Traits", Type: destkit.Object,
			Default:     `{"@path":"$.traits"}`,
			Description: "Attributes to set on the company."},
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		p := in.Payload
		if len(p.GetStringBytes("groupId")) == 0 {
			return nil, missing("groupId")
		}
		w := destkit.NewJSONWriter(make([]byte, 0, 256))
		w.ObjectStart()
		w.Field("id", p.Get("groupId"))
		w.Field("userId", p.Get("userId"))
		w.Field("anonymousId", p.Get("anonymousId"))
		w.Key("properties")
		spread(w, p.Get("traits"))
		w.ObjectEnd()
		return post("group", w.Bytes()), nil
	},
}
