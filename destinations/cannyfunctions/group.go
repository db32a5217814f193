package cannyfunctions

import "github.com/actuate/actuate/destinations/destkit"

// Group creates or updates a Canny company.
var Group = &destkit.Action{
	Key:                 "group",
	Title:               "Group",
	Description:         "Create or update a company in Canny and link the user to it.",
	DefaultSubscription: `type = "group"`,
	Fields: []destkit.Field{
		{Key: "groupId", Label: "Group ID", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.groupId"}`,
			Description: "Your identifier of the company."},
		{Key: "traits", Label: "Group Properties", Type: destkit.Object,
			Default:     `{"@path":"$.traits"}`,
			Description: "Traits of the company (name, monthly spend, …)."},
		{Key: "type", Label: "Type", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.type"}`,
			Description: "Segment type of the call."},
		{Key: "userId", Label: "User ID", Type: destkit.String,
			Default:     `{"@path":"$.userId"}`,
			Description: "Your identifier of the user who belongs to the company."},
	},
	Perform: group,
}

func group(in *destkit.Input) ([]destkit.Request, error) {
	p := in.Payload
	w := destkit.NewJSONWriter(make([]byte, 0, 256))
	w.ObjectStart()
	w.Field("groupId", p.Get("groupId"))
	w.Field("traits", p.Get("traits"))
	w.Field("type", p.Get("type"))
	w.Field("userId", p.Get("userId"))
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest("POST", apiBase+"/group", w.Bytes())}, nil
}
