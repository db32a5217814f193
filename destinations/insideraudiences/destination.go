// Package insideraudiences syncs Engage audiences and computed traits to
// Insider user profiles through Insider's Unification API.
//
// Every request is a POST under https://unification.useinsider.com/api/
// with the account name and API key in the X-PARTNER-NAME and
// X-REQUEST-TOKEN headers, for one user identified by email, user id
// (uuid), anonymous id and phone, each when present:
//   - audience, identify: entering adds the audience key to the custom
//     attribute segment_audience_name (user/v1/upsert); leaving, an
//     explicit false flag, deletes it (user/v1/attribute/delete);
//   - computed trait, identify: the trait's value goes into the custom
//     attribute segment_io_<key>;
//   - track (audience or trait): an event named after the event (lower
//     case, spaces as underscores) with the key in segment_engage_name.
package insideraudiences

import "github.com/actuate/actuate/destinations/destkit"

const apiBase = "https://unification.useinsider.com/api/"

// Definition is the Insider Audiences destination.
var Definition = &destkit.Definition{
	Slug:        "insider-audiences",
	SegmentSlug: "actions-insider-audiences",
	Name:        "Insider Audiences",
	Description: "Sync Engage audiences and computed traits to Insider user profiles.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "account_name", Label: "Account Name", Type: destkit.String, Required: true,
			Description: "Your Insider account name (InOne panel: Settings, InOne Settings, Account Preferences)."},
		{Key: "ucd_key", Label: "API Key", Type: destkit.Password, Required: true, Secret: true,
			Description: "The Unification API key of the account."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		r.SetHeader("X-PARTNER-NAME", s.Str("account_name"))
		r.SetHeader("X-REQUEST-TOKEN", s.Str("ucd_key"))
		return nil
	},
	Actions: []*destkit.Action{InsiderAudiences},
	Presets: []destkit.Preset{
		{Name: "Sync Engage Audience to Insider", Action: "insiderAudiences", Trigger: `type = "track" or type = "identify"`,
			Mapping: destkit.JSON(InsiderAudiences.DefaultMapping())},
	},
}
