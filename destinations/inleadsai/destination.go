// Package inleadsai sends identify, group and track calls to InLeads AI.
//
// Every action posts the mapped payload, with the API key added as its
// apiKey member, to https://server.inleads.ai/events/track, and sends the
// key after "Basic" in the Authorization header (the key itself, not
// base64 user:password). InLeads publishes no API reference for this
// intake, so Segment's implementation is the source followed.
package inleadsai

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

const trackURL = "https://server.inleads.ai/events/track"

// Definition is the InLeads AI destination.
var Definition = &destkit.Definition{
	Slug:        "inleads-ai",
	SegmentSlug: "inleads-ai",
	Name:        "Inleads AI",
	Description: "Send users, accounts and product events to InLeads AI for lead scoring.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "apiKey", Label: "API Key", Type: destkit.String, Required: true, Secret: true,
			Description: "InLeads AI API key; sent in the Authorization header and the body."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		r.SetHeader("Authorization", "Basic "+s.Str("apiKey"))
		return nil
	},
	Actions: []*destkit.Action{Identify, Group, Track},
	Presets: []destkit.Preset{
		{Name: "Track Event", Action: "track", Trigger: `type = "track"`, Mapping: destkit.JSON(Track.DefaultMapping())},
		{Name: "Group", Action: "group", Trigger: `type = "group"`, Mapping: destkit.JSON(Group.DefaultMapping())},
		{Name: "Identify User", Action: "identify", Trigger: `type = "identify"`, Mapping: destkit.JSON(Identify.DefaultMapping())},
	},
}

// post sends {...payload, apiKey} once the required fields are present.
func post(in *destkit.Input, required ...string) ([]destkit.Request, error) {
	p := in.Payload
	for _, k := range required {
		if len(p.GetStringBytes(k)) == 0 {
			return nil, destkit.ValidationErrorf(k, "The field %s is required.", k)
		}
	}
	key := in.Settings.Str("apiKey")
	w := destkit.NewJSONWriter(make([]byte, 0, 1024))
	w.ObjectStart()
	o, _ := p.Object()
	o.Visit(func(k []byte, v *fastjson.Value) {
		if string(k) == "apiKey" {
			return
		}
		w.Key(string(k))
		w.Value(v)
	})
	w.Key("apiKey")
	w.String(key)
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest("POST", trackURL, w.Bytes())}, nil
}
