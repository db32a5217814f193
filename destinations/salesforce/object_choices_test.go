package salesforce

import (
	"context"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

func TestObjectChoices(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"encoding":"UTF-8","maxBatchSize":200,"sobjects":[` +
		`{"name":"Account","label":"Account","createable":true},{"name":"AccountHistory","label":"Account History","createable":false},` +
		`{"name":"Order__c","label":"Order","createable":true,"custom":true}]}`})
	got, err := srv.Client().FieldChoices(context.Background(), inst(t), CustomObject, "customObjectName", nil)
	if err != nil {
		t.Fatal(err)
	}
	// Only objects records can be created in.
	if len(got) != 2 || got[0] != (destkit.Choice{Value: "Account", Label: "Account"}) || got[1] != (destkit.Choice{Value: "Order__c", Label: "Order"}) {
		t.Fatalf("%v", got)
	}
	r := srv.Only(t)
	want(t, r, "GET", "/services/data/v53.0/sobjects")
	desttest.Header(t, r, "Authorization", "Bearer at-1")
	if CustomObject2.Field("customObjectName").Dynamic == nil {
		t.Error("customObject2: customObjectName is not dynamic")
	}

	// An expired token is refreshed once and the list asked again.
	srv = desttest.NewServer(t, desttest.Reply{Status: 401, Body: `[{"errorCode":"INVALID_SESSION_ID"}]`},
		desttest.Reply{Body: `{"access_token":"at-2"}`}, desttest.Reply{Body: `{"sobjects":[{"name":"Lead","label":"Lead","createable":true}]}`})
	got, err = srv.Client().FieldChoices(context.Background(), inst(t), CustomObject, "customObjectName", nil)
	if err != nil || len(got) != 1 {
		t.Fatalf("%v %v", got, err)
	}
	if rs := srv.Requests(); len(rs) != 3 || rs[2].Header.Get("Authorization") != "Bearer at-2" {
		t.Fatalf("%d requests", len(rs))
	}
	// Salesforce failing, and an instance URL that is not Salesforce's, ask nobody.
	srv = desttest.NewServer(t, desttest.Reply{Status: 503})
	if _, err := srv.Client().FieldChoices(context.Background(), inst(t), CustomObject, "customObjectName", nil); destkit.Classify(err).Outcome != destkit.Retry {
		t.Fatal(err)
	}
	srv = desttest.NewServer(t)
	if _, err := srv.Client().FieldChoices(context.Background(), inst(t, "instanceUrl", "https://evil.example.com"), CustomObject, "customObjectName", nil); err == nil || len(srv.Requests()) != 0 {
		t.Fatal(err)
	}
}
