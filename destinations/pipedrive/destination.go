// Package pipedrive creates and updates persons, organizations, deals,
// leads, activities and notes in Pipedrive, finding existing records by a
// match field first.
//
// Sources: Pipedrive's API v1 reference (itemSearch/field, persons,
// organizations, deals, leads, activities, notes) and Segment's
// open-source Pipedrive destination; the requests follow Segment's code.
// Every request goes to https://{domain}.pipedrive.com/api/v1 with the API
// token in the api_token query parameter. The domain setting must be a
// single DNS label (the company's subdomain), so a setting cannot point
// requests at another host.
//
// Each action first looks records up with GET itemSearch/field (exact
// match on the match field, by default the record id), then updates what
// it found (PUT, PATCH for leads) or creates a record (POST), writing the
// match value into the match field of a new person, organization or deal.
//
// Two quirks of Segment's requests are kept so that Pipedrive sees the
// same requests: the search query carries "headers=[object Object]" after
// the token (Segment's request client leaks its merged header map into
// the query; Pipedrive ignores it), and custom fields overwrite standard
// ones of the same name in place. One difference is deliberate: Segment
// treats every failed search as "not found" and creates a record; here a
// search that fails with a retryable error (429, 5xx, network) retries the
// event instead, so an outage does not create duplicates. Other search
// failures still count as "not found", as in Segment.
package pipedrive

import (
	"context"
	"errors"
	"regexp"
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// Definition is the Pipedrive destination.
var Definition = &destkit.Definition{
	Slug:        "pipedrive",
	SegmentSlug: "actions-pipedrive",
	Name:        "Actions Pipedrive",
	Description: "Create and update persons, organizations, deals, leads, activities and notes in Pipedrive.",
	Auth:        destkit.AuthCustom,
	Settings: []destkit.Field{
		{Key: "domain", Label: "Domain", Type: destkit.String, Required: true,
			Description: "Your Pipedrive company domain: the acme in acme.pipedrive.com."},
		{Key: "apiToken", Label: "API Token", Type: destkit.Password, Required: true, Secret: true,
			Description: "Your personal API token, from Settings > Personal preferences > API in Pipedrive."},
		{Key: "personField", Label: "External ID field for a Person in Pipedrive", Type: destkit.String,
			Default:     `"id"`,
			Description: "Field persons are looked up by when a mapping names none: id, or the key (hash) of a custom field holding your id."},
		{Key: "organizationField", Label: "External ID field for an Organization in Pipedrive", Type: destkit.String,
			Default:     `"id"`,
			Description: "Field organizations are looked up by when a mapping names none: id, or the key of a custom field."},
		{Key: "dealField", Label: "External ID field for a Deal in Pipedrive", Type: destkit.String,
			Default:     `"id"`,
			Description: "Field deals are looked up by when a mapping names none: id, or the key of a custom field."},
	},
	Actions: []*destkit.Action{CreateUpdateOrganization, CreateUpdatePerson, CreateUpdateActivity, CreateUpdateDeal, CreateUpdateLead, CreateUpdateNote},
	Presets: []destkit.Preset{
		{Name: "Create or Update a Person", Action: "createUpdatePerson", Trigger: `type = "identify"`,
			Mapping: destkit.JSON(CreateUpdatePerson.DefaultMapping())},
		{Name: "Create or Update an Organization", Action: "createUpdateOrganization", Trigger: `type = "group"`,
			Mapping: destkit.JSON(CreateUpdateOrganization.DefaultMapping())},
		{Name: "Create or Update an Activity", Action: "createUpdateActivity", Trigger: `type = "track" and event = "Activity Upserted"`,
			Mapping: destkit.JSON(CreateUpdateActivity.DefaultMapping())},
	},
}

var domainLabel = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`)

// apiURL is the URL of path with the token and then query (already
// encoded) as its query string.
func apiURL(s *destkit.Settings, path, query string) (string, error) {
	domain := s.Str("domain")
	if !domainLabel.MatchString(domain) {
		return "", &destkit.AuthError{Code: "INVALID_AUTHENTICATION", Message: "The Pipedrive domain must be the company subdomain only (acme for acme.pipedrive.com)."}
	}
	u := "https://" + domain + ".pipedrive.com/api/v1/" + path + "?api_token=" + formEncode(s.Str("apiToken"))
	if query != "" {
		u += "&" + query
	}
	return u, nil
}

// formEncode escapes s as URLSearchParams does: alphanumerics and *-._
// stay, a space becomes +, everything else is percent-encoded.
func formEncode(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '*', c == '-', c == '.', c == '_':
			b.WriteByte(c)
		case c == ' ':
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

// searchFields name the item types of itemSearch/field.
var searchFields = map[string]string{"person": "personField", "organization": "organizationField", "deal": "dealField"}

// found is the id of a record a search found: as it goes in a URL, and as
// JSON. The zero value means not found.
type found struct {
	id  string
	raw []byte
}

// findID looks up the id of the item whose field equals term; there is no
// result without a term or a match.
func findID(ctx context.Context, d destkit.Doer, s *destkit.Settings, item, field, term string) (found, error) {
	if term == "" {
		return found{}, nil
	}
	q := "headers=%5Bobject+Object%5D&term=" + formEncode(term) + "&field_key=" + formEncode(field) +
		"&exact_match=true&field_type=" + searchFields[item] + "&return_item_ids=true"
	u, err := apiURL(s, "itemSearch/field", q)
	if err != nil {
		return found{}, err
	}
	resp, err := d.Do(ctx, &destkit.Request{Method: "GET", URL: u})
	if err != nil {
		if destkit.Classify(err).Outcome == destkit.Retry || isAuth(err) {
			return found{}, err
		}
		return found{}, nil
	}
	v, err := fastjson.ParseBytes(resp.Body)
	if err != nil {
		return found{}, nil
	}
	id := v.Get("data", "0", "id")
	if jsID(id) == "" {
		return found{}, nil
	}
	return found{id: jsID(id), raw: destkit.AppendValue(nil, id)}, nil
}

func isAuth(err error) bool {
	var ae *destkit.AuthError
	var api *destkit.APIError
	return errors.As(err, &ae) || errors.As(err, &api) && api.Status == 401
}

// jsID renders an id as JavaScript would put it in a URL; a falsy id
// (missing, 0, "", false, null) is "".
func jsID(v *fastjson.Value) string {
	if v == nil {
		return ""
	}
	switch v.Type() {
	case fastjson.TypeNumber:
		if f := v.GetFloat64(); f != 0 && f == f {
			return string(destkit.AppendJSNumber(nil, f))
		}
	case fastjson.TypeString:
		return string(v.GetStringBytes())
	case fastjson.TypeTrue:
		return "true"
	case fastjson.TypeObject, fastjson.TypeArray:
		return "[object Object]"
	}
	return ""
}

// matchField is the lookup field: the mapping's, else the setting, else id.
func matchField(p *fastjson.Value, key string, s *destkit.Settings, setting string) string {
	if f := string(p.GetStringBytes(key)); f != "" {
		return f
	}
	if f := s.Str(setting); f != "" {
		return f
	}
	return "id"
}

// save creates the record (POST path) or, with an id, updates it (PUT, or
// PATCH for leads).
func save(ctx context.Context, d destkit.Doer, s *destkit.Settings, path, id string, body *destkit.JSObject) error {
	method := "POST"
	if id != "" {
		method = "PUT"
		if path == "leads" {
			method = "PATCH"
		}
		path += "/" + id
	}
	u, err := apiURL(s, path, "")
	if err != nil {
		return err
	}
	r := destkit.NewJSONRequest(method, u, body.AppendJSON(make([]byte, 0, 256)))
	_, err = d.Do(ctx, &r)
	return err
}

// saveByBodyID saves body under its own "id" key, as Segment's client
// does: a truthy id is removed from the body and addresses the update; a
// falsy one stays in the body of a create.
func saveByBodyID(ctx context.Context, d destkit.Doer, s *destkit.Settings, path string, body *destkit.JSObject) error {
	id := ""
	if raw := body.Get("id"); raw != nil {
		if v, err := fastjson.ParseBytes(raw); err == nil {
			id = jsID(v)
		}
		if id != "" {
			body.Delete("id")
		}
	}
	return save(ctx, d, s, path, id, body)
}

// addTime renders a Created At value as a template string would.
func addTime(v *fastjson.Value) []byte {
	switch {
	case v == nil:
		return nil
	case v.Type() == fastjson.TypeNumber:
		return destkit.AppendJSONString(nil, string(destkit.AppendJSNumber(nil, v.GetFloat64())))
	case v.Type() == fastjson.TypeString:
		if len(v.GetStringBytes()) == 0 {
			return nil
		}
		return destkit.AppendValue(nil, v)
	}
	return nil
}

// Fields several actions share.
var (
	visibleTo = destkit.Field{Key: "visible_to", Label: "Visible To", Type: destkit.String,
		Choices: []destkit.Choice{{Value: "1", Label: "Owner & followers (private)"}, {Value: "3", Label: "Entire company (shared)"},
			{Value: "5", Label: "Owner's visibility group and sub-groups"}, {Value: "7", Label: "Entire company"}},
		Description: "Who can see the record; the available values depend on your Pipedrive plan."}
	addTimeField = destkit.Field{Key: "add_time", Label: "Created At", Type: destkit.Datetime,
		Description: "When the record was created (UTC, YYYY-MM-DD HH:MM:SS)."}
	customFields = destkit.Field{Key: "custom_fields", Label: "Custom fields", Type: destkit.Object,
		Description: "Custom fields to set, by their Pipedrive key (a hash); they are written after the standard ones."}
	personMatchField = destkit.Field{Key: "person_match_field", Label: "Person match field", Type: destkit.String, Dynamic: fieldChoices("person"),
		Description: "Field to find the related person by; defaults to the setting of that name."}
	personMatchValue = destkit.Field{Key: "person_match_value", Label: "Person match value", Type: destkit.String,
		Default:     `{"@path":"$.userId"}`,
		Description: "Value of the person match field of the related person."}
	orgMatchField = destkit.Field{Key: "organization_match_field", Label: "Organization match field", Type: destkit.String, Dynamic: fieldChoices("organization"),
		Description: "Field to find the related organization by; defaults to the setting of that name."}
	orgMatchValue = destkit.Field{Key: "organization_match_value", Label: "Organization match value", Type: destkit.String,
		Default:     `{"@path":"$.context.groupId"}`,
		Description: "Value of the organization match field of the related organization."}
	dealMatchField = destkit.Field{Key: "deal_match_field", Label: "Deal match field", Type: destkit.String, Dynamic: fieldChoices("deal"),
		Description: "Field to find the deal by; defaults to the setting of that name."}
	dealMatchValue = destkit.Field{Key: "deal_match_value", Label: "Deal match value", Type: destkit.String,
		Default:     `{"@path":"$.properties.deal_id"}`,
		Description: "Value of the deal match field of the deal."}
)

// related looks up the records an action refers to (person, organization,
// deal), in the order given.
func related(ctx context.Context, d destkit.Doer, in *destkit.Input, items ...string) (map[string]found, error) {
	p, s := in.Payload, in.Settings
	ids := map[string]found{}
	for _, item := range items {
		field := matchField(p, item+"_match_field", s, item+"Field")
		f, err := findID(ctx, d, s, item, field, string(p.GetStringBytes(item+"_match_value")))
		if err != nil {
			return nil, err
		}
		ids[item] = f
	}
	return ids, nil
}
