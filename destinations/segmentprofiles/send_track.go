package segmentprofiles

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// SendTrack records an event on a profile.
var SendTrack = &destkit.Action{
	Key:         "sendTrack",
	Title:       "Send Track",
	Description: "Send a track call to the Profile Space, recording an event on the profile.",
	Fields: []destkit.Field{
		engageSpaceField, userIDField, anonymousIDField, timestampField,
		{Key: "event_name", Label: "Event Name", Type: destkit.String, Required: true,
			Description: "Name of the event."},
		{Key: "group_id", Label: "Group ID", Type: destkit.String,
			Description: "The account or group the user belongs to; not sent with the event, as in Segment."},
		{Key: "properties", Label: "Properties", Type: destkit.Object, AdditionalProperties: true,
			Description: "Properties of the event."},
		messageIDField, consentField,
	},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		if len(in.Payload.GetStringBytes("event_name")) == 0 {
			return nil, destkit.ValidationErrorf("event_name", "The field event_name is required.")
		}
		return call(in, func(w *destkit.JSONWriter, p *fastjson.Value) {
			w.Field("userId", p.Get("user_id"))
			w.Field("anonymousId", p.Get("anonymous_id"))
			w.Field("timestamp", p.Get("timestamp"))
			w.Field("event", p.Get("event_name"))
			w.Field("messageId", p.Get("message_id"))
			writeIntegrations(w)
			writeSpread(w, "properties", p.Get("properties"))
			w.Key("context")
			w.ObjectStart()
			writeConsent(w, p.Get("consent"))
			w.ObjectEnd()
			w.StringField("type", "track")
		})
	},
}
