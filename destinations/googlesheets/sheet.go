package googlesheets

import (
	"context"
	"net/url"
	"strconv"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// Both actions write through sync: one read of the identifier column, one
// batchUpdate (the rows found, then the header row) and, when records are
// new, one append. Its invariant: each record identifier is written at most
// once per batch, with the fields of the last payload that carries it, at
// the row of the first sheet row that holds it.

const apiBase = "https://sheets.googleapis.com/v4/spreadsheets/"

// dataRow is the first row of data; row 1 holds the column names.
const dataRow = 2

// maxCells bounds rows × columns of the sheet, as Segment does: beyond it a
// read-modify-write no longer fits its 30 s request budget.
const maxCells = 600000

// writeRule says what a payload may do to the sheet.
type writeRule struct {
	update bool // rewrite the row when the identifier is found
	append bool // add a row when it is not
}

// record is the newest payload of one identifier in a batch.
type record struct {
	id     string
	fields *fastjson.Value
	rule   writeRule
	row    int // sheet row once found, 0 otherwise
}

// sync writes the payloads of one batch. Spreadsheet, sheet and data format
// are batch keys, and the columns are the first payload's field names, so
// the first payload speaks for all; rule gives each payload's permissions.
func sync(ctx context.Context, d destkit.Doer, ps []*fastjson.Value, rule func(*fastjson.Value) writeRule) error {
	first := ps[0]
	sheetID := string(first.GetStringBytes("spreadsheet_id"))
	sheet := string(first.GetStringBytes("spreadsheet_name"))
	format := string(first.GetStringBytes("data_format"))
	var columns []string
	if o := first.GetObject("fields"); o != nil {
		o.Visit(func(k []byte, _ *fastjson.Value) { columns = append(columns, string(k)) })
	}
	values := apiBase + url.PathEscape(sheetID) + "/values"
	// The sheet name is escaped on its own so "!" and ":" keep their A1
	// meaning while a name with spaces, "/" or "#" still addresses the sheet.
	sheetRange := func(a1 string) string { return url.PathEscape(sheet) + "!" + a1 }

	// Later payloads of an identifier replace earlier ones but keep their place.
	byID := make(map[string]*record, len(ps))
	order := make([]*record, 0, len(ps))
	for _, p := range ps {
		id := string(p.GetStringBytes("record_identifier"))
		r := byID[id]
		if r == nil {
			r = &record{id: id}
			byID[id] = r
			order = append(order, r)
		}
		r.fields, r.rule = p.Get("fields"), rule(p)
	}

	get := destkit.Request{Method: "GET", URL: values + "/" + sheetRange("A"+strconv.Itoa(dataRow)+":A")}
	resp, err := d.Do(ctx, &get)
	if err != nil {
		return err
	}
	col, _ := fastjson.ParseBytes(resp.Body)
	rows := col.GetArray("values")
	if len(rows)*len(columns) > maxCells {
		return &destkit.IntegrationError{Code: "INVALID_REQUEST_DATA",
			Message: "the sheet has reached the limit of " + strconv.Itoa(maxCells) + " cells (rows × mapped columns)"}
	}

	upd := destkit.NewJSONWriter(make([]byte, 0, 256*len(ps)))
	upd.ObjectStart()
	upd.Key("valueInputOption")
	upd.String(format)
	upd.Key("data")
	upd.ArrayStart()
	for i, row := range rows {
		r := byID[string(row.GetStringBytes("0"))]
		if r == nil || r.row != 0 {
			continue
		}
		r.row = i + dataRow
		if !r.rule.update {
			continue
		}
		n := strconv.Itoa(r.row)
		// Like Segment, the range is one column wider than the row; the
		// extra cell is left as it is.
		writeRange(upd, sheetRangeText(sheet, "A"+n+":"+columnName(len(columns)+1)+n), func(w *destkit.JSONWriter) {
			writeRow(w, r, columns)
		})
	}
	header := "A1"
	if len(columns) > 0 {
		header = "A1:" + columnName(len(columns)) + "1"
	}
	writeRange(upd, sheetRangeText(sheet, header), func(w *destkit.JSONWriter) {
		w.String("id")
		for _, c := range columns {
			w.String(c)
		}
	})
	upd.ArrayEnd()
	upd.ObjectEnd()

	app := destkit.NewJSONWriter(make([]byte, 0, 256*len(ps)))
	app.ObjectStart()
	app.Key("values")
	app.ArrayStart()
	appended := 0
	for _, r := range order {
		if r.row != 0 || !r.rule.append {
			continue
		}
		app.ArrayStart()
		writeRow(app, r, columns)
		app.ArrayEnd()
		appended++
	}
	app.ArrayEnd()
	app.ObjectEnd()

	req := destkit.NewJSONRequest("POST", values+":batchUpdate", upd.Bytes())
	if _, err := d.Do(ctx, &req); err != nil {
		return err
	}
	if appended == 0 {
		return nil
	}
	q := "?valueInputOption=" + url.QueryEscape(format) + "&insertDataOption=INSERT_ROWS"
	req = destkit.NewJSONRequest("POST", values+"/"+sheetRange("A"+strconv.Itoa(dataRow))+":append"+q, app.Bytes())
	_, err = d.Do(ctx, &req)
	return err
}

// sheetRangeText is a range as the request body names it: unescaped.
func sheetRangeText(sheet, a1 string) string { return sheet + "!" + a1 }

// writeRow writes the identifier, then each column's value ("" when the
// record has none).
func writeRow(w *destkit.JSONWriter, r *record, columns []string) {
	w.String(r.id)
	for _, c := range columns {
		if v := r.fields.Get(c); v != nil && v.Type() != fastjson.TypeNull {
			w.Value(v)
		} else {
			w.String("")
		}
	}
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

// batchErrors gives every payload of a batch the same outcome.
func batchErrors(n int, err error) []error {
	errs := make([]error, n)
	for i := range errs {
		errs[i] = err
	}
	return errs
}
