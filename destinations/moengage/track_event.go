package moengage

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// TrackEvent sends one event.
var TrackEvent = &destkit.Action{
	Key:                 "trackEvent",
	Title:               "Track Event",
	Description:         "Send an event to MoEngage.",
	DefaultSubscription: `type = "track"`,
	Fields: []destkit.Field{
		{Key: "type", Label: "Event type", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.type"}`,
			Description: "Segment call type of the event."},
		{Key: "event", Label: "Event Name", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.event"}`,
			Description: "Name of the event."},
		{Key: "userId", Label: "User ID", Type: destkit.String,
			Default:     `{"@path":"$.userId"}`,
			Description: "Your id for the user."},
		{Key: "anonymousId", Label: "Anonymous ID", Type: destkit.String,
			Default:     `{"@path":"$.anonymousId"}`,
			Description: "Anonymous id of the user."},
		{Key: "os_name", Label: "OS Name", Type: destkit.String,
			Default:     `{"@path":"$.context.os.name"}`,
			Description: "Operating system or browser of the user."},
		{Key: "app_version", Label: "APP Version", Type: destkit.String,
			Default:     `{"@path":"$.context.app.version"}`,
			Description: "Version of the app that sent the event."},
		{Key: "library_version", Label: "Library Version", Type: destkit.String,
			Default:     `{"@path":"$.context.library.version"}`,
			Description: "Version of the library that sent the event."},
		{Key: "timestamp", Label: "Timestamp", Type: destkit.Datetime,
			Default:     `{"@path":"$.timestamp"}`,
			Description: "When the event happened; MoEngage uses the time of receipt when unset."},
		{Key: "properties", Label: "Event Properties", Type: destkit.Object,
			Default:     `{"@path":"$.properties"}`,
			Description: "Properties of the event."},
		{Key: "project_name", Label: "Project Name", Type: destkit.String,
			Default:     `""`,
			Description: "Project name from MoEngage's portfolio settings, exactly; empty when portfolios are off."},
		{Key: "update_existing_only", Label: "Update Existing Users Only", Type: destkit.Boolean,
			Default:     `false`,
			Description: "Only record the event for users MoEngage already knows."},
	},
	Perform: trackEvent,
}

func trackEvent(in *destkit.Input) ([]destkit.Request, error) {
	p := in.Payload
	if err := requireString(p, "type", "event"); err != nil {
		return nil, err
	}
	w := destkit.NewJSONWriter(make([]byte, 0, 512))
	w.ObjectStart()
	w.Field("type", p.Get("type"))
	w.Field("user_id", p.Get("userId"))
	w.Field("anonymous_id", p.Get("anonymousId"))
	w.Field("event", p.Get("event"))
	writeContext(w, p)
	if project := p.GetStringBytes("project_name"); len(project) > 0 {
		// The project joins the properties, replacing one of the same name.
		w.Key("properties")
		w.ObjectStart()
		wrote := false
		if props := p.GetObject("properties"); props != nil {
			props.Visit(func(k []byte, v *fastjson.Value) {
				w.Key(string(k))
				if string(k) == "moe_project_name" {
					w.String(string(project))
					wrote = true
					return
				}
				w.Value(v)
			})
		}
		if !wrote {
			w.Key("moe_project_name")
			w.String(string(project))
		}
		w.ObjectEnd()
	} else {
		w.Field("properties", p.Get("properties"))
	}
	w.Field("timestamp", p.Get("timestamp"))
	writeUpdateExistingOnly(w, p)
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest("POST", intakeURL(in.Settings), w.Bytes())}, nil
}
