package hubspot

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// Helpers for the CRM v3 object endpoints shared by the company and
// custom-object actions.

func objectsURL(objectType string) string {
	return apiBase + "/crm/v3/objects/" + url.PathEscape(objectType)
}

// writeFlattened writes o's entries as HubSpot property values, which are
// scalars: lists become ";"-joined strings (HubSpot's multi-select format),
// nested objects their JSON text, and strings are trimmed. Nulls are left
// out rather than clearing the property.
func writeFlattened(w *destkit.JSONWriter, o *fastjson.Object) {
	if o == nil {
		return
	}
	o.Visit(func(k []byte, v *fastjson.Value) {
		switch v.Type() {
		case fastjson.TypeNull:
			return
		case fastjson.TypeArray:
			var b strings.Builder
			for i, item := range v.GetArray() {
				if i > 0 {
					b.WriteByte(';')
				}
				if item.Type() == fastjson.TypeString {
					b.Write(item.GetStringBytes())
				} else {
					b.Write(destkit.AppendValue(nil, item))
				}
			}
			w.Key(string(k))
			w.String(b.String())
		case fastjson.TypeObject:
			w.Key(string(k))
			w.String(string(destkit.AppendValue(nil, v)))
		case fastjson.TypeString:
			w.Key(string(k))
			w.String(strings.TrimSpace(string(v.GetStringBytes())))
		default:
			w.Key(string(k))
			w.Value(v)
		}
	})
}

// searchResult is the part of a CRM search response the actions read.
type searchResult struct {
	total int
	ids   []string
}

// search looks records of objectType up by fields. Each field is its own
// filter group, so HubSpot ORs them: any one identifying property is
// enough to find the record. A 400 means a property does not exist, which
// a person has to fix, so it comes back as badSearch.
func search(ctx context.Context, d destkit.Doer, objectType string, fields *fastjson.Object, props, sorts []string, badSearch error) (searchResult, error) {
	w := destkit.NewJSONWriter(make([]byte, 0, 256))
	w.ObjectStart()
	w.Key("filterGroups")
	w.ArrayStart()
	fields.Visit(func(k []byte, v *fastjson.Value) {
		w.ObjectStart()
		w.Key("filters")
		w.ArrayStart()
		w.ObjectStart()
		w.Key("propertyName")
		w.String(string(k))
		w.Key("operator")
		w.String("EQ")
		w.Key("value")
		w.Value(v)
		w.ObjectEnd()
		w.ArrayEnd()
		w.ObjectEnd()
	})
	w.ArrayEnd()
	for _, list := range []struct {
		key  string
		vals []string
	}{{"properties", props}, {"sorts", sorts}} {
		w.Key(list.key)
		w.ArrayStart()
		for _, s := range list.vals {
			w.String(s)
		}
		w.ArrayEnd()
	}
	w.ObjectEnd()
	r := destkit.NewJSONRequest(http.MethodPost, objectsURL(objectType)+"/search", w.Bytes())
	resp, err := d.Do(ctx, &r)
	if err != nil {
		if status(err) == http.StatusBadRequest {
			return searchResult{}, badSearch
		}
		return searchResult{}, err
	}
	v, err := fastjson.ParseBytes(resp.Body)
	if err != nil {
		return searchResult{}, &destkit.IntegrationError{Code: "UNKNOWN_ERROR", Message: "HubSpot search returned invalid JSON", Retryable: true}
	}
	res := searchResult{total: v.GetInt("total")}
	for _, r := range v.GetArray("results") {
		res.ids = append(res.ids, recordID(r))
	}
	return res, nil
}

// recordID reads a record's id, which HubSpot sends as a string but which
// older endpoints sent as a number.
func recordID(v *fastjson.Value) string {
	id := v.Get("id")
	if id == nil {
		return ""
	}
	if id.Type() == fastjson.TypeString {
		return string(id.GetStringBytes())
	}
	return string(destkit.AppendValue(nil, id))
}

// status returns the HTTP status of an API error, or 0.
func status(err error) int {
	if api, ok := asAPIError(err); ok {
		return api.Status
	}
	return 0
}

func asAPIError(err error) (*destkit.APIError, bool) {
	var api *destkit.APIError
	if err == nil {
		return nil, false
	}
	ok := errors.As(err, &api)
	return api, ok
}

// missingProperty reports whether err is HubSpot's 400 for writing a
// property that does not exist, and that property is the only one named.
// HubSpot puts the list of offending properties, as JSON, inside the
// message text.
func missingProperty(err error, name string) bool {
	api, ok := asAPIError(err)
	if !ok || api.Status != http.StatusBadRequest {
		return false
	}
	msg := fastjson.GetString(api.Body, "message")
	msg = strings.TrimPrefix(msg, "Property values were not valid: ")
	var list []struct {
		Name  string `json:"name"`
		Error string `json:"error"`
	}
	if json.Unmarshal([]byte(msg), &list) != nil {
		return false
	}
	return len(list) == 1 && list[0].Name == name && list[0].Error == "PROPERTY_DOESNT_EXIST"
}

func jsonString(s string) string { return string(destkit.AppendJSONString(nil, s)) }
