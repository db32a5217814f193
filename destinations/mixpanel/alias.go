package mixpanel

import (
	"github.com/actuate/actuate/destinations/destkit"
)

// Alias attaches a new identifier to an existing distinct ID.
var Alias = &destkit.Action{
	Key:         "alias",
	Title:       "Alias",
	Description: "Attach an alias to a Mixpanel distinct ID.",
	Fields:      []destkit.Field{aliasField, distinctIDAlt},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		p, s := in.Payload, in.Settings
		w := destkit.NewJSONWriter(nil)
		w.ObjectStart()
		w.Key("event")
		w.String("$create_alias")
		w.Key("properties")
		w.ObjectStart()
		w.Field("distinct_id", p.Get("distinct_id"))
		w.Field("alias", p.Get("alias"))
		w.Key("token")
		w.String(s.Str("projectToken"))
		writeSourceName(w, s)
		w.ObjectEnd()
		w.ObjectEnd()
		return []destkit.Request{formData(apiHost(s)+"/track", w.Bytes())}, nil
	},
}
