package closecrm

import (
	"context"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

const identify = `{"type":"identify","userId":"user-1234","traits":{"name":"Ada Lovelace","email":"ada@example.com",` +
	`"phone":"+33 6 12 34 56 78","title":"CTO","company":{"id":"c-9","name":"Analytical Engines"}}}`

func TestCreateUpdateContactAndLead(t *testing.T) {
	srv := desttest.NewServer(t)
	inst := desttest.Instance(t, Definition, map[string]any{"api_key": "api_abc", "contact_custom_field_id_for_user_id": "cf_user"})
	p := desttest.RenderDefault(t, Definition, "createUpdateContactAndLead", identify)
	if err := srv.Client().Send(context.Background(), inst, CreateUpdateContactAndLead, p); err != nil {
		t.Fatal(err)
	}
	r := srv.Only(t)
	if r.Method != "POST" || r.Path != "/webhooks/segment/actions/create-update-contact-and-lead/" {
		t.Fatalf("got %s %s", r.Method, r.Path)
	}
	desttest.Header(t, r, "Authorization", "Basic YXBpX2FiYzo=") // "api_abc:"
	desttest.JSONEqual(t, r.Body, `{"action_payload":{"lead_name":"Analytical Engines","lead_external_id":"c-9","contact_name":"Ada Lovelace","contact_email":"ada@example.com","contact_phone":"+33 6 12 34 56 78","contact_title":"CTO","contact_external_id":"user-1234"},"settings":{"contact_custom_field_id_for_user_id":"cf_user","lead_custom_field_id_for_company_id":"","allow_creating_new_leads":true,"allow_updating_existing_leads":true,"allow_creating_new_contacts":true,"allow_updating_existing_contacts":true,"allow_creating_duplicate_contacts":true}}`)
}

func TestErrors(t *testing.T) {
	for status, want := range map[int]destkit.Outcome{400: destkit.Fail, 401: destkit.Fail, 429: destkit.Retry, 500: destkit.Retry} {
		srv := desttest.NewServer(t, desttest.Reply{Status: status})
		inst := desttest.Instance(t, Definition, map[string]any{"api_key": "k"})
		err := srv.Client().Send(context.Background(), inst, CreateUpdateContactAndLead, desttest.Validate(t, Definition, "createUpdateContactAndLead", `{"contact_email":"a@b.c"}`))
		if got := destkit.Classify(err).Outcome; got != want {
			t.Errorf("%d: %v (%v)", status, got, err)
		}
	}
}
