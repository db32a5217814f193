package sendgrid

import (
	"context"
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// UpdateUserProfile upserts contacts.
var UpdateUserProfile = &destkit.Action{
	Key:         "updateUserProfile",
	Title:       "Upsert Contact",
	Description: "Create or update contacts in SendGrid Marketing Campaigns.",
	Fields: []destkit.Field{
		{Key: "enable_batching", Label: "Batch Data to SendGrid Contacts PUT API", Type: destkit.Boolean,
			Default:     `true`,
			Description: "Upsert contacts in batches through the contacts PUT API (up to 30,000 per request)."},
		{Key: "first_name", Label: "First Name", Type: destkit.String, AllowNull: true,
			Default:     `{"@if":{"exists":{"@path":"$.traits.first_name"},"then":{"@path":"$.traits.first_name"},"else":{"@path":"$.properties.first_name"}}}`,
			Description: "First name of the contact."},
		{Key: "last_name", Label: "Last Name", Type: destkit.String, AllowNull: true,
			Default:     `{"@if":{"exists":{"@path":"$.traits.last_name"},"then":{"@path":"$.traits.last_name"},"else":{"@path":"$.properties.last_name"}}}`,
			Description: "Last name of the contact."},
		{Key: "country", Label: "Country", Type: destkit.String, AllowNull: true,
			Default:     `{"@if":{"exists":{"@path":"$.traits.address.country"},"then":{"@path":"$.traits.address.country"},"else":{"@path":"$.properties.address.country"}}}`,
			Description: "Country of the contact's address."},
		{Key: "postal_code", Label: "Postal Code", Type: destkit.String, AllowNull: true,
			Default:     `{"@if":{"exists":{"@path":"$.traits.address.postal_code"},"then":{"@path":"$.traits.address.postal_code"},"else":{"@path":"$.properties.address.postal_code"}}}`,
			Description: "Postal code of the contact's address."},
		{Key: "city", Label: "City", Type: destkit.String, AllowNull: true,
			Default:     `{"@if":{"exists":{"@path":"$.traits.address.city"},"then":{"@path":"$.traits.address.city"},"else":{"@path":"$.properties.address.city"}}}`,
			Description: "City of the contact's address."},
		{Key: "state", Label: "State", Type: destkit.String, AllowNull: true,
			Default:     `{"@if":{"exists":{"@path":"$.traits.address.state"},"then":{"@path":"$.traits.address.state"},"else":{"@path":"$.properties.address.state"}}}`,
			Description: "State, province or region of the contact's address."},
		{Key: "address_line_1", Label: "Address Line 1", Type: destkit.String, AllowNull: true,
			Default:     `{"@if":{"exists":{"@path":"$.traits.address.line1"},"then":{"@path":"$.traits.address.line1"},"else":{"@path":"$.properties.address.line1"}}}`,
			Description: "First line of the contact's address."},
		{Key: "address_line_2", Label: "Address Line 2", Type: destkit.String, AllowNull: true,
			Default:     `{"@if":{"exists":{"@path":"$.traits.address.line2"},"then":{"@path":"$.traits.address.line2"},"else":{"@path":"$.properties.address.line2"}}}`,
			Description: "Second line of the contact's address."},
		{Key: "phone_number", Label: "Phone Number", Type: destkit.String, AllowNull: true,
			Default:     `{"@if":{"exists":{"@path":"$.traits.phone"},"then":{"@path":"$.traits.phone"},"else":{"@path":"$.properties.phone"}}}`,
			Description: "Phone number of the contact."},
		{Key: "whatsapp", Label: "WhatsApp", Type: destkit.String, AllowNull: true,
			Default:     `{"@if":{"exists":{"@path":"$.traits.whatsapp"},"then":{"@path":"$.traits.whatsapp"},"else":{"@path":"$.properties.whatsapp"}}}`,
			Description: "WhatsApp handle of the contact."},
		{Key: "line", Label: "Line", Type: destkit.String, AllowNull: true,
			Default:     `{"@if":{"exists":{"@path":"$.traits.line"},"then":{"@path":"$.traits.line"},"else":{"@path":"$.properties.line"}}}`,
			Description: "Line handle of the contact."},
		{Key: "facebook", Label: "Facebook", Type: destkit.String, AllowNull: true,
			Default:     `{"@if":{"exists":{"@path":"$.traits.facebook"},"then":{"@path":"$.traits.facebook"},"else":{"@path":"$.properties.facebook"}}}`,
			Description: "Facebook handle of the contact."},
		{Key: "unique_name", Label: "Unique Name", Type: destkit.String, AllowNull: true,
			Default:     `{"@if":{"exists":{"@path":"$.traits.unique_name"},"then":{"@path":"$.traits.unique_name"},"else":{"@path":"$.properties.unique_name"}}}`,
			Description: "Unique name of the contact."},
		{Key: "primary_email", Label: "Email Address", Type: destkit.String, AllowNull: true,
			Default:     `{"@if":{"exists":{"@path":"$.traits.email"},"then":{"@path":"$.traits.email"},"else":{"@path":"$.properties.email"}}}`,
			Description: "Primary email address of the contact; one of the four identifiers."},
		{Key: "phone_number_id", Label: "Phone Number ID", Type: destkit.String, AllowNull: true,
			Default:     `{"@if":{"exists":{"@path":"$.traits.phone"},"then":{"@path":"$.traits.phone"},"else":{"@path":"$.properties.phone"}}}`,
			Description: "Phone number identifying the contact; one of the four identifiers."},
		{Key: "external_id", Label: "External ID", Type: destkit.String, AllowNull: true,
			Default:     `{"@if":{"exists":{"@path":"$.traits.external_id"},"then":{"@path":"$.traits.external_id"},"else":{"@path":"$.properties.external_id"}}}`,
			Description: "Your identifier of the contact; one of the four identifiers."},
		{Key: "anonymous_id", Label: "Anonymous ID ", Type: destkit.String, AllowNull: true,
			Default:     `{"@path":"$.anonymousId"}`,
			Description: "Anonymous identifier of the contact; one of the four identifiers."},
		{Key: "customFields", Label: "Other Fields", Type: destkit.Object,
			Description: "Custom field values, keyed by the SendGrid custom field ID or name (the field must exist in your account)."},
	},
	// Segment's platform default (the action has no batch size field);
	// SendGrid itself accepts 30,000 contacts per request.
	Batch: &destkit.Batch{MaxSize: 1000},
	Run: func(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
		return runBatch(ctx, d, in.Settings, []*fastjson.Value{in.Payload})[0]
	},
	RunBatch: func(ctx context.Context, d destkit.Doer, in *destkit.BatchInput) []error {
		return runBatch(ctx, d, in.Settings, in.Payloads)
	},
}

// customField is one custom field definition of the account.
type customField struct{ id, name string }

func runBatch(ctx context.Context, d destkit.Doer, s *destkit.Settings, payloads []*fastjson.Value) []error {
	errs := make([]error, len(payloads))
	all := func(err error) []error {
		for i := range errs {
			if errs[i] == nil {
				errs[i] = err
			}
		}
		return errs
	}
	base := endpoint(s)
	get := destkit.Request{Method: "GET", URL: base + "/v3/marketing/field_definitions"}
	resp, err := d.Do(ctx, &get)
	if err != nil {
		return all(err)
	}
	defs, err := parseCustomFields(resp.Body)
	if err != nil {
		return all(err)
	}
	w := destkit.NewJSONWriter(make([]byte, 0, 512*len(payloads)))
	w.ObjectStart()
	w.Key("contacts")
	w.ArrayStart()
	n := 0
	for i, p := range payloads {
		contact, err := convertContact(p, defs)
		if err != nil {
			errs[i] = err
			continue
		}
		w.Raw(contact)
		n++
	}
	w.ArrayEnd()
	w.ObjectEnd()
	if n == 0 {
		return errs
	}
	put := destkit.NewJSONRequest("PUT", base+"/v3/marketing/contacts", w.Bytes())
	_, err = d.Do(ctx, &put)
	return all(err)
}

func parseCustomFields(body []byte) ([]customField, error) {
	v, err := fastjson.ParseBytes(body)
	if err != nil {
		return nil, &destkit.IntegrationError{Code: "INVALID_RESPONSE", Message: "SendGrid field definitions are not JSON: " + err.Error(), Retryable: true}
	}
	var defs []customField
	for _, f := range v.GetArray("custom_fields") {
		defs = append(defs, customField{id: string(f.GetStringBytes("id")), name: string(f.GetStringBytes("name"))})
	}
	return defs, nil
}

// identifiers are the payload fields of which a contact needs at least one.
var identifiers = []string{"primary_email", "phone_number_id", "external_id", "anonymous_id"}

// convertContact writes one contact: the payload's fields in their order
// except state, primary_email, enable_batching and customFields, then
// state_province_region, email and custom_fields (keyed by ID, with
// booleans, objects, arrays and null sent as JSON text).
func convertContact(p *fastjson.Value, defs []customField) ([]byte, error) {
	found := false
	for _, k := range identifiers {
		if destkit.Truthy(p.Get(k)) {
			found = true
		}
	}
	if !found {
		return nil, destkit.ValidationErrorf("primary_email", "Contact must have at least one identifying field included (email, phone_number_id, external_id, anonymous_id).")
	}
	// {...rest, state_province_region: state, email: primary_email,
	// custom_fields}: the payload's own keys first, in their order.
	var c destkit.JSObject
	c.Assign(p, func(k string) bool {
		return k == "state" || k == "primary_email" || k == "enable_batching" || k == "customFields"
	})
	c.SetValue("state_province_region", p.Get("state"))
	c.SetValue("email", p.Get("primary_email"))
	// Keys resolve to IDs; two keys naming the same field keep the first
	// one's place and the last one's value, as assigning into an object does.
	var cf destkit.JSObject
	var failed error
	if o := p.GetObject("customFields"); o != nil {
		o.Visit(func(k []byte, v *fastjson.Value) {
			id, ok := customFieldID(string(k), defs)
			if !ok {
				if failed == nil {
					failed = destkit.ValidationErrorf("customFields."+string(k),
						"Unknown custom field '%s'. To see your defined custom fields, visit https://mc.sendgrid.com/custom-fields", k)
				}
				return
			}
			switch v.Type() {
			case fastjson.TypeTrue, fastjson.TypeFalse, fastjson.TypeObject, fastjson.TypeArray, fastjson.TypeNull:
				cf.SetString(id, string(destkit.AppendValue(nil, v)))
			default:
				cf.SetValue(id, v)
			}
		})
	}
	if failed != nil {
		return nil, failed
	}
	c.Set("custom_fields", cf.AppendJSON(nil))
	return c.AppendJSON(make([]byte, 0, 512)), nil
}

// customFieldID resolves a custom field key: an ID as it is, or a name
// (any case) to its ID.
func customFieldID(key string, defs []customField) (string, bool) {
	for _, d := range defs {
		if d.id == key {
			return key, true
		}
	}
	for _, d := range defs {
		if strings.EqualFold(d.name, key) {
			return d.id, true
		}
	}
	return "", false
}
