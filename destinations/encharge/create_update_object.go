package encharge

import "github.com/actuate/actuate/destinations/destkit"

// CreateUpdateObject creates or updates a custom object (a company by
// default) and links the user to it.
var CreateUpdateObject = &destkit.Action{
	Key:                 "createUpdateObject",
	Title:               "Create or Update Object",
	Description:         "Create or update an object (a company by default) in Encharge and associate the user with it.",
	DefaultSubscription: `type = "group"`,
	Fields: []destkit.Field{
		{Key: "objectType", Label: "Object Type", Type: destkit.String, Required: true, Dynamic: objectTypeChoices,
			Default:     `"company"`,
			Description: "Type of the object: company, or the name of a custom object type."},
		{Key: "externalId", Label: "External Object ID", Type: destkit.String,
			Default:     `{"@path":"$.groupId"}`,
			Description: "Your identifier of the object."},
		{Key: "id", Label: "Object ID", Type: destkit.String,
			Description: "Encharge's identifier of the object, when known."},
		{Key: "objectData", Label: "Object Fields", Type: destkit.Object,
			Default:     `{"@path":"$.traits"}`,
			Description: "Fields of the object."},
		{Key: "userId", Label: "User ID", Type: destkit.String,
			Default:     `{"@path":"$.userId"}`,
			Description: "Your identifier of the user to associate."},
		{Key: "email", Label: "Email", Type: destkit.String,
			Default:     `{"@path":"$.email"}`,
			Description: "Email address of the user to associate."},
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		p := in.Payload
		var props destkit.JSObject
		props.Assign(p.Get("objectData"), nil)
		props.SetValue("externalId", p.Get("externalId"))
		props.SetValue("id", p.Get("id"))
		var user destkit.JSObject
		user.SetValue("email", p.Get("email"))
		user.SetValue("userId", p.Get("userId"))
		var body destkit.JSObject
		body.SetString("type", "group")
		body.SetValue("objectType", p.Get("objectType"))
		body.Set("properties", props.AppendJSON(nil))
		body.Set("user", user.AppendJSON(nil))
		return []destkit.Request{destkit.NewJSONRequest("POST", ingestURL, body.AppendJSON(nil))}, nil
	},
}
