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

// groupIDProperty is the hidden unique company property that ties a
// Segment group to a HubSpot company. The name is Segment's, so companies
// created by Segment are found again here.
const groupIDProperty = "segment_group_id"

// UpsertCompany creates or updates the company of a group call.
var UpsertCompany = &destkit.Action{
	Key:                 "upsertCompany",
	Title:               "Upsert Company",
	Description:         "Create a HubSpot company, or update the one with the same group ID or matching search fields.",
	DefaultSubscription: `type = "group"`,
	Fields: []destkit.Field{
		{Key: "groupid", Label: "Unique Company Identifier", Type: destkit.String, Required: true, Default: `{"@if":{"exists":{"@path":"$.groupId"},"then":{"@path":"$.groupId"},"else":{"@path":"$.context.groupId"}}}`, Description: "Segment group ID; stored on the company in the hidden segment_group_id property to find it again."},
		{Key: "createNewCompany", Label: "Create Company if Not Found", Type: destkit.Boolean, Required: true, Default: `true`, Description: "Create the company when neither the group ID nor the search fields find one."},
		{Key: "associateContact", Label: "Associate Contact with Company", Type: destkit.Boolean, Required: true, Default: `true`, Description: "Associate the company with the contact of the same event (needs a prior Upsert Contact in the same transaction)."},
		{Key: "companysearchfields", Label: "Company Search Fields", Type: destkit.Object, Description: "Properties that identify an existing company when the group ID finds none; any one matching counts."},
		{Key: "name", Label: "Company Name", Type: destkit.String, Default: `{"@path":"$.traits.name"}`, Description: "Company name."},
		{Key: "description", Label: "Company Description", Type: destkit.String, Default: `{"@path":"$.traits.description"}`, Description: "What the company does, in a sentence or two; sent trimmed."},
		{Key: "address", Label: "Street Address", Type: destkit.String, Default: `{"@path":"$.traits.address.street"}`, Description: "Street address."},
		{Key: "city", Label: "City", Type: destkit.String, Default: `{"@path":"$.traits.address.city"}`, Description: "City."},
		{Key: "state", Label: "State", Type: destkit.String, Default: `{"@path":"$.traits.address.state"}`, Description: "State or region."},
		{Key: "zip", Label: "Postal Code", Type: destkit.String, Default: `{"@if":{"exists":{"@path":"$.traits.address.postalCode"},"then":{"@path":"$.traits.address.postalCode"},"else":{"@path":"$.traits.address.postal_code"}}}`, Description: "Postal code."},
		{Key: "domain", Label: "Domain", Type: destkit.String, Default: `{"@path":"$.traits.website"}`, Description: "Company website domain."},
		{Key: "phone", Label: "Phone", Type: destkit.String, Default: `{"@path":"$.traits.phone"}`, Description: "Main phone number."},
		{Key: "numberofemployees", Label: "Number of Employees", Type: destkit.Integer, Default: `{"@path":"$.traits.employees"}`, Description: "Head count."},
		{Key: "industry", Label: "Industry", Type: destkit.String, Default: `{"@path":"$.traits.industry"}`, Description: "Industry, as one of HubSpot's industry values."},
		{Key: "lifecyclestage", Label: "Lifecycle Stage", Type: destkit.String, Description: "Lifecycle stage; HubSpot only moves a company forward."},
		{Key: "properties", Label: "Other Properties", Type: destkit.Object, Description: "More company properties, keyed by their HubSpot internal names."},
	},
	Run: upsertCompany,
}

var (
	errCompanySearch = &destkit.IntegrationError{Code: "Company Search Failed",
		Message: "HubSpot refused the company search; check that every Company Search Field is a property defined in HubSpot."}
	errManyCompanies = &destkit.IntegrationError{Code: "Search Criteria Not Unique",
		Message: "The Company Search Fields matched more than one company, so none was updated."}
	errGroupIDMissing = &destkit.RetryableError{Err: errors.New("the segment_group_id company property did not exist in HubSpot; it has been created and the event will be retried")}
)

var companyKeys = []string{"name", "description", "address", "city", "state", "zip", "domain", "phone", "numberofemployees", "industry"}

func companyProperties(p *fastjson.Value) []byte {
	w := destkit.NewJSONWriter(make([]byte, 0, 384))
	w.ObjectStart()
	for _, k := range companyKeys {
		v := p.Get(k)
		if v == nil {
			continue
		}
		w.Key(k)
		if v.Type() == fastjson.TypeString {
			w.String(strings.TrimSpace(string(v.GetStringBytes())))
		} else {
			w.Value(v)
		}
	}
	if s := p.GetStringBytes("lifecyclestage"); len(s) > 0 {
		// HubSpot's stage values are lower case internal names.
		w.Key("lifecyclestage")
		w.String(strings.ToLower(strings.TrimSpace(string(s))))
	}
	w.Key(groupIDProperty)
	w.Value(p.Get("groupid"))
	writeFlattened(w, p.GetObject("properties"))
	w.ObjectEnd()
	return w.Bytes()
}

// upsertCompany looks the company up by its group ID first (an update by
// unique property, one call when it exists), then by the search fields,
// and creates it only when both miss and creation is allowed.
func upsertCompany(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
	p := in.Payload
	if p.Get("properties", groupIDProperty) != nil {
		return destkit.ValidationErrorf("properties",
			"The %s property is reserved for matching Segment groups to HubSpot companies and cannot be mapped.", groupIDProperty)
	}
	// Segment associates with the contact its Upsert Contact stored in the
	// event's transaction; events here carry no such context, so the
	// company is upserted and the association left to the contact side.
	props := companyProperties(p)
	body := wrapProperties(props)
	companies := objectsURL("companies")

	byGroup := destkit.NewJSONRequest(http.MethodPatch,
		companies+"/"+url.PathEscape(string(p.GetStringBytes("groupid")))+"?idProperty="+groupIDProperty, body)
	_, err := d.Do(ctx, &byGroup)
	switch {
	case err == nil:
		return nil
	case missingProperty(err, groupIDProperty):
		if err := createGroupIDProperty(ctx, d); err != nil {
			return err
		}
		return errGroupIDMissing
	case status(err) != http.StatusNotFound:
		return err
	}

	var found searchResult
	if sf := p.GetObject("companysearchfields"); sf != nil && sf.Len() > 0 {
		found, err = search(ctx, d, "companies", sf, []string{"name", "domain", "lifecyclestage", groupIDProperty}, []string{"name"}, errCompanySearch)
		if err != nil {
			return err
		}
	}
	var r destkit.Request
	switch {
	case found.total == 0:
		if !p.GetBool("createNewCompany") {
			return nil
		}
		r = destkit.NewJSONRequest(http.MethodPost, companies, createBody(props, nil))
	case found.total > 1:
		return errManyCompanies
	default:
		r = destkit.NewJSONRequest(http.MethodPatch, companies+"/"+url.PathEscape(found.ids[0]), body)
	}
	return withGroupIDProperty(ctx, d, &r)
}

// withGroupIDProperty sends r and, when HubSpot rejects it because the
// group ID property is missing (a new portal, or someone deleted it),
// creates the property and sends r once more.
func withGroupIDProperty(ctx context.Context, d destkit.Doer, r *destkit.Request) error {
	_, err := d.Do(ctx, r)
	if !missingProperty(err, groupIDProperty) {
		return err
	}
	if err := createGroupIDProperty(ctx, d); err != nil {
		return err
	}
	_, err = d.Do(ctx, r)
	return err
}

// createGroupIDProperty defines the hidden unique company property. A 409
// means another sender created it first, which is as good.
func createGroupIDProperty(ctx context.Context, d destkit.Doer) error {
	r := destkit.NewJSONRequest(http.MethodPost, apiBase+"/crm/v3/properties/companies",
		[]byte(`{"name":"`+groupIDProperty+`","label":"Segment Group ID","description":"Unique Property to map Segment Group ID with a HubSpot Company Object",`+
			`"groupName":"companyinformation","type":"string","fieldType":"text","hidden":true,"displayOrder":-1,"hasUniqueValue":true,"formField":false}`))
	_, err := d.Do(ctx, &r)
	if status(err) == http.StatusConflict {
		return nil
	}
	return err
}

func wrapProperties(props []byte) []byte {
	b := make([]byte, 0, len(props)+16)
	b = append(b, `{"properties":`...)
	b = append(b, props...)
	return append(b, '}')
}

// createBody is the body of a record creation: properties plus the
// associations to make at once (HubSpot requires the key, even empty).
func createBody(props, associations []byte) []byte {
	b := make([]byte, 0, len(props)+len(associations)+40)
	b = append(b, `{"properties":`...)
	b = append(b, props...)
	b = append(b, `,"associations":[`...)
	b = append(b, associations...)
	return append(b, "]}"...)
}
