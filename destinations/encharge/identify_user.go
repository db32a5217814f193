package encharge

import "github.com/actuate/actuate/destinations/destkit"

// IdentifyUser creates or updates a user.
var IdentifyUser = &destkit.Action{
	Key:                 "identifyUser",
	Title:               "Identify User",
	Description:         "Create or update a user in Encharge.",
	DefaultSubscription: `type = "identify"`,
	Fields: append([]destkit.Field{
		{Key: "user", Label: "User Fields", Type: destkit.Object,
			Default:     `{"@path":"$.traits"}`,
			Description: "Fields of the user (its traits)."},
		{Key: "email", Label: "Email", Type: destkit.String,
			Default:     `{"@if":{"exists":{"@path":"$.traits.email"},"then":{"@path":"$.traits.email"},"else":{"@path":"$.context.traits.email"}}}`,
			Description: "Email address of the user."},
	}, without(commonFields, "email")...),
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		return []destkit.Request{destkit.NewJSONRequest("POST", ingestURL, ingestBody(in.Payload, "user"))}, nil
	},
}

// without returns fs without the field named key.
func without(fs []destkit.Field, key string) []destkit.Field {
	var out []destkit.Field
	for _, f := range fs {
		if f.Key != key {
			out = append(out, f)
		}
	}
	return out
}
