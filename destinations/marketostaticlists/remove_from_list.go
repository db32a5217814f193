package marketostaticlists

import (
	"context"
	"net/url"
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
)

// RemoveFromList removes a batch's leads from the list: one lookup of the
// leads by their lookup field values, then one removal of the ids found.
// When Marketo knows none of them nothing is left to remove and no removal
// is sent (Segment sends one with an empty id list).
var RemoveFromList = &destkit.Action{
	Key:                 "removeFromList",
	Title:               "Remove From List",
	Description:         "Remove users from a list in Marketo.",
	DefaultSubscription: `event = "Audience Exited"`,
	Fields: []destkit.Field{
		{Key: "external_id", Label: "External ID", Type: destkit.String, Default: `{"@path":"$.context.personas.external_audience_id"}`,
			Description: "Marketo's ID of the static list, as kept for the Engage audience."},
		{Key: "lookup_field", Label: "Lookup Field", Type: destkit.String, Required: true, Default: `"email"`, Choices: []destkit.Choice{{Value: "email", Label: "Email"}, {Value: "id", Label: "Id"}, {Value: "cookies", Label: "Cookies"}, {Value: "twitterId", Label: "Twitter ID"}, {Value: "facebookId", Label: "Facebook ID"}, {Value: "linkedinId", Label: "LinkedIn ID"}, {Value: "sfdcAccountId", Label: "Salesforce Account ID"}, {Value: "sfdcContactId", Label: "Salesforce Contact ID"}, {Value: "sfdcLeadId", Label: "Salesforce Lead ID"}, {Value: "sfdcOpptyId", Label: "Salesforce Opportunity ID"}},
			Description: "Lead field Marketo matches leads on."},
		{Key: "field_value", Label: "Field Value", Type: destkit.String, Required: true, Default: `{"@if":{"exists":{"@path":"$.context.traits.email"},"then":{"@path":"$.context.traits.email"},"else":{"@path":"$.properties.email"}}}`,
			Description: "Value of the lookup field identifying the lead to remove."},
		{Key: "enable_batching", Label: "Enable Batching", Type: destkit.Boolean, Required: true, Default: `true`,
			Description: "Send events in batches."},
		{Key: "batch_size", Label: "Batch Size", Type: destkit.Number, Required: true, Default: `300`, Min: 1, Max: 300,
			Description: "Largest number of leads per batch."},
		{Key: "event_name", Label: "Event Name", Type: destkit.String, Required: true, Default: `{"@path":"$.event"}`,
			Description: "Name of the event."},
	},
	Batch:    &destkit.Batch{MaxSize: 300, Keys: []string{"external_id", "lookup_field"}},
	Run:      runOne(removeFromList),
	RunBatch: removeFromList,
}

func removeFromList(ctx context.Context, d destkit.Doer, in *destkit.BatchInput) []error {
	first := in.Payloads[0]
	list := string(first.GetStringBytes("external_id"))
	if list == "" {
		return failAll(len(in.Payloads), destkit.ValidationErrorf("external_id", `No "external_id" found in payload`))
	}
	var values []string
	for _, p := range in.Payloads {
		if v := p.Get("field_value"); v != nil {
			values = append(values, jsText(v))
		}
	}
	base := endpoint(in.Settings)
	lookup := destkit.Request{Method: "GET", URL: base + "/rest/v1/leads.json?filterType=" + url.QueryEscape(string(first.GetStringBytes("lookup_field"))) +
		"&filterValues=" + url.QueryEscape(strings.Join(values, ","))}
	lookup.SetHeader("Content-Type", "application/json")
	v, err := call(ctx, d, lookup)
	if err != nil {
		return failAll(len(in.Payloads), err)
	}
	var ids []string
	for _, lead := range v.GetArray("result") {
		ids = append(ids, jsText(lead.Get("id")))
	}
	if len(ids) == 0 {
		return failAll(len(in.Payloads), nil)
	}
	remove := destkit.Request{Method: "DELETE", URL: base + "/rest/v1/lists/" + url.PathEscape(list) + "/leads.json?id=" + strings.Join(ids, ",")}
	remove.SetHeader("Content-Type", "application/json")
	_, err = call(ctx, d, remove)
	return failAll(len(in.Payloads), err)
}
