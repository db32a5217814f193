package googlesheets

import (
	"context"
	"net/url"
	"strconv"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// PostSheet upserts rows keyed by record identifier. It reads the sheet's
// identifier column, then updates matching rows and appends the others:
// a read-modify-write, so it is a Run rather than a pure Perform.
var PostSheet = &destkit.Action{
	Key:                 "postSheet",
	Title:               "Post Sheet",
	Description:         "Write a record as a row: update the row with the same identifier, or append one.",
	DefaultSubscription: `event = "updated" or event = "new"`,
	Fields: []destkit.Field{
		{Key: "record_identifier", Label: "Record Identifier", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.__segment_id"}`,
			Description: "Identifier of the record; rows are matched on it (column A)."},
		{Key: "operation_type", Label: "Operation Type", Type: destkit.String, Required: true,
			Default:     `{"@path":"$.event"}`,
			Description: "new or updated; both write the row (upsert)."},
		{Key: "spreadsheet_id", Label: "Spreadsheet ID", Type: destkit.String, Required: true,
			Default:     `""`,
			Description: "ID of the spreadsheet, from its URL."},
		{Key: "spreadsheet_name", Label: "Spreadsheet Name", Type: destkit.String, Required: true,
			Default:     `"Sheet1"`,
			Description: "Name of the sheet (tab) to write to."},
		{Key: "data_format", Label: "Data Format", Type: destkit.String, Required: true,
			Choices:     []destkit.Choice{{Value: "RAW", Label: "Raw"}, {Value: "USER_ENTERED", Label: "User Entered"}},
			Default:     `"RAW"`,
			Description: "RAW stores values as given; USER_ENTERED parses them as if typed (formulas, dates)."},
		{Key: "fields", Label: "Fields", Type: destkit.Object, Required: true,
			Description: "Columns to write, as column name to value."},
		{Key: "enable_batching", Label: "Batch Data to Google Sheets", Type: destkit.Boolean,
			Default:     `true`,
			Description: "Write rows in batches."},
		{Key: "batch_size", Label: "Batch Size", Type: destkit.Number, Required: true,
			Default:     `1001`,
			Description: "Largest number of rows per batch."},
		{Key: "batch_bytes", Label: "Batch Bytes", Type: destkit.Number, Required: true,
			Default:     `2000000`,
			Description: "Largest batch size in bytes."},
	},
	Batch: &destkit.Batch{MaxSize: 1001, Keys: []string{"spreadsheet_id", "spreadsheet_name", "data_format"}},
	Run: func(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
		return write(ctx, d, []*fastjson.Value{in.Payload})
	},
	RunBatch: func(ctx context.Context, d destkit.Doer, in *destkit.BatchInput) []error {
		err := write(ctx, d, in.Payloads)
		errs := make([]error, len(in.Payloads))
		for i := range errs {
			errs[i] = err
		}
		return errs
	},
}

const apiBase = "https://sheets.googleapis.com/v4/spreadsheets/"

// write upserts the rows of one batch. Spreadsheet, sheet and format are
// batch keys, so the first payload speaks for all.
func write(ctx context.Context, d destkit.Doer, ps []*fastjson.Value) error {
	first := ps[0]
	sheetID := string(first.GetStringBytes("spreadsheet_id"))
	sheet := string(first.GetStringBytes("spreadsheet_name"))
	format := string(first.GetStringBytes("data_format"))
	base := apiBase + url.PathEscape(sheetID) + "/values"

	// 1. Which identifiers have rows already (column A, row 1 is the header).
	get := destkit.Request{Method: "GET", URL: base + "/" + url.PathEscape(sheet+"!A:A")}
	resp, err := d.Do(ctx, &get)
	if err != nil {
		return err
	}
	rows := map[string]int{}
	col, _ := fastjson.ParseBytes(resp.Body)
	for i, r := range col.GetArray("values") {
		if id := string(r.GetStringBytes("0")); id != "" && i > 0 {
			rows[id] = i + 1
		}
	}

	// 2. Columns: the identifier, then the first record's fields in order.
	columns := []string{"id"}
	if o := first.GetObject("fields"); o != nil {
		o.Visit(func(k []byte, _ *fastjson.Value) { columns = append(columns, string(k)) })
	}
	last := columnName(len(columns) - 1)

	// 3. Header and updates in one batchUpdate; new rows in one append.
	upd := destkit.NewJSONWriter(make([]byte, 0, 256*len(ps)))
	upd.ObjectStart()
	upd.Key("valueInputOption")
	upd.String(format)
	upd.Key("data")
	upd.ArrayStart()
	writeRange(upd, sheet+"!A1:"+last+"1", func(w *destkit.JSONWriter) {
		for _, c := range columns {
			w.String(c)
		}
	})
	app := destkit.NewJSONWriter(make([]byte, 0, 256*len(ps)))
	app.ObjectStart()
	app.Key("values")
	app.ArrayStart()
	appended := 0
	for _, p := range ps {
		id := string(p.GetStringBytes("record_identifier"))
		row := func(w *destkit.JSONWriter) {
			w.String(id)
			fields := p.Get("fields")
			for _, c := range columns[1:] {
				if v := fields.Get(c); v != nil && v.Type() != fastjson.TypeNull {
					w.Value(v)
				} else {
					w.String("")
				}
			}
		}
		if n, ok := rows[id]; ok {
			r := strconv.Itoa(n)
			writeRange(upd, sheet+"!A"+r+":"+last+r, row)
			continue
		}
		app.ArrayStart()
		row(app)
		app.ArrayEnd()
		appended++
	}
	upd.ArrayEnd()
	upd.ObjectEnd()
	app.ArrayEnd()
	app.ObjectEnd()

	r := destkit.NewJSONRequest("POST", base+":batchUpdate", upd.Bytes())
	if _, err := d.Do(ctx, &r); err != nil {
		return err
	}
	if appended == 0 {
		return nil
	}
	q := url.Values{"valueInputOption": {format}, "insertDataOption": {"INSERT_ROWS"}}
	r = destkit.NewJSONRequest("POST", base+"/"+url.PathEscape(sheet+"!A1")+":append?"+q.Encode(), app.Bytes())
	_, err = d.Do(ctx, &r)
	return err
}

func writeRange(w *destkit.JSONWriter, rng string, row func(w *destkit.JSONWriter)) {
	w.ObjectStart()
	w.Key("range")
	w.String(rng)
	w.Key("values")
	w.ArrayStart()
	w.ArrayStart()
	row(w)
	w.ArrayEnd()
	w.ArrayEnd()
	w.ObjectEnd()
}

// columnName turns a zero-based index into a column letter (0 → A, 26 → AA).
func columnName(i int) string {
	name := ""
	for i++; i > 0; i = (i - 1) / 26 {
		name = string(rune('A'+(i-1)%26)) + name
	}
	return name
}
