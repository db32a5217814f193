// Package cannyfunctions sends users and companies to Canny, the feedback
// board, through its Segment endpoints at https://canny.io/api/segment.
//
// Sources: Segment's open-source Canny destination (Canny documents the
// integration, not these endpoints). Every request authenticates with HTTP
// basic credentials, the API key as user name and an empty password, and
// sends and accepts JSON.
package cannyfunctions

import "github.com/actuate/actuate/destinations/destkit"

const apiBase = "https://canny.io/api/segment"

// Definition is the Canny destination.
var Definition = &destkit.Definition{
	Slug:        "canny-functions",
	SegmentSlug: "actions-canny",
	Name:        "Canny (Actions)",
	Description: "Keep Canny's users and companies in step with your identify and group calls.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "apiKey", Label: "API Key", Type: destkit.Password, Required: true, Secret: true,
			Description: "Your Canny API key, from the Segment integration page in Canny."},
	},
	Authorize: func(r *destkit.Request, s *destkit.Settings, _ *destkit.Token) error {
		r.SetBasicAuth(s.Str("apiKey"), "")
		r.SetHeader("Accept", "application/json")
		return nil
	},
	Actions: []*destkit.Action{Identify, Group},
	Presets: []destkit.Preset{
		{Name: "Create or update a Company", Action: "group", Trigger: `type = "group"`,
			Mapping: destkit.JSON(Group.DefaultMapping())},
		{Name: "Create or update a User", Action: "identify", Trigger: `type = "identify"`,
			Mapping: destkit.JSON(Identify.DefaultMapping())},
	},
}
