package fullstory

import (
	"github.com/actuate/actuate/destinations/destkit"
)

// IdentifyUser sets user properties through the v1 custom variables API.
var IdentifyUser = &destkit.Action{
	Key:                 "identifyUser",
	Title:               "Identify User",
	Description:         "Set a user's properties through Fullstory's v1 custom variables API.",
	DefaultSubscription: `type = "identify"`,
	Fields: []destkit.Field{
		{Key: "userId", Label: "User ID", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.userId"}`,
			Description: "Your identifier of the user."},
		{Key: "anonymousId", Label: "Anonymous ID", Type: destkit.String,
			Default:     `{"@path":"$.anonymousId"}`,
			Description: "Segment's anonymous id, stored as segmentAnonymousId_str."},
		{Key: "displayName", Label: "Display Name", Type: destkit.String,
			Default:     `{"@path":"$.traits.name"}`,
			Description: "Name shown for the user in Fullstory."},
		{Key: "email", Label: "Email", Type: destkit.String,
			Default:     `{"@path":"$.traits.email"}`,
			Description: "Email address of the user."},
		{Key: "traits", Label: "Traits", Type: destkit.Object,
			Default:     `{"@path":"$.traits"}`,
			Description: "Traits of the user; names are camel-cased and get type suffixes."},
	},
	Perform: identifyUser,
}

func identifyUser(in *destkit.Input) ([]destkit.Request, error) {
	p := in.Payload
	body := normalizeProperties(p.Get("traits"), nameOptions{camelCase: true, typeSuffix: true})
	if id := string(p.GetStringBytes("anonymousId")); id != "" {
		body.SetString("segmentAnonymousId_str", id)
	}
	if v := p.Get("email"); v != nil {
		body.SetValue("email", v)
	}
	if v := p.Get("displayName"); v != nil {
		body.SetValue("displayName", v)
	}
	url := apiBase + "/users/v1/individual/" + encodeURIComponent(string(p.GetStringBytes("userId"))) + "/customvars?integration=segment"
	return []destkit.Request{destkit.NewJSONRequest("POST", url, body.AppendJSON(make([]byte, 0, 512)))}, nil
}
