package cannyfunctions

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// Identify creates or updates a Canny user.
var Identify = &destkit.Action{
	Key:         "identify",
	Title:       "Identify",
	Description: "Create or update a user in Canny; traits other than the standard ones become custom fields.",
	Fields: []destkit.Field{
		{Key: "userId", Label: "User ID", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.userId"}`,
			Description: "Your identifier of the user."},
		{Key: "traits", Label: "User Properties", Type: destkit.Object,
			Default:              `{"avatar":{"@path":"$.traits.avatar"},"company":{"@path":"$.traits.company"},"createdAt":{"@path":"$.traits.createdAt"},"id":{"@path":"$.traits.id"},"name":{"@path":"$.traits.name"},"email":{"@path":"$.traits.email"}}`,
			AdditionalProperties: true,
			Properties: []destkit.Field{
				{Key: "avatar", Label: "Avatar", Type: destkit.String,
					Description: "URL of the user's avatar image."},
				{Key: "company", Label: "Company", Type: destkit.Object,
					Description: "The user's company (id, name, …)."},
				{Key: "createdAt", Label: "Create At Date", Type: destkit.String,
					Description: "When the user signed up."},
				{Key: "id", Label: "User ID", Type: destkit.String,
					Description: "Identifier of the user in your app."},
				{Key: "name", Label: "Name", Type: destkit.String,
					Description: "Full name of the user."},
				{Key: "email", Label: "Email", Type: destkit.String,
					Description: "Email address of the user."},
			},
			Description: "Traits of the user; any key beyond the six standard ones is sent again under customFields."},
		{Key: "type", Label: "Type", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.type"}`,
			Description: "Segment type of the call."},
	},
	Perform: identify,
}

// standardTraits are the traits Canny reads itself; the others are also
// sent as custom fields.
var standardTraits = map[string]bool{"avatar": true, "company": true, "createdAt": true, "email": true, "id": true, "name": true}

func identify(in *destkit.Input) ([]destkit.Request, error) {
	p := in.Payload
	traits := p.GetObject("traits")
	var custom []string
	if traits != nil {
		traits.Visit(func(k []byte, _ *fastjson.Value) {
			if !standardTraits[string(k)] {
				custom = append(custom, string(k))
			}
		})
	}
	writeCustom := func(w *destkit.JSONWriter) {
		w.Key("customFields")
		w.ObjectStart()
		for _, k := range custom {
			w.Field(k, traits.Get(k))
		}
		w.ObjectEnd()
	}
	w := destkit.NewJSONWriter(make([]byte, 0, 512))
	w.ObjectStart()
	w.Key("traits")
	w.ObjectStart()
	if traits != nil {
		traits.Visit(func(k []byte, v *fastjson.Value) {
			// A trait named customFields is itself custom: the collected
			// object replaces it where it stands.
			if string(k) == "customFields" {
				writeCustom(w)
				return
			}
			w.Field(string(k), v)
		})
	}
	if len(custom) > 0 && traits.Get("customFields") == nil {
		writeCustom(w)
	}
	w.ObjectEnd()
	w.Field("type", p.Get("type"))
	w.Field("userId", p.Get("userId"))
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest("POST", apiBase+"/v2/identify", w.Bytes())}, nil
}
