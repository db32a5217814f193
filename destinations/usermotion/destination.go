// Package usermotion sends users, companies and events to UserMotion.
//
// Every action posts JSON to https://api.usermotion.com/v1/{identify,
// group,track} with "Authorization: Basic <API key>" (the key as UserMotion
// issues it, not base64 of user:password) and "x-source: Segment", which
// UserMotion reads to recognise the integration. Endpoint, body and headers
// follow Segment's open-source implementation and UserMotion's
// documentation of its Segment integration; they agree.
package usermotion

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

const apiBase = "https://api.usermotion.com/v1/"

// Definition is the UserMotion destination.
var Definition = &destkit.Definition{
	Slug:        "usermotion",
	SegmentSlug: "actions-usermotion",
	Name:        "UserMotion (Actions)",
	Description: "Send users, companies and product events to UserMotion.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "apiKey", Label: "API Key", Type: destkit.Password, Required: true, Secret: true,
			Description: "UserMotion API key; sent after \"Basic\" in the Authorization header, as UserMotion issues it."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		r.SetHeader("x-source", "Segment")
		r.SetHeader("Authorization", "Basic "+s.Str("apiKey"))
		return nil
	},
	Actions: []*destkit.Action{Identify, Group, Track},
	Presets: []destkit.Preset{
		{Name: "Identify User", Action: "identify", Trigger: `type = "identify"`, Mapping: `{"userId":{"@path":"$.userId"},"anonymousId":{"@path":"$.anonymousId"},"email":{"@if":{"exists":{"@path":"$.traits.email"},"then":{"@path":"$.traits.email"},"else":{"@path":"$.email"}}},"traits":{"@path":"$.traits"}}`},
		{Name: "Identify Group", Action: "group", Trigger: `type = "group"`, Mapping: `{"userId":{"@path":"$.userId"},"anonymousId":{"@path":"$.anonymousId"},"groupId":{"@path":"$.groupId"},"traits":{"@path":"$.traits"}}`},
		{Name: "Track Analytics Event", Action: "track", Trigger: `type = "track" or type = "page"`, Mapping: `{"userId":{"@path":"$.userId"},"anonymousId":{"@path":"$.anonymousId"},"eventName":{"@if":{"exists":{"@path":"$.event"},"then":{"@path":"$.event"},"else":{"@template":"pageview"}}},"context":{"@path":"$.context"},"properties":{"@path":"$.properties"}}`},
	},
}

func post(path string, body []byte) []destkit.Request {
	return []destkit.Request{destkit.NewJSONRequest("POST", apiBase+path, body)}
}

// spread writes {...obj}: the members of obj (none when it is absent) in
// JavaScript's key order.
func spread(w *destkit.JSONWriter, obj *fastjson.Value) {
	var o destkit.JSObject
	o.Assign(obj, nil)
	o.Write(w)
}

func missing(key string) error {
	return destkit.ValidationErrorf(key, "The root value is missing the required field '%s'.", key)
}
