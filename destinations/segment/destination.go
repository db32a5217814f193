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
	writeConsent(w, p.Get("consent"))
	if kind == "track" {
		w.Key("traits")
		writeMerged(w, nil, p.GetObject("traits"))
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

// writeConsent writes the consent object as Segment does: the mapped one when
// it holds categoryPreferences made of booleans, an empty object otherwise.
func writeConsent(w *destkit.JSONWriter, c *fastjson.Value) {
	w.Key("consent")
	if prefs := c.GetObject("categoryPreferences"); prefs != nil {
		valid := true
		prefs.Visit(func(_ []byte, v *fastjson.Value) {
			if t := v.Type(); t != fastjson.TypeTrue && t != fastjson.TypeFalse {
				valid = false
			}
		})
		if valid {
			w.Value(c)
			return
		}
	}
	w.ObjectStart()
	w.ObjectEnd()
}

// member is one key of an object built from mapped fields.
type member struct {
	key   string
	value *fastjson.Value
}

// writeMerged writes base with over spread on top, the way Segment builds
// traits and properties ({...base, ...over}): an empty object when both are
// empty, base's keys first with over's values where over has them.
func writeMerged(w *destkit.JSONWriter, base []member, over *fastjson.Object) {
	w.ObjectStart()
	for _, m := range base {
		if over != nil && over.Get(m.key) != nil {
			w.Key(m.key)
			w.Value(over.Get(m.key))
			continue
		}
		w.Field(m.key, m.value)
	}
	if over != nil {
		over.Visit(func(k []byte, v *fastjson.Value) {
			for _, m := range base {
				if m.key == string(k) {
					return
				}
			}
			w.Key(string(k))
			w.Value(v)
		})
	}
	w.ObjectEnd()
}
