// Package koala sends server-side track and identify calls to Koala.
//
// Both actions post to Koala's batch endpoint,
// https://api2.getkoala.com/web/projects/{public key}/batch, whose only
// credential is the project's public key in the path. The body names the
// visitor (profile_id, email, traits, ip) and carries the call in events or
// identifies, the way Segment's implementation builds it: the call is the
// mapped payload with a type; identify calls mark their context with
// source "segment-cloud".
//
// As in Segment, a call with neither a profile id nor an email is skipped
// (Koala cannot attribute it), and track calls from analytics.js are
// skipped because Koala's own pixel already records them. A skipped call
// counts as delivered.
package koala

import (
	"net/url"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

const apiBase = "https://api2.getkoala.com/web/projects/"

// Definition is the Koala destination.
var Definition = &destkit.Definition{
	Slug:        "koala",
	SegmentSlug: "actions-koala-cloud",
	Name:        "Koala (Cloud)",
	Description: "Send server-side events and identities to Koala to enrich visitor and account intent.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "public_key", Label: "Public Key", Type: destkit.Password, Required: true, Secret: true,
			Description: "The Koala project's public key; it is part of every request URL."},
	},
	Actions: []*destkit.Action{Track, Identify},
	Presets: []destkit.Preset{
		{Name: "Track Calls", Action: "track", Trigger: `type = "track"`,
			Mapping: `{"email":{"@if":{"exists":{"@path":"$.traits.email"},"then":{"@path":"$.traits.email"},"else":{"@path":"$.email"}}},"event":{"@path":"$.event"},"properties":{"@path":"$.properties"},"sent_at":{"@path":"$.timestamp"},"context":{"@path":"$.context"},"traits":{"@path":"$.context.traits"},"device_ip":{"@path":"$.context.ip"},"message_id":{"@path":"$.messageId"}}`},
		{Name: "Identify Calls", Action: "identify", Trigger: `type = "identify"`,
			Mapping: `{"email":{"@if":{"exists":{"@path":"$.traits.email"},"then":{"@path":"$.traits.email"},"else":{"@path":"$.email"}}},"traits":{"@path":"$.traits"},"sent_at":{"@path":"$.timestamp"},"context":{"@path":"$.context"},"device_ip":{"@path":"$.context.ip"},"message_id":{"@path":"$.messageId"}}`},
	},
}

func batchURL(s *destkit.Settings) (string, error) {
	k := s.Str("public_key")
	if k == "" {
		return "", &destkit.IntegrationError{Code: "INVALID_SETTINGS", Message: "The public key setting is empty."}
	}
	return apiBase + url.PathEscape(k) + "/batch", nil
}

// visitor is who a call is about.
type visitor struct {
	profileID, email, traits, ip *fastjson.Value
}

// identified reports whether Koala can attribute the call: a truthy
// profile id or email, in JavaScript's sense.
func (v visitor) identified() bool { return destkit.Truthy(v.profileID) || destkit.Truthy(v.email) }

// writeHead writes the visitor members of the batch body.
func (v visitor) writeHead(w *destkit.JSONWriter) {
	w.Field("profile_id", v.profileID)
	w.Field("email", v.email)
	w.Key("traits")
	if v.traits != nil && v.traits.Type() != fastjson.TypeNull {
		w.Value(v.traits)
	} else {
		w.ObjectStart()
		w.ObjectEnd()
	}
	w.Field("ip", v.ip)
}

// coalesce is JavaScript's a ?? b ?? …: the first value that is neither
// missing nor null.
func coalesce(vs ...*fastjson.Value) *fastjson.Value {
	for _, v := range vs {
		if v != nil && v.Type() != fastjson.TypeNull {
			return v
		}
	}
	return nil
}

// get reads key of an object value, nil when v is not an object.
func get(v *fastjson.Value, key string) *fastjson.Value {
	if v == nil || v.Type() != fastjson.TypeObject {
		return nil
	}
	return v.Get(key)
}

func requireString(p *fastjson.Value, keys ...string) error {
	for _, k := range keys {
		if len(p.GetStringBytes(k)) == 0 {
			return destkit.ValidationErrorf(k, "The field %s is required.", k)
		}
	}
	return nil
}
