package userpilot

import "github.com/actuate/actuate/destinations/destkit"

// IdentifyUser creates or updates a user.
var IdentifyUser = &destkit.Action{
	Key:                 "identifyUser",
	Title:               "Identify User",
	Description:         "Create or update a user in Userpilot.",
	DefaultSubscription: `type = "identify"`,
	Fields: []destkit.Field{
		{Key: "userId", Label: "User ID", Type: destkit.String, Required: true,
			Default:     `{"@if":{"exists":{"@path":"$.userId"},"then":{"@path":"$.userId"},"else":{"@path":"$.anonymousId"}}}`,
			Description: "Your identifier of the user; the anonymous ID when there is no user ID."},
		{Key: "createdAt", Label: "User Created At Date", Type: destkit.Datetime,
			Default:     `{"@path":"$.traits.createdAt"}`,
			Description: "When the user signed up; sent as the created_at property."},
		{Key: "traits", Label: "Traits", Type: destkit.Object,
			Default:     `{"@path":"$.traits"}`,
			Description: "Properties to set on the user."},
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		p := in.Payload
		if len(p.GetStringBytes("userId")) == 0 {
			return nil, missing("userId")
		}
		w := destkit.NewJSONWriter(make([]byte, 0, 256))
		w.ObjectStart()
		w.Field("user_id", p.Get("userId"))
		w.Key("metadata")
		writeMetadata(w, p)
		w.ObjectEnd()
		return post(in.Settings, "v1/identify", w.Bytes()), nil
	},
}
