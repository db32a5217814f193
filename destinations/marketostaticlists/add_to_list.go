package marketostaticlists

import (
	"context"
	"net/url"
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// AddToList imports a batch's leads into the list in one bulk import: a CSV
// file whose columns are every lead field of the batch, in the order first
// met, one row per event. A value that is empty, false, 0 or null is an
// empty cell, as in Segment; a value holding a comma, a quote or a line
// break is quoted (RFC 4180), which Segment does not do, so such a value
// would shift the columns there. The file may not exceed 10 MB.
var AddToList = &destkit.Action{
	Key:                 "addToList",
	Title:               "Add to List",
	Description:         "Add users from an Engage Audience to a list in Marketo.",
	DefaultSubscription: `event = "Audience Entered"`,
	Fields: []destkit.Field{
		{Key: "external_id", Label: "External ID", Type: destkit.String, Default: `{"@path":"$.context.personas.external_audience_id"}`,
			Description: "Marketo's ID of the static list, as kept for the Engage audience."},
		{Key: "lookup_field", Label: "Lookup Field", Type: destkit.String, Required: true, Default: `"email"`, Choices: []destkit.Choice{{Value: "email", Label: "Email"}, {Value: "id", Label: "Id"}, {Value: "cookies", Label: "Cookies"}, {Value: "twitterId", Label: "Twitter ID"}, {Value: "facebookId", Label: "Facebook ID"}, {Value: "linkedinId", Label: "LinkedIn ID"}, {Value: "sfdcAccountId", Label: "Salesforce Account ID"}, {Value: "sfdcContactId", Label: "Salesforce Contact ID"}, {Value: "sfdcLeadId", Label: "Salesforce Lead ID"}, {Value: "sfdcOpptyId", Label: "Salesforce Opportunity ID"}},
			Description: "Lead field Marketo matches leads on."},
		{Key: "data", Label: "Lead Info Fields", Type: destkit.Object, Required: true, Default: `{"email":{"@if":{"exists":{"@path":"$.context.traits.email"},"then":{"@path":"$.context.traits.email"},"else":{"@path":"$.properties.email"}}}}`, AdditionalProperties: true, Properties: []destkit.Field{
			{Key: "email", Label: "Email", Type: destkit.String,
				Description: "Email of the lead."},
		},
			Description: "Lead fields to import, by Marketo field name; the lookup field among them."},
		{Key: "enable_batching", Label: "Enable Batching", Type: destkit.Boolean, Required: true, Default: `true`,
			Description: "Send events in batches."},
		{Key: "batch_size", Label: "Batch Size", Type: destkit.Number, Required: true, Default: `300000`, Min: 1, Max: 300000,
			Description: "Largest number of leads per batch."},
		{Key: "event_name", Label: "Event Name", Type: destkit.String, Required: true, Default: `{"@path":"$.event"}`,
			Description: "Name of the event."},
	},
	Hooks:    []destkit.Hook{listHook},
	Batch:    &destkit.Batch{MaxSize: 300000, Keys: []string{"external_id", "lookup_field"}},
	Run:      runOne(addToList),
	RunBatch: addToList,
}

// csvLimit is the largest file Marketo's bulk import takes.
const csvLimit = 10000000

// boundary is the multipart boundary Segment uses.
const boundary = "--SEGMENT-DATA--"

func addToList(ctx context.Context, d destkit.Doer, in *destkit.BatchInput) []error {
	first := in.Payloads[0]
	list := string(destkit.HookOutput(first, listHook.Key, "id").GetStringBytes())
	if list == "" {
		list = string(first.GetStringBytes("external_id"))
	}
	if list == "" {
		return failAll(len(in.Payloads), destkit.ValidationErrorf("external_id", "No list ID found in payload"))
	}
	csv := leadsCSV(in.Payloads)
	if len(csv) > csvLimit {
		return failAll(len(in.Payloads), &destkit.IntegrationError{Code: "PAYLOAD_TOO_LARGE", Message: "CSV data size exceeds limit of 10000000 bytes"})
	}
	body := make([]byte, 0, len(csv)+200)
	body = append(body, "--"+boundary+"\r\nContent-Disposition: form-data; name=\"file\"; filename=\"leads.csv\"\r\nContent-Type: text/csv\r\n\r\n"...)
	body = append(body, csv...)
	body = append(body, "\r\n--"+boundary+"--\r\n"...)
	r := destkit.Request{Method: "POST", URL: endpoint(in.Settings) + "/bulk/v1/leads.json?format=csv&listId=" + url.QueryEscape(list) +
		"&lookupField=" + url.QueryEscape(string(first.GetStringBytes("lookup_field"))), Body: body}
	r.SetHeader("Content-Type", "multipart/form-data; boundary="+boundary)
	_, err := call(ctx, d, r)
	return failAll(len(in.Payloads), err)
}

// leadsCSV is the import file: a header of every data key, in the order
// first met, and a row per payload.
func leadsCSV(payloads []*fastjson.Value) []byte {
	var keys []string
	seen := map[string]bool{}
	for _, p := range payloads {
		p.GetObject("data").Visit(func(k []byte, _ *fastjson.Value) {
			if !seen[string(k)] {
				seen[string(k)] = true
				keys = append(keys, string(k))
			}
		})
	}
	var b []byte
	b = appendRow(b, keys)
	cells := make([]string, len(keys))
	for _, p := range payloads {
		for i, k := range keys {
			cells[i] = ""
			if v := p.Get("data", k); destkit.Truthy(v) {
				cells[i] = jsText(v)
			}
		}
		b = append(b, '\n')
		b = appendRow(b, cells)
	}
	return b
}

// appendRow appends cells joined by commas, quoting those that need it.
func appendRow(b []byte, cells []string) []byte {
	for i, c := range cells {
		if i > 0 {
			b = append(b, ',')
		}
		if strings.ContainsAny(c, ",\"\r\n") {
			b = append(b, '"')
			b = append(b, strings.ReplaceAll(c, `"`, `""`)...)
			b = append(b, '"')
			continue
		}
		b = append(b, c...)
	}
	return b
}
