// Package algoliainsights sends click, conversion and view events to
// Algolia's Insights API, which Algolia uses for search analytics,
// personalisation and A/B tests.
//
// Every action posts {"events":[event]} to https://insights.algolia.io/1/events
// with the application id and API key in X-Algolia-Application-Id and
// X-Algolia-API-Key. The event is the mapped extra properties with
// Algolia's fields set over them (a field left unmapped removes an extra
// property of the same name, as in Segment's integration); the timestamp
// is sent as epoch milliseconds (null when it is not a date).
//
// Segment's Algolia Plugin is a browser action that keeps the query id of
// a search results page; Actuate has no browser side, so the query id comes
// from the event (properties.query_id, or the integrations object's
// "Algolia Insights (Actions)".query_id).
package algoliainsights

import "github.com/actuate/actuate/destinations/destkit"

const eventsURL = "https://insights.algolia.io/1/events"

// agent names the integration to Algolia, as Segment's does.
const agent = "algolia-segment-action-destination: 0.1"

// Definition is the Algolia Insights (Actions) destination.
var Definition = &destkit.Definition{
	Slug:        "algolia-insights",
	SegmentSlug: "actions-algolia-insights",
	Name:        "Algolia Insights (Actions)",
	Description: "Send product clicks, views and conversions to Algolia Insights for search analytics and personalisation.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "appId", Label: "appId", Type: destkit.String, Required: true,
			Description: "Algolia application id, sent in the X-Algolia-Application-Id header."},
		{Key: "apiKey", Label: "apiKey", Type: destkit.Password, Required: true, Secret: true,
			Description: "Algolia API key allowed to write to the Insights API, sent in the X-Algolia-API-Key header."},
		{Key: "queryIdQueryStringName", Label: "QueryID QueryString Name", Type: destkit.String,
			Default:     `"queryID"`,
			Description: "Query-string parameter holding the Algolia query id on your pages; read by Segment's browser plugin only, which Actuate does not run."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		r.SetHeader("X-Algolia-Application-Id", s.Str("appId"))
		r.SetHeader("X-Algolia-API-Key", s.Str("apiKey"))
		r.SetHeader("X-Algolia-Agent", agent)
		return nil
	},
	Actions: []*destkit.Action{ProductClickedEvents, ConversionEvents, ProductViewedEvents, ProductAddedEvents,
		ProductListFilteredEvents, ProductListViewedEvents},
	Presets: []destkit.Preset{
		preset("Send product clicked events to Algolia", ProductClickedEvents),
		preset("Send purchase events to Algolia", ConversionEvents),
		preset("Send an add-to-cart event to Algolia", ProductAddedEvents),
		preset("Send product viewed events to Algolia", ProductViewedEvents),
		preset("Send product list filtered events to Algolia", ProductListFilteredEvents),
		preset("Send product list viewed events to Algolia", ProductListViewedEvents),
	},
}

// preset subscribes the action to its own trigger with its default mapping.
func preset(name string, a *destkit.Action) destkit.Preset {
	return destkit.Preset{Name: name, Action: a.Key, Trigger: a.DefaultSubscription, Mapping: destkit.JSON(a.DefaultMapping())}
}
