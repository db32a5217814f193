package hubspot

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

// choices runs a dynamic field against srv and checks the one GET it sends.
func choices(t *testing.T, srv *desttest.Server, a *destkit.Action, field, known, path, query string) []destkit.Choice {
	t.Helper()
	got, err := srv.Client().FieldChoices(context.Background(), desttest.Instance(t, Definition, settings()), a, field, []byte(known))
	if err != nil {
		t.Fatalf("%s: %v", field, err)
	}
	r := srv.Only(t)
	if r.Method != "GET" || r.Path != path || r.RawQuery != query {
		t.Fatalf("%s: got %s %s?%s, want GET %s?%s", field, r.Method, r.Path, r.RawQuery, path, query)
	}
	desttest.Header(t, r, "Authorization", "Bearer at-1")
	return got
}

func sameChoices(t *testing.T, field string, got []destkit.Choice, want ...destkit.Choice) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %v, want %v", field, got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("%s: %v, want %v", field, got, want)
		}
	}
}

type c = destkit.Choice

const schemas = `{"results":[{"fullyQualifiedName":"p4242_cars","labels":{"singular":"Car","plural":"Cars"}},` +
	`{"fullyQualifiedName":"p4242_bikes","labels":{"singular":"Bike","plural":"bikes"}}]}`

func TestEventChoices(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"results":[{"fullyQualifiedName":"pe4242_exported","name":"Exported"},{"fullyQualifiedName":"pe4242_viewed","name":"Viewed"}]}`})
	sameChoices(t, "eventName", choices(t, srv, SendCustomBehavioralEvent, "eventName", "", "/events/v3/event-definitions", ""),
		c{Value: "pe4242_exported", Label: "Exported"}, c{Value: "pe4242_viewed", Label: "Viewed"})

	// Custom Event: live definitions with a label, sorted by it.
	srv = desttest.NewServer(t, desttest.Reply{Body: `{"results":[` +
		`{"fullyQualifiedName":"pe4242_z","labels":{"singular":"report exported"}},` +
		`{"fullyQualifiedName":"pe4242_old","archived":true,"labels":{"singular":"Old"}},` +
		`{"fullyQualifiedName":"pe4242_nolabel","labels":{}},` +
		`{"fullyQualifiedName":"pe4242_a","labels":{"plural":"Carts Abandoned"}}]}`})
	sameChoices(t, "event_name", choices(t, srv, CustomEvent, "event_name", "", "/events/v3/event-definitions/", "includeProperties=false"),
		c{Value: "pe4242_a", Label: "Carts Abandoned"}, c{Value: "pe4242_z", Label: "report exported"})

	// Its record types: custom and standard together, sorted.
	srv = desttest.NewServer(t, desttest.Reply{Body: schemas})
	got := choices(t, srv, CustomEvent, "record_details.object_type", "", "/crm/v3/schemas", "archived=false")
	sameChoices(t, "record_details.object_type", got, c{Value: "p4242_bikes", Label: "bikes (Custom)"}, c{Value: "p4242_cars", Label: "Cars (Custom)"},
		c{Value: "company", Label: "Company"}, c{Value: "contact", Label: "Contact"}, c{Value: "deal", Label: "Deal"}, c{Value: "ticket", Label: "Ticket"})
}

func TestCustomObjectRecordChoices(t *testing.T) {
	// The type already chosen in the other field is left out.
	srv := desttest.NewServer(t, desttest.Reply{Body: schemas})
	sameChoices(t, "objectType", choices(t, srv, UpsertCustomObjectRecord, "objectType", `{"toObjectType":"p4242_bikes"}`, "/crm/v3/schemas", "archived=false"),
		c{Value: "p4242_cars", Label: "Cars"}, c{Value: "deals", Label: "Deals"}, c{Value: "tickets", Label: "Tickets"})
	srv = desttest.NewServer(t, desttest.Reply{Body: schemas})
	got := choices(t, srv, UpsertCustomObjectRecord, "toObjectType", `{"objectType":"p4242_cars"}`, "/crm/v3/schemas", "archived=false")
	sameChoices(t, "toObjectType", got, c{Value: "p4242_bikes", Label: "bikes"}, c{Value: "deals", Label: "Deals"}, c{Value: "tickets", Label: "Tickets"},
		c{Value: "contacts", Label: "Contacts"}, c{Value: "companies", Label: "Companies"})

	srv = desttest.NewServer(t, desttest.Reply{Body: `{"results":[{"category":"USER_DEFINED","typeId":12,"label":"Owner"},{"category":"HUBSPOT_DEFINED","typeId":279,"label":null}]}`})
	got = choices(t, srv, UpsertCustomObjectRecord, "associationLabel", `{"objectType":"p4242_cars","toObjectType":"contacts"}`, "/crm/v4/associations/p4242_cars/contacts/labels", "")
	sameChoices(t, "associationLabel", got, c{Value: "USER_DEFINED:12", Label: "Owner"}, c{Value: "HUBSPOT_DEFINED:279", Label: "Unlabeled Association (Type 279)"})

	// Labels need both types; HubSpot is not asked without them.
	srv = desttest.NewServer(t)
	_, err := srv.Client().FieldChoices(context.Background(), desttest.Instance(t, Definition, settings()), UpsertCustomObjectRecord, "associationLabel", []byte(`{"objectType":"p4242_cars"}`))
	var pv *destkit.PayloadValidationError
	if !errors.As(err, &pv) || pv.Field != "toObjectType" || len(srv.Requests()) != 0 {
		t.Fatalf("%v", err)
	}
}

func TestUpsertObjectChoices(t *testing.T) {
	// Custom types first, sorted, then the standard ones.
	srv := desttest.NewServer(t, desttest.Reply{Body: schemas})
	got := choices(t, srv, UpsertObject, "object_details.object_type", "", "/crm/v3/schemas", "archived=false")
	if len(got) != 12 || got[0] != (c{Value: "p4242_cars", Label: "Cars (Custom)"}) || got[1] != (c{Value: "p4242_bikes", Label: "bikes (Custom)"}) ||
		got[2] != (c{Value: "contact", Label: "Contact"}) || got[9] != (c{Value: "0-421", Label: "Appointment"}) {
		t.Fatalf("%v", got)
	}

	// Identifying properties: the record ID, a contact's email, then the unique ones.
	props := `{"results":[{"name":"vin","label":"VIN","hasUniqueValue":true},{"name":"hs_unique_creation_key","label":"Key","hasUniqueValue":true},` +
		`{"name":"color","label":"Color","hasUniqueValue":false},{"name":"account_no","label":"account number","hasUniqueValue":true}]}`
	record := `{"object_details":{"object_type":"contact"}}`
	srv = desttest.NewServer(t, desttest.Reply{Body: props})
	got = choices(t, srv, UpsertObject, "object_details.id_field_name", record, "/crm/v3/properties/contact", "")
	sameChoices(t, "id_field_name", got, c{Value: "hs_object_id", Label: "Hubspot Record ID (updates only)"}, c{Value: "email", Label: "email"},
		c{Value: "account_no", Label: "account number"}, c{Value: "vin", Label: "VIN"})

	srv = desttest.NewServer(t, desttest.Reply{Body: `{"results":[{"name":"contactinfo","label":"Contact information"},{"name":"old","label":"Old","archived":true},{"name":"analytics","label":"analytics"}]}`})
	got = choices(t, srv, UpsertObject, "object_details.property_group", record, "/crm/v3/properties/contact/groups", "")
	sameChoices(t, "property_group", got, c{Value: "analytics", Label: "analytics"}, c{Value: "contactinfo", Label: "Contact information"})

	// An association's choices read the entry being edited (the last one).
	assoc := `{"object_details":{"object_type":"contact"},"associations":[{"object_type":"deal"},{"object_type":"company"}]}`
	srv = desttest.NewServer(t, desttest.Reply{Body: props})
	got = choices(t, srv, UpsertObject, "associations.id_field_name", assoc, "/crm/v3/properties/company", "")
	sameChoices(t, "associations.id_field_name", got, c{Value: "hs_object_id", Label: "Hubspot Record ID (updates only)"},
		c{Value: "account_no", Label: "account number"}, c{Value: "vin", Label: "VIN"})
	srv = desttest.NewServer(t, desttest.Reply{Body: `{"results":[{"category":"USER_DEFINED","typeId":3,"label":"Manager"},{"category":"HUBSPOT_DEFINED","typeId":1}]}`})
	got = choices(t, srv, UpsertObject, "dissociations.association_label", `{"object_details":{"object_type":"contact"},"dissociations":{"object_type":"company"}}`,
		"/crm/v4/associations/contact/company/labels", "")
	sameChoices(t, "dissociations.association_label", got, c{Value: "HUBSPOT_DEFINED:1", Label: "contact to company (Default label: typeId 1)"},
		c{Value: "USER_DEFINED:3", Label: "contact to company Manager"})
	srv = desttest.NewServer(t, desttest.Reply{Body: schemas})
	if got := choices(t, srv, UpsertObject, "associations.object_type", "", "/crm/v3/schemas", "archived=false"); len(got) != 12 {
		t.Fatalf("%v", got)
	}

	// Choices that depend on a type nobody chose name the field to choose.
	inst := desttest.Instance(t, Definition, settings())
	srv = desttest.NewServer(t)
	for field, want := range map[string]string{
		"object_details.id_field_name":    "object_details.object_type",
		"object_details.property_group":   "object_details.object_type",
		"associations.id_field_name":      "associations.object_type",
		"dissociations.association_label": "object_details.object_type",
	} {
		_, err := srv.Client().FieldChoices(context.Background(), inst, UpsertObject, field, []byte(`{"associations":[]}`))
		var pv *destkit.PayloadValidationError
		if !errors.As(err, &pv) || pv.Field != want {
			t.Errorf("%s: %v", field, err)
		}
	}
	if len(srv.Requests()) != 0 {
		t.Fatal("HubSpot was asked without a type")
	}

	// HubSpot refusing a chosen type names the field that chose it.
	for field, tc := range map[string]struct{ known, named string }{
		"object_details.id_field_name":   {record, "object_details.object_type"},
		"object_details.property_group":  {record, "object_details.object_type"},
		"associations.association_label": {assoc, "associations.object_type"},
		"associations.id_field_name":     {assoc, "associations.object_type"},
	} {
		srv := desttest.NewServer(t, desttest.Reply{Status: 404, Body: `{"status":"error","message":"Unable to infer object type from: nope"}`})
		_, err := srv.Client().FieldChoices(context.Background(), inst, UpsertObject, field, []byte(tc.known))
		var pv *destkit.PayloadValidationError
		if !errors.As(err, &pv) || pv.Field != tc.named || !strings.Contains(pv.Message, "(HTTP 404)") {
			t.Errorf("%s: %v", field, err)
		}
	}
	srv = desttest.NewServer(t, desttest.Reply{Status: 400, Body: `{"status":"error"}`})
	_, err := srv.Client().FieldChoices(context.Background(), inst, UpsertCustomObjectRecord, "associationLabel", []byte(`{"objectType":"p4242_cars","toObjectType":"nope"}`))
	var pv *destkit.PayloadValidationError
	if !errors.As(err, &pv) || pv.Field != "toObjectType" {
		t.Errorf("associationLabel: %v", err)
	}

	// HubSpot failing passes through; an expired token is refreshed once.
	srv = desttest.NewServer(t, desttest.Reply{Status: 503})
	if _, err := srv.Client().FieldChoices(context.Background(), inst, UpsertObject, "object_details.object_type", nil); destkit.Classify(err).Outcome != destkit.Retry {
		t.Fatal(err)
	}
	srv = desttest.NewServer(t, desttest.Reply{Status: 401}, desttest.Reply{Body: `{"access_token":"at-2","expires_in":1800}`}, desttest.Reply{Body: schemas})
	if got, err := srv.Client().FieldChoices(context.Background(), inst, UpsertObject, "object_details.object_type", nil); err != nil || len(got) != 12 {
		t.Fatalf("%v %v", got, err)
	}
	if rs := srv.Requests(); len(rs) != 3 || rs[2].Header.Get("Authorization") != "Bearer at-2" {
		t.Fatalf("%d requests", len(rs))
	}
}
