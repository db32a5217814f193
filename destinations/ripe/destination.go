// Package ripe sends Segment-shaped calls to Ripe (cloud mode).
//
// Each action posts one call to {endpoint}/{group,identify,page,track}
// (endpoint from the settings, default https://api.getripe.com/event) with
// "Authorization: Basic base64(API key)", the key alone rather than
// user:password. A call without a timestamp gets the time of sending, as
// in Segment's implementation, which endpoint, bodies and auth follow (Ripe
// documents only its SDKs). We drop a trailing slash from the endpoint,
// which Segment would keep, doubling the slash before the call type.
package ripe

import (
	"encoding/base64"
	"net/url"
	"strings"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// Definition is the Ripe Cloud Mode destination.
var Definition = &destkit.Definition{
	Slug:        "ripe",
	SegmentSlug: "actions-ripe-cloud",
	Name:        "Ripe Cloud Mode (Actions)",
	Description: "Send identify, group, page and track calls to Ripe.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "apiKey", Label: "API Key", Type: destkit.Password, Required: true, Secret: true,
			Description: "Ripe API key; sent base64-encoded in a Basic authorization header."},
		{Key: "endpoint", Label: "API Endpoint", Type: destkit.String,
			Default:     `"https://api.getripe.com/event"`,
			Description: "Base URL of Ripe's event API; change it only when Ripe asks you to."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		r.SetHeader("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(s.Str("apiKey"))))
		return nil
	},
	Actions: []*destkit.Action{Group, Identify, Page, Track},
	Presets: []destkit.Preset{
		{Name: "Group user", Action: "group", Trigger: `type = "group"`, Mapping: `{"anonymousId":{"@path":"$.anonymousId"},"userId":{"@path":"$.userId"},"groupId":{"@path":"$.groupId"},"context":{"@path":"$.context"},"traits":{"@path":"$.traits"},"timestamp":{"@path":"$.timestamp"},"messageId":{"@path":"$.messageId"}}`},
		{Name: "Identify user", Action: "identify", Trigger: `type = "identify"`, Mapping: `{"anonymousId":{"@path":"$.anonymousId"},"userId":{"@path":"$.userId"},"context":{"@path":"$.context"},"traits":{"@path":"$.traits"},"timestamp":{"@path":"$.timestamp"},"messageId":{"@path":"$.messageId"}}`},
		{Name: "Page view", Action: "page", Trigger: `type = "page"`, Mapping: `{"anonymousId":{"@path":"$.anonymousId"},"userId":{"@path":"$.userId"},"context":{"@path":"$.context"},"properties":{"@path":"$.properties"},"name":{"@path":"$.properties.name"},"url":{"@if":{"exists":{"@path":"$.context.page.url"},"then":{"@path":"$.context.page.url"},"else":{"@path":"$.properties.url"}}},"path":{"@if":{"exists":{"@path":"$.context.page.path"},"then":{"@path":"$.context.page.path"},"else":{"@path":"$.properties.path"}}},"search":{"@if":{"exists":{"@path":"$.context.page.search"},"then":{"@path":"$.context.page.search"},"else":{"@path":"$.properties.search"}}},"referrer":{"@if":{"exists":{"@path":"$.context.page.referrer"},"then":{"@path":"$.context.page.referrer"},"else":{"@path":"$.properties.referrer"}}},"title":{"@if":{"exists":{"@path":"$.context.page.title"},"then":{"@path":"$.context.page.title"},"else":{"@path":"$.properties.title"}}},"timestamp":{"@path":"$.timestamp"},"messageId":{"@path":"$.messageId"}}`},
		{Name: "Track event", Action: "track", Trigger: `type = "track"`, Mapping: `{"anonymousId":{"@path":"$.anonymousId"},"userId":{"@path":"$.userId"},"event":{"@path":"$.event"},"context":{"@path":"$.context"},"properties":{"@path":"$.properties"},"timestamp":{"@path":"$.timestamp"},"messageId":{"@path":"$.messageId"}}`},
	},
}

// now stamps calls that carry no timestamp; tests replace it.
var now = time.Now

// call builds the request for one call type; body writes the members.
func call(in *destkit.Input, kind string, body func(w *destkit.JSONWriter)) ([]destkit.Request, error) {
	base := in.Settings.Str("endpoint")
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, destkit.ValidationErrorf("endpoint", "The setting \"endpoint\" must be an http(s) URL.")
	}
	w := destkit.NewJSONWriter(make([]byte, 0, 1024))
	w.ObjectStart()
	body(w)
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest("POST", strings.TrimSuffix(base, "/")+"/"+kind, w.Bytes())}, nil
}

// writeTimestamp writes the call's timestamp, or the current time.
func writeTimestamp(w *destkit.JSONWriter, p *fastjson.Value) {
	w.Key("timestamp")
	if v := p.Get("timestamp"); v != nil && v.Type() != fastjson.TypeNull {
		w.Value(v)
		return
	}
	w.String(destkit.JSISOString(now()))
}

func require(p *fastjson.Value, key string) error {
	if len(p.GetStringBytes(key)) == 0 {
		return destkit.ValidationErrorf(key, "The root value is missing the required field '%s'.", key)
	}
	return nil
}
