// Package gameball sends players, events and orders to Gameball, a
// loyalty and referral platform, through its v3 integration API.
//
// Sources: Gameball's API reference (api.gameball.co/api/v3.0/integrations
// /player, /event, /order) and Segment's open-source Gameball destination;
// the bodies follow Segment's code. Every request carries the API key in
// an "APIKey" header and "x-gb-agent: GB/Segment"; orders also carry the
// secret key ("SecretKey"), as Gameball requires for transactions.
//
// Segment sends these requests with HTTP errors switched off, so a
// rejected event counts as delivered there. Here responses are classified
// as for every destination: 4xx fails the event, 429 and 5xx retry it.
package gameball

import (
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
)

const apiBase = "https://api.gameball.co/api/v3.0/integrations/"

// Definition is the Gameball destination.
var Definition = &destkit.Definition{
	Slug:        "gameball",
	SegmentSlug: "actions-gameball",
	Name:        "Gameball (Actions)",
	Description: "Send players, events and orders to Gameball to reward and retain customers.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "apiKey", Label: "API Key", Type: destkit.Password, Required: true, Secret: true,
			Description: "The API key of your Gameball account (Admin settings > Account integration)."},
		{Key: "secretKey", Label: "Secret Key", Type: destkit.Password, Required: true, Secret: true,
			Description: "The secret (transaction) key of your Gameball account; orders are signed with it."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		r.SetHeader("APIKey", s.Str("apiKey"))
		r.SetHeader("x-gb-agent", "GB/Segment")
		return nil
	},
	Actions: []*destkit.Action{TrackEvent, IdentifyPlayer, TrackOrder},
	Presets: []destkit.Preset{
		{Name: "Track Events", Action: "trackEvent", Trigger: `type = "track" and event != "Order Completed"`,
			Mapping: destkit.JSON(TrackEvent.DefaultMapping())},
		{Name: "Track Orders", Action: "trackOrder", Trigger: `type = "track" and event = "Order Completed"`,
			Mapping: destkit.JSON(TrackOrder.DefaultMapping())},
		{Name: "Create Or Update Players", Action: "identifyPlayer", Trigger: `type = "identify"`,
			Mapping: destkit.JSON(IdentifyPlayer.DefaultMapping())},
	},
}

// Fields every action starts with.
var (
	playerUniqueID = destkit.Field{Key: "playerUniqueId", Label: "Player ID", Type: destkit.String, Required: true,
		Default:     `{"@if":{"exists":{"@path":"$.userId"},"then":{"@path":"$.userId"},"else":{"@path":"$.anonymousId"}}}`,
		Description: "Your unique identifier of the player."}
	mobile = destkit.Field{Key: "mobile", Label: "Mobile Number", Type: destkit.String,
		Default:     `{"@if":{"exists":{"@path":"$.properties.mobile"},"then":{"@path":"$.properties.mobile"},"else":{"@path":"$.traits.mobile"}}}`,
		Description: "The player's unique mobile number."}
	email = destkit.Field{Key: "email", Label: "Email", Type: destkit.String,
		Default:     `{"@if":{"exists":{"@path":"$.properties.email"},"then":{"@path":"$.properties.email"},"else":{"@path":"$.traits.email"}}}`,
		Description: "The player's unique email address."}
)

// notInternal skips the keys that carry subscription settings, not data.
func notInternal(k string) bool { return strings.HasPrefix(k, "__segment_internal") }

// jsLower lower-cases as toLowerCase does for the letters where Go's
// mapping differs (capital I with dot keeps its dot).
func jsLower(s string) string {
	return strings.ToLower(strings.ReplaceAll(s, "\u0130", "i\u0307"))
}
