// Package clevertap uploads and deletes user profiles in CleverTap through
// its REST API.
//
// Requests go to the account's regional endpoint (setting
// clevertapEndpoint) with the account ID and passcode in the
// X-CleverTap-Account-Id and X-CleverTap-Passcode headers. User Upload
// posts one profile record ({"type":"profile","source":"Segment",…}) in
// the "d" list of /1/upload; User Delete posts the identity to
// /1/delete/profiles.json. Endpoints and bodies follow CleverTap's API
// documentation and Segment's implementation, which agree.
package clevertap

import "github.com/actuate/actuate/destinations/destkit"

// Definition is the CleverTap destination.
var Definition = &destkit.Definition{
	Slug:        "clevertap",
	SegmentSlug: "actions-clevertap",
	Name:        "CleverTap (Actions)",
	Description: "Create, update and delete user profiles in CleverTap.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "clevertapAccountId", Label: "CleverTap Account ID", Type: destkit.String, Required: true,
			Description: "Account ID from the CleverTap dashboard (Settings, Project)."},
		{Key: "clevertapPasscode", Label: "CleverTap Account Passcode", Type: destkit.Password, Required: true, Secret: true,
			Description: "Account passcode from the CleverTap dashboard (Settings, Project)."},
		{Key: "clevertapEndpoint", Label: "REST Endpoint", Type: destkit.String, Required: true, Format: "uri",
			Choices: []destkit.Choice{{Value: "https://sk1.api.clevertap.com", Label: "SK"}, {Value: "https://eu1.api.clevertap.com", Label: "EU"},
				{Value: "https://us1.api.clevertap.com", Label: "US"}, {Value: "https://sg1.api.clevertap.com", Label: "SG"},
				{Value: "https://in1.api.clevertap.com", Label: "IN"}},
			Default:     `"https://sk1.api.clevertap.com"`,
			Description: "The REST endpoint of the account's region."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		r.SetHeader("X-CleverTap-Account-Id", s.Str("clevertapAccountId"))
		r.SetHeader("X-CleverTap-Passcode", s.Str("clevertapPasscode"))
		return nil
	},
	Actions: []*destkit.Action{UserUpload, UserDelete},
	Presets: []destkit.Preset{
		{Name: "Event Name is Delete User", Action: "userDelete", Trigger: `event = "Delete User"`,
			Mapping: `{"identity":{"@path":"$.userId"}}`},
		{Name: "Event Type is Identify", Action: "userUpload", Trigger: `type = "identify"`,
			Mapping: `{"ts":{"@path":"$.timestamp"},"profileData":{"@path":"$.properties"},"identity":{"@path":"$.userId"}}`},
	},
}

// identityField names the CleverTap profile an action is about.
func identityField(description string) destkit.Field {
	return destkit.Field{Key: "identity", Label: "Identity", Type: destkit.String, Required: true,
		Default: `{"@path":"$.userId"}`, Description: description}
}
