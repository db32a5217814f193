// Package segment forwards events to a Segment source through Segment's
// tracking API, so Actuate can feed (or re-feed) a Segment workspace.
package segment

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// Definition is the Segment Connections destination.
var Definition = &destkit.Definition{
	Slug:        "segment",
	SegmentSlug: "actions-segment",
	Name:        "Segment",
	Description: "Send identify, group, page, screen and track calls to a Segment source.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{{
		Key: "source_write_key", Label: "Source Write Key", Type: destkit.Password, Required: true, Secret: true,
		Description: "Write key of the Segment source that receives the events.",
	}},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		// Segment's tracking API takes the write key as the basic-auth user.
		r.SetBasicAuth(s.Str("source_write_key"), "")
		return nil
	},
	Actions: []*destkit.Action{SendIdentify, SendGroup, SendScreen, SendPage, SendTrack},
}

// batchURL is the tracking API's batch endpoint. Segment's own destination
// hands events to an internal publisher instead; from outside Segment the
// public API is the equivalent.
const batchURL = "https://api.segment.io/v1/batch"

// publish builds the request for one call of the given type. body writes the
// type-specific members (traits, properties, names).
func publish(in *destkit.Input, kind string, body func(w *destkit.JSONWriter, p *fastjson.Value)) ([]destkit.Request, error) {
	p := in.Payload
	if p.Get("user_id") == nil && p.Get("anonymous_id") == nil {
		return nil, destkit.ValidationErrorf("user_id", "Either Anonymous ID or User ID must be defined.")
	}
	w := destkit.NewJSONWriter(make([]byte, 0, 512))
	w.ObjectStart()
	w.Key("batch")
	w.ArrayStart()
	w.ObjectStart()
	w.Field("userId", p.Get("user_id"))
	w.Field("anonymousId", p.Get("anonymous_id"))
	w.Field("timestamp", p.Get("timestamp"))
	w.Field("messageId", p.Get("message_id"))
	w.Key("context")
	w.ObjectStart()
	w.Field("app", p.Get("application"))
	w.Field("campaign", p.Get("campaign_parameters"))
	w.Field("device", p.Get("device"))
	w.Field("ip", p.Get("ip_address"))
	w.Field("locale", p.Get("locale"))
	w.Field("location", p.Get("location"))
	w.Field("network", p.Get("network"))
	w.Field("os", p.Get("operating_system"))
	w.Field("page", p.Get("page"))
	w.Field("screen", p.Get("screen"))
	w.Field("userAgent", p.Get("user_agent"))
	w.Field("timezone", p.Get("timezone"))
	if kind != "group" { // a group call carries groupId at the top level
		w.Field("groupId", p.Get("group_id"))
	}
	w.Field("consent", p.Get("consent"))
	if kind == "track" {
		w.Field("traits", p.Get("traits"))
	}
	w.ObjectEnd()
	body(w, p)
	w.Key("type")
	w.String(kind)
	w.ObjectEnd()
	w.ArrayEnd()
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest("POST", batchURL, w.Bytes())}, nil
}
