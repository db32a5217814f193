// Package revx sends app and web events to RevX, the mobile retargeting
// platform, as pings to https://segmentdata.atomex.net/data/1x1.gif.
//
// Each event is one POST of a JSON object: the destination's settings (the
// RevX client ID) followed by every mapped field under its own key, as in
// Segment's implementation.
package revx

import "github.com/actuate/actuate/destinations/destkit"

// pingURL is RevX's collection endpoint for Segment.
const pingURL = "https://segmentdata.atomex.net/data/1x1.gif"

// Definition is the RevX destination.
var Definition = &destkit.Definition{
	Slug:        "revx",
	SegmentSlug: "actions-revx",
	Name:        "RevX Cloud (Actions)",
	Description: "Send app and web events, with device, location and product details, to RevX.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "client_id", Label: "Revx Client ID", Type: destkit.String, Required: true,
			Description: "Your RevX client ID, from RevX support."},
	},
	Actions: []*destkit.Action{SendRevxPing},
	Presets: []destkit.Preset{
		{Name: "Send Revx Ping", Action: "sendRevxPing", Trigger: `type = "track" or type ="screen"`, Mapping: destkit.JSON(SendRevxPing.DefaultMapping())},
	},
}
