package amplitude

import (
	"net/url"

	"github.com/actuate/actuate/destinations/destkit"
)

// GroupIdentifyUser puts the user in a group and sets the group's
// properties: two calls, in that order, so the group exists on the user
// before its properties arrive.
var GroupIdentifyUser = &destkit.Action{
	Key:                 "groupIdentifyUser",
	Title:               "Group Identify User",
	Description:         "Associate a user with a group and set the group's properties.",
	DefaultSubscription: `type = "group"`,
	Fields:              []destkit.Field{userID, deviceID, insertID, eventTimeAlt, groupProperties, groupType, groupValue, minIDLength},
	Perform:             groupIdentifyUser,
}

func groupIdentifyUser(in *destkit.Input) ([]destkit.Request, error) {
	p := in.Payload
	groupType, groupValue := p.Get("group_type"), p.Get("group_value")
	var reqs []destkit.Request
	if p.Get("user_id") != nil || p.Get("device_id") != nil {
		w := destkit.NewJSONWriter(make([]byte, 0, 256))
		w.ArrayStart()
		w.ObjectStart()
		w.Field("user_id", p.Get("user_id"))
		w.Field("device_id", p.Get("device_id"))
		w.Field("insert_id", p.Get("insert_id"))
		if t := p.Get("time"); t != nil {
			if ms, ok := epochMillis(t, false); ok {
				w.Key("time")
				w.Int(ms)
			}
		}
		// Segment sends the association as groups and as user properties.
		for _, k := range []string{"groups", "user_properties"} {
			w.Key(k)
			w.ObjectStart()
			w.Key(string(groupType.GetStringBytes()))
			w.Value(groupValue)
			w.ObjectEnd()
		}
		w.Key("library")
		w.String("segment")
		w.ObjectEnd()
		w.ArrayEnd()
		form := url.Values{}
		form.Set("api_key", in.Settings.Str("apiKey"))
		form.Set("identification", string(w.Bytes()))
		setOptions(form, in)
		reqs = append(reqs, destkit.NewFormRequest("POST", endpoint("identify", in.Settings), []byte(form.Encode())))
	}
	w := destkit.NewJSONWriter(make([]byte, 0, 256))
	w.ArrayStart()
	w.ObjectStart()
	w.Field("group_properties", p.Get("group_properties"))
	w.Field("group_value", groupValue)
	w.Field("group_type", groupType)
	w.Key("library")
	w.String("segment")
	w.ObjectEnd()
	w.ArrayEnd()
	form := url.Values{}
	form.Set("api_key", in.Settings.Str("apiKey"))
	form.Set("identification", string(w.Bytes()))
	reqs = append(reqs, destkit.NewFormRequest("POST", endpoint("groupidentify", in.Settings), []byte(form.Encode())))
	return reqs, nil
}
