package fullstory

import (
	"github.com/actuate/actuate/destinations/destkit"
)

// TrackEvent sends a custom event through the v1 API.
var TrackEvent = &destkit.Action{
	Key:                 "trackEvent",
	Title:               "Track Event",
	Description:         "Send a custom event to Fullstory's v1 custom events API.",
	DefaultSubscription: `type = "track"`,
	Fields: []destkit.Field{
		{Key: "userId", Label: "User ID", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.userId"}`,
			Description: "Your identifier of the user who did the event."},
		{Key: "name", Label: "Name", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.event"}`,
			Description: "Name of the event."},
		{Key: "properties", Label: "Properties", Type: destkit.Object,
			Default:     `{"@path":"$.properties"}`,
			Description: "Properties of the event; names get Fullstory type suffixes (_str, _real, …)."},
		{Key: "timestamp", Label: "Timestamp", Type: destkit.Datetime,
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the event happened."},
		{Key: "useRecentSession", Label: "Use Recent Session", Type: destkit.Boolean,
			Description: "Attach the event to the user's most recent session."},
		{Key: "sessionUrl", Label: "Session URL", Type: destkit.String,
			Description: "URL of the Fullstory session to attach the event to."},
	},
	Perform: trackEvent,
}

func trackEvent(in *destkit.Input) ([]destkit.Request, error) {
	p := in.Payload
	w := destkit.NewJSONWriter(make([]byte, 0, 512))
	w.ObjectStart()
	w.Key("event")
	w.ObjectStart()
	w.Field("event_name", p.Get("name"))
	w.Key("event_data")
	normalizeProperties(p.Get("properties"), nameOptions{typeSuffix: true}).Write(w)
	w.StringField("timestamp", utcTimestamp(p.Get("timestamp")))
	// Fullstory reads use_recent_session=false as true, so false is left out.
	if p.GetBool("useRecentSession") {
		w.Key("use_recent_session")
		w.Bool(true)
	}
	w.StringField("session_url", string(p.GetStringBytes("sessionUrl")))
	w.ObjectEnd()
	w.ObjectEnd()
	url := apiBase + "/users/v1/individual/" + encodeURIComponent(string(p.GetStringBytes("userId"))) + "/customevent?integration=segment"
	return []destkit.Request{destkit.NewJSONRequest("POST", url, w.Bytes())}, nil
}
