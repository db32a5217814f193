package koala

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// Identify sends who a visitor is.
var Identify = &destkit.Action{
	Key:                 "identify",
	Title:               "Identify",
	Description:         "Send an identify call to Koala.",
	DefaultSubscription: `type = "identify"`,
	Fields: []destkit.Field{
		{Key: "email", Label: "Email", Type: destkit.String,
			Default:     `{"@if":{"exists":{"@path":"$.traits.email"},"then":{"@path":"$.traits.email"},"else":{"@path":"$.email"}}}`,
			Description: "Email of the visitor; otherwise taken from the traits."},
		{Key: "traits", Label: "Traits", Type: destkit.Object,
			Default:     `{"@path":"$.traits"}`,
			Description: "Traits of the visitor; profile_id, email and ip here identify the visitor."},
		{Key: "sent_at", Label: "Sent At", Type: destkit.String, Required: true, Format: "date-time",
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the call happened."},
		{Key: "context", Label: "Context properties", Type: destkit.Object,
			Default:     `{"@path":"$.context"}`,
			Description: "The call's context."},
		{Key: "device_ip", Label: "Device IP", Type: destkit.String,
			Default:     `{"@path":"$.context.ip"}`,
			Description: "IP address of the visitor's device."},
		{Key: "message_id", Label: "MessageId", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.messageId"}`,
			Description: "Segment message id of the call."},
	},
	Perform: identify,
}

func identify(in *destkit.Input) ([]destkit.Request, error) {
	p := in.Payload
	if err := requireString(p, "sent_at", "message_id"); err != nil {
		return nil, err
	}
	traits := p.Get("traits")
	v := visitor{
		profileID: get(traits, "profile_id"),
		email:     coalesce(p.Get("email"), get(traits, "email")),
		traits:    traits,
		ip:        coalesce(get(traits, "ip"), p.Get("device_ip")),
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
	w.Key("identifies")
	w.ArrayStart()
	w.ObjectStart()
	w.Key("type")
	w.String("identify")
	wroteContext := false
	o, _ := p.Object()
	o.Visit(func(k []byte, e *fastjson.Value) {
		switch string(k) {
		case "type":
			return
		case "context":
			writeContext(w, e)
			wroteContext = true
			return
		}
		w.Key(string(k))
		w.Value(e)
	})
	if !wroteContext {
		writeContext(w, nil)
	}
	w.ObjectEnd()
	w.ArrayEnd()
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest("POST", u, w.Bytes())}, nil
}

// writeContext writes the context with source "segment-cloud", replacing a
// source already there in its place.
func writeContext(w *destkit.JSONWriter, ctx *fastjson.Value) {
	w.Key("context")
	w.ObjectStart()
	wrote := false
	if ctx != nil && ctx.Type() == fastjson.TypeObject {
		ctx.GetObject().Visit(func(k []byte, e *fastjson.Value) {
			w.Key(string(k))
			if string(k) == "source" {
				w.String("segment-cloud")
				wrote = true
				return
			}
			w.Value(e)
		})
	}
	if !wrote {
		w.Key("source")
		w.String("segment-cloud")
	}
	w.ObjectEnd()
}
