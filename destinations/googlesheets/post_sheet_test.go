package googlesheets

import (
	"context"
	"testing"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

func settings() map[string]any {
	return map[string]any{"oauth": map[string]any{"access_token": "ya29.old", "refresh_token": "1//r", "clientId": "c", "clientSecret": "s"}}
}

// column is what GET values/Sheet1!A2:A answers: rec-1 in row 2, rec-2 in row 3.
const column = `{"range":"Sheet1!A2:A3","majorDimension":"ROWS","values":[["rec-1"],["rec-2"]]}`

func payload(id, op, fields string) string {
	return `{"record_identifier":"` + id + `","operation_type":"` + op + `","spreadsheet_id":"sheet-abc",` +
		`"spreadsheet_name":"Sheet1","data_format":"RAW","enable_batching":true,"batch_size":1001,"batch_bytes":2000000,"fields":` + fields + `}`
}

func TestPostSheetUpdatesAndAppends(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: column}, desttest.Reply{}, desttest.Reply{})
	ps := [][]byte{
		desttest.Validate(t, Definition, "postSheet", payload("rec-2", "updated", `{"name":"Ada","plan":"pro"}`)),
		desttest.Validate(t, Definition, "postSheet", payload("rec-9", "new", `{"plan":"free","name":"Bob","seats":3}`)),
		desttest.Validate(t, Definition, "postSheet", payload("rec-1", "deleted", `{"name":"Cy"}`)),
		desttest.Validate(t, Definition, "postSheet", payload("rec-8", "deleted", `{"name":"Di"}`)),
	}
	errs := srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings()), PostSheet, ps)
	for i, err := range errs {
		if err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
	}
	rs := srv.Requests()
	if len(rs) != 3 {
		t.Fatalf("%d requests", len(rs))
	}
	for _, r := range rs {
		desttest.Header(t, r, "Authorization", "Bearer ya29.old")
	}
	if rs[0].Method != "GET" || rs[0].Path != "/v4/spreadsheets/sheet-abc/values/Sheet1!A2:A" || rs[0].RawQuery != "" || len(rs[0].Body) != 0 {
		t.Fatalf("read: %s %s?%s %s", rs[0].Method, rs[0].Path, rs[0].RawQuery, rs[0].Body)
	}
	if rs[1].Method != "POST" || rs[1].Path != "/v4/spreadsheets/sheet-abc/values:batchUpdate" || rs[1].RawQuery != "" {
		t.Fatalf("update: %s %s?%s", rs[1].Method, rs[1].Path, rs[1].RawQuery)
	}
	desttest.Header(t, rs[1], "Content-Type", "application/json")
	// Columns come from the first event; the deleted rec-1 and rec-8 are left alone.
	desttest.JSONEqual(t, rs[1].Body, `{"valueInputOption":"RAW","data":[`+
		`{"range":"Sheet1!A3:D3","values":[["rec-2","Ada","pro"]]},`+
		`{"range":"Sheet1!A1:C1","values":[["id","name","plan"]]}]}`)
	if rs[2].Method != "POST" || rs[2].Path != "/v4/spreadsheets/sheet-abc/values/Sheet1!A2:append" ||
		rs[2].RawQuery != "valueInputOption=RAW&insertDataOption=INSERT_ROWS" {
		t.Fatalf("append: %s %s?%s", rs[2].Method, rs[2].Path, rs[2].RawQuery)
	}
	desttest.JSONEqual(t, rs[2].Body, `{"values":[["rec-9","Bob","free"]]}`)
}

// TestPostSheetDefaultMapping renders the default mapping (plus the two
// fields a user must fill in) over a Reverse ETL event and checks every
// request of a first sync into an empty sheet.
func TestPostSheetDefaultMapping(t *testing.T) {
	m := `{"record_identifier":{"@path":"$.__segment_id"},"operation_type":{"@path":"$.event"},` +
		`"spreadsheet_id":"1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms","spreadsheet_name":"Sheet1","data_format":"RAW",` +
		`"fields":{"Email":{"@path":"$.properties.email"},"Plan":{"@path":"$.properties.plan"},"Seats":{"@path":"$.properties.seats"}},` +
		`"enable_batching":true,"batch_size":1001,"batch_bytes":2000000}`
	if got := string(PostSheet.DefaultMapping()); got != `{"record_identifier":{"@path":"$.__segment_id"},"operation_type":{"@path":"$.event"},`+
		`"spreadsheet_id":"","spreadsheet_name":"Sheet1","data_format":"RAW","enable_batching":true,"batch_size":1001,"batch_bytes":2000000}` {
		t.Fatalf("default mapping changed: %s", got)
	}
	ev := `{"type":"track","event":"new","__segment_id":"acct_81","userId":"u-81","messageId":"m-1",` +
		`"properties":{"email":"ada@example.com","plan":"pro","seats":12},"timestamp":"2026-03-02T10:00:00.000Z"}`
	p := desttest.Render(t, Definition, "postSheet", destkit.JSON(m), ev)
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"range":"Sheet1!A2:A1000","majorDimension":"ROWS"}`})
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings()), PostSheet, p); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if len(rs) != 3 || rs[0].Path != "/v4/spreadsheets/1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms/values/Sheet1!A2:A" {
		t.Fatalf("%+v", rs)
	}
	desttest.JSONEqual(t, rs[1].Body, `{"valueInputOption":"RAW","data":[{"range":"Sheet1!A1:D1","values":[["id","Email","Plan","Seats"]]}]}`)
	desttest.JSONEqual(t, rs[2].Body, `{"values":[["acct_81","ada@example.com","pro",12]]}`)
}

func TestPostSheetSingleEventRefreshesOn401(t *testing.T) {
	srv := desttest.NewServer(t,
		desttest.Reply{Status: 401, Body: `{"error":{"code":401,"status":"UNAUTHENTICATED"}}`},
		desttest.Reply{Body: `{"access_token":"ya29.new","expires_in":3599}`},
		desttest.Reply{Body: column}, desttest.Reply{})
	p := desttest.Validate(t, Definition, "postSheet", payload("rec-1", "updated", `{"name":"Ada"}`))
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings()), PostSheet, p); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if len(rs) != 4 || rs[1].Path != "/oauth2/v4/token" {
		t.Fatalf("%+v", rs)
	}
	desttest.Header(t, rs[2], "Authorization", "Bearer ya29.new")
	desttest.Header(t, rs[3], "Authorization", "Bearer ya29.new")
	desttest.JSONEqual(t, rs[3].Body, `{"valueInputOption":"RAW","data":[`+
		`{"range":"Sheet1!A2:C2","values":[["rec-1","Ada"]]},{"range":"Sheet1!A1:B1","values":[["id","name"]]}]}`)
}

func TestPostSheetErrors(t *testing.T) {
	for _, c := range []struct {
		status int
		header map[string]string
		want   destkit.Outcome
		after  time.Duration
	}{
		{400, nil, destkit.Fail, 0},
		{403, nil, destkit.Fail, 0},
		{404, nil, destkit.Fail, 0},
		{429, map[string]string{"Retry-After": "7"}, destkit.Retry, 7 * time.Second},
		{500, nil, destkit.Retry, 0},
		{503, nil, destkit.Retry, 0},
	} {
		srv := desttest.NewServer(t, desttest.Reply{Status: c.status, Header: c.header})
		ps := [][]byte{desttest.Validate(t, Definition, "postSheet", payload("rec-1", "new", `{"a":1}`))}
		errs := srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings()), PostSheet, ps)
		if v := destkit.Classify(errs[0]); v.Outcome != c.want || v.RetryAfter != c.after {
			t.Errorf("%d: %v after %v (%v)", c.status, v.Outcome, v.RetryAfter, errs[0])
		}
		if n := len(srv.Requests()); n != 1 {
			t.Errorf("%d: %d requests after a failed read", c.status, n)
		}
	}
}

// TestPostSheetCellLimit: a sheet past 600,000 cells fails without writing.
func TestPostSheetCellLimit(t *testing.T) {
	body := []byte(`{"values":[`)
	for i := 0; i < 300001; i++ {
		if i > 0 {
			body = append(body, ',')
		}
		body = append(body, `["r"]`...)
	}
	body = append(body, "]}"...)
	srv := desttest.NewServer(t, desttest.Reply{Body: string(body)})
	p := desttest.Validate(t, Definition, "postSheet", payload("rec-1", "new", `{"a":1,"b":2}`))
	err := srv.Client(destkit.MaxResponseBytes(8<<20)).Send(context.Background(), desttest.Instance(t, Definition, settings()), PostSheet, p)
	if destkit.Classify(err).Outcome != destkit.Fail || len(srv.Requests()) != 1 {
		t.Fatalf("%v after %d requests", err, len(srv.Requests()))
	}
}

func TestPostSheetRejectsIncompletePayloads(t *testing.T) {
	for field, p := range map[string]string{
		"record_identifier": `{"operation_type":"new","spreadsheet_id":"s","spreadsheet_name":"Sheet1","data_format":"RAW","batch_size":1,"batch_bytes":1,"fields":{"a":1}}`,
		"spreadsheet_id":    `{"record_identifier":"r","operation_type":"new","spreadsheet_id":"","spreadsheet_name":"Sheet1","data_format":"RAW","batch_size":1,"batch_bytes":1,"fields":{"a":1}}`,
		"fields":            `{"record_identifier":"r","operation_type":"new","spreadsheet_id":"s","spreadsheet_name":"Sheet1","data_format":"RAW","batch_size":1,"batch_bytes":1,"fields":"a"}`,
		"data_format":       `{"record_identifier":"r","operation_type":"new","spreadsheet_id":"s","spreadsheet_name":"Sheet1","data_format":"CSV","batch_size":1,"batch_bytes":1,"fields":{"a":1}}`,
	} {
		_, err := PostSheet.Validate([]byte(p))
		var pv *destkit.PayloadValidationError
		if !asValidation(err, &pv) || pv.Field != field && !contains(pv.Message, field) {
			t.Errorf("%s: %v", field, err)
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
