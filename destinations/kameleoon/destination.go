// Package kameleoon sends tracks, identifies, groups and pages to
// Kameleoon's Segment intake, which ties them to Kameleoon visitors for
// experiment targeting and analysis.
//
// Every action posts the mapped payload to
// https://integrations.kameleoon.com/segmentio, with the API key (which
// Kameleoon issues already base64-encoded) as the Basic credential and the
// project's sitecode in x-segment-settings. The Kameleoon visitor code is
// moved from the top level into properties (properties.kameleoonVisitorCode),
// where Kameleoon reads it.
package kameleoon

import (
	"github.com/actuate/actuate/destinations/destkit"
)

// Definition is the Kameleoon (Actions) destination.
var Definition = &destkit.Definition{
	Slug:        "kameleoon",
	SegmentSlug: "actions-kameleoon",
	Name:        "Kameleoon (Actions)",
	Description: "Send events, traits, groups and page views to Kameleoon for experiment targeting and analysis.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "apiKey", Label: "API Key", Type: destkit.Password, Required: true, Secret: true,
			Description: "The Segment integration key from Kameleoon's project settings (base64, as Kameleoon shows it)."},
		{Key: "sitecode", Label: "Sitecode", Type: destkit.String, Required: true,
			Description: "The project's ten-character sitecode."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		r.SetHeader("Authorization", "Basic "+s.Str("apiKey"))
		r.SetHeader("x-segment-settings", s.Str("sitecode"))
		return nil
	},
	Actions: []*destkit.Action{LogEvent, Identify, Group, Page},
	Presets: []destkit.Preset{
		preset("Track Calls", LogEvent), preset("Page Calls", Page), preset("Group Calls", Group), preset("Identify Calls", Identify),
	},
}

func preset(name string, a *destkit.Action) destkit.Preset {
	return destkit.Preset{Name: name, Action: a.Key, Trigger: a.DefaultSubscription, Mapping: destkit.JSON(a.DefaultMapping())}
}

const endpoint = "https://integrations.kameleoon.com/segmentio"

// The fields the actions share.
var (
	anonymousIDField = destkit.Field{Key: "anonymousId", Label: "Anonymous ID", Type: destkit.String, Default: `{"@path":"$.anonymousId"}`,
		Description: "The visitor's anonymous id."}
	userIDField = destkit.Field{Key: "userId", Label: "User ID", Type: destkit.String, Default: `{"@path":"$.userId"}`,
		Description: "The user's id."}
	typeField = destkit.Field{Key: "type", Label: "Type", Type: destkit.String, Required: true, Default: `{"@path":"$.type"}`,
		Description: "The call's type (track, identify, group or page)."}
	timestampField = destkit.Field{Key: "timestamp", Label: "Timestamp", Type: destkit.String, Required: true, Format: "date-time", Default: `{"@path":"$.timestamp"}`,
		Description: "When the call happened, as an ISO 8601 date-time."}
	messageIDField = destkit.Field{Key: "messageId", Label: "MessageId", Type: destkit.String, Required: true, Default: `{"@path":"$.messageId"}`,
		Description: "The call's message id."}
	contextField = destkit.Field{Key: "context", Label: "Context properties", Type: destkit.Object, Default: `{"@path":"$.context"}`,
		Description: "The call's context (page, user agent, device, …)."}
)

// visitorCodeField is the visitor code field with its default mapping def.
func visitorCodeField(def destkit.JSON) destkit.Field {
	return destkit.Field{Key: "kameleoonVisitorCode", Label: "Kameleoon Visitor Code", Type: destkit.String, Default: def,
		Description: "The Kameleoon visitor code, which links the call to the visitor Kameleoon knows."}
}

// send posts {...payload without kameleoonVisitorCode, properties:
// {...properties, kameleoonVisitorCode}}.
func send(in *destkit.Input) ([]destkit.Request, error) {
	p := in.Payload
	for _, k := range []string{"type", "timestamp"} {
		if len(p.GetStringBytes(k)) == 0 {
			return nil, destkit.ValidationErrorf(k, "The field %s is required.", k)
		}
	}
	var props destkit.JSObject
	props.Assign(p.Get("properties"), nil)
	props.SetValue("kameleoonVisitorCode", p.Get("kameleoonVisitorCode"))
	var body destkit.JSObject
	body.Assign(p, func(k string) bool { return k == "kameleoonVisitorCode" })
	body.Set("properties", props.AppendJSON(nil))
	return []destkit.Request{destkit.NewJSONRequest("POST", endpoint, body.AppendJSON(nil))}, nil
}
