// Package movableink forwards whole Segment events to a Movable Ink
// behavioural-data endpoint.
//
// The endpoint is the "Movable Ink URL" setting, issued per customer by
// Movable Ink; every request carries HTTP basic credentials (user name and
// access secret). The body is the mapped data, by default the whole event,
// as Segment's implementation sends it. Movable Ink documents no public
// schema for this endpoint, so Segment's implementation is the only source
// followed here.
package movableink

import "github.com/actuate/actuate/destinations/destkit"

// Definition is the Movable Ink destination.
var Definition = &destkit.Definition{
	Slug:        "movable-ink",
	SegmentSlug: "actions-movable-ink",
	Name:        "Movable Ink",
	Description: "Send Segment events to Movable Ink to drive personalised email and web content.",
	Auth:        destkit.AuthBasic,
	Settings: []destkit.Field{
		{Key: "username", Label: "Username", Type: destkit.String, Required: true,
			Description: "Movable Ink user name, sent as the basic-auth user."},
		{Key: "password", Label: "Access Secret", Type: destkit.Password, Required: true, Secret: true,
			Description: "Movable Ink access secret, sent as the basic-auth password."},
		{Key: "movable_ink_url", Label: "Movable Ink URL", Type: destkit.String, Required: true,
			Description: "The endpoint Movable Ink gave you for receiving events."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		r.SetBasicAuth(s.Str("username"), s.Str("password"))
		return nil
	},
	Actions: []*destkit.Action{SendEntireEvent},
	Presets: []destkit.Preset{
		{Name: "Send Entire Event", Action: "sendEntireEvent",
			Trigger: `type = "identify" or type = "track" or type = "page" or type = "screen" or type = "group"`,
			Mapping: `{"data":{"@path":"$."}}`},
	},
}
