package pushwoosh

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// UpdateUserProfile creates or updates a user.
var UpdateUserProfile = &destkit.Action{
	Key:                 "updateUserProfile",
	Title:               "Create or Update User Profiles",
	Description:         "Create or update a user profile in Pushwoosh.",
	DefaultSubscription: `type = "identify"`,
	Fields: []destkit.Field{
		{Key: "external_id", Label: "External User ID", Type: destkit.String,
			Default:     `{"@path":"$.userId"}`,
			Description: "Your identifier of the user; Pushwoosh's user ID."},
		{Key: "email", Label: "Email", Type: destkit.String, AllowNull: true,
			Default:     `{"@path":"$.traits.email"}`,
			Description: "Email address of the user."},
		{Key: "app_version", Label: "App Version", Type: destkit.String, AllowNull: true,
			Default:     `{"@path":"$.context.app.version"}`,
			Description: "Version of the app the user runs."},
		{Key: "device_id", Label: "Device ID", Type: destkit.String, AllowNull: true,
			Default:     `{"@path":"$.context.device.id"}`,
			Description: "Identifier of the user's device."},
		{Key: "device_model", Label: "Device Model", Type: destkit.String, AllowNull: true,
			Default:     `{"@path":"$.context.device.model"}`,
			Description: "Model of the user's device."},
		{Key: "device_platform", Label: "Device Platform", Type: destkit.String, AllowNull: true,
			Default:     `{"@path":"$.context.device.type"}`,
			Description: "Platform of the user's device (ios, android, ...)."},
		{Key: "device_token", Label: "Device Token", Type: destkit.String, AllowNull: true,
			Default:     `{"@path":"$.context.device.token"}`,
			Description: "Push token of the device; Segment's mobile SDKs do not collect it, so add it to the event when needed."},
		{Key: "language", Label: "Language", Type: destkit.String, AllowNull: true,
			Default:     `{"@path":"$.context.locale"}`,
			Description: "Language or locale of the user."},
		{Key: "country", Label: "Country", Type: destkit.String, AllowNull: true,
			Default:     `{"@path":"$.context.location.country"}`,
			Description: "Country of the user."},
		{Key: "city", Label: "City", Type: destkit.String, AllowNull: true,
			Default:     `{"@path":"$.context.location.city"}`,
			Description: "City of the user."},
		{Key: "current_location", Label: "Current Location", Type: destkit.Object, AllowNull: true,
			Default:     `{"latitude":{"@path":"$.context.location.latitude"},"longitude":{"@path":"$.context.location.longitude"}}`,
			Description: "Last known position of the user.",
			Properties: []destkit.Field{
				{Key: "latitude", Label: "Latitude", Type: destkit.Number,
					Description: "Latitude in degrees."},
				{Key: "longitude", Label: "Longitude", Type: destkit.Number,
					Description: "Longitude in degrees."},
			}},
		{Key: "device_os_version", Label: "Device OS Version", Type: destkit.String, AllowNull: true,
			Default:     `{"@path":"$.context.os.version"}`,
			Description: "Operating system version of the device."},
		{Key: "timezone", Label: "Timezone", Type: destkit.String, AllowNull: true,
			Default:     `{"@path":"$.context.timezone"}`,
			Description: "Time zone of the user."},
		{Key: "user_agent", Label: "User Agent", Type: destkit.String, AllowNull: true,
			Default:     `{"@path":"$.context.userAgent"}`,
			Description: "User agent of the user's browser."},
		{Key: "custom_attributes", Label: "Custom Attributes", Type: destkit.Object,
			Default:     `{"@path":"$.traits"}`,
			Description: "Further attributes to set on the user; keys that name one of the fields above are left out."},
	},
	Perform: updateUserProfile,
}

// profileKeys maps payload fields to the keys of the track-user body, in
// body order.
var profileKeys = [][2]string{
	{"external_id", "user_id"}, {"email", "email"}, {"app_version", "app_version"}, {"device_id", "device_id"},
	{"device_model", "device_model"}, {"device_platform", "device_platform"}, {"device_token", "device_token"},
	{"language", "language"}, {"country", "country"}, {"city", "city"}, {"current_location", "current_location"},
	{"device_os_version", "device_os_version"}, {"timezone", "timezone"}, {"user_agent", "user_agent"},
}

// isField reports whether k is a field key of the action (the keys above
// and custom_attributes).
func isField(k string) bool {
	for _, pk := range profileKeys {
		if pk[0] == k {
			return true
		}
	}
	return k == "custom_attributes"
}

func updateUserProfile(in *destkit.Input) ([]destkit.Request, error) {
	p := in.Payload
	w := destkit.NewJSONWriter(make([]byte, 0, 512))
	w.ObjectStart()
	// Custom attributes never repeat a field of the action: a mapping that
	// leaves email unset must not send the email trait instead.
	var attrs destkit.JSObject
	attrs.Assign(p.Get("custom_attributes"), isField)
	w.Key("attributes")
	attrs.Write(w)
	for _, k := range profileKeys {
		v := p.Get(k[0])
		if k[0] == "current_location" && v != nil && v.Type() == fastjson.TypeObject && v.GetObject().Len() == 0 {
			continue // an empty location is left out, a null one is sent
		}
		w.Field(k[1], v)
	}
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest("POST", apiBase+"track-user", w.Bytes())}, nil
}
