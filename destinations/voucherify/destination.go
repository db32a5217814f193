// Package voucherify sends customers, custom events and group membership to
// Voucherify's Segment intake, for promotions, referrals and loyalty.
//
// Requests go to <customURL>/segmentio/<customer|event|group>-processing
// with the mapped payload as it is. Voucherify authenticates with the
// application id, base64-encoded, as the Basic credential (no password
// part) and the secret key, base64-encoded, in the secret-key header.
//
// The custom URL (Voucherify's API host for the project's cluster) must be
// an https URL of a named host; Segment also accepts http, which would send
// both keys in clear text.
package voucherify

import (
	"encoding/base64"
	"net/url"
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
)

// Definition is the Voucherify (Actions) destination.
var Definition = &destkit.Definition{
	Slug:        "voucherify",
	SegmentSlug: "voucherify-actions",
	Name:        "Voucherify (Actions)",
	Description: "Create and update Voucherify customers, record custom events and assign customers to groups.",
	Auth:        destkit.AuthBasic,
	Settings: []destkit.Field{
		{Key: "apiKey", Label: "Application ID", Type: destkit.Password, Required: true, Secret: true,
			Description: "The application id from Voucherify's Project Settings."},
		{Key: "secretKey", Label: "Secret Key", Type: destkit.Password, Required: true, Secret: true,
			Description: "The secret key paired with that application id."},
		{Key: "customURL", Label: "Custom Voucherify URL", Type: destkit.String, Required: true,
			Description: "The API URL of your Voucherify cluster (https://api.voucherify.io, https://us1.api.voucherify.io, …)."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		r.SetHeader("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(s.Str("apiKey"))))
		r.SetHeader("secret-key", base64.StdEncoding.EncodeToString([]byte(s.Str("secretKey"))))
		return nil
	},
	Actions: []*destkit.Action{UpsertCustomer, AddCustomEvent, AssignCustomerToGroup},
	Presets: []destkit.Preset{
		{Name: "Add Custom Event (Track Event)", Action: "addCustomEvent", Trigger: `type = "track"`, Mapping: destkit.JSON(AddCustomEvent.DefaultMapping())},
		{Name: "Add Custom Event (Page Event)", Action: "addCustomEvent", Trigger: `type = "page"`, Mapping: namedEventMapping("Viewed {{name}} Page")},
		{Name: "Add Custom Event (Screen Event)", Action: "addCustomEvent", Trigger: `type = "screen"`, Mapping: namedEventMapping("Viewed {{name}} Screen")},
		{Name: "Create Or Update Customer", Action: "upsertCustomer", Trigger: `type = "identify"`, Mapping: destkit.JSON(UpsertCustomer.DefaultMapping())},
		{Name: "Assign Customer To Group", Action: "assignCustomerToGroup", Trigger: `type = "group"`, Mapping: destkit.JSON(AssignCustomerToGroup.DefaultMapping())},
	},
}

// namedEventMapping is the custom event's default mapping with the event
// named by template (page and screen views).
func namedEventMapping(template string) destkit.JSON {
	return destkit.JSON(strings.Replace(string(AddCustomEvent.DefaultMapping()), string(eventNameDefault),
		`{"@template":"`+template+`"}`, 1))
}

// endpoint is the intake URL for kind, from an https custom URL.
func endpoint(s *destkit.Settings, kind string) (string, error) {
	base := strings.TrimSuffix(s.Str("customURL"), "/")
	u, err := url.Parse(base)
	if err != nil || u.Scheme != "https" || u.Hostname() == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", &destkit.IntegrationError{Code: "INVALID_SETTINGS",
			Message: "setting customURL: must be an https URL of Voucherify's API host (https://api.voucherify.io)"}
	}
	return base + "/segmentio/" + kind + "-processing", nil
}

// post sends the payload as it is to the intake for kind.
func post(kind string) func(in *destkit.Input) ([]destkit.Request, error) {
	return func(in *destkit.Input) ([]destkit.Request, error) {
		if len(in.Payload.GetStringBytes("type")) == 0 {
			return nil, destkit.ValidationErrorf("type", "The field type is required.")
		}
		u, err := endpoint(in.Settings, kind)
		if err != nil {
			return nil, err
		}
		return []destkit.Request{destkit.NewJSONRequest("POST", u, destkit.AppendValue(nil, in.Payload))}, nil
	}
}

// typeField is the call's type, which Voucherify dispatches on.
var typeField = destkit.Field{Key: "type", Label: "Event Type", Type: destkit.String, Required: true, Default: `{"@path":"$.type"}`,
	Description: "The call's type (identify, track, page, screen or group)."}
