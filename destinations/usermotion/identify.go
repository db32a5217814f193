package usermotion

import "github.com/actuate/actuate/destinations/destkit"

// Identify creates or updates a user.
var Identify = &destkit.Action{
	Key:                 "identify",
	Title:               "Identify",
	Description:         "Create or update a user in UserMotion.",
	DefaultSubscription: `type = "identify"`,
	Fields: []destkit.Field{
		{Key: "userId", Label: "User ID", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.userId"}`,
			Description: "Your identifier of the user."},
		{Key: "anonymousId", Label: "Anonymous ID", Type: destkit.String,
			Default:     `{"@path":"$.anonymousId"}`,
			Description: "Anonymous identifier of the visitor before sign-up."},
		{Key: "email", Label: "Email", Type: destkit.String, Required: true,
			Default:     `{"@if":{"exists":{"@path":"$.traits.email"},"then":{"@path":"$.traits.email"},"else":{"@path":"$.email"}}}`,
			Description: "Email address of the user."},
		{Key: "traits", Label: "Traits", Type: destkit.Object,
			Default:     `{"@path":"$.traits"}`,
			Description: "Attributes to set on the user."},
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		p := in.Payload
		email := p.Get("email")
		if len(p.GetStringBytes("userId")) == 0 {
			return nil, missing("userId")
		}
		if len(p.GetStringBytes("email")) == 0 {
			return nil, missing("email")
		}
		w := destkit.NewJSONWriter(make([]byte, 0, 256))
		w.ObjectStart()
		w.Field("id", p.Get("userId"))
		w.Field("anonymousId", p.Get("anonymousId"))
		// {...traits, email}: an email among the traits keeps its place
		// and takes the mapped value.
		var props destkit.JSObject
		props.Assign(p.Get("traits"), nil)
		props.SetValue("email", email)
		w.Key("properties")
		props.Write(w)
		w.ObjectEnd()
		return post("identify", w.Bytes()), nil
	},
}
