// Package launchdarklyaudiences syncs Engage audiences to LaunchDarkly Big
// Segments through LaunchDarkly's segment-audiences endpoint.
//
// Each request carries one audience (by computation id) of one
// environment (the client-side id) with its users, each included (entered)
// or excluded (left); a batch of several audiences makes one request per
// audience, in the order the audiences first appear. The segment's name
// at LaunchDarkly is the audience key in sentence case.
package launchdarklyaudiences

import "github.com/actuate/actuate/destinations/destkit"

// apiBase is LaunchDarkly's REST API, version 2.
const apiBase = "https://app.launchdarkly.com/api/v2"

// Definition is the LaunchDarkly Audiences destination.
var Definition = &destkit.Definition{
	Slug:        "launchdarkly-audiences",
	SegmentSlug: "actions-launchdarkly-audiences",
	Name:        "LaunchDarkly Audiences",
	Description: "Sync Engage audiences to LaunchDarkly Big Segments.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "apiKey", Label: "LaunchDarkly Service Token", Type: destkit.Password, Required: true, Secret: true,
			Description: "A service token allowed the createSegment and updateIncluded role actions."},
		{Key: "clientId", Label: "LaunchDarkly client-side ID", Type: destkit.String, Required: true,
			Description: "Client-side id of the environment whose segments are synced."},
	},
	// The token goes as is (no scheme), with the API version the request
	// shapes are written for.
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		r.SetHeader("Authorization", s.Str("apiKey"))
		r.SetHeader("User-Agent", "SegmentSyncAudiences/1.1.0")
		r.SetHeader("LD-API-Version", "20240415")
		return nil
	},
	Actions: []*destkit.Action{SyncAudience},
	Presets: []destkit.Preset{
		{Name: "Sync Engage Audience to LaunchDarkly", Action: "syncAudience", Trigger: `type = "identify" or type = "track"`,
			Mapping: destkit.JSON(SyncAudience.DefaultMapping())},
	},
}
