package talonone

import "github.com/actuate/actuate/destinations/destkit"

// DeleteAudience deletes the Talon.One audience of a Segment audience.
var DeleteAudience = &destkit.Action{
	Key:         "deleteAudience",
	Title:       "Delete Audience",
	Description: "Delete the Talon.One audience of a Segment audience.",
	Fields:      []destkit.Field{audienceIDField},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		id, err := requiredString(in.Payload, "audienceId")
		if err != nil {
			return nil, err
		}
		return []destkit.Request{{Method: "DELETE", URL: resourceURL(in.Payload, "/audiences/", id)}}, nil
	},
}
