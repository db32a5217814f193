package fullstory

import (
	"net/url"
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
)

// TrackEventV2 sends a custom event through the v2 events API.
var TrackEventV2 = &destkit.Action{
	Key:                 "trackEventV2",
	Title:               "Track Event V2",
	Description:         "Send a custom event to Fullstory's v2 events API.",
	DefaultSubscription: `type = "track"`,
	Fields: []destkit.Field{
		{Key: "userId", Label: "User ID", Type: destkit.String,
			Default:     `{"@path":"$.userId"}`,
			Description: "Your identifier of the user who did the event."},
		{Key: "name", Label: "Name", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.event"}`,
			Description: "Name of the event."},
		{Key: "properties", Label: "Properties", Type: destkit.Object,
			Default:     `{"@path":"$.properties"}`,
			Description: "Properties of the event."},
		{Key: "timestamp", Label: "Timestamp", Type: destkit.Datetime,
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the event happened."},
		{Key: "useRecentSession", Label: "Use Recent Session", Type: destkit.Boolean,
			Description: "Attach the event to the user's most recent session."},
		{Key: "sessionUrl", Label: "Session URL", Type: destkit.String,
			Description: "URL of the Fullstory session to attach the event to; its last path segment is the session id."},
	},
	Perform: trackEventV2,
}

func trackEventV2(in *destkit.Input) ([]destkit.Request, error) {
	p := in.Payload
	w := destkit.NewJSONWriter(make([]byte, 0, 512))
	w.ObjectStart()
	w.Field("name", p.Get("name"))
	w.Key("properties")
	normalizeProperties(p.Get("properties"), nameOptions{}).Write(w)
	if uid := string(p.GetStringBytes("userId")); uid != "" {
		w.Key("user")
		w.ObjectStart()
		w.StringField("uid", uid)
		w.ObjectEnd()
	}
	w.StringField("timestamp", utcTimestamp(p.Get("timestamp")))
	sessionURL := string(p.GetStringBytes("sessionUrl"))
	recent := p.GetBool("useRecentSession")
	if sessionURL != "" || recent {
		w.Key("session")
		w.ObjectStart()
		if sessionURL != "" {
			id, err := url.PathUnescape(sessionURL[strings.LastIndexByte(sessionURL, '/')+1:])
			if err != nil {
				return nil, destkit.ValidationErrorf("sessionUrl", "Session URL ends in a malformed escape: %v", err)
			}
			w.Key("id")
			w.String(id)
		}
		// Fullstory reads use_most_recent=false as true, so false is left out.
		if recent {
			w.Key("use_most_recent")
			w.Bool(true)
		}
		w.ObjectEnd()
	}
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest("POST", apiBase+"/v2/events", w.Bytes())}, nil
}
