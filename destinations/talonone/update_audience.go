package talonone

import "github.com/actuate/actuate/destinations/destkit"

// UpdateAudience renames the Talon.One audience of a Segment audience.
var UpdateAudience = &destkit.Action{
	Key:         "updateAudience",
	Title:       "Update Audience Name",
	Description: "Rename the Talon.One audience of a Segment audience.",
	Fields:      []destkit.Field{audienceIDField, audienceNameField},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		p := in.Payload
		id, name, err := audienceAndName(p)
		if err != nil {
			return nil, err
		}
		var w destkit.JSONWriter
		w.ObjectStart()
		w.StringField("audienceName", name)
		w.ObjectEnd()
		return put(resourceURL(p, "/audiences/", id), &w), nil
	},
}
