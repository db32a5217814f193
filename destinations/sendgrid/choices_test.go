package sendgrid

import (
	"context"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

// choices runs field of Send Email against one reply and checks the GET it sends.
func choices(t *testing.T, field, reply, path, query string) []destkit.Choice {
	t.Helper()
	srv := desttest.NewServer(t, desttest.Reply{Body: reply})
	got, err := srv.Client().FieldChoices(context.Background(), desttest.Instance(t, Definition, settings), SendEmail, field, nil)
	if err != nil {
		t.Fatalf("%s: %v", field, err)
	}
	r := srv.Only(t)
	if r.Method != "GET" || r.Path != path || r.RawQuery != query {
		t.Fatalf("%s: got %s %s?%s", field, r.Method, r.Path, r.RawQuery)
	}
	desttest.Header(t, r, "Authorization", "Bearer SG.key")
	return got
}

func TestSendEmailChoices(t *testing.T) {
	// Active versions of dynamic templates, names cut at 25 UTF-16 units (the
	// flower counts two, as in JavaScript); the value is
	// what templateID reads the ID from.
	got := choices(t, "template_id", `{"result":[`+
		`{"id":"d-1","name":"Welcome","generation":"dynamic","versions":[{"template_id":"d-1","name":"v1","active":0},{"template_id":"d-1","name":"v2","active":1}]},`+
		`{"id":"d-2","name":"Order confirmation for EU shoppers","generation":"dynamic","versions":[{"template_id":"d-2","name":"Spring 🌸 edition of the template","active":1}]},`+
		`{"id":"x","name":"Legacy","generation":"legacy","versions":[{"template_id":"x","name":"v","active":1}]}]}`,
		"/v3/templates", "generations=dynamic&page_size=200")
	want := []string{"Welcome - v2 [d-1]", "Order confirmation for EU... - Spring 🌸 edition of the ... [d-2]"}
	if len(got) != 2 || got[0].Value != want[0] || got[0].Label != want[0] || got[1].Value != want[1] {
		t.Fatalf("%q", got)
	}
	if id, ok := templateID(got[1].Value.(string)); !ok || id != "d-2" {
		t.Fatalf("template id %q", id)
	}

	got = choices(t, "ip_pool_name", `[{"name":"transactional"},{"name":"marketing"}]`, "/v3/ips/pools", "")
	if len(got) != 2 || got[1] != (destkit.Choice{Value: "marketing", Label: "marketing"}) {
		t.Fatalf("%v", got)
	}
	got = choices(t, "domain", `[{"id":1,"domain":"mail.example.com","valid":true},{"id":2,"domain":"pending.example.com","valid":false}]`,
		"/v3/whitelabel/domains", "limit=200")
	if len(got) != 1 || got[0].Value != "mail.example.com" {
		t.Fatalf("%v", got)
	}
	got = choices(t, "group_id", `[{"id":4021,"name":"Newsletter"},{"id":77,"name":"Receipts"}]`, "/v3/asm/groups", "")
	if len(got) != 2 || got[0] != (destkit.Choice{Value: "Newsletter [4021]", Label: "Newsletter [4021]"}) {
		t.Fatalf("%v", got)
	}
	if id, ok := groupID(got[0].Value.(string)); !ok || id != 4021 {
		t.Fatalf("group id %d", id)
	}

	// SendGrid refusing the key or failing passes through, the key unsaid.
	for status, outcome := range map[int]destkit.Outcome{401: destkit.Fail, 503: destkit.Retry} {
		srv := desttest.NewServer(t, desttest.Reply{Status: status, Body: `{"errors":[{"message":"no"}]}`})
		_, err := srv.Client().FieldChoices(context.Background(), desttest.Instance(t, Definition, settings), SendEmail, "group_id", nil)
		if destkit.Classify(err).Outcome != outcome || err == nil {
			t.Errorf("%d: %v", status, err)
		}
	}
}
