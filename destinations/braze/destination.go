// Package braze sends events, purchases, profile attributes and aliases to
// Braze's REST API, in batches where Braze accepts them, and reads Braze's
// per-item errors back onto the events of a batch.
package braze

import (
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
)

// Definition is the Braze Cloud Mode (Actions) destination.
var Definition = &destkit.Definition{
	Slug:        "braze",
	SegmentSlug: "actions-braze-cloud",
	Name:        "Braze Cloud Mode (Actions)",
	Description: "Send user attributes, custom events and purchases to Braze.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "api_key", Label: "API Key", Type: destkit.Password, Required: true, Secret: true,
			Description: "REST API key with users.track, users.alias.new and users.identify permissions."},
		{Key: "app_id", Label: "App ID", Type: destkit.String,
			Description: "App identifier sent with every record, so Braze attributes activity to that app."},
		{Key: "endpoint", Label: "REST Endpoint", Type: destkit.String, Required: true,
			Choices:     endpointChoices,
			Default:     `"https://rest.iad-01.braze.com"`,
			Description: "REST endpoint of your Braze instance."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		r.SetHeader("Authorization", "Bearer "+s.Str("api_key"))
		return nil
	},
	Actions: []*destkit.Action{TrackEvent, UpdateUserProfile, TrackPurchase, CreateAlias, IdentifyUser, IdentifyUser2,
		TrackEvent2, TrackPurchase2, UpdateUserProfile2, CreateAlias2, UpsertCatalogItem, TriggerCampaign, TriggerCanvas, Ecommerce, EcommerceSingleProduct},
	Presets: []destkit.Preset{
		{Name: "Track Calls", Action: "trackEvent", Trigger: `type = "track" and event != "Order Completed" and event != "Checkout Started" and event != "Order Refunded" and event != "Order Cancelled" and event != "Product Viewed" and event != "Product Added" and event != "Product Removed"`,
			Mapping: `{"external_id":{"@path":"$.userId"},"email":{"@if":{"exists":{"@path":"$.context.traits.email"},"then":{"@path":"$.context.traits.email"},"else":{"@path":"$.properties.email"}}},"braze_id":{"@path":"$.properties.braze_id"},"name":{"@path":"$.event"},"time":{"@path":"$.receivedAt"},"properties":{"@path":"$.properties"},"_update_existing_only":false,"enable_batching":true,"batch_size":75}`},
		{Name: "Identify Calls", Action: "updateUserProfile", Trigger: `type = "identify"`,
			Mapping: `{"external_id":{"@path":"$.userId"},"braze_id":{"@path":"$.properties.braze_id"},"country":{"@path":"$.context.location.country"},"current_location":{"latitude":{"@path":"$.context.location.latitude"},"longitude":{"@path":"$.context.location.longitude"}},"email":{"@path":"$.traits.email"},"first_name":{"@path":"$.traits.firstName"},"gender":{"@path":"$.traits.gender"},"home_city":{"@path":"$.traits.address.city"},"image_url":{"@path":"$.traits.avatar"},"last_name":{"@path":"$.traits.lastName"},"phone":{"@path":"$.traits.phone"},"custom_attributes":{"@path":"$.traits"},"_update_existing_only":false,"enable_batching":true,"batch_size":75}`},
	},
}

func endpoint(s *destkit.Settings, path string) string {
	return strings.TrimSuffix(s.Str("endpoint"), "/") + path
}
