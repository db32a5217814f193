package optimizelydataplatform

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// UpsertContact creates or updates a customer profile.
var UpsertContact = &destkit.Action{
	Key:                 "upsertContact",
	Title:               "Upsert Contact",
	Description:         "Create or update a customer profile in ODP.",
	DefaultSubscription: `type = "identify"`,
	Fields: []destkit.Field{
		identifiers(false),
		{Key: "company", Label: "Company Name", Type: destkit.String, Default: `{"@path":"$.traits.company"}`, Description: "The contact's company."},
		{Key: "title", Label: "Title", Type: destkit.String, Default: `{"@path":"$.traits.title"}`, Description: "The contact's title."},
		{Key: "name", Label: "Name", Type: destkit.String, Default: `{"@path":"$.traits.name"}`, Description: "The contact's full name."},
		{Key: "firstname", Label: "First Name", Type: destkit.String, Default: `{"@path":"$.traits.first_name"}`, Description: "The contact's first name."},
		{Key: "lastname", Label: "Last Name", Type: destkit.String, Default: `{"@path":"$.traits.last_name"}`, Description: "The contact's last name."},
		{Key: "gender", Label: "Gender", Type: destkit.String, Default: `{"@path":"$.traits.gender"}`, Description: "The contact's gender."},
		{Key: "DOB", Label: "Birthday", Type: destkit.Datetime, Default: `{"@path":"$.traits.birthday"}`, Description: "Date of birth; sent as year, month and day."},
		{Key: "phone", Label: "Phone", Type: destkit.String, Default: `{"@path":"$.traits.phone"}`, Description: "The contact's phone number."},
		{Key: "age", Label: "Age", Type: destkit.Number, Default: `{"@path":"$.traits.age"}`, Description: "The contact's age."},
		{Key: "address", Label: "Address", Type: destkit.Object,
			Default: `{"street":{"@path":"$.traits.address.street"},"city":{"@path":"$.traits.address.city"},"state":{"@path":"$.traits.address.state"},"zip":{"@path":"$.traits.address.postalCode"},"country":{"@path":"$.traits.address.country"}}`,
			Properties: []destkit.Field{
				{Key: "street", Label: "Street", Type: destkit.String, Description: "Street address."},
				{Key: "city", Label: "City", Type: destkit.String, Description: "City."},
				{Key: "state", Label: "State", Type: destkit.String, Description: "State or region."},
				{Key: "zip", Label: "Zip code", Type: destkit.String, Description: "Postal code."},
				{Key: "country", Label: "Country", Type: destkit.String, Description: "Country."},
			},
			Description: "The contact's postal address."},
		{Key: "avatar", Label: "avatar", Type: destkit.String, Default: `{"@path":"$.traits.avatar"}`, Description: "URL of the contact's picture."},
		{Key: "additional_traits", Label: "Addition User Traits", Type: destkit.Object,
			Description: "More profile fields, as ODP field name to value."},
		enableBatchingField,
		batchSizeField,
	},
	Batch:        batch,
	Perform:      perform("batch_upsert_contact", writeContact),
	PerformBatch: performBatch("batch_upsert_contact", writeContact),
}

// contactFields are the profile fields in Segment's body order, with the
// payload field each comes from.
var contactFields = [...]struct{ key, field string }{
	{"user_identifiers", "user_identifiers"}, {"title", "title"}, {"name", "name"}, {"first_name", "firstname"},
	{"last_name", "lastname"}, {"age", "age"},
}

var contactFieldsAfterDOB = [...]struct{ key, field string }{
	{"gender", "gender"}, {"phone", "phone"}, {"address", "address"}, {"company", "company"}, {"image_url", "avatar"},
}

func writeContact(w *destkit.JSONWriter, p *fastjson.Value) error {
	// {...additional_traits, user_identifiers, title, …, ...dob, gender, …}:
	// a named key replaces a trait in place, and an unset one removes it.
	type slot struct {
		v   *fastjson.Value
		raw []byte
		set bool
	}
	var order []string
	vals := map[string]*slot{}
	put := func(k string, s slot) {
		if _, ok := vals[k]; !ok {
			order = append(order, k)
		}
		vals[k] = &s
	}
	if o := p.GetObject("additional_traits"); o != nil {
		o.Visit(func(k []byte, v *fastjson.Value) { put(string(k), slot{v: v, set: true}) })
	}
	for _, f := range contactFields {
		v := p.Get(f.field)
		put(f.key, slot{v: v, set: v != nil})
	}
	if t, ok := birthday(p.Get("DOB")); ok {
		for _, d := range []struct {
			k string
			n int
		}{{"dob_year", t.Year()}, {"dob_month", int(t.Month())}, {"dob_day", t.Day()}} {
			var nw destkit.JSONWriter
			nw.Int(int64(d.n))
			put(d.k, slot{raw: nw.Bytes(), set: true})
		}
	}
	for _, f := range contactFieldsAfterDOB {
		v := p.Get(f.field)
		put(f.key, slot{v: v, set: v != nil})
	}
	w.ObjectStart()
	for _, k := range order {
		s := vals[k]
		if !s.set {
			continue
		}
		w.Key(k)
		if s.raw != nil {
			w.Raw(s.raw)
		} else {
			w.Value(s.v)
		}
	}
	w.ObjectEnd()
	return nil
}
