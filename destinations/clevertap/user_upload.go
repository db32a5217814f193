package clevertap

import "github.com/actuate/actuate/destinations/destkit"

// UserUpload creates or updates one user profile.
var UserUpload = &destkit.Action{
	Key:         "userUpload",
	Title:       "User Upload",
	Description: "Create or update a user profile in CleverTap; attributes sent are added or updated, never removed.",
	Fields: []destkit.Field{
		{Key: "ts", Label: "Created At", Type: destkit.String, Default: `{"@path":"$.timestamp"}`,
			Description: "When the profile record was made."},
		{Key: "profileData", Label: "Person Attributes", Type: destkit.Object, Default: `{"@path":"$.properties"}`,
			Description: "Attributes to set on the profile."},
		identityField("The identity that uniquely identifies the user in CleverTap."),
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		p := in.Payload
		identity, err := identity(p)
		if err != nil {
			return nil, err
		}
		var w destkit.JSONWriter
		w.ObjectStart()
		w.Key("d")
		w.ArrayStart()
		w.ObjectStart()
		w.Key("type")
		w.String("profile")
		w.Key("source")
		w.String("Segment")
		w.Field("profileData", p.Get("profileData"))
		w.StringField("identity", identity)
		w.Field("ts", p.Get("ts"))
		w.ObjectEnd()
		w.ArrayEnd()
		w.ObjectEnd()
		return []destkit.Request{destkit.NewJSONRequest("POST", in.Settings.Str("clevertapEndpoint")+"/1/upload", w.Bytes())}, nil
	},
}
