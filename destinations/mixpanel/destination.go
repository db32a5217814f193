// Package mixpanel sends events through Mixpanel's Import API (batched,
// with per-event errors) and profiles, groups and aliases through its
// ingestion APIs.
package mixpanel

import (
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
)

// Definition is the Mixpanel (Actions) destination.
var Definition = &destkit.Definition{
	Slug:        "mixpanel",
	SegmentSlug: "actions-mixpanel",
	Name:        "Mixpanel (Actions)",
	Description: "Send events, user profiles and group profiles to Mixpanel.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "projectToken", Label: "Project Token", Type: destkit.String, Required: true, Secret: true,
			Description: "Token of the Mixpanel project; identifies it in profile and group updates."},
		{Key: "apiSecret", Label: "Secret Key", Type: destkit.Password, Secret: true,
			Description: "Project API secret, used to authenticate imports."},
		{Key: "apiRegion", Label: "Data Residency", Type: destkit.String,
			Choices:     destkit.ChoiceValues(regionUS, regionEU, regionIN),
			Default:     `"US 🇺🇸"`,
			Description: "Where the project's data is stored."},
		{Key: "sourceName", Label: "Source Name", Type: destkit.String,
			Description: "Recorded on every event as segment_source_name."},
		{Key: "strictMode", Label: "Strict Mode", Type: destkit.String,
			Choices:     destkit.ChoiceValues("1", "0"),
			Default:     `"1"`,
			Description: "With 1, Mixpanel validates each event and reports the ones it rejected."},
	},
	Authorize: authorize,
	Actions:   []*destkit.Action{TrackEvent, IdentifyUser, GroupIdentifyUser, Alias, TrackPurchase, IncrementProperties},
	Presets: []destkit.Preset{
		{Name: "Track Calls", Action: "trackEvent", Trigger: `type = "track" and event != "Order Completed"`, Mapping: trackPresetMapping},
		{Name: "Order Completed Calls", Action: "trackPurchase", Trigger: `type = "track" and event = "Order Completed"`, Mapping: purchasePresetMapping},
		{Name: "Page Calls", Action: "trackEvent", Trigger: `type = "page"`, Mapping: pagePresetMapping},
		{Name: "Screen Calls", Action: "trackEvent", Trigger: `type = "screen"`, Mapping: screenPresetMapping},
		{Name: "Identify Calls", Action: "identifyUser", Trigger: `type = "identify"`, Mapping: identifyPresetMapping},
		{Name: "Group Calls", Action: "groupIdentifyUser", Trigger: `type = "group"`, Mapping: groupPresetMapping},
	},
}

// Region choices carry flags in their values, as in Segment's definition.
const (
	regionUS = "US 🇺🇸"
	regionEU = "EU 🇪🇺"
	regionIN = "IN 🇮🇳"
)

func apiHost(s *destkit.Settings) string {
	switch s.Str("apiRegion") {
	case regionEU:
		return "https://api-eu.mixpanel.com"
	case regionIN:
		return "https://api-in.mixpanel.com"
	}
	return "https://api.mixpanel.com"
}

// authorize adds basic credentials to Import API calls only; the ingestion
// endpoints authenticate by the project token in the body.
func authorize(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
	if !strings.Contains(r.URL, "/import?") {
		return nil
	}
	user := s.Str("apiSecret")
	if user == "" {
		user = s.Str("projectToken")
	}
	r.SetBasicAuth(user, "")
	return nil
}
