package optimizelyfeatureexperimentationactions

import (
	"context"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

func TestEventKeyChoices(t *testing.T) {
	inst := desttest.Instance(t, Definition, settings)
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"accountId":"1","projectId":"2","events":[{"id":"11","key":"Order Completed"},{"id":"12","key":"Signed Up"}]}`})
	got, err := srv.Client().FieldChoices(context.Background(), inst, TrackEvent, "eventKey", nil)
	if err != nil || len(got) != 2 || got[1] != (destkit.Choice{Value: "Signed Up", Label: "Signed Up"}) {
		t.Fatalf("%v %v", got, err)
	}
	if r := srv.Only(t); r.Method != "GET" || r.Path != "/datafiles/QEKyyyZcqZqUbXZHyFruS.json" {
		t.Fatalf("%s %s", r.Method, r.Path)
	}
	// A deactivated project's datafile, and the CDN failing.
	srv = desttest.NewServer(t, desttest.Reply{Body: `/* project deactivated */`})
	if _, err := srv.Client().FieldChoices(context.Background(), inst, TrackEvent, "eventKey", nil); destkit.Classify(err).Outcome != destkit.Fail {
		t.Fatal(err)
	}
	srv = desttest.NewServer(t, desttest.Reply{Status: 503})
	if _, err := srv.Client().FieldChoices(context.Background(), inst, TrackEvent, "eventKey", nil); destkit.Classify(err).Outcome != destkit.Retry {
		t.Fatal(err)
	}
}
