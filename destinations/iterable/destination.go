// Package iterable sends users, events, carts and purchases to Iterable.
//
// Every request carries the server-side API key in the Api-Key header and
// goes to api.iterable.com, or api.eu.iterable.com for EU projects. The
// endpoints are Iterable's documented ones: users/update (and
// users/updateEmail when a new email is mapped), users/bulkUpdate,
// events/track, events/trackBulk, commerce/updateCart and
// commerce/trackPurchase.
//
// Bodies follow Segment's implementation, which spreads the payload:
//   - Dates inside dataFields (user, event and item data), at any depth,
//     are rewritten in Iterable's "YYYY-MM-DD HH:MM:SS +00:00" form; a
//     date-only string stays as it is, and a string that looks like a date
//     but is not one becomes null.
//   - The user's phone number goes into dataFields.phoneNumber.
//   - createdAt is Unix seconds; without a timestamp it is the time of
//     sending.
//   - Cart and purchase items keep their mapped members, and their
//     non-standard members are also copied into the item's dataFields; a
//     category becomes a one-element categories list.
//   - Custom events keep Segment's enable_batching and batch_size members,
//     which Iterable ignores.
//
// Batches of Upsert User share one updateOnly value (Segment takes the
// first event's; here it is a batch key, so events with different values
// never share a batch).
//
// Segment's default subscriptions of Cart Updates and Track Purchase read
// `event == "…"`; its parser takes that as "the event is named =", so they
// never match, and Actuate's filter language rejects "==". They are
// written with "=" here, which is what they mean. That differs from the
// reference text, so the destination is not registered until the
// reference check allows the correction.
//
// Segment also defines presets for Engage and Journeys events chosen by
// event slug rather than by trigger; Actuate has no such events, so only
// the four trigger presets are kept.
package iterable

import (
	"time"

	"github.com/actuate/actuate/destinations/destkit"
)

var regions = map[string]string{
	"united_states": "https://api.iterable.com",
	"europe":        "https://api.eu.iterable.com",
}

func endpoint(s *destkit.Settings, path string) string {
	base, ok := regions[s.Str("dataCenterLocation")]
	if !ok {
		base = regions["united_states"]
	}
	return base + path
}

// now is replaced in tests.
var now = time.Now

// Definition is the Iterable destination.
var Definition = &destkit.Definition{
	Slug:        "iterable",
	SegmentSlug: "actions-iterable",
	Name:        "Iterable (Actions)",
	Description: "Send user profiles, custom events, carts and purchases to Iterable.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "apiKey", Label: "API Key", Type: destkit.Password, Required: true, Secret: true,
			Description: "A server-side API key (Iterable: Integrations, API Keys)."},
		{Key: "dataCenterLocation", Label: "Data Center Location", Type: destkit.String,
			Default:     `"united_states"`,
			Choices:     []destkit.Choice{{Value: "united_states", Label: "United States"}, {Value: "europe", Label: "Europe"}},
			Description: "Where the Iterable project is hosted."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		r.SetHeader("Api-Key", s.Str("apiKey"))
		return nil
	},
	Actions: []*destkit.Action{UpdateUser, TrackEvent, UpdateCart, TrackPurchase},
	Presets: []destkit.Preset{
		{Name: "Track Calls", Action: "trackEvent", Trigger: `type = "track" and event != "Order Completed" and event != "Cart Updated"`,
			Mapping: `{"email":{"@if":{"exists":{"@path":"$.properties.email"},"then":{"@path":"$.properties.email"},"else":{"@path":"$.context.traits.email"}}},"userId":{"@path":"$.userId"},"eventName":{"@path":"$.event"},"dataFields":{"@path":"$.properties"},"id":{"@path":"$.messageId"},"createdAt":{"@path":"$.timestamp"},"campaignId":{"@path":"$.properties.campaignId"},"templateId":{"@path":"$.properties.templateId"},"enable_batching":true,"batch_size":1001}`},
		{Name: "Identify Calls", Action: "updateUser", Trigger: `type = "identify"`,
			Mapping: `{"email":{"@path":"$.traits.email"},"userId":{"@path":"$.userId"},"dataFields":{"@path":"$.traits"},"phoneNumber":{"@path":"$.traits.phone"},"mergeNestedObjects":false,"enable_batching":true,"batch_size":1001}`},
		{Name: "Update Cart Calls", Action: "updateCart", Trigger: `type = "track" and event = "Cart Updated"`,
			Mapping: `{"user":{"email":{"@if":{"exists":{"@path":"$.properties.email"},"then":{"@path":"$.properties.email"},"else":{"@path":"$.context.traits.email"}}},"userId":{"@path":"$.userId"},"dataFields":{"@path":"$.context.traits"},"phoneNumber":{"@path":"$.context.traits.phone"},"mergeNestedObjects":false},"items":{"@arrayPath":["$.properties.products",{"id":{"@path":"product_id"},"sku":{"@path":"sku"},"categories":{"@path":"category"},"name":{"@path":"name"},"price":{"@path":"price"},"quantity":{"@path":"quantity"},"url":{"@path":"url"},"imageUrl":{"@path":"image_url"},"description":{"@path":"description"}}]}}`},
		{Name: "Order Completed Calls", Action: "trackPurchase", Trigger: `type = "track" and event = "Order Completed"`,
			Mapping: `{"id":{"@path":"$.properties.order_id"},"user":{"email":{"@if":{"exists":{"@path":"$.properties.email"},"then":{"@path":"$.properties.email"},"else":{"@path":"$.context.traits.email"}}},"userId":{"@path":"$.userId"},"dataFields":{"@path":"$.context.traits"},"phoneNumber":{"@path":"$.context.traits.phone"},"mergeNestedObjects":false},"dataFields":{"@path":"$.properties"},"items":{"@arrayPath":["$.properties.products",{"id":{"@path":"product_id"},"sku":{"@path":"sku"},"categories":{"@path":"category"},"name":{"@path":"name"},"price":{"@path":"price"},"quantity":{"@path":"quantity"},"url":{"@path":"url"},"imageUrl":{"@path":"image_url"},"description":{"@path":"description"}}]},"total":{"@path":"$.properties.total"},"createdAt":{"@path":"$.timestamp"},"campaignId":{"@path":"$.properties.campaignId"},"templateId":{"@path":"$.properties.templateId"}}`},
	},
}
