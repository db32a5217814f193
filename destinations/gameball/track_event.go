package gameball

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/jsvalue"
)

// TrackEvent sends one event of a player.
var TrackEvent = &destkit.Action{
	Key:                 "trackEvent",
	Title:               "Track Event",
	Description:         "Send a player's event to Gameball, to drive challenges and rewards.",
	DefaultSubscription: `type = "track"`,
	Fields: []destkit.Field{
		{Key: "name", Label: "Event Name", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.event"}`,
			Description: "Name of the event."},
		{Key: "metadata", Label: "Event Metadata", Type: destkit.Object,
			Default:     `{"@path":"$.properties"}`,
			Description: "Properties of the event (a mobile key is left out)."},
		playerUniqueID, mobile, email,
	},
	Perform: trackEvent,
}

func trackEvent(in *destkit.Input) ([]destkit.Request, error) {
	p := in.Payload
	name := jsvalue.Trim(string(p.GetStringBytes("name")))
	w := destkit.NewJSONWriter(make([]byte, 0, 512))
	w.ObjectStart()
	w.Key("events")
	w.ObjectStart()
	if meta := p.Get("metadata"); meta != nil {
		meta.Del("mobile")
		w.Field(name, meta)
	}
	w.ObjectEnd()
	w.StringField("playerUniqueId", jsLower(string(p.GetStringBytes("playerUniqueId"))))
	if v := p.Get("mobile"); v != nil {
		w.StringField("mobile", jsLower(string(v.GetStringBytes())))
	}
	if v := p.Get("email"); v != nil {
		w.StringField("email", jsLower(string(v.GetStringBytes())))
	}
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest("POST", apiBase+"event", w.Bytes())}, nil
}
