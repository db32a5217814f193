// Package optimizelyadvancedaudiencetargeting syncs Engage audiences to
// Optimizely's Advanced Audience Targeting through Optimizely Connect
// Platform's Segment function.
//
// A batch is one POST of a JSON array to <region host>/batch_sync_audience,
// one item per user change: the audience's id and key, the time, the
// membership flag as the event carries it (subscription) and the user id.
// The API key goes as a bearer token.
package optimizelyadvancedaudiencetargeting

import "github.com/actuate/actuate/destinations/destkit"

// Definition is the Optimizely Advanced Audience Targeting destination.
var Definition = &destkit.Definition{
	Slug:        "optimizely-advanced-audience-targeting",
	SegmentSlug: "actions-optimizely-advanced-audience-targeting",
	Name:        "Optimizely Advanced Audience Targeting",
	Description: "Sync Engage audiences to Optimizely for audience targeting.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "apiKey", Label: "Api Key", Type: destkit.Password, Required: true, Secret: true,
			Description: "The Optimizely Connect Platform API key."},
		{Key: "region", Label: "Region", Type: destkit.String, Required: true,
			Choices:     []destkit.Choice{{Value: "US", Label: "US"}, {Value: "EU", Label: "Europe"}, {Value: "AU", Label: "Australia"}},
			Description: "The region of your Optimizely account."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		r.SetHeader("Authorization", "Bearer "+s.Str("apiKey"))
		return nil
	},
	Actions: []*destkit.Action{SyncAudience},
}

// host is the region's function host; US is the default.
func host(s *destkit.Settings) string {
	switch s.Str("region") {
	case "EU":
		return "https://function.eu1.ocp.optimizely.com/twilio_segment"
	case "AU":
		return "https://function.au1.ocp.optimizely.com/twilio_segment"
	}
	return "https://function.zaius.app/twilio_segment"
}
