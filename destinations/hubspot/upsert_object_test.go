package hubspot

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

// objectMapping is a saved "Custom Object V2" subscription: contacts keyed
// by email, a few traits as properties, and the contact's company (by
// domain) as an association, on top of the action's default mapping.
func objectMapping(mode string) destkit.JSON {
	return destkit.JSON(`{"__segment_internal_sync_mode":"` + mode + `",` +
		`"object_details":{"object_type":"contact","id_field_name":"email","id_field_value":{"@path":"$.traits.email"},"property_group":"contactinformation"},` +
		`"properties":{"firstname":{"@path":"$.traits.first_name"},"Plan Tier":{"@path":"$.traits.plan"},"seats":{"@path":"$.traits.seats"},` +
		`"trial_ends":{"@path":"$.traits.trial_ends"},"beta":{"@path":"$.traits.beta"}},` +
		`"associations":[{"object_type":"company","association_label":"HUBSPOT_DEFINED:279","id_field_name":"domain","id_field_value":{"@path":"$.traits.company_domain"}}],` +
		string(UpsertObject.DefaultMapping())[1:])
}

const contactIdentify = `{"type":"identify","userId":"user-1234","timestamp":"2024-05-01T10:00:00.000Z","traits":{"email":"ada@example.com",` +
	`"first_name":" Ada ","plan":"Pro","seats":12,"trial_ends":"2024-06-30","beta":"TRUE","company_domain":"engines.example"}}`

const wantUpsertContact = `{"inputs":[{"idProperty":"email","id":"ada@example.com","properties":{"firstname":"Ada","plan_tier":"Pro",` +
	`"seats":12,"trial_ends":"2024-06-30","beta":true,"email":"ada@example.com"}}]}`

func TestUpsertObject(t *testing.T) {
	srv := desttest.NewServer(t,
		desttest.Reply{Body: `{"results":[{"name":"email","type":"string","fieldType":"text"},{"name":"firstname","type":"string","fieldType":"text"},` +
			`{"name":"plan_tier","type":"enumeration","fieldType":"select"}]}`},
		desttest.Reply{Status: 201, Body: `{"status":"COMPLETE","results":[]}`},
		desttest.Reply{Body: `{"status":"COMPLETE","results":[{"id":"101","properties":{"email":"ada@example.com"}}]}`},
		desttest.Reply{Body: `{"status":"COMPLETE","results":[{"id":"9","properties":{"domain":"engines.example"}}]}`},
		desttest.Reply{Status: 201, Body: `{"status":"COMPLETE"}`},
		// The second event: properties are known now.
		desttest.Reply{Body: `{"status":"COMPLETE","results":[{"id":"101","properties":{"email":"ada@example.com"}}]}`},
		desttest.Reply{Body: `{"status":"COMPLETE","results":[{"id":"9","properties":{"domain":"engines.example"}}]}`},
		desttest.Reply{Status: 201, Body: `{"status":"COMPLETE"}`})
	inst := hsInst(t)
	p := desttest.Render(t, Definition, "upsertObject", objectMapping("upsert"), contactIdentify)
	if err := srv.Client().Send(context.Background(), inst, UpsertObject, p); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if len(rs) != 5 {
		t.Fatalf("%d requests", len(rs))
	}
	if rs[0].Method != "GET" || rs[0].Path != "/crm/v3/properties/contact" || rs[0].RawQuery != "" || len(rs[0].Body) != 0 {
		t.Fatalf("got %s %s?%s", rs[0].Method, rs[0].Path, rs[0].RawQuery)
	}
	desttest.Header(t, rs[0], "Authorization", "Bearer at-1")
	wantHS(t, rs[1], "POST", "/crm/v3/properties/contact/batch/create", "", "at-1")
	desttest.JSONEqual(t, rs[1].Body, `{"inputs":[`+
		`{"name":"seats","label":"seats","groupName":"contactinformation","type":"number","fieldType":"number"},`+
		`{"name":"trial_ends","label":"trial_ends","groupName":"contactinformation","type":"date","fieldType":"date"},`+
		`{"name":"beta","label":"beta","groupName":"contactinformation","type":"enumeration","fieldType":"booleancheckbox","options":[`+
		`{"label":"true","value":"true","hidden":false,"description":"True","displayOrder":1},`+
		`{"label":"false","value":"false","hidden":false,"description":"False","displayOrder":2}]}]}`)
	wantHS(t, rs[2], "POST", "/crm/v3/objects/contact/batch/upsert", "", "at-1")
	desttest.JSONEqual(t, rs[2].Body, wantUpsertContact)
	wantHS(t, rs[3], "POST", "/crm/v3/objects/company/batch/upsert", "", "at-1")
	desttest.JSONEqual(t, rs[3].Body, `{"inputs":[{"idProperty":"domain","id":"engines.example","properties":{"domain":"engines.example"}}]}`)
	wantHS(t, rs[4], "POST", "/crm/v4/associations/contact/company/batch/create", "", "at-1")
	desttest.JSONEqual(t, rs[4].Body, `{"inputs":[{"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":279}],"from":{"id":"101"},"to":{"id":"9"}}]}`)

	// The same shape again: the property cache saves the read and the creation.
	if err := srv.Client().Send(context.Background(), inst, UpsertObject, p); err != nil {
		t.Fatal(err)
	}
	rs = srv.Requests()[5:]
	if len(rs) != 3 || rs[0].Path != "/crm/v3/objects/contact/batch/upsert" {
		t.Fatalf("%d requests after the cache warmed, first %s", len(rs), rs[0].Path)
	}
	desttest.JSONEqual(t, rs[0].Body, wantUpsertContact)
}

// In update mode, a batch reads which records exist and updates only
// those; two events for one record are merged, the later values winning.
func TestUpsertObjectBatchUpdate(t *testing.T) {
	m := destkit.JSON(`{"__segment_internal_sync_mode":"update","object_details":{"object_type":"2-777","id_field_name":"vin","id_field_value":{"@path":"$.properties.vin"}},` +
		`"properties":{"model":{"@path":"$.properties.model"},"km":{"@path":"$.properties.km"}},` +
		`"sensitive_properties":{"owner_ssn":{"@path":"$.properties.ssn"}},` +
		`"associations":[{"object_type":"contact","association_label":"USER_DEFINED:12","id_field_name":"email","id_field_value":{"@path":"$.properties.owner"}}],` +
		strings.Replace(string(UpsertObject.DefaultMapping())[1:], `"association_sync_mode":"upsert"`, `"association_sync_mode":"read"`, 1))
	ev := func(ts, vin, km, owner string) string {
		return `{"type":"track","timestamp":"` + ts + `","properties":{"vin":"` + vin + `","model":"Zoe","km":` + km + `,"ssn":"123","owner":"` + owner + `"}}`
	}
	ps := [][]byte{
		desttest.Render(t, Definition, "upsertObject", m, ev("2024-05-01T10:00:05Z", "VF1", "900", "a@example.com")),
		desttest.Render(t, Definition, "upsertObject", m, ev("2024-05-01T10:00:09Z", "VF2", "5", "b@example.com")),
		desttest.Render(t, Definition, "upsertObject", m, ev("2024-05-01T10:00:01Z", "VF1", "800", "c@example.com")),
		desttest.Validate(t, Definition, "upsertObject", `{"__segment_internal_sync_mode":"update","association_sync_mode":"read","batch_size":100,`+
			`"object_details":{"object_type":"2-777","id_field_name":"vin","id_field_value":"VF3"},"properties":{"9lives":1}}`),
	}
	props := `{"results":[{"name":"vin","type":"string","fieldType":"text"},{"name":"model","type":"string","fieldType":"text"},{"name":"km","type":"number","fieldType":"number"}]}`
	srv := desttest.NewServer(t,
		desttest.Reply{Body: props},
		desttest.Reply{Body: `{"results":[{"name":"owner_ssn","type":"string","fieldType":"text"}]}`},
		desttest.Reply{Status: 207, Body: `{"status":"COMPLETE","results":[{"id":"501","properties":{"vin":"VF1"}}],"errors":[{"status":"error","category":"OBJECT_NOT_FOUND"}]}`},
		desttest.Reply{Body: `{"status":"COMPLETE","results":[{"id":"501","properties":{"vin":"VF1"}}]}`},
		desttest.Reply{Body: `{"status":"COMPLETE","results":[{"id":"31","properties":{"email":"a@example.com"}},{"id":"32","properties":{"email":"c@example.com"}}]}`},
		desttest.Reply{Status: 201})
	errs := srv.Client().SendBatch(context.Background(), hsInst(t), UpsertObject, ps)
	if errs[0] != nil || errs[1] != nil || errs[2] != nil {
		t.Fatal(errs)
	}
	var pv *destkit.PayloadValidationError
	if !errors.As(errs[3], &pv) {
		t.Fatalf("property starting with a digit: %v", errs[3])
	}
	rs := srv.Requests()
	if len(rs) != 6 {
		t.Fatalf("%d requests", len(rs))
	}
	if rs[0].Path != "/crm/v3/properties/2-777" || rs[1].Path != "/crm/v3/properties/2-777" || rs[1].RawQuery != "dataSensitivity=sensitive" {
		t.Fatalf("property reads %s?%s %s?%s", rs[0].Path, rs[0].RawQuery, rs[1].Path, rs[1].RawQuery)
	}
	wantHS(t, rs[2], "POST", "/crm/v3/objects/2-777/batch/read", "", "at-1")
	desttest.JSONEqual(t, rs[2].Body, `{"properties":["vin"],"idProperty":"vin","inputs":[{"id":"VF1"},{"id":"VF2"}]}`)
	wantHS(t, rs[3], "POST", "/crm/v3/objects/2-777/batch/update", "", "at-1")
	desttest.JSONEqual(t, rs[3].Body, `{"inputs":[{"idProperty":"vin","id":"VF1","properties":{"model":"Zoe","km":900,"owner_ssn":"123"}}]}`)
	wantHS(t, rs[4], "POST", "/crm/v3/objects/contact/batch/read", "", "at-1")
	desttest.JSONEqual(t, rs[4].Body, `{"properties":["email"],"idProperty":"email","inputs":[{"id":"a@example.com"},{"id":"c@example.com"}]}`)
	wantHS(t, rs[5], "POST", "/crm/v4/associations/2-777/contact/batch/create", "", "at-1")
	desttest.JSONEqual(t, rs[5].Body, `{"inputs":[`+
		`{"types":[{"associationCategory":"USER_DEFINED","associationTypeId":12}],"from":{"id":"501"},"to":{"id":"31"}},`+
		`{"types":[{"associationCategory":"USER_DEFINED","associationTypeId":12}],"from":{"id":"501"},"to":{"id":"32"}}]}`)
}

func TestUpsertObjectAddAndDissociate(t *testing.T) {
	p := desttest.Validate(t, Definition, "upsertObject", `{"__segment_internal_sync_mode":"add","association_sync_mode":"upsert","batch_size":100,`+
		`"object_details":{"object_type":"deal","id_field_name":"hs_object_id","id_field_value":"77"},`+
		`"dissociations":[{"object_type":"company","association_label":"USER_DEFINED:3","id_field_name":"domain","id_field_value":"old.example"}]}`)
	srv := desttest.NewServer(t,
		desttest.Reply{Status: 207, Body: `{"results":[],"errors":[{"category":"OBJECT_NOT_FOUND"}]}`},
		desttest.Reply{Status: 201, Body: `{"results":[{"id":"77","properties":{"hs_object_id":"77"}}]}`},
		desttest.Reply{Body: `{"results":[{"id":"4","properties":{"domain":"old.example"}}]}`},
		desttest.Reply{Status: 204})
	if err := srv.Client().Send(context.Background(), hsInst(t), UpsertObject, p); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if len(rs) != 4 {
		t.Fatalf("%d requests", len(rs))
	}
	wantHS(t, rs[1], "POST", "/crm/v3/objects/deal/batch/create", "", "at-1")
	desttest.JSONEqual(t, rs[1].Body, `{"inputs":[{"idProperty":"hs_object_id","properties":{"hs_object_id":"77"}}]}`)
	// Dissociation never creates the other record, whatever the mode.
	wantHS(t, rs[2], "POST", "/crm/v3/objects/company/batch/read", "", "at-1")
	wantHS(t, rs[3], "POST", "/crm/v4/associations/deal/company/batch/labels/archive", "", "at-1")
	desttest.JSONEqual(t, rs[3].Body, `{"inputs":[{"types":[{"associationCategory":"USER_DEFINED","associationTypeId":3}],"from":{"id":"77"},"to":{"id":"4"}}]}`)
}

func TestUpsertObjectErrors(t *testing.T) {
	p := desttest.Render(t, Definition, "upsertObject", objectMapping("upsert"), contactIdentify)
	known := desttest.Reply{Body: `{"results":[{"name":"firstname","type":"string","fieldType":"text"},{"name":"plan_tier","type":"string","fieldType":"text"},` +
		`{"name":"seats","type":"number","fieldType":"number"},{"name":"trial_ends","type":"date","fieldType":"date"},{"name":"beta","type":"enumeration","fieldType":"booleancheckbox"}]}`}
	for name, tc := range map[string]struct {
		replies []desttest.Reply
		want    destkit.Outcome
		calls   int
	}{
		"properties 403":  {[]desttest.Reply{{Status: 403}}, destkit.Fail, 1},
		"properties 500":  {[]desttest.Reply{{Status: 500}}, destkit.Retry, 1},
		"type mismatch":   {[]desttest.Reply{{Body: `{"results":[{"name":"seats","type":"datetime","fieldType":"date"}]}`}}, destkit.Fail, 1},
		"upsert 400":      {[]desttest.Reply{known, {Status: 400, Body: `{"category":"VALIDATION_ERROR"}`}}, destkit.Fail, 2},
		"upsert 429":      {[]desttest.Reply{known, {Status: 429, Header: map[string]string{"Retry-After": "10"}}}, destkit.Retry, 2},
		"upsert 502":      {[]desttest.Reply{known, {Status: 502}}, destkit.Retry, 2},
		"associate 500":   {[]desttest.Reply{known, {Body: `{"results":[{"id":"1","properties":{"email":"ada@example.com"}}]}`}, {Status: 500}}, destkit.Retry, 3},
		"created already": {[]desttest.Reply{{Body: `{"results":[]}`}, {Status: 409}, {}}, destkit.Delivered, 3},
	} {
		srv := desttest.NewServer(t, tc.replies...)
		err := srv.Client().Send(context.Background(), hsInst(t), UpsertObject, p)
		if got := destkit.Classify(err).Outcome; got != tc.want || len(srv.Requests()) != tc.calls {
			t.Errorf("%s: %v after %d calls (%v)", name, got, len(srv.Requests()), err)
		}
	}
	// New properties need a property group; nothing is written without one.
	noGroup := desttest.Validate(t, Definition, "upsertObject", `{"__segment_internal_sync_mode":"upsert","association_sync_mode":"upsert","batch_size":100,`+
		`"object_details":{"object_type":"contact","id_field_name":"email","id_field_value":"a@b.c"},"properties":{"new_one":"x"}}`)
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"results":[]}`})
	var pv *destkit.PayloadValidationError
	if err := srv.Client().Send(context.Background(), hsInst(t), UpsertObject, noGroup); !errors.As(err, &pv) || len(srv.Requests()) != 1 {
		t.Errorf("no property group: %v after %d calls", err, len(srv.Requests()))
	}
	// No sync mode, or a malformed association label: nothing is sent.
	for _, bad := range []string{
		`{"association_sync_mode":"upsert","batch_size":100,"object_details":{"object_type":"contact","id_field_name":"email","id_field_value":"a@b.c"}}`,
		`{"__segment_internal_sync_mode":"upsert","association_sync_mode":"upsert","batch_size":100,"object_details":{"object_type":"contact","id_field_name":"email","id_field_value":"a@b.c"},` +
			`"associations":[{"object_type":"company","association_label":"279","id_field_name":"domain","id_field_value":"d"}]}`,
	} {
		srv := desttest.NewServer(t)
		if err := srv.Client().Send(context.Background(), hsInst(t), UpsertObject, desttest.Validate(t, Definition, "upsertObject", bad)); !errors.As(err, &pv) || len(srv.Requests()) != 0 {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

// A 401 refreshes the token; the whole action runs again with the new one
// (the property read that succeeded is cached, so it is not repeated).
func TestUpsertObjectRefreshesOn401(t *testing.T) {
	p := desttest.Validate(t, Definition, "upsertObject", `{"__segment_internal_sync_mode":"upsert","association_sync_mode":"upsert","batch_size":100,`+
		`"object_details":{"object_type":"contact","id_field_name":"email","id_field_value":"a@b.c"},"properties":{"firstname":"A"}}`)
	srv := desttest.NewServer(t,
		desttest.Reply{Body: `{"results":[{"name":"firstname","type":"string","fieldType":"text"}]}`},
		desttest.Reply{Status: 401, Body: `{"category":"EXPIRED_AUTHENTICATION"}`},
		desttest.Reply{Body: `{"access_token":"at-2","expires_in":1800}`},
		desttest.Reply{Body: `{"results":[{"id":"5","properties":{"email":"a@b.c"}}]}`})
	if err := srv.Client().Send(context.Background(), hsInst(t), UpsertObject, p); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if len(rs) != 4 || rs[2].Path != "/oauth/v1/token" {
		t.Fatalf("%d requests", len(rs))
	}
	desttest.Header(t, rs[1], "Authorization", "Bearer at-1")
	wantHS(t, rs[3], "POST", "/crm/v3/objects/contact/batch/upsert", "", "at-2")
	desttest.JSONEqual(t, rs[3].Body, `{"inputs":[{"idProperty":"email","id":"a@b.c","properties":{"firstname":"A","email":"a@b.c"}}]}`)

	// Two 401s in a row: an AuthError, not a retry loop.
	srv = desttest.NewServer(t, desttest.Reply{Body: `{"results":[{"name":"firstname","type":"string","fieldType":"text"}]}`},
		desttest.Reply{Status: 401}, desttest.Reply{Body: `{"access_token":"at-3","expires_in":1800}`}, desttest.Reply{Status: 401})
	var ae *destkit.AuthError
	if err := srv.Client().Send(context.Background(), hsInst(t), UpsertObject, p); !errors.As(err, &ae) {
		t.Fatalf("%T %v", err, err)
	}
}
