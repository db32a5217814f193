package amplitude

import (
	"net/url"

	"github.com/actuate/actuate/destinations/destkit"
)

// MapUser merges two user IDs through Amplitude's user mapping API.
var MapUser = &destkit.Action{
	Key:                 "mapUser",
	Title:               "Map User",
	Description:         "Map a user ID to a global user ID, merging the two users in Amplitude.",
	DefaultSubscription: `type = "alias"`,
	Fields:              []destkit.Field{userIDAlt, globalUserID, minIDLength},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		p := in.Payload
		w := destkit.NewJSONWriter(make([]byte, 0, 128))
		w.ArrayStart()
		w.ObjectStart()
		w.Field("user_id", p.Get("user_id"))
		w.Field("global_user_id", p.Get("global_user_id"))
		w.ObjectEnd()
		w.ArrayEnd()
		form := url.Values{}
		form.Set("api_key", in.Settings.Str("apiKey"))
		form.Set("mapping", string(w.Bytes()))
		setOptions(form, in)
		return []destkit.Request{destkit.NewFormRequest("POST", endpoint("usermap", in.Settings), []byte(form.Encode()))}, nil
	},
}
