package airship

import (
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// CustomEvents records custom events on a named user or channel.
var CustomEvents = &destkit.Action{
	Key:                 "customEvents",
	Title:               "Custom Events",
	Description:         "Record a custom event in Airship, to trigger automations and segment audiences.",
	DefaultSubscription: `type = "track"`,
	Fields: []destkit.Field{
		namedUserField, channelIDField, channelTypeField,
		{Key: "name", Label: "Name", Type: destkit.String, Required: true, Default: `{"@path":"$.event"}`,
			Description: "Event name; Airship takes it lower-cased."},
		occurredField,
		{Key: "properties", Label: "Event Properties", Type: destkit.Object, Default: `{"@path":"$.properties"}`,
			Description: "Properties of the event; source is set to Segment."},
		{Key: "enable_batching", Label: "Batch Data to Airship", Type: destkit.Boolean, Default: `false`,
			Description: "Send events in batches of up to 100."},
	},
	Batch:        &destkit.Batch{MaxSize: 100},
	Perform:      customEvent,
	PerformBatch: customEvents,
}

func customEvent(in *destkit.Input) ([]destkit.Request, error) {
	w := destkit.NewJSONWriter(make([]byte, 0, 512))
	w.ArrayStart()
	if err := writeCustomEvent(w, in.Payload); err != nil {
		return nil, err
	}
	w.ArrayEnd()
	return []destkit.Request{destkit.NewJSONRequest("POST", baseURL(in.Settings)+"/api/custom-events", w.Bytes())}, nil
}

func customEvents(in *destkit.BatchInput) ([]destkit.Request, error) {
	w := destkit.NewJSONWriter(make([]byte, 0, 512*len(in.Payloads)))
	w.ArrayStart()
	n := 0
	for i, p := range in.Payloads {
		// Each event is written whole into a scratch writer first, so a
		// rejected one leaves nothing behind.
		one := destkit.NewJSONWriter(make([]byte, 0, 512))
		if err := writeCustomEvent(one, p); err != nil {
			in.Reject(i, err)
			continue
		}
		w.Raw(one.Bytes())
		n++
	}
	w.ArrayEnd()
	if n == 0 {
		return nil, nil
	}
	return []destkit.Request{destkit.NewJSONRequest("POST", baseURL(in.Settings)+"/api/custom-events", w.Bytes())}, nil
}

// writeCustomEvent writes {occurred, user, body: {name, interaction_type,
// properties}}.
func writeCustomEvent(w *destkit.JSONWriter, p *fastjson.Value) error {
	name := p.GetStringBytes("name")
	if len(name) == 0 {
		return destkit.ValidationErrorf("name", "The field name is required.")
	}
	occurred, ok := recentTime(p.Get("occurred"))
	if !ok {
		return destkit.ValidationErrorf("occurred", "occurred must be a time within the past 90 days; Airship refuses older custom events.")
	}
	var user destkit.JSONWriter
	if err := writeAudience(&user, p); err != nil {
		return err
	}
	var props destkit.JSObject
	props.Assign(p.Get("properties"), nil)
	props.SetString("source", "Segment")
	w.ObjectStart()
	w.StringField("occurred", occurred)
	w.Key("user")
	w.Raw(user.Bytes())
	w.Key("body")
	w.ObjectStart()
	w.StringField("name", strings.ToLower(string(name)))
	w.StringField("interaction_type", "cdp")
	w.Key("properties")
	props.Write(w)
	w.ObjectEnd()
	w.ObjectEnd()
	return nil
}
