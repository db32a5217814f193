package closecrm

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// CreateUpdateContactAndLead hands the payload to Close's Segment endpoint,
// which does the matching and upserting on Close's side.
var CreateUpdateContactAndLead = &destkit.Action{
	Key:                 "createUpdateContactAndLead",
	Title:               "Create or Update Contact and Lead",
	Description:         "Create or update a contact and its lead, matched by your IDs or by email.",
	DefaultSubscription: `type = "identify"`,
	Fields: []destkit.Field{
		{Key: "lead_name", Label: "Lead Name", Type: destkit.String,
			Default:     `{"@path":"$.traits.company.name"}`,
			Description: "Name of the lead (the company)."},
		{Key: "lead_external_id", Label: "Lead Company ID", Type: destkit.String,
			Default:     `{"@path":"$.traits.company.id"}`,
			Description: "Your identifier of the company; stored in the lead custom field named in settings."},
		{Key: "lead_description", Label: "Lead Description", Type: destkit.String,
			Description: "Description of the lead."},
		{Key: "lead_status_id", Label: "Lead Status ID", Type: destkit.String,
			Description: "Status to give a newly created lead."},
		{Key: "lead_custom_fields", Label: "Lead Custom Fields", Type: destkit.Object,
			Description: "Lead custom fields to set, keyed by custom field ID (cf_...)."},
		{Key: "contact_name", Label: "Contact Name", Type: destkit.String,
			Default:     `{"@path":"$.traits.name"}`,
			Description: "Full name of the contact."},
		{Key: "contact_email", Label: "Contact Email", Type: destkit.String,
			Default:     `{"@path":"$.traits.email"}`,
			Description: "Email address of the contact; used to find existing contacts."},
		{Key: "contact_phone", Label: "Contact Phone", Type: destkit.String,
			Default:     `{"@path":"$.traits.phone"}`,
			Description: "Phone number of the contact."},
		{Key: "contact_url", Label: "Contact URL", Type: destkit.String,
			Default:     `{"@path":"$.traits.website"}`,
			Description: "Website of the contact."},
		{Key: "contact_title", Label: "Contact Title", Type: destkit.String,
			Default:     `{"@path":"$.traits.title"}`,
			Description: "Job title of the contact."},
		{Key: "contact_external_id", Label: "Contact User ID", Type: destkit.String,
			Default:     `{"@path":"$.userId"}`,
			Description: "Your identifier of the user; stored in the contact custom field named in settings."},
		{Key: "contact_custom_fields", Label: "Contact Custom Fields", Type: destkit.Object,
			Description: "Contact custom fields to set, keyed by custom field ID (cf_...)."},
		{Key: "allow_creating_new_leads", Label: "Allow creating new Leads", Type: destkit.Boolean,
			Default:     `true`,
			Description: "Create a lead when none matches."},
		{Key: "allow_updating_existing_leads", Label: "Allow updating existing Leads", Type: destkit.Boolean,
			Default:     `true`,
			Description: "Update the lead that matches."},
		{Key: "allow_creating_new_contacts", Label: "Allow creating new Contacts", Type: destkit.Boolean,
			Default:     `true`,
			Description: "Create a contact when none matches."},
		{Key: "allow_updating_existing_contacts", Label: "Allow updating existing Contacts", Type: destkit.Boolean,
			Default:     `true`,
			Description: "Update the contact that matches."},
		{Key: "allow_creating_duplicate_contacts", Label: "Allow creating duplicate Contacts under different Lead", Type: destkit.Boolean,
			Default:     `true`,
			Description: "Create a contact even when another lead already has one with the same email."},
	},
	// The five allow_* flags are the webhook's settings, not part of the
	// contact: Segment moves them out of action_payload into settings.
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		p := in.Payload
		w := destkit.NewJSONWriter(make([]byte, 0, 512))
		w.ObjectStart()
		w.Key("action_payload")
		w.ObjectStart()
		if o := p.GetObject(); o != nil {
			o.Visit(func(k []byte, v *fastjson.Value) {
				if !isFlag(string(k)) {
					w.Key(string(k))
					w.Value(v)
				}
			})
		}
		w.ObjectEnd()
		w.Key("settings")
		w.ObjectStart()
		w.Key("contact_custom_field_id_for_user_id")
		w.String(in.Settings.Str("contact_custom_field_id_for_user_id"))
		w.Key("lead_custom_field_id_for_company_id")
		w.String(in.Settings.Str("lead_custom_field_id_for_company_id"))
		for _, k := range flags {
			w.Field(k, p.Get(k))
		}
		w.ObjectEnd()
		w.ObjectEnd()
		return []destkit.Request{destkit.NewJSONRequest("POST", endpoint, w.Bytes())}, nil
	},
}

// flags are the payload fields that travel as settings.
var flags = []string{"allow_creating_new_leads", "allow_updating_existing_leads", "allow_creating_new_contacts",
	"allow_updating_existing_contacts", "allow_creating_duplicate_contacts"}

func isFlag(k string) bool {
	for _, f := range flags {
		if f == k {
			return true
		}
	}
	return false
}

const endpoint = "https://services.close.com/webhooks/segment/actions/create-update-contact-and-lead/"
