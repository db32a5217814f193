package braze

import (
	"github.com/actuate/actuate/destinations/destkit"
)

// CreateAlias adds an alias to a user, or creates an alias-only user.
var CreateAlias = &destkit.Action{
	Key:                 "createAlias",
	Title:               "Create Alias",
	Description:         "Create an alias-only user, or add an alias to a known user.",
	DefaultSubscription: `event = "Create Alias"`,
	Fields:              []destkit.Field{externalIDAlt, aliasName, aliasLabel},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		p := in.Payload
		w := destkit.NewJSONWriter(make([]byte, 0, 128))
		w.ObjectStart()
		w.Key("user_aliases")
		w.ArrayStart()
		w.ObjectStart()
		w.Field("external_id", p.Get("external_id"))
		w.Field("alias_name", p.Get("alias_name"))
		w.Field("alias_label", p.Get("alias_label"))
		w.ObjectEnd()
		w.ArrayEnd()
		w.ObjectEnd()
		return []destkit.Request{destkit.NewJSONRequest("POST", endpoint(in.Settings, "/users/alias/new"), w.Bytes())}, nil
	},
}
