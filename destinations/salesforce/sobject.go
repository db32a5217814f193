package salesforce

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// sobject describes one Salesforce object as the actions write it.
type sobject struct {
	// name is the object's API name; empty for custom objects, whose name
	// is in the payload.
	name string
	// shape maps payload fields to Salesforce fields, in body order.
	shape [][2]string
	// required lists payload fields that creating (and upserting) needs.
	required []string
	// requiredMsg reports a missing required field.
	requiredMsg string
	// v2 actions take the operation from the sync mode.
	v2 bool
}

// Operations as Bulk API 2.0 names them; "add" and "create" are insert.
const (
	opInsert = "insert"
	opUpdate = "update"
	opUpsert = "upsert"
	opDelete = "delete"
)

// operation returns the normalised operation of p, or a validation error.
func (o *sobject) operation(p *fastjson.Value) (string, error) {
	if o.v2 {
		switch m := string(p.GetStringBytes(destkit.SyncModeKey)); m {
		case "add":
			return opInsert, nil
		case opUpdate, opUpsert, opDelete:
			return m, nil
		case "":
			return "", destkit.ValidationErrorf(destkit.SyncModeKey, "Sync mode is required for this operation.")
		default:
			return "", destkit.ValidationErrorf(destkit.SyncModeKey, "Sync mode %q is not supported; use add, update, upsert or delete.", m)
		}
	}
	switch m := string(p.GetStringBytes("operation")); m {
	case "create":
		return opInsert, nil
	case opUpdate, opUpsert, opDelete:
		return m, nil
	default:
		return "", destkit.ValidationErrorf("operation", "Operation %q is not supported.", m)
	}
}

func (o *sobject) objectName(p *fastjson.Value) string {
	if o.name != "" {
		return o.name
	}
	return string(p.GetStringBytes("customObjectName"))
}

// checkRequired applies the object's own requirements for op.
func (o *sobject) checkRequired(p *fastjson.Value, op string) error {
	if o.name == "" {
		if op != opDelete && p.Get("customFields") == nil {
			return destkit.ValidationErrorf("customFields", "Custom fields are required for this operation.")
		}
		return nil
	}
	if op != opInsert && op != opUpsert {
		return nil
	}
	for _, k := range o.required {
		if len(p.GetStringBytes(k)) == 0 && p.Get(k) == nil {
			return destkit.ValidationErrorf(k, "%s", o.requiredMsg)
		}
	}
	return nil
}

// body writes the record: the object's shape, then the custom fields,
// which win over shaped fields of the same name (a JavaScript spread).
func (o *sobject) body(p *fastjson.Value) []byte {
	cf := p.GetObject("customFields")
	w := destkit.NewJSONWriter(make([]byte, 0, 512))
	w.ObjectStart()
	for _, kv := range o.shape {
		v := p.Get(kv[0])
		if cf != nil {
			if c := cf.Get(kv[1]); c != nil {
				v = c
			}
		}
		w.Field(kv[1], v)
	}
	if cf != nil {
		cf.Visit(func(k []byte, v *fastjson.Value) {
			for _, kv := range o.shape {
				if kv[1] == string(k) {
					return // already written in the shape's place
				}
			}
			w.Key(string(k))
			w.Value(v)
		})
	}
	w.ObjectEnd()
	return w.Bytes()
}

func (o *sobject) run(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
	p := in.Payload
	base, err := instanceURL(in.Settings)
	if err != nil {
		return err
	}
	op, err := o.operation(p)
	if err != nil {
		return err
	}
	if err := o.checkRequired(p, op); err != nil {
		return err
	}
	obj := o.objectName(p)
	records := base + "/services/data/" + apiVersion + "/sobjects/" + obj
	create := func() error {
		_, err := d.Do(ctx, ptr(destkit.NewJSONRequest(http.MethodPost, records, o.body(p))))
		return err
	}
	if op == opInsert {
		return create()
	}
	tr := p.GetObject("traits")
	if tr == nil || tr.Len() == 0 {
		return destkit.ValidationErrorf("traits", "Undefined Traits when using %s operation", op)
	}
	id := ""
	if op != opUpsert {
		id = string(tr.Get("Id").GetStringBytes())
	}
	if id == "" {
		id, err = lookup(ctx, d, base, obj, tr, string(p.GetStringBytes("recordMatcherOperator")))
		if errors.Is(err, errNotFound) && op == opUpsert {
			return create()
		}
		if err != nil {
			return err
		}
	}
	if op == opDelete {
		_, err = d.Do(ctx, &destkit.Request{Method: http.MethodDelete, URL: records + "/" + id})
		return err
	}
	_, err = d.Do(ctx, ptr(destkit.NewJSONRequest(http.MethodPatch, records+"/"+id, o.body(p))))
	return err
}

func ptr(r destkit.Request) *destkit.Request { return &r }

var (
	errNotFound = &destkit.IntegrationError{Code: "Record Not Found", Message: "No record found with given traits"}
	errMultiple = &destkit.IntegrationError{Code: "Multiple Records Found", Message: "Multiple records returned with given traits"}
	errBadReply = &destkit.IntegrationError{Code: "Bad Response", Message: "Response missing expected fields"}
)

// lookup finds the ID of the one record whose fields match the traits.
func lookup(ctx context.Context, d destkit.Doer, base, obj string, tr *fastjson.Object, operator string) (string, error) {
	soql, err := buildQuery(obj, tr, operator)
	if err != nil {
		return "", err
	}
	resp, err := d.Do(ctx, &destkit.Request{Method: http.MethodGet,
		URL: base + "/services/data/" + apiVersion + "/query/?q=" + encodeURIComponent(soql)})
	if err != nil {
		return "", err
	}
	v, perr := fastjson.ParseBytes(resp.Body)
	if perr != nil || v.Get("totalSize") == nil {
		return "", errBadReply
	}
	switch n := v.GetInt("totalSize"); {
	case n == 0:
		return "", errNotFound
	case n > 1:
		return "", errMultiple
	}
	id := string(v.GetStringBytes("records", "0", "Id"))
	if id == "" {
		return "", errBadReply
	}
	return id, nil
}

// buildQuery writes SELECT Id FROM obj WHERE k = v [AND|OR …]. Field names
// keep only [A-Za-z0-9_]; strings are quoted with backslash escapes, so a
// value cannot end the literal early.
func buildQuery(obj string, tr *fastjson.Object, operator string) (string, error) {
	switch operator {
	case "":
		operator = "OR"
	case "OR", "AND":
	default:
		return "", destkit.ValidationErrorf("recordMatcherOperator", "Invalid SOQL operator - %s", operator)
	}
	var b strings.Builder
	b.WriteString("SELECT Id FROM " + obj + " WHERE ")
	i := 0
	var err error
	tr.Visit(func(k []byte, v *fastjson.Value) {
		if err != nil {
			return
		}
		if i > 0 {
			b.WriteString(" " + operator + " ")
		}
		i++
		for _, c := range k {
			if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' {
				b.WriteByte(c)
			}
		}
		b.WriteString(" = ")
		switch v.Type() {
		case fastjson.TypeString:
			b.WriteByte('\'')
			for _, c := range v.GetStringBytes() {
				if c == '\'' || c == '\\' {
					b.WriteByte('\\')
				}
				b.WriteByte(c)
			}
			b.WriteByte('\'')
		case fastjson.TypeNumber:
			b.Write(destkit.AppendJSNumber(nil, v.GetFloat64()))
		case fastjson.TypeTrue, fastjson.TypeFalse:
			b.WriteString(strconv.FormatBool(v.GetBool()))
		default:
			err = destkit.ValidationErrorf("traits."+string(k), "Unsupported datatype for record matcher traits - %s", jsTypeof(v))
		}
	})
	return b.String(), err
}

func jsTypeof(v *fastjson.Value) string {
	if v.Type() == fastjson.TypeNull || v.Type() == fastjson.TypeArray {
		return "object"
	}
	return v.Type().String()
}

// encodeURIComponent escapes s as JavaScript's function of that name does.
func encodeURIComponent(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-_.!~*'()", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
