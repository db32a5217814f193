package intercom

import (
	"context"
	"net/url"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// GroupIdentifyContact upserts a company and attaches a contact to it.
var GroupIdentifyContact = &destkit.Action{
	Key:                 "groupIdentifyContact",
	Title:               "Identify Company",
	Description:         "Create or update a company in Intercom and attach a contact to it.",
	DefaultSubscription: `type = "group"`,
	Fields: []destkit.Field{
		{Key: "remote_created_at", Label: "Company Creation Time", Type: destkit.Datetime,
			Default:     `{"@path":"$.traits.createdAt"}`,
			Description: "When you created the company."},
		{Key: "external_id", Label: "External ID", Type: destkit.String,
			Default:     `{"@path":"$.userId"}`,
			Description: "External id of the contact to attach, when there is no Contact ID."},
		{Key: "email", Label: "Email Address", Type: destkit.String, Format: "email",
			Default:     `{"@path":"$.traits.email"}`,
			Description: "Email of the contact to attach, when there is no Contact ID or external id."},
		{Key: "company_id", Label: "Company ID", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.groupId"}`,
			Description: "Your id for the company; it cannot change once set."},
		{Key: "contact_id", Label: "Contact ID", Type: destkit.String,
			Description: "Intercom's id of the contact to attach; otherwise the contact is searched by external id or email."},
		{Key: "name", Label: "Company Name", Type: destkit.String,
			Default:     `{"@path":"$.traits.name"}`,
			Description: "Name of the company."},
		{Key: "monthly_spend", Label: "Monthly Spend", Type: destkit.Number,
			Default:     `{"@path":"$.traits.monthly_spend"}`,
			Description: "Revenue the company brings you each month."},
		{Key: "plan", Label: "Company Plan", Type: destkit.String,
			Default:     `{"@path":"$.traits.plan"}`,
			Description: "Name of the company's plan."},
		{Key: "size", Label: "Company Size", Type: destkit.Number,
			Default:     `{"@path":"$.traits.employees"}`,
			Description: "Number of employees."},
		{Key: "website", Label: "Company Website", Type: destkit.String,
			Default:     `{"@path":"$.traits.website"}`,
			Description: "URL of the company's website."},
		{Key: "industry", Label: "Industry", Type: destkit.String,
			Default:     `{"@path":"$.traits.industry"}`,
			Description: "The company's industry."},
		{Key: "custom_attributes", Label: "Custom Attributes", Type: destkit.Object,
			Description: "Values of company custom attributes that already exist in the Intercom workspace."},
	},
	Run: groupIdentifyContact,
}

func groupIdentifyContact(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
	p := in.Payload
	if len(p.GetStringBytes("company_id")) == 0 {
		return destkit.ValidationErrorf("company_id", "The field company_id is required.")
	}
	contact := string(p.GetStringBytes("contact_id"))
	if contact == "" {
		var err error
		if contact, err = findContact(ctx, d, string(p.GetStringBytes("external_id")), string(p.GetStringBytes("email"))); err != nil {
			return err
		}
	}
	w := destkit.NewJSONWriter(make([]byte, 0, 512))
	w.ObjectStart()
	writePayload(w, p, []string{"remote_created_at"}, "email", "external_id", "contact_id")
	w.ObjectEnd()
	r := destkit.NewJSONRequest("POST", apiBase+"/companies", w.Bytes())
	resp, err := d.Do(ctx, &r)
	if err != nil || contact == "" {
		// Intercom shows a company once a contact is attached to it.
		return err
	}
	company := ""
	if v, perr := fastjson.ParseBytes(resp.Body); perr == nil {
		company = idString(v.Get("id"))
	}
	if company == "" {
		return &destkit.IntegrationError{Code: "UNEXPECTED_RESPONSE", Message: "Intercom returned no company id to attach the contact to", Retryable: true}
	}
	aw := destkit.NewJSONWriter(make([]byte, 0, 64))
	aw.ObjectStart()
	aw.Key("id")
	aw.String(company)
	aw.ObjectEnd()
	attach := destkit.NewJSONRequest("POST", apiBase+"/contacts/"+url.PathEscape(contact)+"/companies", aw.Bytes())
	_, err = d.Do(ctx, &attach)
	return err
}
