package actionspardot

import (
	"github.com/actuate/actuate/destinations/destkit"
)

// Prospects upserts the latest prospect with the email address.
var Prospects = &destkit.Action{
	Key:                 "prospects",
	Title:               "Upsert Prospect",
	Description:         "Create a Pardot prospect, or update the most recently active one with the same email address.",
	DefaultSubscription: `type = "identify"`,
	Fields: []destkit.Field{
		{Key: "email", Label: "Email Address", Type: destkit.String, Required: true, Default: traitOrProperty("email"),
			Description: "The prospect's email address, which prospects are matched by."},
		{Key: "firstName", Label: "First Name", Type: destkit.String, Default: traitOrProperty("first_name"), Description: "Given name."},
		{Key: "lastName", Label: "Last Name", Type: destkit.String, Default: traitOrProperty("last_name"), Description: "Family name."},
		{Key: "salutation", Label: "Salutation", Type: destkit.String, Description: "Formal salutation (Mr., Ms., Dr., …)."},
		{Key: "phone", Label: "Phone Number", Type: destkit.String, Default: traitOrProperty("phone"), Description: "Phone number."},
		{Key: "company", Label: "Company", Type: destkit.String, Default: traitOrProperty("company"), Description: "Employer."},
		{Key: "jobTitle", Label: "Job Title", Type: destkit.String, Default: traitOrProperty("title"), Description: "Job title."},
		{Key: "industry", Label: "Industry", Type: destkit.String, Description: "The company's industry."},
		{Key: "city", Label: "City", Type: destkit.String, Default: traitOrProperty("address.city"), Description: "City."},
		{Key: "state", Label: "State", Type: destkit.String, Default: traitOrProperty("address.state"), Description: "State or region."},
		{Key: "zip", Label: "Zip Code", Type: destkit.String, Default: traitOrProperty("address.postal_code"), Description: "Postal code."},
		{Key: "country", Label: "Country", Type: destkit.String, Default: traitOrProperty("address.country"), Description: "Country."},
		{Key: "website", Label: "Website", Type: destkit.String, Default: traitOrProperty("website"), Description: "The prospect's or company's web site."},
		{Key: "secondaryDeletedSearch", Label: "Search Deleted Prospects", Type: destkit.Boolean, Required: true, Default: `true`,
			Description: "Also match prospects in the recycle bin (and restore the match) before creating a new one."},
		{Key: "customFields", Label: "Other Fields", Type: destkit.Object,
			Description: "More prospect fields by API name (custom fields end in __c); they override the fields above."},
	},
	Perform: upsertProspect,
}

// traitOrProperty maps the trait at path, else the property.
func traitOrProperty(path string) destkit.JSON {
	return destkit.JSON(`{"@if":{"exists":{"@path":"$.traits.` + path + `"},"then":{"@path":"$.traits.` + path +
		`"},"else":{"@path":"$.properties.` + path + `"}}}`)
}

// prospectFields are the standard fields, in the order they are written.
var prospectFields = []string{"email", "firstName", "lastName", "salutation", "phone", "company", "jobTitle", "industry",
	"city", "state", "zip", "country", "website"}

func upsertProspect(in *destkit.Input) ([]destkit.Request, error) {
	p := in.Payload
	if len(p.GetStringBytes("email")) == 0 {
		return nil, destkit.ValidationErrorf("email", "The field email is required.")
	}
	var prospect destkit.JSObject
	for _, k := range prospectFields {
		prospect.SetValue(k, p.Get(k))
	}
	prospect.Assign(p.Get("customFields"), nil)
	w := destkit.NewJSONWriter(make([]byte, 0, 512))
	w.ObjectStart()
	w.Field("matchEmail", p.Get("email"))
	w.Key("prospect")
	prospect.Write(w)
	w.Field("secondaryDeletedSearch", p.Get("secondaryDeletedSearch"))
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest("POST", apiBase(in.Settings)+"/api/v5/objects/prospects/do/upsertLatestByEmail", w.Bytes())}, nil
}
