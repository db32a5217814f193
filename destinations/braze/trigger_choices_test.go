package braze

import (
	"context"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

func TestTriggerChoices(t *testing.T) {
	inst := desttest.Instance(t, Definition, settings)
	// Campaigns page by page until an empty page, in Braze's order.
	srv := desttest.NewServer(t,
		desttest.Reply{Body: `{"campaigns":[{"id":"c-2","name":"Welcome"},{"id":"c-1","name":"Abandoned cart"}],"message":"success"}`},
		desttest.Reply{Body: `{"campaigns":[{"id":"c-3","name":"Win-back"}],"message":"success"}`},
		desttest.Reply{Body: `{"campaigns":[],"message":"success"}`})
	got, err := srv.Client().FieldChoices(context.Background(), inst, TriggerCampaign, "campaign_id", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []destkit.Choice{{Value: "c-2", Label: "Welcome"}, {Value: "c-1", Label: "Abandoned cart"}, {Value: "c-3", Label: "Win-back"}}
	if len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Fatalf("%v", got)
	}
	rs := srv.Requests()
	if len(rs) != 3 {
		t.Fatalf("%d requests", len(rs))
	}
	for i, q := range []string{"page=0", "page=1", "page=2"} {
		if rs[i].Method != "GET" || rs[i].Path != "/campaigns/list" || rs[i].RawQuery != q {
			t.Fatalf("%d: %s %s?%s", i, rs[i].Method, rs[i].Path, rs[i].RawQuery)
		}
		desttest.Header(t, rs[i], "Authorization", "Bearer brz-key")
	}

	// Canvases are sorted by name.
	srv = desttest.NewServer(t,
		desttest.Reply{Body: `{"canvases":[{"id":"v-2","name":"Onboarding"},{"id":"v-1","name":"Birthday"}]}`},
		desttest.Reply{Body: `{"canvases":[]}`})
	got, err = srv.Client().FieldChoices(context.Background(), inst, TriggerCanvas, "canvas_id", nil)
	if err != nil || len(got) != 2 || got[0] != (destkit.Choice{Value: "v-1", Label: "Birthday"}) {
		t.Fatalf("%v %v", got, err)
	}
	if r := srv.Requests()[0]; r.Path != "/canvas/list" || r.RawQuery != "page=0" {
		t.Fatalf("%s?%s", r.Path, r.RawQuery)
	}

	// Braze failing is not the person's input.
	for status, outcome := range map[int]destkit.Outcome{503: destkit.Retry, 401: destkit.Fail} {
		srv := desttest.NewServer(t, desttest.Reply{Status: status, Body: `{"message":"no"}`})
		if _, err := srv.Client().FieldChoices(context.Background(), inst, TriggerCanvas, "canvas_id", nil); destkit.Classify(err).Outcome != outcome {
			t.Errorf("%d: %v", status, err)
		}
	}
}
