// Package june sends Segment-spec track, identify, group and page calls to
// June's tracking API.
//
// Each action posts one call to https://api.june.so/api/{track, identify,
// group, page}; June authenticates with its write key after "Basic" (the
// key itself, not base64 user:password), as June documents and Segment's
// implementation sends it. Bodies carry the call's members in the order
// Segment writes them, absent ones left out.
//
// One departure from Segment: page calls also carry their messageId, which
// the action maps but Segment's implementation drops; June deduplicates
// calls on it like any Segment-spec intake.
package june

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

const apiBase = "https://api.june.so/api/"

// Definition is the June destination.
var Definition = &destkit.Definition{
	Slug:        "june",
	SegmentSlug: "june-actions",
	Name:        "June (Actions)",
	Description: "Send product usage to June for automatic product analytics reports.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "apiKey", Label: "API Key", Type: destkit.Password, Required: true, Secret: true,
			Description: "June write key, from the workspace's settings."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		r.SetHeader("Authorization", "Basic "+s.Str("apiKey"))
		return nil
	},
	Actions: []*destkit.Action{Track, Identify, Group, Page},
	Presets: []destkit.Preset{
		{Name: "Track Calls", Action: "track", Trigger: `type = "track"`,
			Mapping: `{"event":{"@path":"$.event"},"properties":{"@path":"$.properties"},"timestamp":{"@path":"$.timestamp"},"anonymousId":{"@path":"$.anonymousId"},"userId":{"@path":"$.userId"},"context":{"@path":"$.context"},"messageId":{"@path":"$.messageId"}}`},
		{Name: "Page Calls", Action: "page", Trigger: `type = "page"`,
			Mapping: `{"anonymousId":{"@path":"$.anonymousId"},"userId":{"@path":"$.userId"},"properties":{"@path":"$.properties"},"name":{"@path":"$.properties.name"},"context":{"@path":"$.context"},"timestamp":{"@path":"$.timestamp"},"messageId":{"@path":"$.messageId"}}`},
		{Name: "Identify Calls", Action: "identify", Trigger: `type = "identify"`,
			Mapping: `{"anonymousId":{"@path":"$.anonymousId"},"userId":{"@path":"$.userId"},"traits":{"@path":"$.traits"},"timestamp":{"@path":"$.timestamp"},"messageId":{"@path":"$.messageId"}}`},
		{Name: "Group Calls", Action: "group", Trigger: `type = "group"`,
			Mapping: `{"anonymousId":{"@path":"$.anonymousId"},"userId":{"@path":"$.userId"},"groupId":{"@path":"$.groupId"},"traits":{"@path":"$.traits"},"timestamp":{"@path":"$.timestamp"},"messageId":{"@path":"$.messageId"}}`},
	},
}

// call checks the required string fields and posts the listed payload
// members, in order, to one of June's endpoints.
func call(endpoint string, p *fastjson.Value, required []string, members ...string) ([]destkit.Request, error) {
	for _, k := range required {
		if len(p.GetStringBytes(k)) == 0 {
			return nil, destkit.ValidationErrorf(k, "The field %s is required.", k)
		}
	}
	w := destkit.NewJSONWriter(make([]byte, 0, 512))
	w.ObjectStart()
	for _, k := range members {
		w.Field(k, p.Get(k))
	}
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest("POST", apiBase+endpoint, w.Bytes())}, nil
}
