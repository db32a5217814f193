// Package moengage sends events and user updates to MoEngage.
//
// Both actions post to MoEngage's Segment integration endpoint,
// {data center}/v1/integrations/segment?appId={api id}, with HTTP basic
// credentials (API id and API key). The endpoint is MoEngage's private
// intake for Segment-shaped calls and has no public reference, so
// Segment's implementation is the source followed: the body is the call's
// type, ids, a context of app version, OS name and library version,
// properties or traits, the timestamp as given, and update_existing_only.
package moengage

import (
	"net/url"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

var endpoints = map[string]string{
	"DC_01": "https://api-01.moengage.com",
	"DC_02": "https://api-02.moengage.com",
	"DC_03": "https://api-03.moengage.com",
	"DC_04": "https://api-04.moengage.com",
	"DC_05": "https://api-05.moengage.com",
}

// Definition is the MoEngage destination.
var Definition = &destkit.Definition{
	Slug:        "moengage",
	SegmentSlug: "actions-moengage",
	Name:        "Moengage (Actions)",
	Description: "Send events and user properties to MoEngage for engagement campaigns.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "api_id", Label: "Api Id", Type: destkit.String, Required: true,
			Description: "MoEngage workspace (app) id, from Settings, APIs."},
		{Key: "api_key", Label: "Api Key", Type: destkit.Password, Required: true, Secret: true,
			Description: "MoEngage data API key."},
		{Key: "region", Label: "Endpoint Region", Type: destkit.String, Required: true,
			Default:     `"DC_01"`,
			Choices:     []destkit.Choice{{Value: "DC_01", Label: "DataCenter-01"}, {Value: "DC_02", Label: "DataCenter-02"}, {Value: "DC_03", Label: "DataCenter-03"}, {Value: "DC_04", Label: "DataCenter-04"}, {Value: "DC_05", Label: "DataCenter-05"}},
			Description: "Data center that hosts the workspace."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		if s.Str("api_id") == "" || s.Str("api_key") == "" {
			return &destkit.IntegrationError{Code: "INVALID_SETTINGS", Message: "Missing API ID or API KEY"}
		}
		r.SetBasicAuth(s.Str("api_id"), s.Str("api_key"))
		return nil
	},
	Actions: []*destkit.Action{TrackEvent, IdentifyUser},
}

func intakeURL(s *destkit.Settings) string {
	base, ok := endpoints[s.Str("region")]
	if !ok {
		base = endpoints["DC_01"]
	}
	return base + "/v1/integrations/segment?appId=" + url.QueryEscape(s.Str("api_id"))
}

// writeContext writes the small context MoEngage reads; absent values
// leave their objects empty.
func writeContext(w *destkit.JSONWriter, p *fastjson.Value) {
	w.Key("context")
	w.ObjectStart()
	for _, part := range [...]struct{ obj, key, field string }{
		{"app", "version", "app_version"}, {"os", "name", "os_name"}, {"library", "version", "library_version"},
	} {
		w.Key(part.obj)
		w.ObjectStart()
		w.Field(part.key, p.Get(part.field))
		w.ObjectEnd()
	}
	w.ObjectEnd()
}

// writeUpdateExistingOnly writes the flag, false unless set to true.
func writeUpdateExistingOnly(w *destkit.JSONWriter, p *fastjson.Value) {
	w.Key("update_existing_only")
	w.Bool(p.GetBool("update_existing_only"))
}

func requireString(p *fastjson.Value, keys ...string) error {
	for _, k := range keys {
		if len(p.GetStringBytes(k)) == 0 {
			return destkit.ValidationErrorf(k, "The field %s is required.", k)
		}
	}
	return nil
}
