package encharge

import (
	"context"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

func TestObjectTypeChoices(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"objects":[{"name":"subscription","displayNameSingular":"Subscription"},{"name":"workspace","displayNameSingular":"Workspace"}]}`})
	inst := desttest.Instance(t, Definition, settings)
	got, err := srv.Client().FieldChoices(context.Background(), inst, CreateUpdateObject, "objectType", nil)
	if err != nil || len(got) != 2 || got[1] != (destkit.Choice{Value: "workspace", Label: "Workspace"}) {
		t.Fatalf("%v %v", got, err)
	}
	r := srv.Only(t)
	if r.Method != "GET" || r.Path != "/schemas" || r.RawQuery != "" {
		t.Fatalf("%s %s?%s", r.Method, r.Path, r.RawQuery)
	}
	desttest.Header(t, r, "X-Encharge-Token", "ek-1")
	for status, outcome := range map[int]destkit.Outcome{401: destkit.Fail, 503: destkit.Retry} {
		srv := desttest.NewServer(t, desttest.Reply{Status: status})
		if _, err := srv.Client().FieldChoices(context.Background(), inst, CreateUpdateObject, "objectType", nil); destkit.Classify(err).Outcome != outcome {
			t.Errorf("%d: %v", status, err)
		}
	}
}
