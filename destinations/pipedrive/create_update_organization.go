package pipedrive

import (
	"context"

	"github.com/actuate/actuate/destinations/destkit"
)

// CreateUpdateOrganization updates the organization found by the match
// field, or creates one.
var CreateUpdateOrganization = &destkit.Action{
	Key:                 "createUpdateOrganization",
	Title:               "Create or Update Organization",
	Description:         "Update the organization with the match value, or create one.",
	DefaultSubscription: `type = "group"`,
	Fields: []destkit.Field{
		{Key: "match_field", Label: "Match field", Type: destkit.String, Dynamic: fieldChoices("organization"),
			Description: "Field to find the organization by; defaults to the Organization setting (id)."},
		{Key: "match_value", Label: "Match value", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.groupId"}`,
			Description: "Value of the match field; written to it when the organization is created."},
		{Key: "name", Label: "Organization Name", Type: destkit.String,
			Default:     `{"@path":"$.traits.name"}`,
			Description: "Name of the organization."},
		visibleTo, addTimeField, customFields,
	},
	Run: createUpdateOrganization,
}

func createUpdateOrganization(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
	p, s := in.Payload, in.Settings
	match := string(p.GetStringBytes("match_field"))
	value := p.Get("match_value")
	f, err := findID(ctx, d, s, "organization", matchField(p, "match_field", s, "organizationField"), string(p.GetStringBytes("match_value")))
	if err != nil {
		return err
	}
	var body destkit.JSObject
	body.SetValue("name", p.Get("name"))
	body.Set("add_time", addTime(p.Get("add_time")))
	body.SetValue("visible_to", p.Get("visible_to"))
	if f.id == "" && match != "" && len(value.GetStringBytes()) > 0 {
		body.SetValue(match, value)
	}
	body.Assign(p.Get("custom_fields"), nil)
	return save(ctx, d, s, "organizations", f.id, &body)
}
