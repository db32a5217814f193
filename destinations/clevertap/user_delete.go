package clevertap

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// UserDelete deletes one user profile.
var UserDelete = &destkit.Action{
	Key:         "userDelete",
	Title:       "User Delete",
	Description: "Delete a user profile from CleverTap.",
	Fields:      []destkit.Field{identityField("The identity of the profile to delete.")},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		identity, err := identity(in.Payload)
		if err != nil {
			return nil, err
		}
		var w destkit.JSONWriter
		w.ObjectStart()
		w.StringField("identity", identity)
		w.ObjectEnd()
		return []destkit.Request{destkit.NewJSONRequest("POST", in.Settings.Str("clevertapEndpoint")+"/1/delete/profiles.json", w.Bytes())}, nil
	},
}

// identity returns the payload's identity, which both actions require.
func identity(p *fastjson.Value) (string, error) {
	id := string(p.GetStringBytes("identity"))
	if id == "" {
		return "", destkit.ValidationErrorf("identity", "The field \"identity\" is required.")
	}
	return id, nil
}
