package pipedrive

import (
	"context"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// CreateUpdateActivity updates an activity by id, or creates one, linked to
// the person, organization and deal found.
var CreateUpdateActivity = &destkit.Action{
	Key:                 "createUpdateActivity",
	Title:               "Create or update an Activity",
	Description:         "Update the activity with the given id, or create one linked to the related person, organization and deal.",
	DefaultSubscription: `type = "track" and event = "Activity Upserted"`,
	Fields: []destkit.Field{
		{Key: "activity_id", Label: "Activity ID", Type: destkit.Integer,
			Default:     `{"@path":"$.properties.activity_id"}`,
			Description: "Id of the activity to update; an activity is created when absent."},
		personMatchField, personMatchValue, orgMatchField, orgMatchValue, dealMatchField, dealMatchValue,
		{Key: "subject", Label: "Activity Subject", Type: destkit.String,
			Default:     `{"@path":"$.properties.subject"}`,
			Description: "Subject of the activity."},
		{Key: "type", Label: "Type", Type: destkit.String, Dynamic: activityTypeChoices,
			Default:     `{"@path":"$.properties.type"}`,
			Description: "Type of the activity (call, meeting, …), by its key string."},
		{Key: "description", Label: "Description", Type: destkit.String,
			Default:     `{"@path":"$.properties.description"}`,
			Description: "Text about the activity that is shown to everyone who can see it; sent as Pipedrive's public_description."},
		{Key: "note", Label: "Note", Type: destkit.String,
			Default:     `{"@path":"$.properties.note"}`,
			Description: "Note of the activity (HTML allowed)."},
		{Key: "due_date", Label: "Due Date", Type: destkit.String,
			Default:     `{"@path":"$.properties.due_date"}`,
			Description: "Due date of the activity (YYYY-MM-DD)."},
		{Key: "due_time", Label: "Due Time", Type: destkit.String,
			Default:     `{"@path":"$.properties.due_time"}`,
			Description: "Due time of the activity (HH:MM, UTC)."},
		{Key: "duration", Label: "Duration", Type: destkit.String,
			Default:     `{"@path":"$.properties.duration"}`,
			Description: "Duration of the activity (HH:MM)."},
		{Key: "done", Label: "Done", Type: destkit.Boolean,
			Default:     `{"@path":"$.properties.done"}`,
			Description: "Whether the activity is done; sent as 1 or 0."},
	},
	Run: createUpdateActivity,
}

func createUpdateActivity(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
	p := in.Payload
	ids, err := related(ctx, d, in, "person", "organization", "deal")
	if err != nil {
		return err
	}
	var body destkit.JSObject
	body.SetValue("id", p.Get("activity_id"))
	body.SetValue("subject", p.Get("subject"))
	body.SetValue("type", p.Get("type"))
	body.SetValue("public_description", p.Get("description"))
	for _, k := range []string{"note", "due_date", "due_time", "duration"} {
		body.SetValue(k, p.Get(k))
	}
	if done := p.Get("done"); done != nil {
		if done.Type() == fastjson.TypeTrue {
			body.Set("done", []byte("1"))
		} else {
			body.Set("done", []byte("0"))
		}
	}
	body.Set("person_id", ids["person"].raw)
	body.Set("org_id", ids["organization"].raw)
	body.Set("deal_id", ids["deal"].raw)
	return saveByBodyID(ctx, d, in.Settings, "activities", &body)
}
