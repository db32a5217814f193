package moengage

import "github.com/actuate/actuate/destinations/destkit"

// IdentifyUser sets a user's id and properties.
var IdentifyUser = &destkit.Action{
	Key:                 "identifyUser",
	Title:               "Identify User",
	Description:         "Set the user id of a device or update a user's properties in MoEngage.",
	DefaultSubscription: `type = "identify"`,
	Fields: []destkit.Field{
		{Key: "type", Label: "Event type", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.type"}`,
			Description: "Segment call type."},
		{Key: "userId", Label: "User ID", Type: destkit.String, AllowNull: true,
			Default:     `{"@path":"$.userId"}`,
			Description: "Your id for the user."},
		{Key: "update_existing_only", Label: "Update existing users only", Type: destkit.Boolean,
			Default:     `false`,
			Description: "Only update users MoEngage already knows; never create one."},
		{Key: "anonymousId", Label: "Anonymous ID", Type: destkit.String, AllowNull: true,
			Default:     `{"@path":"$.anonymousId"}`,
			Description: "Anonymous id of the user."},
		{Key: "os_name", Label: "OS Name", Type: destkit.String,
			Default:     `{"@path":"$.context.os.name"}`,
			Description: "Operating system or browser of the user."},
		{Key: "app_version", Label: "APP Version", Type: destkit.String,
			Default:     `{"@path":"$.context.app.version"}`,
			Description: "Version of the app that sent the call."},
		{Key: "library_version", Label: "Library Version", Type: destkit.String,
			Default:     `{"@path":"$.context.library.version"}`,
			Description: "Version of the library that sent the call."},
		{Key: "timestamp", Label: "Timestamp", Type: destkit.Datetime,
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the call happened; MoEngage uses the time of receipt when unset."},
		{Key: "traits", Label: "User Properties", Type: destkit.Object,
			Default:     `{"@path":"$.traits"}`,
			Description: "Properties to set on the user."},
	},
	Perform: identifyUser,
}

func identifyUser(in *destkit.Input) ([]destkit.Request, error) {
	p := in.Payload
	if err := requireString(p, "type"); err != nil {
		return nil, err
	}
	w := destkit.NewJSONWriter(make([]byte, 0, 512))
	w.ObjectStart()
	w.Field("type", p.Get("type"))
	w.Field("user_id", p.Get("userId"))
	w.Field("traits", p.Get("traits"))
	writeContext(w, p)
	w.Field("anonymous_id", p.Get("anonymousId"))
	w.Field("timestamp", p.Get("timestamp"))
	writeUpdateExistingOnly(w, p)
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest("POST", intakeURL(in.Settings), w.Bytes())}, nil
}
