package googleanalytics4

import (
	"strings"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// All nineteen actions build the same request: identity and consent at the
// top, one event whose params are the action's own fields, then the
// free-form params. Only the event name and the field list differ, so each
// action is a name plus fields.

// reserved fields are not event parameters.
var reserved = map[string]bool{
	"data_stream_type": true, "app_instance_id": true, "client_id": true, "clientId": true, "user_id": true,
	"timestamp_micros": true, "user_properties": true, "engagement_time_msec": true, "params": true,
	"ad_user_data_consent": true, "ad_personalization_consent": true, "name": true, "lowercase": true,
}

func newAction(key, title, description, trigger, eventName string, fields []destkit.Field) *destkit.Action {
	return &destkit.Action{
		Key: key, Title: title, Description: description, DefaultSubscription: trigger, Fields: fields,
		Perform: func(in *destkit.Input) ([]destkit.Request, error) { return perform(in, eventName) },
	}
}

func perform(in *destkit.Input, eventName string) ([]destkit.Request, error) {
	p := in.Payload
	app := string(p.GetStringBytes("data_stream_type")) == "Mobile App"
	u, err := collectURL(in.Settings, app)
	if err != nil {
		return nil, err
	}
	if eventName == "" { // custom event
		eventName = strings.ReplaceAll(strings.TrimSpace(string(p.GetStringBytes("name"))), " ", "_")
		if p.GetBool("lowercase") {
			eventName = strings.ToLower(eventName)
		}
	}
	if p.Get("value") != nil && p.Get("currency") == nil {
		return nil, destkit.ValidationErrorf("currency", "Currency is required if value is set.")
	}

	w := destkit.NewJSONWriter(make([]byte, 0, 512))
	w.ObjectStart()
	if app {
		if p.Get("app_instance_id") == nil {
			return nil, destkit.ValidationErrorf("app_instance_id", "Firebase App Instance ID is required for mobile app streams.")
		}
		w.Field("app_instance_id", p.Get("app_instance_id"))
	} else {
		id := p.Get("client_id")
		if id == nil {
			id = p.Get("clientId")
		}
		if id == nil {
			return nil, destkit.ValidationErrorf("client_id", "Client ID is required for web streams.")
		}
		w.Key("client_id")
		w.Value(id)
	}
	w.Field("user_id", p.Get("user_id"))
	if us, ok := micros(p.Get("timestamp_micros")); ok {
		w.Key("timestamp_micros")
		w.Int(us)
	}
	w.Key("events")
	w.ArrayStart()
	w.ObjectStart()
	w.Key("name")
	w.String(eventName)
	w.Key("params")
	w.ObjectStart()
	o, _ := p.Object()
	o.Visit(func(k []byte, v *fastjson.Value) {
		key := string(k)
		if reserved[key] {
			return
		}
		w.Key(key)
		if key == "currency" && v.Type() == fastjson.TypeString {
			w.String(strings.ToUpper(string(v.GetStringBytes())))
			return
		}
		w.Value(v)
	})
	w.Field("engagement_time_msec", p.Get("engagement_time_msec"))
	if extra := p.GetObject("params"); extra != nil {
		extra.Visit(func(k []byte, v *fastjson.Value) {
			w.Key(string(k))
			w.Value(v)
		})
	}
	w.ObjectEnd()
	w.ObjectEnd()
	w.ArrayEnd()
	if up := p.GetObject("user_properties"); up != nil && up.Len() > 0 {
		// The Measurement Protocol wants each user property wrapped.
		w.Key("user_properties")
		w.ObjectStart()
		up.Visit(func(k []byte, v *fastjson.Value) {
			w.Key(string(k))
			w.ObjectStart()
			w.Key("value")
			w.Value(v)
			w.ObjectEnd()
		})
		w.ObjectEnd()
	}
	writeConsent(w, p)
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest("POST", u, w.Bytes())}, nil
}

func writeConsent(w *destkit.JSONWriter, p *fastjson.Value) {
	data, pers := p.Get("ad_user_data_consent"), p.Get("ad_personalization_consent")
	if data == nil && pers == nil {
		return
	}
	w.Key("consent")
	w.ObjectStart()
	w.Field("ad_user_data", data)
	w.Field("ad_personalization", pers)
	w.ObjectEnd()
}

// micros converts the event time to microseconds since the epoch. Numbers
// are taken as microseconds already.
func micros(v *fastjson.Value) (int64, bool) {
	if v == nil {
		return 0, false
	}
	switch v.Type() {
	case fastjson.TypeNumber:
		f, _ := v.Float64()
		return int64(f), true
	case fastjson.TypeString:
		s := string(v.GetStringBytes())
		for _, l := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02"} {
			if t, err := time.Parse(l, s); err == nil {
				return t.UnixMicro(), true
			}
		}
	}
	return 0, false
}
