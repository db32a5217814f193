package salesforcemarketingcloud

import (
	"context"
	"strings"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

func TestHookSelectsDataExtension(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"id":"6a7b-c8d9","name":"Orders","key":"ORDERS"}`})
	out, err := srv.Client().RunHook(context.Background(), desttest.Instance(t, Definition, settings()), DataExtensionV2, "onMappingSave",
		[]byte(`{"operation":"select","dataExtensionId":"6a7b-c8d9"}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	desttest.JSONEqual(t, out, `{"outputs":{"id":"6a7b-c8d9","name":"Orders"}}`)
	r := srv.Only(t)
	if r.Method != "GET" || r.Path != "/data/v1/customobjects/6a7b-c8d9" {
		t.Fatalf("%s %s", r.Method, r.Path)
	}
	desttest.Header(t, r, "Authorization", "Bearer at-1")
	// A package that may not read definitions keeps the id.
	srv = desttest.NewServer(t, desttest.Reply{Status: 403, Body: `{"message":"Insufficient privileges","errorcode":20002}`})
	out, err = srv.Client().RunHook(context.Background(), desttest.Instance(t, Definition, settings()), AsyncDataExtension, "retlOnMappingSave",
		[]byte(`{"operation":"select","dataExtensionId":"6a7b"}`), nil)
	if err != nil || !strings.Contains(string(out), `"id":"6a7b"`) {
		t.Fatalf("%s %v", out, err)
	}
	// Any other refusal fails the hook.
	srv = desttest.NewServer(t, desttest.Reply{Status: 404, Body: `{"message":"not found","errorcode":10000}`})
	if _, err := srv.Client().RunHook(context.Background(), desttest.Instance(t, Definition, settings()), DataExtensionV2, "onMappingSave",
		[]byte(`{"operation":"select","dataExtensionId":"nope"}`), nil); destkit.Classify(err).Outcome != destkit.Fail {
		t.Fatalf("%v", err)
	}
}

func TestHookCreatesDataExtension(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Status: 201, Body: `{"id":"new-1","key":"KEY-1","name":"Contacts"}`})
	out, err := srv.Client().RunHook(context.Background(), desttest.Instance(t, Definition, settings()), ContactDataExtensionV2, "onMappingSave",
		[]byte(`{"operation":"create","categoryId":"4411","name":"Contacts","description":"From Actuate","isSendable":false,`+
			`"columns":[{"name":"contactKey","type":"Text","isNullable":false,"isPrimaryKey":true,"length":50},{"name":"plan","type":"Text","isNullable":true,"isPrimaryKey":false}]}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	desttest.JSONEqual(t, out, `{"outputs":{"id":"new-1","name":"Contacts"}}`)
	r := srv.Only(t)
	if r.Method != "POST" || r.Path != "/data/v1/customobjects" {
		t.Fatalf("%s %s", r.Method, r.Path)
	}
	flags := `"isTemplateField":false,"isHidden":false,"isReadOnly":false,"isInheritable":false,"isOverridable":false,"mustOverride":false`
	desttest.JSONEqual(t, r.Body, `{"name":"Contacts","description":"From Actuate","categoryId":"4411","isSendable":false,"fields":[`+
		`{"name":"contactKey","type":"Text","isNullable":false,"isPrimaryKey":true,"length":50,"description":"","ordinal":0,`+flags+`},`+
		`{"name":"plan","type":"Text","isNullable":true,"isPrimaryKey":false,"description":"","ordinal":1,`+flags+`}]}`)
	// Creating needs a folder and a name.
	if _, err := srv.Client().RunHook(context.Background(), desttest.Instance(t, Definition, settings()), ContactDataExtensionV2, "onMappingSave",
		[]byte(`{"operation":"create","columns":[]}`), nil); destkit.Classify(err).Outcome != destkit.Fail {
		t.Fatalf("%v", err)
	}
}

func TestDynamicFields(t *testing.T) {
	inst := desttest.Instance(t, Definition, settings())
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"count":2,"items":[{"id":"de-1","name":"Orders"},{"id":"de-2","name":"Contacts"}]}`})
	got, err := srv.Client().FieldChoices(context.Background(), inst, DataExtensionV2, "onMappingSave.dataExtensionId", []byte(`{}`))
	if err != nil || len(got) != 2 || got[1].Value != "de-2" || got[1].Label != "Contacts" {
		t.Fatalf("%v %v", got, err)
	}
	if r := srv.Only(t); r.Path != "/data/v1/customobjects" || r.RawQuery != "%24search=_" {
		t.Fatalf("%s?%s", r.Path, r.RawQuery)
	}
	// Columns of the chosen data extension: primary keys for keys, the rest for values.
	fields := `{"fields":[{"name":"id","isPrimaryKey":true},{"name":"plan","isPrimaryKey":false},{"name":"email","isPrimaryKey":false}]}`
	srv = desttest.NewServer(t, desttest.Reply{Body: fields}, desttest.Reply{Body: fields})
	mapping := []byte(`{"onMappingSave":{"outputs":{"id":"de-1","name":"Orders"}}}`)
	keys, err := srv.Client().FieldChoices(context.Background(), inst, DataExtensionV2, "keys", mapping)
	if err != nil || len(keys) != 1 || keys[0].Value != "id" {
		t.Fatalf("keys %v %v", keys, err)
	}
	values, err := srv.Client().FieldChoices(context.Background(), inst, AsyncDataExtension, "values", mapping)
	if err != nil || len(values) != 2 || values[1].Value != "email" {
		t.Fatalf("values %v %v", values, err)
	}
	if r := srv.Requests()[0]; r.Path != "/data/v1/customobjects/de-1/fields" {
		t.Fatal(r.Path)
	}
	// Folders come from the SOAP API, the token in the envelope.
	srv = desttest.NewServer(t, desttest.Reply{Header: map[string]string{"Content-Type": "text/xml"}, Body: `<?xml version="1.0" encoding="utf-8"?>` +
		`<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><RetrieveResponseMsg xmlns="http://exacttarget.com/wsdl/partnerAPI">` +
		`<OverallStatus>OK</OverallStatus><Results xsi:type="DataFolder" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><ID>4411</ID><Name>Data Extensions</Name><ContentType>dataextension</ContentType></Results>` +
		`<Results><ID>4412</ID><Name>Segment</Name><ContentType>dataextension</ContentType></Results></RetrieveResponseMsg></soap:Body></soap:Envelope>`})
	folders, err := srv.Client().FieldChoices(context.Background(), inst, ContactDataExtensionV2, "onMappingSave.categoryId", []byte(`{}`))
	if err != nil || len(folders) != 2 || folders[0].Value != "4411" || folders[1].Label != "Segment" {
		t.Fatalf("folders %v %v", folders, err)
	}
	r := srv.Only(t)
	if r.Method != "POST" || r.Path != "/Service.asmx" || !strings.Contains(string(r.Body), `<fueloauth xmlns="http://exacttarget.com">at-1</fueloauth>`) ||
		strings.Contains(string(r.Body), tokenPlaceholder) {
		t.Fatalf("%s %s %s", r.Method, r.Path, r.Body)
	}
	desttest.Header(t, r, "SOAPAction", "Retrieve")
	reqs := &recording{}
	if _, err := categoryChoices(context.Background(), reqs, &destkit.DynamicInput{Settings: inst.Settings}); err == nil || reqs.url != "https://"+sub+".soap.marketingcloudapis.com/Service.asmx" {
		t.Fatalf("SOAP host %s (%v)", reqs.url, err)
	}
}

// recording answers every request with an empty body, keeping its URL.
type recording struct{ url string }

func (d *recording) Do(_ context.Context, r *destkit.Request) (*destkit.Response, error) {
	d.url = r.URL
	return &destkit.Response{Status: 200}, nil
}
