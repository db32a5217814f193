package attio

import (
	"context"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

func TestObjectChoices(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"data":[{"api_slug":"people","singular_noun":"Person"},` +
		`{"api_slug":"companies","singular_noun":"Company"},{"api_slug":"deals","singular_noun":"Deal"}]}`})
	inst := desttest.Instance(t, Definition, settings())
	got, err := srv.Client().FieldChoices(context.Background(), inst, AssertRecord, "object", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0] != (destkit.Choice{Value: "companies", Label: "Company"}) || got[2] != (destkit.Choice{Value: "people", Label: "Person"}) {
		t.Fatalf("%v", got)
	}
	r := srv.Only(t)
	if r.Method != "GET" || r.Path != "/v2/objects" || r.RawQuery != "" {
		t.Fatalf("%s %s?%s", r.Method, r.Path, r.RawQuery)
	}
	desttest.Header(t, r, "Authorization", "Bearer at-1")
	for status, outcome := range map[int]destkit.Outcome{403: destkit.Fail, 500: destkit.Retry} {
		srv := desttest.NewServer(t, desttest.Reply{Status: status, Body: `{"status_code":403,"message":"no scope"}`})
		if _, err := srv.Client().FieldChoices(context.Background(), inst, AssertRecord, "object", nil); destkit.Classify(err).Outcome != outcome {
			t.Errorf("%d: %v", status, err)
		}
	}
}
