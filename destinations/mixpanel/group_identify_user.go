package mixpanel

import (
	"github.com/actuate/actuate/destinations/destkit"
)

// GroupIdentifyUser sets properties on a group profile.
var GroupIdentifyUser = &destkit.Action{
	Key:                 "groupIdentifyUser",
	Title:               "Group Identify User",
	Description:         "Set properties on a Mixpanel group profile.",
	DefaultSubscription: `type = "group"`,
	Fields:              []destkit.Field{groupKey, groupIDAlt, traitsAlt},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		p, s := in.Payload, in.Settings
		traits := p.GetObject("traits")
		if traits == nil || traits.Len() == 0 {
			return nil, nil // nothing to set; Mixpanel would reject an empty $set
		}
		w := destkit.NewJSONWriter(nil)
		w.ArrayStart()
		w.ObjectStart()
		w.Key("$token")
		w.String(s.Str("projectToken"))
		w.Key("$group_key")
		if k := p.Get("group_key"); k != nil {
			w.Value(k)
		} else {
			w.String("$group_id")
		}
		w.Key("$group_id")
		w.Value(p.Get("group_id"))
		w.Key("$set")
		w.Value(p.Get("traits"))
		w.ObjectEnd()
		w.ArrayEnd()
		return []destkit.Request{destkit.NewJSONRequest("POST", apiHost(s)+"/groups", w.Bytes())}, nil
	},
}
