package googlesheets

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/destinations/desttest"
)

func payload2(mode, id, fields string) string {
	m := ""
	if mode != "" {
		m = `"__segment_internal_sync_mode":"` + mode + `",`
	}
	return `{` + m + `"record_identifier":"` + id + `","spreadsheet_id":"sheet-abc","spreadsheet_name":"Sheet1",` +
		`"data_format":"USER_ENTERED","enable_batching":true,"batch_size":1001,"batch_bytes":2000000,"fields":` + fields + `}`
}

func asValidation(err error, pv **destkit.PayloadValidationError) bool { return errors.As(err, pv) }
func contains(s, sub string) bool                                      { return strings.Contains(s, sub) }

// TestPostSheet2SyncModes sends the same batch (rec-2 is in the sheet,
// rec-9 is not) under each sync mode.
func TestPostSheet2SyncModes(t *testing.T) {
	const header = `{"range":"Sheet1!A1:C1","values":[["id","name","plan"]]}`
	const row = `{"range":"Sheet1!A3:D3","values":[["rec-2","Ada","pro"]]}`
	for _, c := range []struct {
		mode       string
		update     string // batchUpdate body
		appendBody string // "" when no append is sent
	}{
		{"upsert", `{"valueInputOption":"USER_ENTERED","data":[` + row + `,` + header + `]}`, `{"values":[["rec-9","Bob","free"]]}`},
		{"add", `{"valueInputOption":"USER_ENTERED","data":[` + header + `]}`, `{"values":[["rec-9","Bob","free"]]}`},
		{"update", `{"valueInputOption":"USER_ENTERED","data":[` + row + `,` + header + `]}`, ``},
	} {
		t.Run(c.mode, func(t *testing.T) {
			srv := desttest.NewServer(t, desttest.Reply{Body: column})
			ps := [][]byte{
				desttest.Validate(t, Definition, "postSheet2", payload2(c.mode, "rec-2", `{"name":"Ada","plan":"pro"}`)),
				desttest.Validate(t, Definition, "postSheet2", payload2(c.mode, "rec-9", `{"name":"Bob","plan":"free"}`)),
			}
			for i, err := range srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings()), PostSheet2, ps) {
				if err != nil {
					t.Fatalf("event %d: %v", i, err)
				}
			}
			rs := srv.Requests()
			want := 2
			if c.appendBody != "" {
				want = 3
			}
			if len(rs) != want {
				t.Fatalf("%d requests, want %d", len(rs), want)
			}
			for _, r := range rs {
				desttest.Header(t, r, "Authorization", "Bearer ya29.old")
			}
			if rs[0].Method != "GET" || rs[0].Path != "/v4/spreadsheets/sheet-abc/values/Sheet1!A2:A" {
				t.Fatalf("read: %s %s", rs[0].Method, rs[0].Path)
			}
			if rs[1].Method != "POST" || rs[1].Path != "/v4/spreadsheets/sheet-abc/values:batchUpdate" {
				t.Fatalf("update: %s %s", rs[1].Method, rs[1].Path)
			}
			desttest.Header(t, rs[1], "Content-Type", "application/json")
			desttest.JSONEqual(t, rs[1].Body, c.update)
			if c.appendBody != "" {
				if rs[2].Method != "POST" || rs[2].Path != "/v4/spreadsheets/sheet-abc/values/Sheet1!A2:append" ||
					rs[2].RawQuery != "valueInputOption=USER_ENTERED&insertDataOption=INSERT_ROWS" {
					t.Fatalf("append: %s %s?%s", rs[2].Method, rs[2].Path, rs[2].RawQuery)
				}
				desttest.JSONEqual(t, rs[2].Body, c.appendBody)
			}
		})
	}
}

// TestPostSheet2LastEventWins: two events of one identifier in a batch
// become one row, with the later fields, where the earlier one stood.
func TestPostSheet2LastEventWins(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: `{"values":[["x"],[],["rec-1"],["rec-1"]]}`})
	ps := [][]byte{
		desttest.Validate(t, Definition, "postSheet2", payload2("upsert", "rec-5", `{"n":1,"m":null}`)),
		desttest.Validate(t, Definition, "postSheet2", payload2("upsert", "rec-1", `{"n":2}`)),
		desttest.Validate(t, Definition, "postSheet2", payload2("upsert", "rec-6", `{"n":3}`)),
		desttest.Validate(t, Definition, "postSheet2", payload2("upsert", "rec-5", `{"n":4,"m":"b"}`)),
	}
	for i, err := range srv.Client().SendBatch(context.Background(), desttest.Instance(t, Definition, settings()), PostSheet2, ps) {
		if err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
	}
	rs := srv.Requests()
	if len(rs) != 3 {
		t.Fatalf("%d requests", len(rs))
	}
	// rec-1 sits in row 4 (the first of its two rows); the empty row 3 counts.
	desttest.JSONEqual(t, rs[1].Body, `{"valueInputOption":"USER_ENTERED","data":[`+
		`{"range":"Sheet1!A4:D4","values":[["rec-1",2,""]]},{"range":"Sheet1!A1:C1","values":[["id","n","m"]]}]}`)
	desttest.JSONEqual(t, rs[2].Body, `{"values":[["rec-5",4,"b"],["rec-6",3,""]]}`)
}

func TestPostSheet2SingleEvent(t *testing.T) {
	srv := desttest.NewServer(t, desttest.Reply{Body: column})
	p := desttest.Validate(t, Definition, "postSheet2", payload2("update", "rec-1", `{"name":"Ada"}`))
	if err := srv.Client().Send(context.Background(), desttest.Instance(t, Definition, settings()), PostSheet2, p); err != nil {
		t.Fatal(err)
	}
	rs := srv.Requests()
	if len(rs) != 2 {
		t.Fatalf("%d requests", len(rs))
	}
	desttest.JSONEqual(t, rs[1].Body, `{"valueInputOption":"USER_ENTERED","data":[`+
		`{"range":"Sheet1!A2:C2","values":[["rec-1","Ada"]]},{"range":"Sheet1!A1:B1","values":[["id","name"]]}]}`)
}

// TestPostSheet2SyncModeRequired: a missing or unsupported mode is a
// validation error naming the mode, and nothing is sent.
func TestPostSheet2SyncModeRequired(t *testing.T) {
	for _, mode := range []string{"", "delete", "mirror", "UPSERT"} {
		srv := desttest.NewServer(t)
		p := desttest.Validate(t, Definition, "postSheet2", payload2(mode, "rec-1", `{"name":"Ada"}`))
		inst := desttest.Instance(t, Definition, settings())
		errs := []error{srv.Client().Send(context.Background(), inst, PostSheet2, p)}
		errs = append(errs, srv.Client().SendBatch(context.Background(), inst, PostSheet2, [][]byte{p, p})...)
		for _, err := range errs {
			var pv *destkit.PayloadValidationError
			if !errors.As(err, &pv) || pv.Field != destkit.SyncModeKey {
				t.Errorf("%q: %v", mode, err)
			}
		}
		if n := len(srv.Requests()); n != 0 {
			t.Errorf("%q: %d requests", mode, n)
		}
	}
}

// TestSheetNameEscaped: a sheet name with spaces, "/" or "#" stays one
// path segment; "!" and ":" keep their A1 meaning; the body names it raw.
func TestSheetNameEscaped(t *testing.T) {
	var urls []string
	d := destkit.DoerFunc(func(_ context.Context, r *destkit.Request) (*destkit.Response, error) {
		urls = append(urls, r.URL)
		if r.Method == "POST" && strings.Contains(r.URL, "batchUpdate") && !strings.Contains(string(r.Body), `"Q3 Leads/EU#2!A1:B1"`) {
			t.Errorf("body %s", r.Body)
		}
		return &destkit.Response{Status: 200, Body: []byte(`{}`)}, nil
	})
	p := strings.Replace(payload2("add", "rec-1", `{"a":1}`), `"Sheet1"`, `"Q3 Leads/EU#2"`, 1)
	if err := PostSheet2.Run(context.Background(), d, &destkit.Input{Payload: parse(t, desttest.Validate(t, Definition, "postSheet2", p))}); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"https://sheets.googleapis.com/v4/spreadsheets/sheet-abc/values/Q3%20Leads%2FEU%232!A2:A",
		"https://sheets.googleapis.com/v4/spreadsheets/sheet-abc/values:batchUpdate",
		"https://sheets.googleapis.com/v4/spreadsheets/sheet-abc/values/Q3%20Leads%2FEU%232!A2:append?valueInputOption=USER_ENTERED&insertDataOption=INSERT_ROWS",
	}
	if strings.Join(urls, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(urls, "\n"), strings.Join(want, "\n"))
	}
}
