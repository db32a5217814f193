package pipedrive

import (
	"context"
	"strings"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

func TestChoices(t *testing.T) {
	inst := desttest.Instance(t, Definition, settings)
	fields := `{"success":true,"data":[{"key":"name","name":"Name"},{"key":"9f2c1a","name":"Customer number"}]}`
	for _, tc := range []struct {
		a     *destkit.Action
		field string
		path  string
	}{
		{CreateUpdatePerson, "match_field", "/api/v1/personFields"},
		{CreateUpdateOrganization, "match_field", "/api/v1/organizationFields"},
		{CreateUpdateActivity, "person_match_field", "/api/v1/personFields"},
		{CreateUpdateActivity, "organization_match_field", "/api/v1/organizationFields"},
		{CreateUpdateNote, "deal_match_field", "/api/v1/dealFields"},
		{CreateUpdateLead, "organization_match_field", "/api/v1/organizationFields"},
	} {
		srv := desttest.NewServer(t, desttest.Reply{Body: fields})
		got, err := srv.Client().FieldChoices(context.Background(), inst, tc.a, tc.field, nil)
		if err != nil || len(got) != 2 || got[1] != (destkit.Choice{Value: "9f2c1a", Label: "Customer number"}) {
			t.Fatalf("%s.%s: %v %v", tc.a.Key, tc.field, got, err)
		}
		// The token travels in the query string, form-encoded, as on every request.
		if r := srv.Only(t); r.Method != "GET" || r.Path != tc.path || r.RawQuery != "api_token=pd+token" {
			t.Fatalf("%s.%s: %s %s?%s", tc.a.Key, tc.field, r.Method, r.Path, r.RawQuery)
		}
	}
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"success":true,"data":[{"key_string":"call","name":"Call"},{"key_string":"demo_1","name":"Demo"}]}`})
	got, err := srv.Client().FieldChoices(context.Background(), inst, CreateUpdateActivity, "type", nil)
	if err != nil || len(got) != 2 || got[1] != (destkit.Choice{Value: "demo_1", Label: "Demo"}) || srv.Only(t).Path != "/api/v1/activityTypes" {
		t.Fatalf("%v %v", got, err)
	}
	// Pipedrive refusing the token, or failing; the token is never in the error.
	for status, outcome := range map[int]destkit.Outcome{401: destkit.Fail, 502: destkit.Retry} {
		srv := desttest.NewServer(t, desttest.Reply{Status: status, Body: `{"success":false,"error":"unauthorized access"}`})
		_, err := srv.Client().FieldChoices(context.Background(), inst, CreateUpdatePerson, "match_field", nil)
		if destkit.Classify(err).Outcome != outcome || strings.Contains(err.Error(), "pd+token") || strings.Contains(err.Error(), "pd token") {
			t.Errorf("%d: %v", status, err)
		}
	}
}
