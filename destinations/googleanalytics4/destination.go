// Package googleanalytics4 sends events to Google Analytics 4 through the
// Measurement Protocol, for web (measurement ID) and app (Firebase) streams.
package googleanalytics4

import (
	"net/url"

	"github.com/actuate/actuate/destinations/destkit"
)

// Definition is the Google Analytics 4 Cloud destination.
var Definition = &destkit.Definition{
	Slug:        "google-analytics-4",
	SegmentSlug: "actions-google-analytics-4",
	Name:        "Google Analytics 4 Cloud",
	Description: "Send recommended and custom events to Google Analytics 4 with the Measurement Protocol.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "measurementId", Label: "Measurement ID", Type: destkit.String,
			Description: "Measurement ID (G-...) of the web data stream; needed for web events."},
		{Key: "firebaseAppId", Label: "Firebase App ID", Type: destkit.String,
			Description: "Firebase app ID of the app data stream; needed for app events."},
		{Key: "apiSecret", Label: "API Secret", Type: destkit.Password, Required: true, Secret: true,
			Description: "Measurement Protocol API secret of the data stream."},
	},
	// The Measurement Protocol authenticates by query parameters, which the
	// actions add while choosing the stream; there is no header to set.
	Actions: []*destkit.Action{
		Purchase, AddToCart, PageView, CustomEvent, SelectItem, BeginCheckout, SelectPromotion, ViewItem,
		RemoveFromCart, ViewCart, Search, ViewItemList, SignUp, ViewPromotion, AddPaymentInfo, Refund, Login,
		GenerateLead, AddToWishlist,
	},
}

// collectURL picks the stream from the payload's data_stream_type.
func collectURL(s *destkit.Settings, app bool) (string, error) {
	q := url.Values{}
	if app {
		if s.Str("firebaseAppId") == "" {
			return "", destkit.ValidationErrorf("data_stream_type", "Firebase App ID is required for mobile app streams.")
		}
		q.Set("firebase_app_id", s.Str("firebaseAppId"))
	} else {
		if s.Str("measurementId") == "" {
			return "", destkit.ValidationErrorf("data_stream_type", "Measurement ID is required for web streams.")
		}
		q.Set("measurement_id", s.Str("measurementId"))
	}
	q.Set("api_secret", s.Str("apiSecret"))
	return "https://www.google-analytics.com/mp/collect?" + q.Encode(), nil
}
