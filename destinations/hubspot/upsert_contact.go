package hubspot

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// UpsertContact creates or updates a contact keyed by email.
var UpsertContact = &destkit.Action{
	Key:                 "upsertContact",
	Title:               "Upsert Contact",
	Description:         "Create a HubSpot contact, or update the one with the same email.",
	DefaultSubscription: `type = "identify"`,
	Fields: []destkit.Field{
		{Key: "email", Label: "Email", Type: destkit.String, Required: true, Format: "email",
			Default:     `{"@path":"$.traits.email"}`,
			Description: "Email of the contact; HubSpot's unique key for contacts."},
		{Key: "company", Label: "Company Name", Type: destkit.String,
			Default:     `{"@path":"$.traits.company"}`,
			Description: "Company name of the contact."},
		{Key: "firstname", Label: "First Name", Type: destkit.String,
			Default:     `{"@if":{"exists":{"@path":"$.traits.first_name"},"then":{"@path":"$.traits.first_name"},"else":{"@path":"$.traits.firstName"}}}`,
			Description: "First name."},
		{Key: "lastname", Label: "Last Name", Type: destkit.String,
			Default:     `{"@if":{"exists":{"@path":"$.traits.last_name"},"then":{"@path":"$.traits.last_name"},"else":{"@path":"$.traits.lastName"}}}`,
			Description: "Last name."},
		{Key: "phone", Label: "Phone", Type: destkit.String,
			Default:     `{"@path":"$.traits.phone"}`,
			Description: "Phone number."},
		{Key: "address", Label: "Street Address", Type: destkit.String,
			Default:     `{"@path":"$.traits.address.street"}`,
			Description: "Street address."},
		{Key: "city", Label: "City", Type: destkit.String,
			Default:     `{"@path":"$.traits.address.city"}`,
			Description: "City."},
		{Key: "state", Label: "State", Type: destkit.String,
			Default:     `{"@path":"$.traits.address.state"}`,
			Description: "State or region."},
		{Key: "country", Label: "Country", Type: destkit.String,
			Default:     `{"@path":"$.traits.address.country"}`,
			Description: "Country."},
		{Key: "zip", Label: "Postal Code", Type: destkit.String,
			Default:     `{"@if":{"exists":{"@path":"$.traits.address.postalCode"},"then":{"@path":"$.traits.address.postalCode"},"else":{"@path":"$.traits.address.postal_code"}}}`,
			Description: "Postal code."},
		{Key: "website", Label: "Website", Type: destkit.String,
			Default:     `{"@path":"$.traits.website"}`,
			Description: "Website URL."},
		{Key: "lifecyclestage", Label: "Lifecycle Stage", Type: destkit.String,
			Description: "Lifecycle stage; HubSpot only moves a contact forward."},
		{Key: "properties", Label: "Other properties", Type: destkit.Object,
			Description: "More contact properties, keyed by their HubSpot internal names."},
		{Key: "enable_batching", Label: "Send Batch Data to HubSpot", Type: destkit.Boolean,
			Default:     `false`,
			Description: "Send contacts in batches of up to 100."},
	},
	// HubSpot's batch endpoints take at most 100 inputs.
	Batch:        &destkit.Batch{MaxSize: 100},
	Run:          upsertContact,
	PerformBatch: upsertContactBatch,
}

// contactKeys are the standard contact properties mapped by fields.
var contactKeys = []string{"email", "company", "firstname", "lastname", "phone", "address", "city", "state",
	"country", "zip", "website", "lifecyclestage"}

func writeContactProperties(w *destkit.JSONWriter, p *fastjson.Value) {
	w.ObjectStart()
	for _, k := range contactKeys {
		if k == "lifecyclestage" {
			// HubSpot's stage values are lower case internal names.
			if s := p.GetStringBytes(k); len(s) > 0 {
				w.Key(k)
				w.String(strings.ToLower(string(s)))
			}
			continue
		}
		w.Field(k, p.Get(k))
	}
	if extra := p.GetObject("properties"); extra != nil {
		extra.Visit(func(k []byte, v *fastjson.Value) {
			w.Key(string(k))
			w.Value(v)
		})
	}
	w.ObjectEnd()
}

// upsertContact updates the contact by email and creates it when HubSpot
// answers 404. Update first: most identify calls are about known contacts.
func upsertContact(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
	p := in.Payload
	w := destkit.NewJSONWriter(make([]byte, 0, 512))
	w.ObjectStart()
	w.Key("properties")
	writeContactProperties(w, p)
	w.ObjectEnd()
	body := w.Bytes()
	email := string(p.GetStringBytes("email"))
	upd := destkit.NewJSONRequest(http.MethodPatch,
		apiBase+"/crm/v3/objects/contacts/"+url.PathEscape(email)+"?idProperty=email", body)
	_, err := d.Do(ctx, &upd)
	var api *destkit.APIError
	if !errors.As(err, &api) || api.Status != http.StatusNotFound {
		return err
	}
	create := destkit.NewJSONRequest(http.MethodPost, apiBase+"/crm/v3/objects/contacts", body)
	_, err = d.Do(ctx, &create)
	return err
}

// upsertContactBatch uses the batch upsert endpoint, which creates or
// updates by email in one call.
func upsertContactBatch(in *destkit.BatchInput) ([]destkit.Request, error) {
	w := destkit.NewJSONWriter(make([]byte, 0, 384*len(in.Payloads)))
	w.ObjectStart()
	w.Key("inputs")
	w.ArrayStart()
	for _, p := range in.Payloads {
		w.ObjectStart()
		w.Key("idProperty")
		w.String("email")
		w.Key("id")
		w.Value(p.Get("email"))
		w.Key("properties")
		writeContactProperties(w, p)
		w.ObjectEnd()
	}
	w.ArrayEnd()
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest(http.MethodPost, apiBase+"/crm/v3/objects/contacts/batch/upsert", w.Bytes())}, nil
}
