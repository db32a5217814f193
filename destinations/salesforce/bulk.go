package salesforce

import (
	"context"
	"net/http"
	"strings"
	"unicode"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// Bulk API 2.0: create an ingest job, upload the batch as CSV, close the
// job. Salesforce then processes the job on its own; like Segment, the
// action reports the upload, not the per-record results, which Salesforce
// keeps with the job.

// notColumns are payload fields that steer the action instead of being
// record fields.
var notColumns = map[string]bool{
	"operation": true, "traits": true, "enable_batching": true, "customFields": true, "bulkUpsertExternalId": true,
	"bulkUpdateRecordId": true, "recordMatcherOperator": true, "customObjectName": true, "batch_size": true,
	destkit.SyncModeKey: true,
}

// noValue marks an empty CSV cell; Salesforce leaves the field unchanged.
const noValue = "#N/A"

func (o *sobject) runBatch(ctx context.Context, d destkit.Doer, in *destkit.BatchInput) []error {
	errs := make([]error, len(in.Payloads))
	err := o.bulk(ctx, d, in)
	for i := range errs {
		errs[i] = err
	}
	return errs
}

// bulk sends the whole batch as one job. The operation, object, external
// ID field and requirements are those of the first event: batch keys and
// the mapping make them the same for all.
func (o *sobject) bulk(ctx context.Context, d destkit.Doer, in *destkit.BatchInput) error {
	base, err := instanceURL(in.Settings)
	if err != nil {
		return err
	}
	first := in.Payloads[0]
	op, err := o.operation(first)
	if err != nil {
		return err
	}
	if op == opDelete {
		return destkit.ValidationErrorf("operation", "Unsupported operation: Bulk API does not support the delete operation")
	}
	if op == opUpsert || o.name == "" {
		if err := o.checkRequired(first, op); err != nil {
			return err
		}
	}
	idField := ""
	switch op {
	case opUpsert:
		idField = string(first.GetStringBytes("bulkUpsertExternalId", "externalIdName"))
		if idField == "" || len(first.GetStringBytes("bulkUpsertExternalId", "externalIdValue")) == 0 {
			return destkit.ValidationErrorf("bulkUpsertExternalId",
				"Undefined bulkUpsertExternalId.externalIdName or externalIdValue when using bulkUpsert operation")
		}
	case opUpdate:
		if first.Get("bulkUpdateRecordId") == nil {
			return destkit.ValidationErrorf("bulkUpdateRecordId", "Undefined bulkUpdateRecordId when using bulkUpdate operation")
		}
		idField = "Id"
	}
	csv, err := buildCSV(in.Payloads, idField, op)
	if err != nil {
		return err
	}
	jobs := base + "/services/data/" + apiVersion + "/jobs/ingest"
	w := destkit.NewJSONWriter(make([]byte, 0, 128))
	w.ObjectStart()
	w.Key("object")
	w.String(o.objectName(first))
	w.Key("contentType")
	w.String("CSV")
	w.Key("operation")
	w.String(op)
	if op == opUpdate || op == opUpsert {
		w.Key("externalIdFieldName")
		w.String(idField)
	}
	w.ObjectEnd()
	resp, err := d.Do(ctx, ptr(destkit.NewJSONRequest(http.MethodPost, jobs, w.Bytes())))
	if err != nil {
		return err
	}
	id := string(fastjson.GetBytes(resp.Body, "id"))
	if id == "" {
		return &destkit.IntegrationError{Code: "Failed to create bulk job", Message: "Failed to create bulk job", Retryable: true}
	}
	up := destkit.Request{Method: http.MethodPut, URL: jobs + "/" + id + "/batches", Body: csv}
	up.SetHeader("Content-Type", "text/csv")
	up.SetHeader("Accept", "application/json")
	closeJob := ptr(destkit.NewJSONRequest(http.MethodPatch, jobs+"/"+id, []byte(`{"state":"UploadComplete"}`)))
	if _, err := d.Do(ctx, &up); err != nil {
		// Close the job anyway so it does not linger open in Salesforce;
		// the upload's error is the one that counts.
		d.Do(ctx, closeJob)
		return err
	}
	_, err = d.Do(ctx, closeJob)
	return err
}

// column is one CSV column: its header and each event's value.
type column struct {
	name   string
	values map[int]*fastjson.Value
}

// buildCSV writes the job's CSV. Columns are the record fields found in
// the batch (snake_case keys in PascalCase, custom fields as named), in
// the order Segment produces: first appearance when reading the events
// from last to first. Every value is quoted; missing values are #N/A.
// Updates and upserts end each row with the record ID or external ID.
func buildCSV(payloads []*fastjson.Value, idField, op string) ([]byte, error) {
	var cols []*column
	byName := map[string]*column{}
	add := func(name string, i int, v *fastjson.Value) {
		c := byName[name]
		if c == nil {
			c = &column{name: name, values: map[int]*fastjson.Value{}}
			byName[name] = c
			cols = append(cols, c)
		}
		if _, dup := c.values[i]; !dup {
			c.values[i] = v
		}
	}
	var err error
	for i := len(payloads) - 1; i >= 0; i-- {
		o, _ := payloads[i].Object()
		o.Visit(func(k []byte, v *fastjson.Value) {
			key := string(k)
			if !notColumns[key] {
				add(pascalCase(key), i, v)
			}
			if key == "customFields" {
				cf, _ := v.Object()
				cf.Visit(func(ck []byte, cv *fastjson.Value) {
					if strings.IndexByte(string(ck), ',') >= 0 {
						err = destkit.ValidationErrorf("customFields", "Invalid character in field name: %s", ck)
					}
					add(string(ck), i, cv)
				})
			}
		})
	}
	if err != nil {
		return nil, err
	}
	var b []byte
	for k, c := range cols {
		if k > 0 {
			b = append(b, ',')
		}
		b = append(b, c.name...)
	}
	if op != opInsert {
		b = append(b, ',')
		b = append(b, idField...)
	}
	b = append(b, '\n')
	for i, p := range payloads {
		for k, c := range cols {
			if k > 0 {
				b = append(b, ',')
			}
			b = appendCell(b, c.values[i])
		}
		if op != opInsert {
			b = append(b, ',', '"')
			b = append(b, uniqueID(p, op)...)
			b = append(b, '"')
		}
		b = append(b, '\n')
	}
	return b, nil
}

// appendCell writes a quoted CSV value with inner quotes doubled, or #N/A.
// Values print as JavaScript's template strings would.
func appendCell(b []byte, v *fastjson.Value) []byte {
	var s string
	switch {
	case v == nil || v.Type() == fastjson.TypeNull:
		return append(b, noValue...)
	case v.Type() == fastjson.TypeString:
		s = string(v.GetStringBytes())
	case v.Type() == fastjson.TypeNumber:
		s = string(destkit.AppendJSNumber(nil, v.GetFloat64()))
	case v.Type() == fastjson.TypeObject:
		s = "[object Object]"
	case v.Type() == fastjson.TypeArray:
		s = string(v.MarshalTo(nil))
		s = strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")
	default:
		s = v.String()
	}
	b = append(b, '"')
	b = append(b, strings.ReplaceAll(s, `"`, `""`)...)
	return append(b, '"')
}

func uniqueID(p *fastjson.Value, op string) string {
	if !p.GetBool("enable_batching") {
		return noValue
	}
	var id []byte
	switch op {
	case opUpsert:
		id = p.GetStringBytes("bulkUpsertExternalId", "externalIdValue")
	case opUpdate:
		id = p.GetStringBytes("bulkUpdateRecordId")
	}
	if len(id) == 0 {
		return noValue
	}
	return string(id)
}

// pascalCase turns a field key into a Salesforce field name the way
// lodash's camelCase plus a capital first letter does for the keys these
// actions use: words split at non-alphanumerics and case changes
// ("postal_code" → PostalCode, "mailingCity" → MailingCity).
func pascalCase(key string) string {
	var b strings.Builder
	start := true
	prevLower := false
	for _, r := range key {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			start, prevLower = true, false
			continue
		}
		if unicode.IsUpper(r) && prevLower {
			start = true
		}
		if start {
			b.WriteRune(unicode.ToUpper(r))
		} else {
			b.WriteRune(unicode.ToLower(r))
		}
		start = false
		prevLower = unicode.IsLower(r) || unicode.IsDigit(r)
	}
	return b.String()
}
