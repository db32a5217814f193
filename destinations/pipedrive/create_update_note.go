package pipedrive

import (
	"context"

	"github.com/actuate/actuate/destinations/destkit"
)

// CreateUpdateNote updates a note by id, or creates one attached to the
// lead, person, organization or deal.
var CreateUpdateNote = &destkit.Action{
	Key:                 "createUpdateNote",
	Title:               "Create or update a Note",
	Description:         "Update the note with the given id, or create one attached to a lead, person, organization or deal.",
	DefaultSubscription: `type = "track" and event = "Note Upserted"`,
	Fields: []destkit.Field{
		{Key: "note_id", Label: "Note ID", Type: destkit.Integer,
			Default:     `{"@path":"$.properties.note_id"}`,
			Description: "Id of the note to update; a note is created when absent."},
		{Key: "lead_id", Label: "Lead ID", Type: destkit.String,
			Default:     `{"@path":"$.properties.lead_id"}`,
			Description: "Id (a UUID) of the lead the note belongs to."},
		personMatchField, personMatchValue, orgMatchField, orgMatchValue, dealMatchField, dealMatchValue,
		{Key: "content", Label: "Note Content", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.properties.content"}`,
			Description: "Content of the note (HTML allowed)."},
	},
	Run: createUpdateNote,
}

func createUpdateNote(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
	p := in.Payload
	ids, err := related(ctx, d, in, "person", "organization", "deal")
	if err != nil {
		return err
	}
	var body destkit.JSObject
	body.SetValue("id", p.Get("note_id"))
	body.SetValue("content", p.Get("content"))
	body.SetValue("lead_id", p.Get("lead_id"))
	body.Set("person_id", ids["person"].raw)
	body.Set("org_id", ids["organization"].raw)
	body.Set("deal_id", ids["deal"].raw)
	if p.Get("note_id") == nil && p.Get("lead_id") == nil && ids["person"].id == "" && ids["organization"].id == "" && ids["deal"].id == "" {
		return &destkit.IntegrationError{Code: "INVALID_REQUEST_DATA", Message: "No related organization or person, unable to create/update note!"}
	}
	return saveByBodyID(ctx, d, in.Settings, "notes", &body)
}
