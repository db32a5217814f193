package talonone

import "github.com/actuate/actuate/destinations/destkit"

// CreateAudience creates an audience in Talon.One for a Segment audience.
var CreateAudience = &destkit.Action{
	Key:         "createAudience",
	Title:       "Create Audience",
	Description: "Create an audience in Talon.One, keyed by the Segment audience ID.",
	Fields:      []destkit.Field{audienceIDField, audienceNameField},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		p := in.Payload
		id, name, err := audienceAndName(p)
		if err != nil {
			return nil, err
		}
		var w destkit.JSONWriter
		w.ObjectStart()
		w.StringField("audienceId", id)
		w.StringField("audienceName", name)
		w.ObjectEnd()
		return []destkit.Request{destkit.NewJSONRequest("POST", apiBase+"/audiences", w.Bytes())}, nil
	},
}
