package pipedrive

import (
	"context"

	"github.com/actuate/actuate/destinations/destkit"
)

// CreateUpdateDeal updates the deal found by the deal match field, or
// creates one linked to the person or organization found.
var CreateUpdateDeal = &destkit.Action{
	Key:                 "createUpdateDeal",
	Title:               "Create or update a Deal",
	Description:         "Update the deal with the match value, or create one for the related person or organization.",
	DefaultSubscription: `type = "track" and event = "Deal Upserted"`,
	Fields: []destkit.Field{
		dealMatchField, dealMatchValue, personMatchField, personMatchValue, orgMatchField, orgMatchValue,
		{Key: "title", Label: "Title", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.properties.title"}`,
			Description: "Title of the deal."},
		{Key: "value", Label: "Value", Type: destkit.String,
			Default:     `{"@path":"$.properties.value"}`,
			Description: "Value of the deal."},
		{Key: "currency", Label: "Currency", Type: destkit.String,
			Default:     `{"@path":"$.properties.currency"}`,
			Description: "Currency of the value (ISO 4217 code)."},
		{Key: "stage_id", Label: "Stage ID", Type: destkit.Number,
			Default:     `{"@path":"$.properties.stage_id"}`,
			Description: "Id of the pipeline stage the deal is in."},
		{Key: "status", Label: "Status", Type: destkit.String,
			Choices:     []destkit.Choice{{Value: "open", Label: "Open"}, {Value: "won", Label: "Won"}, {Value: "lost", Label: "Lost"}, {Value: "deleted", Label: "Deleted"}},
			Description: "Status of the deal."},
		{Key: "expected_close_date", Label: "Expected Close Date", Type: destkit.String,
			Default:     `{"@path":"$.properties.expected_close_date"}`,
			Description: "When the deal is expected to close (YYYY-MM-DD)."},
		{Key: "probability", Label: "Success Probability", Type: destkit.Number,
			Default:     `{"@path":"$.properties.success_probability"}`,
			Description: "Chance of winning the deal, in percent."},
		{Key: "lost_reason", Label: "Lost Reason", Type: destkit.String,
			Default:     `{"@path":"$.properties.lost_reason"}`,
			Description: "Why the deal was lost, when its status is lost."},
		visibleTo, addTimeField, customFields,
	},
	Run: createUpdateDeal,
}

func createUpdateDeal(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
	p := in.Payload
	ids, err := related(ctx, d, in, "person", "organization", "deal")
	if err != nil {
		return err
	}
	deal := ids["deal"]
	var body destkit.JSObject
	body.Set("id", deal.raw)
	for _, k := range []string{"title", "value", "currency", "stage_id", "status", "expected_close_date", "probability", "lost_reason", "visible_to"} {
		body.SetValue(k, p.Get(k))
	}
	body.Set("add_time", addTime(p.Get("add_time")))
	body.Set("person_id", ids["person"].raw)
	body.Set("org_id", ids["organization"].raw)
	if deal.id == "" && ids["person"].id == "" && ids["organization"].id == "" {
		return &destkit.IntegrationError{Code: "INVALID_REQUEST_DATA", Message: "No related organization or person, unable to create deal!"}
	}
	if match, value := string(p.GetStringBytes("deal_match_field")), p.Get("deal_match_value"); deal.id == "" && match != "" && len(value.GetStringBytes()) > 0 {
		body.SetValue(match, value)
	}
	body.Assign(p.Get("custom_fields"), nil)
	return saveByBodyID(ctx, d, in.Settings, "deals", &body)
}
