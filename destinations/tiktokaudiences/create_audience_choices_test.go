package tiktokaudiences

import (
	"context"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

// Create Audience offers the advertisers of the setting, as Add User does.
func TestCreateAudienceAdvertiserChoices(t *testing.T) {
	inst := desttest.Instance(t, Definition, settings("7001"))
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"code":0,"message":"OK","data":{"list":[{"advertiser_id":7001,"name":"Shop"}]}}`})
	cs, err := srv.Client().FieldChoices(context.Background(), inst, CreateAudience, "selected_advertiser_id", nil)
	if err != nil || len(cs) != 1 || cs[0] != (destkit.Choice{Value: "7001", Label: "Shop"}) {
		t.Fatalf("%v %v", cs, err)
	}
	if r := srv.Only(t); r.Method != "GET" || r.Path != "/open_api/v1.3/advertiser/info/" {
		t.Fatalf("%s %s", r.Method, r.Path)
	}
}
