package schematic

import "github.com/actuate/actuate/destinations/destkit"

// IdentifyUser creates or updates a user and the company it belongs to.
var IdentifyUser = &destkit.Action{
	Key:                 "identifyUser",
	Title:               "Identify User",
	Description:         "Create or update a user and their company in Schematic.",
	DefaultSubscription: `type = "identify"`,
	Fields: []destkit.Field{
		{Key: "company_keys", Label: "Company keys", Type: destkit.Object, Required: true, AdditionalProperties: true,
			Default:     `{"groupId":{"@path":"$.context.groupId"}}`,
			Description: "Keys that identify the user's company (e.g. organization_id: 123456)."},
		{Key: "company_name", Label: "Company name", Type: destkit.String,
			Default:     `{"@path":"$.traits.company_name"}`,
			Description: "Name of the company."},
		{Key: "company_traits", Label: "Company traits", Type: destkit.Object,
			Description: "Properties to set on the company."},
		{Key: "timestamp", Label: "Timestamp", Type: destkit.Datetime, Required: true,
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the identify call happened."},
		{Key: "user_keys", Label: "User keys", Type: destkit.Object, Required: true, AdditionalProperties: true,
			Default:     `{"userId":{"@path":"$.userId"}}`,
			Description: "Keys that identify the user (e.g. email)."},
		{Key: "user_name", Label: "User name", Type: destkit.String,
			Default:     `{"@path":"$.traits.name"}`,
			Description: "Full name of the user."},
		{Key: "user_traits", Label: "User traits", Type: destkit.Object,
			Description: "Properties to set on the user."},
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		p := in.Payload
		for _, k := range []string{"user_keys", "company_keys"} {
			if err := requireObject(p, k); err != nil {
				return nil, err
			}
		}
		return capture(in, "identify", func(w *destkit.JSONWriter) {
			w.Field("keys", p.Get("user_keys"))
			w.Field("name", p.Get("user_name"))
			w.Field("traits", p.Get("user_traits"))
			w.Key("company")
			w.ObjectStart()
			w.Field("keys", p.Get("company_keys"))
			w.Field("name", p.Get("company_name"))
			w.Field("traits", p.Get("company_traits"))
			w.ObjectEnd()
		})
	},
}
