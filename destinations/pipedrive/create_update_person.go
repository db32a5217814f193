package pipedrive

import (
	"context"

	"github.com/actuate/actuate/destinations/destkit"
)

// CreateUpdatePerson updates the person found by the match field, or
// creates one.
var CreateUpdatePerson = &destkit.Action{
	Key:                 "createUpdatePerson",
	Title:               "Create or Update Person",
	Description:         "Update the person with the match value, or create one.",
	DefaultSubscription: `type = "identify"`,
	Fields: []destkit.Field{
		{Key: "match_field", Label: "Match field", Type: destkit.String, Dynamic: fieldChoices("person"),
			Description: "Field to find the person by; defaults to the Person setting (id)."},
		{Key: "match_value", Label: "Match value", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.userId"}`,
			Description: "Value of the match field; written to it when the person is created."},
		{Key: "name", Label: "Person Name", Type: destkit.String,
			Default:     `{"@path":"$.traits.name"}`,
			Description: "Name of the person."},
		{Key: "email", Label: "Email Address", Type: destkit.String, Multiple: true,
			Default:     `{"@path":"$.traits.email"}`,
			Description: "Email addresses of the person."},
		{Key: "phone", Label: "Phone Number", Type: destkit.String, Multiple: true,
			Default:     `{"@path":"$.traits.phone"}`,
			Description: "Phone numbers of the person."},
		visibleTo, addTimeField, customFields,
	},
	Run: createUpdatePerson,
}

func createUpdatePerson(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
	p, s := in.Payload, in.Settings
	match := string(p.GetStringBytes("match_field"))
	f, err := findID(ctx, d, s, "person", matchField(p, "match_field", s, "personField"), string(p.GetStringBytes("match_value")))
	if err != nil {
		return err
	}
	var body destkit.JSObject
	body.SetValue("name", p.Get("name"))
	body.SetValue("email", p.Get("email"))
	body.SetValue("phone", p.Get("phone"))
	body.Set("add_time", addTime(p.Get("add_time")))
	body.SetValue("visible_to", p.Get("visible_to"))
	if f.id == "" && match != "" {
		body.SetValue(match, p.Get("match_value"))
	}
	body.Assign(p.Get("custom_fields"), nil)
	return save(ctx, d, s, "persons", f.id, &body)
}
