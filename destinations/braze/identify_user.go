package braze

import (
	"github.com/actuate/actuate/destinations/destkit"
)

// IdentifyUser merges an alias-only user into a user with an external ID.
var IdentifyUser = &destkit.Action{
	Key:         "identifyUser",
	Title:       "Identify User",
	Description: "Identify an alias-only user with an external ID, merging their data.",
	Fields:      []destkit.Field{externalIDAlt2, userAliasAlt, mergeBehavior},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		p := in.Payload
		w := destkit.NewJSONWriter(make([]byte, 0, 160))
		w.ObjectStart()
		w.Key("aliases_to_identify")
		w.ArrayStart()
		w.ObjectStart()
		w.Field("external_id", p.Get("external_id"))
		w.Field("user_alias", p.Get("user_alias"))
		w.ObjectEnd()
		w.ArrayEnd()
		w.Field("merge_behavior", p.Get("merge_behavior"))
		w.ObjectEnd()
		return []destkit.Request{destkit.NewJSONRequest("POST", endpoint(in.Settings, "/users/identify"), w.Bytes())}, nil
	},
}
