package mixpanel

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
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
		groupKey := "$group_id"
		if k := p.GetStringBytes("group_key"); len(k) > 0 {
			groupKey = string(k)
		}
		groupID := traits.Get(groupKey)
		if !destkit.Truthy(groupID) {
			groupID = p.Get("group_id")
		}
		w := destkit.NewJSONWriter(nil)
		w.ObjectStart()
		w.Key("$token")
		w.String(s.Str("projectToken"))
		w.Key("$group_key")
		w.String(groupKey)
		w.Field("$group_id", groupID)
		w.Key("$set")
		w.ObjectStart()
		traits.Visit(func(k []byte, v *fastjson.Value) {
			switch string(k) {
			case "created", "createdAt", "created_at", "name":
				return
			}
			w.Key(string(k))
			w.Value(v)
		})
		w.Field("$name", traits.Get("name"))
		w.Field("$created", firstOf(traits, "created", "createdAt", "created_at"))
		w.ObjectEnd()
		w.ObjectEnd()
		return []destkit.Request{formData(apiHost(s)+"/groups", w.Bytes())}, nil
	},
}
