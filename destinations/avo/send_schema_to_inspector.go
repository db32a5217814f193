package avo

import (
	"bytes"
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// SendSchemaToInspector sends the schema of one event, or of a batch in one
// request.
var SendSchemaToInspector = &destkit.Action{
	Key:                 "sendSchemaToInspector",
	Title:               "Track Schema From Event",
	Description:         "Send the schema of track events to Avo Inspector.",
	DefaultSubscription: `type = "track"`,
	Fields: []destkit.Field{
		{Key: "event", Label: "Event Name", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.event"}`,
			Description: "Name of the event."},
		{Key: "properties", Label: "Properties", Type: destkit.Object, Required: true,
			Default:     `{"@path":"$.properties"}`,
			Description: "Properties of the event; only their names and types are sent."},
		{Key: "messageId", Label: "Message ID", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.messageId"}`,
			Description: "Identifier of the event."},
		{Key: "createdAt", Label: "Created At", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the event happened (ISO 8601)."},
		{Key: "appVersion", Label: "App Version", Type: destkit.String,
			Default:     `{"@path":"$.context.app.version"}`,
			Description: "Version of the app that sent the event; \"unversioned\" when absent."},
		{Key: "appName", Label: "App Name", Type: destkit.String,
			Default:     `{"@path":"$.context.app.name"}`,
			Description: "Name of the app; when absent, the host of the page URL, or \"unnamed Segment app\"."},
		{Key: "pageUrl", Label: "Page URL", Type: destkit.String,
			Default:     `{"@path":"$.context.page.url"}`,
			Description: "URL of the page the event came from."},
	},
	Batch: &destkit.Batch{MaxSize: 1000},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		return send(in.Settings, []*fastjson.Value{in.Payload}), nil
	},
	PerformBatch: func(in *destkit.BatchInput) ([]destkit.Request, error) {
		return send(in.Settings, in.Payloads), nil
	},
}

const trackURL = "https://api.avo.app/inspector/segment/v1/track"

func send(s *destkit.Settings, ps []*fastjson.Value) []destkit.Request {
	versionProp, hasVersionProp := s.Str("appVersionPropertyName"), s.Str("appVersionPropertyName") != ""
	w := destkit.NewJSONWriter(make([]byte, 0, 512*len(ps)))
	w.ArrayStart()
	for _, p := range ps {
		w.ObjectStart()
		switch name, url := p.Get("appName"), string(p.GetStringBytes("pageUrl")); {
		case name != nil:
			w.Field("appName", name)
		case url != "":
			// The third "/"-separated part of the URL: its host, when the
			// URL has a scheme. Without one there is no app name at all.
			if parts := strings.Split(url, "/"); len(parts) > 2 {
				w.Key("appName")
				w.String(parts[2])
			}
		default:
			w.StringField("appName", "unnamed Segment app")
		}
		w.Key("appVersion")
		if v := p.Get("properties", versionProp); hasVersionProp && v != nil {
			w.Value(v)
		} else if v := p.Get("appVersion"); v != nil {
			w.Value(v)
		} else {
			w.String("unversioned")
		}
		w.StringField("libVersion", "1.0.0")
		w.StringField("libPlatform", "Segment")
		w.Field("messageId", p.Get("messageId"))
		w.Field("createdAt", p.Get("createdAt"))
		w.StringField("sessionId", "_")
		w.StringField("type", "event")
		w.Field("eventName", p.Get("event"))
		w.Key("eventProperties")
		writeSchema(w, p.Get("properties"))
		w.Key("eventId")
		w.Null()
		w.Key("eventHash")
		w.Null()
		w.ObjectEnd()
	}
	w.ArrayEnd()
	r := destkit.NewJSONRequest("POST", trackURL, w.Bytes())
	r.SetHeader("Accept", "application/json")
	return []destkit.Request{r}
}

// writeSchema writes the schema of v: for an object, one entry per key with
// its type and, for objects and arrays, its children; for an array, the
// schema of its first element in a one-element list (Segment drops the
// others as duplicates); for anything else, an empty list.
func writeSchema(w *destkit.JSONWriter, v *fastjson.Value) {
	w.ArrayStart()
	switch {
	case v == nil:
	case v.Type() == fastjson.TypeArray:
		if a, _ := v.Array(); len(a) > 0 {
			writeSchema(w, a[0])
		}
	case v.Type() == fastjson.TypeObject:
		o, _ := v.Object()
		o.Visit(func(k []byte, x *fastjson.Value) {
			w.ObjectStart()
			w.Key("propertyName")
			w.String(string(k))
			w.Key("propertyType")
			w.String(valueType(x))
			if t := x.Type(); t == fastjson.TypeObject || t == fastjson.TypeArray {
				w.Key("children")
				writeSchema(w, x)
			}
			w.ObjectEnd()
		})
	}
	w.ArrayEnd()
}

// valueType names the type of v as Inspector expects it.
func valueType(v *fastjson.Value) string {
	if v.Type() != fastjson.TypeArray {
		return basicType(v)
	}
	a, _ := v.Array()
	if len(a) == 0 || a[0].Type() == fastjson.TypeNull {
		return "list"
	}
	return "list(" + basicType(a[0]) + ")"
}

func basicType(v *fastjson.Value) string {
	switch v.Type() {
	case fastjson.TypeNull:
		return "null"
	case fastjson.TypeString:
		return "string"
	case fastjson.TypeNumber:
		// JavaScript's String(n), not the JSON text: 2.0 is "2", an int.
		if bytes.IndexByte(destkit.AppendJSNumber(nil, v.GetFloat64()), '.') >= 0 {
			return "float"
		}
		return "int"
	case fastjson.TypeTrue, fastjson.TypeFalse:
		return "boolean"
	default:
		return "object"
	}
}
