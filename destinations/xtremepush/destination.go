// Package xtremepush sends profiles and events to Xtremepush's Segment
// integration, and erases users on request.
//
// Both actions post to {url}/api/integration/segment/handle, where url is
// the deployment's base URL from the settings (a trailing slash is
// dropped); the body is the call type, the identifiers spread at the top
// level, the traits or the event and its properties, the timestamp and the
// message ID. Erasure posts {userId, anonymousId} to
// {url}/api/integration/segment/delete. Authentication is HTTP basic with
// the API key as user name and an empty password. Xtremepush documents the
// integration only through Segment's catalog; endpoint, body and auth
// follow Segment's open-source implementation.
package xtremepush

import (
	"net/url"
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// Definition is the Xtremepush destination.
var Definition = &destkit.Definition{
	Slug:        "xtremepush",
	SegmentSlug: "actions-xtremepush",
	Name:        "Xtremepush (Actions)",
	Description: "Send user profiles and events to Xtremepush for engagement campaigns.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "url", Label: "URL", Type: destkit.String, Required: true,
			Description: "Base URL of your Xtremepush deployment, as shown in the Xtremepush integration settings."},
		{Key: "apiKey", Label: "API Key", Type: destkit.Password, Required: true, Secret: true,
			Description: "Xtremepush integration API key; sent as the basic-auth user name."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		r.SetBasicAuth(s.Str("apiKey"), "")
		return nil
	},
	Actions: []*destkit.Action{Identify, Track},
	Presets: []destkit.Preset{
		{Name: "Send Analytics Events", Action: "track", Trigger: `type = "track"`, Mapping: `{"type":{"@path":"$.type"},"identifiers":{"userId":{"@path":"$.userId"},"anonymousId":{"@path":"$.anonymousId"},"phone":{"@path":"$.context.traits.phone"},"email":{"@path":"$.context.traits.email"}},"event":{"@path":"$.event"},"properties":{"@path":"$.properties"},"timestamp":{"@path":"$.timestamp"},"messageId":{"@path":"$.messageId"}}`},
		{Name: "Send User Profile Data", Action: "identify", Trigger: `type = "identify"`, Mapping: `{"type":{"@path":"$.type"},"identifiers":{"userId":{"@path":"$.userId"},"anonymousId":{"@path":"$.anonymousId"},"phone":{"@path":"$.traits.phone"},"email":{"@path":"$.traits.email"}},"traits":{"@path":"$.traits"},"timestamp":{"@path":"$.timestamp"},"messageId":{"@path":"$.messageId"}}`},
	},
	Delete: deleteUser,
}

// host returns the base URL without a trailing slash, or a validation
// error naming the setting when it is not an http(s) URL.
func host(s *destkit.Settings) (string, error) {
	h := s.Str("url")
	u, err := url.Parse(h)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", destkit.ValidationErrorf("url", "The setting \"url\" must be an http(s) URL.")
	}
	return strings.TrimSuffix(h, "/"), nil
}

// handle builds the request shared by both actions; middle writes what
// follows the identifiers.
func handle(in *destkit.Input, middle func(w *destkit.JSONWriter)) ([]destkit.Request, error) {
	p := in.Payload
	for _, k := range []string{"type", "timestamp", "messageId"} {
		if len(p.GetStringBytes(k)) == 0 {
			return nil, destkit.ValidationErrorf(k, "The root value is missing the required field '%s'.", k)
		}
	}
	h, err := host(in.Settings)
	if err != nil {
		return nil, err
	}
	w := destkit.NewJSONWriter(make([]byte, 0, 512))
	w.ObjectStart()
	w.Field("type", p.Get("type"))
	if ids := p.GetObject("identifiers"); ids != nil {
		ids.Visit(func(k []byte, v *fastjson.Value) {
			w.Key(string(k))
			w.Value(v)
		})
	}
	middle(w)
	w.Field("timestamp", p.Get("timestamp"))
	w.Field("messageId", p.Get("messageId"))
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest("POST", h+"/api/integration/segment/handle", w.Bytes())}, nil
}

func deleteUser(in *destkit.DeleteInput) ([]destkit.Request, error) {
	if in.UserID == "" && in.AnonymousID == "" {
		return nil, destkit.ValidationErrorf("userId", "A user ID or an anonymous ID is required to delete a user from Xtremepush.")
	}
	h, err := host(in.Settings)
	if err != nil {
		return nil, err
	}
	w := destkit.NewJSONWriter(nil)
	w.ObjectStart()
	w.StringField("userId", in.UserID)
	w.StringField("anonymousId", in.AnonymousID)
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest("POST", h+"/api/integration/segment/delete", w.Bytes())}, nil
}
