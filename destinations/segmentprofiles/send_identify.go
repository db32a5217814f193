package segmentprofiles

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// SendIdentify writes traits to a profile.
var SendIdentify = &destkit.Action{
	Key:                 "sendIdentify",
	Title:               "Send Identify",
	Description:         "Send an identify call to the Profile Space, creating or updating the profile's traits.",
	DefaultSubscription: `type = "identify"`,
	Fields: []destkit.Field{
		engageSpaceField, userIDField, anonymousIDField, groupIDField, traitsField, timestampField, messageIDField, consentField,
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) { return call(in, writeProfileCall("identify")) },
}

// writeProfileCall writes an identify or group call.
func writeProfileCall(kind string) func(w *destkit.JSONWriter, p *fastjson.Value) {
	return func(w *destkit.JSONWriter, p *fastjson.Value) {
		w.Field("userId", p.Get("user_id"))
		w.Field("anonymousId", p.Get("anonymous_id"))
		w.Field("groupId", p.Get("group_id"))
		w.Field("messageId", p.Get("message_id"))
		writeSpread(w, "traits", p.Get("traits"))
		w.Field("timestamp", p.Get("timestamp"))
		writeIntegrations(w)
		w.StringField("type", kind)
		w.Key("context")
		w.ObjectStart()
		writeConsent(w, p.Get("consent"))
		w.ObjectEnd()
	}
}
