package linkedinaudiences

import (
	"context"
	"fmt"
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// UpdateCompanyAudience adds companies to and removes them from a company
// DMP segment: one BATCH_CREATE request per batch to the segment's
// companies, with the company's website domain and organization URN.
//
// The segment is named by the audience key (Engage or Reverse ETL) or by
// Segment Name (Connections), and found or created like a user segment.
// Domains are trimmed and lower-cased; a LinkedIn company ID becomes
// urn:li:organization:<id> whether or not it came with that prefix. A
// company listed twice with the same action is sent once, and LinkedIn's
// status for it applies to each event. LinkedIn answers 200 with a status
// per company: each event gets its company's. A 404 (a new segment not yet
// usable), a 409 and LinkedIn's transient statuses are retried.
//
// Segment's published package 3.497.0, which the parity test runs, predates
// this action; the facts come from Segment's current source.
var UpdateCompanyAudience = &destkit.Action{
	Key:                 "updateCompanyAudience",
	Title:               "Sync To LinkedIn DMP Company Segment",
	Description:         "Syncs companies to LinkedIn DMP Company Segments.",
	DefaultSubscription: `type = "track"`,
	Fields: []destkit.Field{
		{Key: "identifiers", Label: "Company Identifiers", Type: destkit.Object, Required: true, Default: `{"companyDomain":{"@if":{"exists":{"@path":"$.traits.company_domain"},"then":{"@path":"$.traits.company_domain"},"else":{"@path":"$.properties.company_domain"}}},"linkedInCompanyId":{"@if":{"exists":{"@path":"$.traits.linkedin_company_id"},"then":{"@path":"$.traits.linkedin_company_id"},"else":{"@path":"$.properties.linkedin_company_id"}}}}`, Properties: []destkit.Field{
			{Key: "companyDomain", Label: "Company Domain", Type: destkit.String,
				Description: "Website domain of the company (example.com)."},
			{Key: "linkedInCompanyId", Label: "LinkedIn Company ID", Type: destkit.String,
				Description: "LinkedIn company ID, with or without the urn:li:organization: prefix."},
		},
			Description: "How LinkedIn recognises the company: its website domain, its LinkedIn company ID, or both."},
		{Key: "dmp_company_action", Label: "Company Segment Action", Type: destkit.String, Required: true, Choices: []destkit.Choice{{Value: "ADD", Label: "Add to Company Segment"}, {Value: "REMOVE", Label: "Remove from Company Segment"}},
			Description: "Whether to add the company to the segment or remove it."},
		{Key: "audience_source", Label: "Audience Source", Type: destkit.String, Required: true, Default: `"ENGAGE_RETL"`, Choices: []destkit.Choice{{Value: "ENGAGE_RETL", Label: "Engage or Reverse ETL"}, {Value: "CONNECTIONS", Label: "Connections"}},
			Description: "Where the audience comes from: Engage or Reverse ETL (named by its audience key), or Connections (named by Segment Name)."},
		{Key: "segment_name", Label: "Segment Name", Type: destkit.String, RequiredIf: &destkit.RequiredIf{Conditions: []destkit.Condition{{FieldKey: "audience_source", Operator: "is", Value: "CONNECTIONS"}}},
			Description: "Name of the company segment, for audiences from Connections."},
		{Key: "computation_key", Label: "Audience Key", Type: destkit.String, RequiredIf: &destkit.RequiredIf{Conditions: []destkit.Condition{{FieldKey: "audience_source", Operator: "is", Value: "ENGAGE_RETL"}}}, Default: `{"@path":"$.context.personas.computation_key"}`,
			Description: "Key of the Engage or Reverse ETL audience; the company segment is found or created by it."},
		{Key: "enable_batching", Label: "Enable Batching", Type: destkit.Boolean, Default: `true`,
			Description: "Send events in batches."},
		{Key: "batch_size", Label: "Batch Size", Type: destkit.Number, Default: `5000`,
			Description: "Largest number of companies per batch."},
		{Key: "batch_keys", Label: "Batch Keys", Type: destkit.String, Multiple: true, Default: `["dmp_company_action","audience_source","segment_name","computation_key"]`,
			Description: "Fields whose values must be equal for companies to share a batch."},
	},
	Batch: &destkit.Batch{MaxSize: 5000, Keys: []string{"dmp_company_action", "audience_source", "segment_name", "computation_key"}},
	Run: func(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
		return syncCompanies(ctx, d, &destkit.BatchInput{Payloads: []*fastjson.Value{in.Payload}, Settings: in.Settings, Audiences: in.Audiences})[0]
	},
	RunBatch: syncCompanies,
}

const organizationURN = "urn:li:organization:"

// company is one valid payload's element.
type company struct {
	action, domain, urn string
}

// readCompany normalises a payload's identifiers.
func readCompany(p *fastjson.Value) (company, error) {
	c := company{
		action: string(p.GetStringBytes("dmp_company_action")),
		domain: strings.ToLower(strings.TrimSpace(string(p.GetStringBytes("identifiers", "companyDomain")))),
	}
	id := strings.TrimSpace(string(p.GetStringBytes("identifiers", "linkedInCompanyId")))
	for strings.HasPrefix(strings.ToLower(id), organizationURN) {
		id = strings.TrimSpace(id[len(organizationURN):])
	}
	if id != "" {
		c.urn = organizationURN + id
	}
	if c.domain == "" && c.urn == "" {
		return c, destkit.ValidationErrorf("identifiers", "At least one of 'Company Domain' or 'LinkedIn Company ID' is required in the 'Identifiers' field.")
	}
	if c.action != "ADD" && c.action != "REMOVE" {
		return c, destkit.ValidationErrorf("dmp_company_action", "'Company Segment Action' must be exactly 'ADD' or 'REMOVE'.")
	}
	return c, nil
}

// companySegmentKey is the name the payload's segment goes by.
func companySegmentKey(p *fastjson.Value) (string, error) {
	if string(p.GetStringBytes("audience_source")) == "CONNECTIONS" {
		if k := strings.TrimSpace(string(p.GetStringBytes("segment_name"))); k != "" {
			return k, nil
		}
		return "", destkit.ValidationErrorf("segment_name", "The `Segment Name` field is required when Audience Source is \"Connections\".")
	}
	if k := strings.TrimSpace(string(p.GetStringBytes("computation_key"))); k != "" {
		return k, nil
	}
	return "", destkit.ValidationErrorf("computation_key", "The `Audience Key` field is required to look up or create a LinkedIn DMP Company Segment.")
}

func syncCompanies(ctx context.Context, d destkit.Doer, in *destkit.BatchInput) []error {
	errs := make([]error, len(in.Payloads))
	var unique []company
	var events [][]int // payload indices of each unique company
	at := map[company]int{}
	first := -1
	for i, p := range in.Payloads {
		c, err := readCompany(p)
		if err != nil {
			errs[i] = err
			continue
		}
		if first < 0 {
			first = i
		}
		k, ok := at[c]
		if !ok {
			k = len(unique)
			at[c] = k
			unique = append(unique, c)
			events = append(events, nil)
		}
		events[k] = append(events[k], i)
	}
	fail := func(err error) []error {
		for _, idx := range events {
			for _, i := range idx {
				errs[i] = err
			}
		}
		return errs
	}
	if first < 0 {
		return errs
	}
	key, err := companySegmentKey(in.Payloads[first])
	if err != nil {
		return fail(err)
	}
	id, err := segmentID(ctx, d, in.Audiences, in.Settings, companySegment, key, key)
	if err != nil {
		return fail(err)
	}
	w := destkit.NewJSONWriter(nil)
	w.ObjectStart()
	w.Key("elements")
	w.ArrayStart()
	for _, c := range unique {
		w.ObjectStart()
		w.Key("action")
		w.String(c.action)
		w.StringField("companyWebsiteDomain", c.domain)
		w.StringField("organizationUrn", c.urn)
		w.ObjectEnd()
	}
	w.ArrayEnd()
	w.ObjectEnd()
	r := destkit.NewJSONRequest("POST", apiBase+"/dmpSegments/"+id+"/companies", w.Bytes())
	r.SetHeader("X-RestLi-Method", "BATCH_CREATE")
	r.SetHeader("X-Restli-Protocol-Version", restliProtocol)
	resp, err := d.Do(ctx, &r)
	if err != nil {
		return fail(statusError(companySegment, resp, err))
	}
	v, _ := fastjson.ParseBytes(resp.Body)
	results := v.GetArray("elements")
	for k, idx := range events {
		var err error
		switch {
		case k >= len(results):
			err = &destkit.APIError{Status: 400, Code: "BAD_REQUEST", Body: []byte("LinkedIn did not return a result for this company.")}
		default:
			if st := results[k].GetInt("status"); st < 200 || st > 299 {
				err = statusError(companySegment, &destkit.Response{Status: st}, &destkit.APIError{Status: st,
					Body: []byte(fmt.Sprintf("LinkedIn returned status %d for this company: %s", st, results[k].GetStringBytes("error", "message")))})
			}
		}
		for _, i := range idx {
			errs[i] = err
		}
	}
	return errs
}
