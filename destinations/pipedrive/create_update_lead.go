package pipedrive

import (
	"context"

	"github.com/actuate/actuate/destinations/destkit"
)

// CreateUpdateLead updates a lead by id, or creates one linked to the
// person or organization found.
var CreateUpdateLead = &destkit.Action{
	Key:                 "createUpdateLead",
	Title:               "Create or update Lead",
	Description:         "Update the lead with the given id, or create one for the related person or organization.",
	DefaultSubscription: `type = "identify"`,
	Fields: []destkit.Field{
		{Key: "lead_id", Label: "Lead ID", Type: destkit.String,
			Default:     `{"@if":{"exists":{"@path":"$.traits.lead_id"},"then":{"@path":"$.traits.lead_id"},"else":{"@path":"$.properties.lead_id"}}}`,
			Description: "Id (a UUID) of the lead to update; a lead is created when absent."},
		personMatchField, personMatchValue, orgMatchField, orgMatchValue,
		{Key: "title", Label: "Title", Type: destkit.String, Required: true,
			Default:     `{"@if":{"exists":{"@path":"$.traits.title"},"then":{"@path":"$.traits.title"},"else":{"@path":"$.properties.title"}}}`,
			Description: "Title of the lead."},
		{Key: "amount", Label: "Amount", Type: destkit.Number,
			Default:     `{"@if":{"exists":{"@path":"$.traits.amount"},"then":{"@path":"$.traits.amount"},"else":{"@path":"$.properties.amount"}}}`,
			Description: "Potential value of the lead; sent only with a currency."},
		{Key: "currency", Label: "Currency", Type: destkit.String,
			Default:     `{"@if":{"exists":{"@path":"$.traits.currency"},"then":{"@path":"$.traits.currency"},"else":{"@path":"$.properties.currency"}}}`,
			Description: "Currency of the amount (ISO 4217 code)."},
		{Key: "expected_close_date", Label: "Expected Close Date", Type: destkit.String,
			Default:     `{"@if":{"exists":{"@path":"$.traits.expected_close_date"},"then":{"@path":"$.traits.expected_close_date"},"else":{"@path":"$.properties.expected_close_date"}}}`,
			Description: "When the lead is expected to close (YYYY-MM-DD)."},
		visibleTo,
	},
	Run: createUpdateLead,
}

func createUpdateLead(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
	p := in.Payload
	ids, err := related(ctx, d, in, "person", "organization")
	if err != nil {
		return err
	}
	leadID := string(p.GetStringBytes("lead_id"))
	var body destkit.JSObject
	body.SetValue("id", p.Get("lead_id"))
	for _, k := range []string{"title", "expected_close_date", "visible_to"} {
		body.SetValue(k, p.Get(k))
	}
	body.Set("person_id", ids["person"].raw)
	body.Set("organization_id", ids["organization"].raw)
	if amount, currency := p.Get("amount"), p.Get("currency"); amount != nil && amount.GetFloat64() != 0 && len(currency.GetStringBytes()) > 0 {
		w := destkit.NewJSONWriter(nil)
		w.ObjectStart()
		w.Field("amount", amount)
		w.Field("currency", currency)
		w.ObjectEnd()
		body.Set("value", w.Bytes())
	}
	if leadID == "" && ids["person"].id == "" && ids["organization"].id == "" {
		return &destkit.IntegrationError{Code: "INVALID_REQUEST_DATA", Message: "No related organization or person, unable to create lead!"}
	}
	return saveByBodyID(ctx, d, in.Settings, "leads", &body)
}
