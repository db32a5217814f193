package googlesheets

import (
	"context"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

func settings() map[string]any {
	return map[string]any{"oauth": map[string]any{"access_token": "ya29.old", "refresh_token": "1//r", "clientId": "c", "clientSecret": "s"}}
}

const column = `{"range":"Sheet1!A1:A3","majorDimension":"ROWS","values":[["id"],["rec-1"],["rec-2"]]}`

func payload(id, fields string) string {
	return `{"record_identifier":"` + id + `","operation_type":"updated","spreadsheet_id":"sheet-abc",` +
		`"spreadsheet_name":"Sheet1","data_format":"RAW","batch_size":1001,"batch_bytes":2000000,"fields":` + fields + `}`
}

func TestPostSheetUpdatesAndAppends(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: column}, desttest.Reply{}, desttest.Reply{})
	ps := [][]byte{
		desttest.Validate(t, Definition, "postSheet", payload("rec-2", `{"name":"Ada","plan":"pro"}`)),
		desttest.Validate(t, Definition, "postSheet", payload("rec-9", `{"plan":"free","name":"Bob"}`)),
	}
	errs := srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings()), PostSheet, ps)
	if errs[0] != nil || errs[1] != nil {
		t.Fatal(errs)
	}
	rs := srv.Requests()
	if len(rs) != 3 {
		t.Fatalf("%d requests", len(rs))
	}
	if rs[0].Method != "GET" || rs[0].Path != "/v4/spreadsheets/sheet-abc/values/Sheet1!A:A" {
		t.Fatalf("read: %s %s", rs[0].Method, rs[0].Path)
	}
	for _, r := range rs {
		desttest.Header(t, r, "Authorization", "Bearer ya29.old")
	}
	if rs[1].Path != "/v4/spreadsheets/sheet-abc/values:batchUpdate" {
		t.Fatalf("update: %s", rs[1].Path)
	}
	desttest.JSONEqual(t, rs[1].Body, `{"valueInputOption":"RAW","data":[`+
		`{"range":"Sheet1!A1:C1","values":[["id","name","plan"]]},`+
		`{"range":"Sheet1!A3:C3","values":[["rec-2","Ada","pro"]]}]}`)
	if rs[2].Path != "/v4/spreadsheets/sheet-abc/values/Sheet1!A1:append" || rs[2].RawQuery != "insertDataOption=INSERT_ROWS&valueInputOption=RAW" {
		t.Fatalf("append: %s?%s", rs[2].Path, rs[2].RawQuery)
	}
	desttest.JSONEqual(t, rs[2].Body, `{"values":[["rec-9","Bob","free"]]}`)
}

func TestPostSheetSingleEventRefreshesOn401(t *testing.T) {
	srv := desttest.NewServer(t,
		desttest.Reply{Status: 401, Body: `{"error":{"code":401,"status":"UNAUTHENTICATED"}}`},
		desttest.Reply{Body: `{"access_token":"ya29.new","expires_in":3599}`},
		desttest.Reply{Body: column}, desttest.Reply{})
	p := desttest.Validate(t, Definition, "postSheet", payload("rec-1", `{"name":"Ada"}`))
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings()), PostSheet, p); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if len(rs) != 4 || rs[1].Path != "/oauth2/v4/token" {
		t.Fatalf("%+v", rs)
	}
	desttest.Header(t, rs[2], "Authorization", "Bearer ya29.new")
	desttest.JSONEqual(t, rs[3].Body, `{"valueInputOption":"RAW","data":[`+
		`{"range":"Sheet1!A1:B1","values":[["id","name"]]},{"range":"Sheet1!A2:B2","values":[["rec-1","Ada"]]}]}`)
}

func TestPostSheetErrors(t *testing.T) {
	for status, want := range map[int]destkit.Outcome{403: destkit.Fail, 404: destkit.Fail, 429: destkit.Retry, 503: destkit.Retry} {
		srv := desttest.NewServer(t, desttest.Reply{Status: status})
		ps := [][]byte{desttest.Validate(t, Definition, "postSheet", payload("rec-1", `{"a":1}`))}
		errs := srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings()), PostSheet, ps)
		if got := destkit.Classify(errs[0]).Outcome; got != want {
			t.Errorf("%d: %v (%v)", status, got, errs[0])
		}
	}
}

func TestColumnName(t *testing.T) {
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 51: "AZ", 52: "BA", 701: "ZZ", 702: "AAA"} {
		if got := columnName(i); got != want {
			t.Errorf("%d: %s, want %s", i, got, want)
		}
	}
}
