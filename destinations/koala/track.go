package koala

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// Track sends one event.
var Track = &destkit.Action{
	Key:                 "track",
	Title:               "Track",
	Description:         "Send an event to Koala.",
	DefaultSubscription: `type = "track"`,
	Fields: []destkit.Field{
		{Key: "email", Label: "Email", Type: destkit.String,
			Default:     `{"@if":{"exists":{"@path":"$.traits.email"},"then":{"@path":"$.traits.email"},"else":{"@path":"$.email"}}}`,
			Description: "Email of the visitor; otherwise taken from the properties or traits."},
		{Key: "event", Label: "Event Name", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.event"}`,
			Description: "Name of the event."},
		{Key: "properties", Label: "Event properties", Type: destkit.Object,
			Default:     `{"@path":"$.properties"}`,
			Description: "Properties of the event; profile_id, email and ip here identify the visitor."},
		{Key: "sent_at", Label: "Sent At", Type: destkit.String, Required: true, Format: "date-time",
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the event happened."},
		{Key: "context", Label: "Context properties", Type: destkit.Object,
			Default:     `{"@path":"$.context"}`,
			Description: "The event's context."},
		{Key: "traits", Label: "Traits", Type: destkit.Object,
			Default:     `{"@path":"$.context.traits"}`,
			Description: "Traits of the visitor carried in the event's context."},
		{Key: "device_ip", Label: "Device IP", Type: destkit.String,
			Default:     `{"@path":"$.context.ip"}`,
			Description: "IP address of the visitor's device."},
		{Key: "message_id", Label: "MessageId", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.messageId"}`,
			Description: "Segment message id of the event."},
	},
	Perform: track,
}

func track(in *destkit.Input) ([]destkit.Request, error) {
	p := in.Payload
	if err := requireString(p, "event", "sent_at", "message_id"); err != nil {
		return nil, err
	}
	// Koala's pixel already recorded analytics.js events.
	if string(get(get(p.Get("context"), "library"), "name").GetStringBytes()) == "analytics.js" {
		return nil, nil
	}
	props := p.Get("properties")
	traits := p.Get("traits")
	v := visitor{
		profileID: get(props, "profile_id"),
		email:     coalesce(p.Get("email"), get(props, "email"), get(traits, "email")),
		traits:    traits,
		ip:        coalesce(get(props, "ip"), p.Get("device_ip")),
	}
	if !v.identified() {
		return nil, nil
	}
	u, err := batchURL(in.Settings)
	if err != nil {
		return nil, err
	}
	w := destkit.NewJSONWriter(make([]byte, 0, 1024))
	w.ObjectStart()
	v.writeHead(w)
	w.Key("events")
	w.ArrayStart()
	w.ObjectStart()
	w.Key("type")
	w.String("track")
	o, _ := p.Object()
	o.Visit(func(k []byte, e *fastjson.Value) {
		if string(k) == "type" {
			return
		}
		w.Key(string(k))
		w.Value(e)
	})
	w.ObjectEnd()
	w.ArrayEnd()
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest("POST", u, w.Bytes())}, nil
}
