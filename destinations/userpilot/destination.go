// Package userpilot sends users, companies and events to Userpilot's
// server-side API, and erases users on request.
//
// Requests go to the environment's endpoint (setting "endpoint", default
// https://analytex.userpilot.io/) under v1/: identify, companies/identify,
// track, and DELETE users for erasure. Each carries "Authorization: Token
// <API key>" and "X-API-Version: 2020-09-22". The created-at date is sent
// as Userpilot's reserved created_at property, replacing a createdAt trait.
// Endpoint, bodies and headers follow Segment's open-source implementation
// and Userpilot's HTTP API documentation, which agree. One deliberate
// difference: Segment appends "v1/..." to the endpoint as typed, so an
// endpoint without a trailing slash yields a host such as
// "analytex.userpilot.iov1"; we add the slash.
package userpilot

import (
	"net/url"
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

const defaultEndpoint = "https://analytex.userpilot.io/"

// Definition is the Userpilot Cloud destination.
var Definition = &destkit.Definition{
	Slug:        "userpilot",
	SegmentSlug: "actions-userpilot-cloud",
	Name:        "Userpilot Cloud (Actions)",
	Description: "Send users, companies and events to Userpilot to drive in-app experiences and analytics.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "apiKey", Label: "API Key", Type: destkit.Password, Required: true, Secret: true,
			Description: "Userpilot API key, from the environment page of the Userpilot dashboard."},
		{Key: "endpoint", Label: "API Endpoint", Type: destkit.String, Required: true,
			Default:     `"https://analytex.userpilot.io/"`,
			Description: "Userpilot API endpoint of your environment (shown next to the API key); a value that is not a URL falls back to the default."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		r.SetHeader("Authorization", "Token "+s.Str("apiKey"))
		r.SetHeader("X-API-Version", "2020-09-22")
		return nil
	},
	Actions: []*destkit.Action{IdentifyUser, TrackEvent, IdentifyCompany},
	Presets: []destkit.Preset{
		{Name: "Identify User", Action: "identifyUser", Trigger: `type = "identify"`, Mapping: `{"userId":{"@if":{"exists":{"@path":"$.userId"},"then":{"@path":"$.userId"},"else":{"@path":"$.anonymousId"}}},"createdAt":{"@path":"$.traits.createdAt"},"traits":{"@path":"$.traits"}}`},
		{Name: "Identify Company", Action: "identifyCompany", Trigger: `type = "group"`, Mapping: `{"groupId":{"@path":"$.groupId"},"createdAt":{"@path":"$.traits.createdAt"},"traits":{"@path":"$.traits"}}`},
		{Name: "Track Event", Action: "trackEvent", Trigger: `type = "track"`, Mapping: `{"userId":{"@if":{"exists":{"@path":"$.userId"},"then":{"@path":"$.userId"},"else":{"@path":"$.anonymousId"}}},"name":{"@path":"$.event"},"properties":{"@path":"$.properties"}}`},
	},
	Delete: deleteUser,
}

// endpoint returns the API base URL, ending in a slash. Like Segment, a
// setting that is not an absolute URL falls back to the default endpoint.
func endpoint(s *destkit.Settings) string {
	e := s.Str("endpoint")
	u, err := url.Parse(e)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return defaultEndpoint
	}
	if !strings.HasSuffix(e, "/") {
		e += "/"
	}
	return e
}

func post(s *destkit.Settings, path string, body []byte) []destkit.Request {
	return []destkit.Request{destkit.NewJSONRequest("POST", endpoint(s)+path, body)}
}

// deleteUser erases one user (Segment's onDelete).
func deleteUser(in *destkit.DeleteInput) ([]destkit.Request, error) {
	if in.UserID == "" {
		return nil, destkit.ValidationErrorf("userId", "A user ID is required to delete a user from Userpilot.")
	}
	w := destkit.NewJSONWriter(nil)
	w.ObjectStart()
	w.Key("users")
	w.ArrayStart()
	w.String(in.UserID)
	w.ArrayEnd()
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest("DELETE", endpoint(in.Settings)+"v1/users", w.Bytes())}, nil
}

// writeMetadata writes the traits with createdAt moved to created_at, as
// Segment does: {...traits without a truthy createdAt, created_at:
// createdAt || traits.created_at}. A created_at trait keeps its place.
func writeMetadata(w *destkit.JSONWriter, p *fastjson.Value) {
	traits := p.Get("traits")
	var m destkit.JSObject
	m.Assign(traits, func(k string) bool { return k == "createdAt" && destkit.Truthy(traits.Get(k)) })
	created := p.Get("createdAt")
	if !destkit.Truthy(created) {
		created = traits.Get("created_at") // nil (undefined) without traits
	}
	m.SetValue("created_at", created)
	m.Write(w)
}

func missing(key string) error {
	return destkit.ValidationErrorf(key, "The root value is missing the required field '%s'.", key)
}
