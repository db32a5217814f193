// Package amplitude sends events, identities, groups and user mappings to
// Amplitude's HTTP APIs, in the North America or Europe region.
package amplitude

import (
	"github.com/actuate/actuate/destinations/destkit"
)

// Definition is the Amplitude (Actions) destination.
var Definition = &destkit.Definition{
	Slug:        "amplitude",
	SegmentSlug: "actions-amplitude",
	Name:        "Actions Amplitude",
	Description: "Send events and user properties to Amplitude product analytics.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "apiKey", Label: "API Key", Type: destkit.Password, Required: true, Secret: true,
			Description: "Project API key; sent in request bodies."},
		{Key: "secretKey", Label: "Secret Key", Type: destkit.Password, Required: true, Secret: true,
			Description: "Project secret key; used with the API key for user deletion."},
		{Key: "endpoint", Label: "Endpoint Region", Type: destkit.String,
			Choices:     []destkit.Choice{{Value: "north_america", Label: "North America"}, {Value: "europe", Label: "Europe"}},
			Default:     `"north_america"`,
			Description: "Data residency region of the Amplitude project."},
	},
	// Credentials travel in the body (api_key), and only deletion uses the
	// secret key, so there is no destination-wide Authorize hook.
	Actions: []*destkit.Action{LogEvent, IdentifyUser, MapUser, GroupIdentifyUser, LogPurchase, LogEventV2},
	Presets: []destkit.Preset{
		{Name: "Track Calls", Action: "logEventV2", Trigger: `type = "track" and event != "Order Completed"`, Mapping: trackPresetMapping},
		{Name: "Order Completed Calls", Action: "logPurchase", Trigger: `type = "track" and event = "Order Completed"`, Mapping: purchasePresetMapping},
		{Name: "Page Calls", Action: "logEventV2", Trigger: `type = "page"`, Mapping: pagePresetMapping},
		{Name: "Screen Calls", Action: "logEventV2", Trigger: `type = "screen"`, Mapping: screenPresetMapping},
		{Name: "Identify Calls", Action: "identifyUser", Trigger: `type = "identify"`, Mapping: identifyPresetMapping},
	},
	Delete: deleteUser,
}

// endpoints holds the regional base URLs by API.
var endpoints = map[string][2]string{ // [north_america, europe]
	"httpapi":       {"https://api2.amplitude.com/2/httpapi", "https://api.eu.amplitude.com/2/httpapi"},
	"batch":         {"https://api2.amplitude.com/batch", "https://api.eu.amplitude.com/batch"},
	"identify":      {"https://api2.amplitude.com/identify", "https://api.eu.amplitude.com/identify"},
	"groupidentify": {"https://api2.amplitude.com/groupidentify", "https://api.eu.amplitude.com/groupidentify"},
	"usermap":       {"https://api.amplitude.com/usermap", "https://api.eu.amplitude.com/usermap"},
	"deletions":     {"https://amplitude.com/api/2/deletions/users", "https://analytics.eu.amplitude.com/api/2/deletions/users"},
}

// endpoint returns the URL of api in the instance's region; anything but
// "europe" means North America, as in Segment.
func endpoint(api string, s *destkit.Settings) string {
	if s.Str("endpoint") == "europe" {
		return endpoints[api][1]
	}
	return endpoints[api][0]
}

func deleteUser(in *destkit.DeleteInput) ([]destkit.Request, error) {
	if in.UserID == "" {
		return nil, destkit.ValidationErrorf("userId", "Amplitude deletes users by user ID; none given.")
	}
	w := destkit.NewJSONWriter(nil)
	w.ObjectStart()
	w.Key("user_ids")
	w.ArrayStart()
	w.String(in.UserID)
	w.ArrayEnd()
	w.Key("requester")
	w.String("actuate")
	w.ObjectEnd()
	r := destkit.NewJSONRequest("POST", endpoint("deletions", in.Settings), w.Bytes())
	r.SetBasicAuth(in.Settings.Str("apiKey"), in.Settings.Str("secretKey"))
	return []destkit.Request{r}, nil
}
