// Package facebookconversionsapi sends web, app and offline conversions to
// Meta's Conversions API, hashing customer information the way Meta asks.
package facebookconversionsapi

import (
	"github.com/actuate/actuate/destinations/destkit"
)

// graphVersion pins the Graph API version; Meta retires versions on a
// schedule, so bumping it is a deliberate change with its own tests.
const graphVersion = "v24.0"

// Definition is the Facebook Conversions API (Actions) destination.
var Definition = &destkit.Definition{
	Slug:        "facebook-conversions-api",
	SegmentSlug: "actions-facebook-conversions-api",
	Name:        "Facebook Conversions API (Actions)",
	Description: "Send conversion events to a Meta pixel through the Conversions API.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "pixelId", Label: "Pixel ID", Type: destkit.String, Required: true,
			Description: "ID of the Meta pixel (dataset) that receives the events."},
		{Key: "testEventCode", Label: "Test Event Code", Type: destkit.String,
			Description: "Routes every event to Test Events in Events Manager; leave empty in production."},
		// Segment authenticates with a token of its own system user. A
		// self-hosted engine has none, so the instance brings its own.
		{Key: "accessToken", Label: "Access Token", Type: destkit.Password, Required: true, Secret: true,
			Description: "Conversions API access token generated for the pixel in Events Manager."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		r.SetHeader("Authorization", "Bearer "+s.Str("accessToken"))
		return nil
	},
	Actions: []*destkit.Action{
		Purchase, InitiateCheckout, AddToCart, ViewContent, Search, PageView, Custom,
		Search2, ViewContent2, InitiateCheckout2, AddToCart2, PageView2, Purchase2, Custom2,
	},
}

func eventsURL(s *destkit.Settings) string {
	return "https://graph.facebook.com/" + graphVersion + "/" + s.Str("pixelId") + "/events"
}
