package blackbaudraisersedgenxt

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/jsvalue"
	"github.com/valyala/fastjson"
)

// now is replaced in tests.
var now = time.Now

// constituentKeys are the constituent's own members, in Segment's order;
// only truthy values are sent.
var constituentKeys = []string{"birthplace", "ethnicity", "first", "former_name", "gender", "gives_anonymously", "income",
	"industry", "last", "lookup_id", "marital_status", "preferred_name", "religion", "suffix", "suffix_2", "title", "title_2"}

// related is a kind of record attached to a constituent.
type related struct {
	key       string   // payload member and constituent member
	needs     []string // members one of which must be truthy, besides type
	list      string   // the constituent's list of them
	path      string   // where they are created and updated
	match     []string // members that identify one; "int:" compares digits
	doNot     string   // the do-not-contact flag, "" when none
	primaryIf bool     // primary counts only when true (addresses, emails)
	what      string   // for messages
}

var relatedKinds = []related{
	{key: "address", needs: []string{"address_lines", "city", "country", "postal_code", "state"}, list: "addresses", path: "addresses",
		match: []string{"address_lines", "city", "postal_code", "state"}, doNot: "do_not_mail", primaryIf: true, what: "address"},
	{key: "email", needs: []string{"address"}, list: "emailaddresses", path: "emailaddresses",
		match: []string{"address"}, doNot: "do_not_email", primaryIf: true, what: "email"},
	{key: "online_presence", needs: []string{"address"}, list: "onlinepresences", path: "onlinepresences",
		match: []string{"address"}, what: "online presence"},
	{key: "phone", needs: []string{"number"}, list: "phones", path: "phones",
		match: []string{"int:number"}, doNot: "do_not_call", what: "phone"},
}

// data returns the payload's record of this kind when it is complete
// enough to send: a type and one of the needed members.
func (k *related) data(p *fastjson.Value) *fastjson.Value {
	v := p.Get(k.key)
	if v == nil || v.Type() != fastjson.TypeObject || !destkit.Truthy(v.Get("type")) {
		return nil
	}
	for _, n := range k.needs {
		if destkit.Truthy(v.Get(n)) {
			return v
		}
	}
	return nil
}

// upsertConstituent returns the id of the constituent the payload
// describes, creating or updating it.
func upsertConstituent(ctx context.Context, d destkit.Doer, p *fastjson.Value) (*fastjson.Value, error) {
	id := p.Get("constituent_id")
	if !destkit.Truthy(id) {
		email := p.Get("email", "address")
		lookup := p.Get("lookup_id")
		if destkit.Truthy(email) || destkit.Truthy(lookup) {
			found, err := findConstituent(ctx, d, email, lookup)
			if err != nil {
				return nil, err
			}
			id = found
		}
	}
	if !destkit.Truthy(id) {
		return createConstituent(ctx, d, p)
	}
	return id, updateConstituent(ctx, d, text(id), p)
}

// findConstituent searches by lookup id when there is one, else by email
// address; it returns nil when nothing matches.
func findConstituent(ctx context.Context, d destkit.Doer, email, lookup *fastjson.Value) (*fastjson.Value, error) {
	field, value := "email_address", ""
	if destkit.Truthy(email) {
		value = text(email)
	}
	if destkit.Truthy(lookup) {
		field, value = "lookup_id", text(lookup)
	}
	r := destkit.Request{Method: "GET", URL: constituentsAPI + "/constituents/search?search_field=" + field + "&search_text=" + url.QueryEscape(value)}
	resp, err := d.Do(ctx, &r)
	if err != nil {
		return nil, err
	}
	v, _ := fastjson.ParseBytes(resp.Body)
	count := v.Get("count")
	switch {
	case count != nil && count.Type() == fastjson.TypeNumber && count.GetFloat64() > 1:
		return nil, &destkit.IntegrationError{Code: "MULTIPLE_EXISTING_RECORDS", Message: "More than one constituent has this " + field + "; map constituent_id."}
	case count != nil && count.Type() == fastjson.TypeNumber && count.GetFloat64() == 1:
		return v.Get("value", "0", "id"), nil
	case count != nil && count.Type() == fastjson.TypeNumber && count.GetFloat64() == 0:
		return nil, nil
	}
	// Segment answers a search without a count with a 500, which retries.
	return nil, &destkit.IntegrationError{Code: "UNEXPECTED_RECORD_COUNT", Message: "The constituent search answered without a record count.", Retryable: true}
}

// constituentData is the constituent's own members, with the birth date
// as a fuzzy date.
func constituentData(p *fastjson.Value) *destkit.JSObject {
	var o destkit.JSObject
	setTruthy(&o, p, constituentKeys)
	if b := p.Get("birthdate"); destkit.Truthy(b) {
		if fd := fuzzyDate(b); fd != nil {
			o.Set("birthdate", fd)
		}
	}
	return &o
}

// createConstituent creates an individual with its related records.
func createConstituent(ctx context.Context, d destkit.Doer, p *fastjson.Value) (*fastjson.Value, error) {
	c := constituentData(p)
	c.SetString("type", "Individual")
	if !destkit.Truthy(p.Get("last")) {
		return nil, &destkit.IntegrationError{Code: "MISSING_REQUIRED_FIELD", Message: "A new constituent needs a last name (last)."}
	}
	for i := range relatedKinds {
		if v := relatedKinds[i].data(p); v != nil {
			c.SetValue(relatedKinds[i].key, v)
		}
	}
	r := destkit.NewJSONRequest("POST", constituentsAPI+"/constituents", c.AppendJSON(nil))
	resp, err := d.Do(ctx, &r)
	if err != nil {
		return nil, err
	}
	v, err := fastjson.ParseBytes(resp.Body)
	if err != nil {
		return nil, &destkit.IntegrationError{Code: "INVALID_RESPONSE", Message: "Raiser's Edge NXT answered the new constituent with no JSON."}
	}
	return v.Get("id"), nil
}

// updateConstituent updates the constituent's own members, then each
// related record given.
func updateConstituent(ctx context.Context, d destkit.Doer, id string, p *fastjson.Value) error {
	var failures []string
	fail := func(status int, what string) error {
		msg := fmt.Sprintf("%d error occurred when updating constituent%s", status, what)
		if status == 429 || status >= 500 {
			return &destkit.RetryableError{Err: errors.New(msg)}
		}
		failures = append(failures, msg)
		return nil
	}
	if c := constituentData(p); len(c.AppendJSON(nil)) > 2 {
		status, _, err := soft(ctx, d, "PATCH", constituentsAPI+"/constituents/"+url.PathEscape(id), c.AppendJSON(nil))
		if err != nil {
			return err
		}
		if status != 200 {
			if err := fail(status, ""); err != nil {
				return err
			}
		}
	}
	for i := range relatedKinds {
		k := &relatedKinds[i]
		data := k.data(p)
		if data == nil {
			continue
		}
		status, err := k.upsert(ctx, d, id, data)
		if err != nil {
			return err
		}
		if status != 0 {
			if err := fail(status, " "+k.what); err != nil {
				return err
			}
		}
	}
	if len(failures) > 0 {
		return &destkit.IntegrationError{Code: "UPDATE_CONSTITUENT_ERROR",
			Message: "One or more errors occurred when updating the existing constituent: " + strings.Join(failures, ", ")}
	}
	return nil
}

// upsert creates the record on the constituent, or updates the matching
// one when it changed; it returns the status of a failed call (0 when all
// went well).
func (k *related) upsert(ctx context.Context, d destkit.Doer, id string, data *fastjson.Value) (int, error) {
	status, body, err := soft(ctx, d, "GET", constituentsAPI+"/constituents/"+url.PathEscape(id)+"/"+k.list+"?include_inactive=true", nil)
	if err != nil || status != 200 {
		return status, err
	}
	list, _ := fastjson.ParseBytes(body)
	count := list.GetFloat64("count")
	var existing *fastjson.Value
	if count > 0 {
		existing = k.find(list.GetArray("value"), data)
	}
	var o destkit.JSObject
	o.Assign(data, nil)
	if existing == nil {
		if p := data.Get("primary"); (p == nil || p.Type() != fastjson.TypeFalse) && list.Get("count") != nil && count == 0 {
			o.Set("primary", []byte("true"))
		}
		o.SetString("constituent_id", id)
		status, _, err = soft(ctx, d, "POST", constituentsAPI+"/"+k.path, o.AppendJSON(nil))
	} else {
		if !k.changed(data, existing) {
			return 0, nil
		}
		o.Set("inactive", []byte("false"))
		status, _, err = soft(ctx, d, "PATCH", constituentsAPI+"/"+k.path+"/"+url.PathEscape(text(existing.Get("id"))), o.AppendJSON(nil))
	}
	if err != nil || status == 200 {
		return 0, err
	}
	return status, nil
}

// find returns the first record whose match members equal the data's,
// ignoring case (and, for int: members, everything but digits).
func (k *related) find(list []*fastjson.Value, data *fastjson.Value) *fastjson.Value {
	for _, item := range list {
		match := true
		for _, f := range k.match {
			name, digits := strings.CutPrefix(f, "int:")
			a, b := strings.ToLower(textOr(item.Get(name))), strings.ToLower(textOr(data.Get(name)))
			if digits {
				a, b = onlyDigits(a), onlyDigits(b)
			}
			if a != b {
				match = false
				break
			}
		}
		if match {
			return item
		}
	}
	return nil
}

// changed reports whether the existing record needs the data written over
// it: it is inactive, or its do-not-contact flag, primary flag or type
// differs.
func (k *related) changed(data, existing *fastjson.Value) bool {
	if destkit.Truthy(existing.Get("inactive")) {
		return true
	}
	if k.doNot != "" {
		if v := data.Get(k.doNot); v != nil && !same(v, existing.Get(k.doNot)) {
			return true
		}
	}
	if v := data.Get("primary"); v != nil && (!k.primaryIf || destkit.Truthy(v)) && !same(v, existing.Get("primary")) {
		return true
	}
	return !same(data.Get("type"), existing.Get("type"))
}

// soft sends a request whose failure status the caller judges; network
// errors and a 401 (which renews the token) are returned as errors.
func soft(ctx context.Context, d destkit.Doer, method, u string, body []byte) (int, []byte, error) {
	r := destkit.Request{Method: method, URL: u}
	if body != nil {
		r = destkit.NewJSONRequest(method, u, body)
	}
	resp, err := d.Do(ctx, &r)
	var api *destkit.APIError
	switch {
	case err == nil:
		return resp.Status, resp.Body, nil
	case errors.As(err, &api) && api.Status != 401:
		return api.Status, api.Body, nil
	}
	return 0, nil, err
}

// same is JavaScript's === on JSON scalars (undefined when nil).
func same(a, b *fastjson.Value) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	if a.Type() != b.Type() {
		return false
	}
	switch a.Type() {
	case fastjson.TypeString:
		return string(a.GetStringBytes()) == string(b.GetStringBytes())
	case fastjson.TypeNumber:
		return a.GetFloat64() == b.GetFloat64()
	case fastjson.TypeTrue, fastjson.TypeFalse, fastjson.TypeNull:
		return true
	}
	return false // objects and lists are never the same object
}

// text is a value as a template literal prints it.
func text(v *fastjson.Value) string {
	switch v.Type() {
	case fastjson.TypeString:
		return string(v.GetStringBytes())
	case fastjson.TypeNumber:
		return jsvalue.FormatNumber(v.GetFloat64())
	}
	return string(destkit.AppendValue(nil, v))
}

// textOr is text, or "" for a missing or falsy value.
func textOr(v *fastjson.Value) string {
	if !destkit.Truthy(v) {
		return ""
	}
	return text(v)
}

func onlyDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// fuzzyDate is Raiser's Edge's {d, m, y} for the date part of a date, or
// nil when it is not one.
func fuzzyDate(v *fastjson.Value) []byte {
	day, _, _ := strings.Cut(text(v), "T")
	t, ok := destkit.ParseJSDateString(day)
	if !ok {
		return nil
	}
	t = t.UTC()
	w := destkit.NewJSONWriter(nil)
	w.ObjectStart()
	w.StringField("d", fmt.Sprint(t.Day()))
	w.StringField("m", fmt.Sprint(int(t.Month())))
	w.StringField("y", fmt.Sprint(t.Year()))
	w.ObjectEnd()
	return w.Bytes()
}

// constituentPayload gathers a gift's or action's constituent_ members as a
// constituent payload: truthy values, and objects only when every member
// is truthy.
func constituentPayload(p *fastjson.Value) *fastjson.Value {
	var o destkit.JSObject
	p.GetObject().Visit(func(k []byte, v *fastjson.Value) {
		key := string(k)
		if !strings.HasPrefix(key, constituentPrefix) || !destkit.Truthy(v) {
			return
		}
		if v.Type() == fastjson.TypeObject {
			obj := v.GetObject()
			complete := obj.Len() > 0
			obj.Visit(func(_ []byte, x *fastjson.Value) { complete = complete && destkit.Truthy(x) })
			if !complete {
				return
			}
		}
		if key != "constituent_id" {
			key = strings.TrimPrefix(key, constituentPrefix)
		}
		o.SetValue(key, v)
	})
	if len(o.AppendJSON(nil)) <= 2 {
		return nil
	}
	v, _ := fastjson.ParseBytes(o.AppendJSON(nil))
	return v
}

// constituentFor returns the constituent id of a gift or action: the
// constituent step's when constituent_ fields are mapped, else the mapped
// id.
func constituentFor(ctx context.Context, d destkit.Doer, p *fastjson.Value) (*fastjson.Value, error) {
	if c := constituentPayload(p); c != nil {
		return upsertConstituent(ctx, d, c)
	}
	id := p.Get("constituent_id")
	if id == nil {
		return nil, &destkit.IntegrationError{Code: "MISSING_REQUIRED_FIELD", Message: "Map constituent_id, or the constituent_ fields that find or create the constituent."}
	}
	return id, nil
}

// setTruthy copies the payload's truthy members named in keys, in order.
func setTruthy(o *destkit.JSObject, p *fastjson.Value, keys []string) {
	for _, k := range keys {
		if v := p.Get(k); destkit.Truthy(v) {
			o.SetValue(k, v)
		}
	}
}

// ofConstituent is the Run of an action that records something of a
// constituent: the constituent step, then one POST to endpoint of the body
// build makes with the constituent's id.
func ofConstituent(endpoint string, build func(id, p *fastjson.Value) []byte) func(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
	return func(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
		id, err := constituentFor(ctx, d, in.Payload)
		if err != nil {
			return err
		}
		r := destkit.NewJSONRequest("POST", endpoint, build(id, in.Payload))
		_, err = d.Do(ctx, &r)
		return err
	}
}
