// Package sendgrid upserts Marketing Campaigns contacts and sends emails
// with dynamic templates through SendGrid's v3 API.
//
// Requests go to the account's regional endpoint (setting "endpoint":
// https://api.sendgrid.com, or https://api.eu.sendgrid.com for EU
// accounts) with the API key as a bearer token and "Accept:
// application/json". Upsert Contact first reads the account's custom field
// definitions (GET /v3/marketing/field_definitions), so custom fields may
// be keyed by name or ID, then upserts with PUT /v3/marketing/contacts
// (one contact, or a batch). Send Email posts one message to
// /v3/mail/send. Endpoints and bodies follow SendGrid's API reference and
// Segment's open-source implementation, which agree. Differences from
// Segment: in a batch, a contact without an identifier or with an unknown
// custom field is rejected alone (Segment fails the whole batch); the
// choices that Segment fetches live (templates, IP pools, domains, groups)
// are typed in the mapping here.
package sendgrid

import (
	"github.com/actuate/actuate/destinations/destkit"
)

const globalEndpoint = "https://api.sendgrid.com"

// Definition is the SendGrid destination.
var Definition = &destkit.Definition{
	Slug:        "sendgrid",
	SegmentSlug: "actions-sendgrid",
	Name:        "SendGrid",
	Description: "Upsert contacts in SendGrid Marketing Campaigns and send emails with dynamic templates.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "sendGridApiKey", Label: "API Key", Type: destkit.Password, Required: true, Secret: true,
			Description: "SendGrid API key with access to Marketing Campaigns and Mail Send; sent as a bearer token."},
		{Key: "endpoint", Label: "Regional Processing Endpoint", Type: destkit.String,
			Choices:     []destkit.Choice{{Value: "https://api.sendgrid.com", Label: "Global (https://api.sendgrid.com)"}, {Value: "https://api.eu.sendgrid.com", Label: "EU (https://api.eu.sendgrid.com)"}},
			Default:     `"https://api.sendgrid.com"`,
			Description: "Regional processing endpoint of your SendGrid account: global or EU."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		r.SetHeader("Authorization", "Bearer "+s.Str("sendGridApiKey"))
		r.SetHeader("Accept", "application/json")
		return nil
	},
	Actions: []*destkit.Action{UpdateUserProfile, SendEmail},
}

func endpoint(s *destkit.Settings) string {
	if e := s.Str("endpoint"); e != "" {
		return e
	}
	return globalEndpoint
}
