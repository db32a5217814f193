// Package gainsightpxcloudaction forwards Segment events, unchanged, to
// Gainsight PX's Segment endpoint in the account's data center.
//
// Sources: Segment's open-source Gainsight PX Cloud destination and
// Gainsight's description of its Segment integration, which agree. Each
// event is one POST to https://segment-esp{,-eu,-us2}.aptrinsic.com/rte/
// segmentio/v1/push with HTTP basic credentials (the API key as user name,
// an empty password). An unknown data center falls back to North America,
// as in Segment. Where Segment posts an empty body when the Segment Event
// field maps to nothing, this package rejects the event naming the field.
package gainsightpxcloudaction

import "github.com/actuate/actuate/destinations/destkit"

// Definition is the Gainsight PX Cloud destination.
var Definition = &destkit.Definition{
	Slug:        "gainsight-px-cloud-action",
	SegmentSlug: "actions-gainsight-px-cloud",
	Name:        "Gainsight Px Cloud (Actions)",
	Description: "Send identify, group, track and page events to Gainsight PX for product analytics and in-app engagement.",
	Auth:        destkit.AuthBasic,
	Settings: []destkit.Field{
		{Key: "apiKey", Label: "API Key", Type: destkit.Password, Required: true, Secret: true,
			Description: "The Gainsight PX API key for the Segment integration."},
		{Key: "dataCenter", Label: "Data center", Type: destkit.String, Required: true,
			Choices:     []destkit.Choice{{Value: "north_america", Label: "North America"}, {Value: "europe", Label: "Europe"}, {Value: "us2", Label: "US2"}},
			Description: "The data center that hosts your Gainsight PX account."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		r.SetBasicAuth(s.Str("apiKey"), "")
		return nil
	},
	Actions: []*destkit.Action{SendEvent},
	Presets: []destkit.Preset{
		{Name: "Identify User", Action: "sendEvent", Trigger: `type = "identify"`, Mapping: destkit.JSON(SendEvent.DefaultMapping())},
		{Name: "Group User", Action: "sendEvent", Trigger: `type = "group"`, Mapping: destkit.JSON(SendEvent.DefaultMapping())},
		{Name: "Track Event", Action: "sendEvent", Trigger: `type = "track"`, Mapping: destkit.JSON(SendEvent.DefaultMapping())},
		{Name: "Track Page View", Action: "sendEvent", Trigger: `type = "page"`, Mapping: destkit.JSON(SendEvent.DefaultMapping())},
	},
}

// pushURLs are the event endpoints per data center.
var pushURLs = map[string]string{
	"north_america": "https://segment-esp.aptrinsic.com/rte/segmentio/v1/push",
	"europe":        "https://segment-esp-eu.aptrinsic.com/rte/segmentio/v1/push",
	"us2":           "https://segment-esp-us2.aptrinsic.com/rte/segmentio/v1/push",
}

func pushURL(s *destkit.Settings) string {
	if u, ok := pushURLs[s.Str("dataCenter")]; ok {
		return u
	}
	return pushURLs["north_america"]
}
