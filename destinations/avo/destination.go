// Package avo sends the schema of track events — property names and types,
// never their values — to Avo Inspector, which compares them with the
// tracking plan.
//
// Sources: Avo's Inspector API documentation and Segment's open-source Avo
// destination, which agree. Events go to
// POST https://api.avo.app/inspector/segment/v1/track as a JSON array (one
// element per event, so a batch is one request) with the API key in an
// "api-key" header and the environment in an "env" header.
//
// Schema extraction follows Segment's code, quirks included, so Inspector
// sees the same types as from Segment: numbers are "float" when their
// JavaScript text has a decimal point and "int" otherwise (1e21 is "int");
// a list's type is "list(<type of its first element>)" or "list" when the
// first element is null or the list is empty; an array's children are the
// schema of its first element only, wrapped in a list.
package avo

import "github.com/actuate/actuate/destinations/destkit"

// Definition is the Avo destination.
var Definition = &destkit.Definition{
	Slug:        "avo",
	SegmentSlug: "actions-avo",
	Name:        "Avo",
	Description: "Send the schema of your events to Avo Inspector to find tracking-plan violations.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "apiKey", Label: "Avo Inspector API Key", Type: destkit.Password, Required: true, Secret: true,
			Description: "The Inspector API key, from the Inspector setup page of the source in Avo."},
		{Key: "env", Label: "Environment", Type: destkit.String, Required: true,
			Choices:     destkit.ChoiceValues("dev", "staging", "prod"),
			Default:     `"prod"`,
			Description: "The Avo environment the events belong to."},
		{Key: "appVersionPropertyName", Label: "App Version Property", Type: destkit.String,
			Description: "Name of an event property holding the app version (e.g. app_version), when your events carry one; it then takes the place of the App Version field."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		r.SetHeader("api-key", s.Str("apiKey"))
		r.SetHeader("env", s.Str("env"))
		return nil
	},
	Actions: []*destkit.Action{SendSchemaToInspector},
	Presets: []destkit.Preset{
		{Name: "Track Schema From Event", Action: "sendSchemaToInspector", Trigger: `type = "track"`,
			Mapping: destkit.JSON(SendSchemaToInspector.DefaultMapping())},
	},
}
