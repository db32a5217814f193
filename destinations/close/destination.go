// Package closecrm (directory close; the name avoids shadowing the builtin)
// creates and updates contacts and leads in the Close CRM.
package closecrm

import "github.com/actuate/actuate/destinations/destkit"

// Definition is the Close destination.
var Definition = &destkit.Definition{
	Slug:        "close",
	SegmentSlug: "close",
	Name:        "Close",
	Description: "Create or update contacts and their leads in Close.",
	Auth:        destkit.AuthBasic,
	Settings: []destkit.Field{
		{Key: "api_key", Label: "API key", Type: destkit.Password, Required: true, Secret: true,
			Description: "Close API key; sent as the basic-auth user name."},
		{Key: "lead_custom_field_id_for_company_id", Label: "Lead Custom Field ID for Company ID", Type: destkit.String,
			Default:     `""`,
			Description: "Text lead custom field that stores your company ID and is used to find leads. Empty: leads are matched by contact email only."},
		{Key: "contact_custom_field_id_for_user_id", Label: "Contact Custom Field ID for User ID", Type: destkit.String,
			Default:     `""`,
			Description: "Text contact custom field that stores your user ID and is used to find contacts. Empty: contacts are matched by email only."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		// Close takes the API key as user name with an empty password.
		r.SetBasicAuth(s.Str("api_key"), "")
		return nil
	},
	Actions: []*destkit.Action{CreateUpdateContactAndLead},
}
