package fullstory

import (
	"github.com/actuate/actuate/destinations/destkit"
)

// IdentifyUserV2 creates or updates a user through the v2 users API.
var IdentifyUserV2 = &destkit.Action{
	Key:                 "identifyUserV2",
	Title:               "Identify User V2",
	Description:         "Create or update a user through Fullstory's v2 users API.",
	DefaultSubscription: `type = "identify"`,
	Fields: []destkit.Field{
		{Key: "uid", Label: "User ID", Type: destkit.String,
			Default:     `{"@path":"$.userId"}`,
			Description: "Your identifier of the user."},
		{Key: "anonymousId", Label: "Anonymous ID", Type: destkit.String,
			Default:     `{"@path":"$.anonymousId"}`,
			Description: "Segment's anonymous id, stored as the segmentAnonymousId property."},
		{Key: "displayName", Label: "Display Name", Type: destkit.String,
			Default:     `{"@path":"$.traits.name"}`,
			Description: "Name shown for the user in Fullstory."},
		{Key: "email", Label: "Email", Type: destkit.String,
			Default:     `{"@path":"$.traits.email"}`,
			Description: "Email address of the user."},
		{Key: "properties", Label: "Traits", Type: destkit.Object,
			Default:     `{"@path":"$.traits"}`,
			Description: "Properties of the user."},
	},
	Perform: identifyUserV2,
}

func identifyUserV2(in *destkit.Input) ([]destkit.Request, error) {
	p := in.Payload
	props := normalizeProperties(p.Get("properties"), nameOptions{})
	if id := string(p.GetStringBytes("anonymousId")); id != "" {
		props.SetString("segmentAnonymousId", id)
	}
	w := destkit.NewJSONWriter(make([]byte, 0, 512))
	w.ObjectStart()
	w.Field("uid", p.Get("uid"))
	w.Field("email", p.Get("email"))
	w.Field("display_name", p.Get("displayName"))
	w.Key("properties")
	props.Write(w)
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest("POST", apiBase+"/v2/users", w.Bytes())}, nil
}
