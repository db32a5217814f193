package klaviyo

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/jsvalue"
	"github.com/valyala/fastjson"
)

const maxExternalID = 255

var (
	errNoIdentifier = destkit.ValidationErrorf("email", "One of External ID, Phone Number or Email is required.")
	errNoEventID    = destkit.ValidationErrorf("profile", "One of External ID, Anonymous ID, Phone Number or Email is required.")
	errNoContact    = destkit.ValidationErrorf("email", "Phone Number or Email is required.")
	errLongID       = destkit.ValidationErrorf("external_id", "Length of external_id must be no more than 255 characters.")
	errBadEmail     = destkit.ValidationErrorf("email", "Email must be a valid email address.")
	errNoProfiles   = destkit.ValidationErrorf("email", "No profiles found for the provided identifiers.")
)

// phoneOf returns the E.164 phone number of obj (a payload or a profile
// object), "" when there is none, or a validation error when the number
// cannot be converted.
func phoneOf(obj *fastjson.Value, field string) (string, error) {
	raw := string(obj.GetStringBytes("phone_number"))
	if raw == "" {
		return "", nil
	}
	p, ok := toE164(raw, string(obj.GetStringBytes("country_code")))
	if !ok {
		return "", destkit.ValidationErrorf(field, "%s is not a valid phone number and cannot be converted to E.164 format.", raw)
	}
	return p, nil
}

// externalIDOK enforces Klaviyo's limit on external IDs, counted in
// UTF-16 units as JavaScript does.
func externalIDOK(p *fastjson.Value) bool {
	id := p.GetStringBytes("external_id")
	if len(id) <= maxExternalID {
		return true
	}
	return jsvalue.UTF16Len(string(id)) <= maxExternalID
}

// klaviyoEmail is the stricter check Klaviyo's list import applies:
// local@domain.tld with a tld of two letters or more.
func klaviyoEmail(s []byte) bool {
	at := strings.LastIndexByte(string(s), '@')
	if at <= 0 {
		return false
	}
	for _, c := range s[:at] {
		if !(isAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-') {
			return false
		}
	}
	dom := s[at+1:]
	dot := strings.LastIndexByte(string(dom), '.')
	if dot <= 0 || len(dom)-dot-1 < 2 {
		return false
	}
	for _, c := range dom[:dot] {
		if !(isAlnum(c) || c == '.' || c == '-') {
			return false
		}
	}
	for _, c := range dom[dot+1:] {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// writeRef writes a JSON:API resource identifier.
func writeRef(w *destkit.JSONWriter, typ, id string) {
	w.ObjectStart()
	w.Key("type")
	w.String(typ)
	w.Key("id")
	w.String(id)
	w.ObjectEnd()
}

// writeAttributes writes the keys of p in payload order, except those in
// skip, with phone_number replaced by its E.164 form.
func writeAttributes(w *destkit.JSONWriter, p *fastjson.Value, phone string, skip ...string) {
	o, _ := p.Object()
	o.Visit(func(k []byte, v *fastjson.Value) {
		for _, s := range skip {
			if string(k) == s {
				return
			}
		}
		w.Key(string(k))
		if string(k) == "phone_number" {
			w.String(phone)
			return
		}
		w.Value(v)
	})
}

// batchOnly are payload fields that steer batching and never reach Klaviyo.
var batchOnly = []string{"enable_batching", "batch_size", "batch_keys", "country_code"}

// profileDoc writes {"data":{"type":"profile","attributes":{...}}} with the
// identifiers first and the other attributes in payload order, plus "id"
// for an update.
func profileDoc(p *fastjson.Value, phone, id string, skip []string) []byte {
	w := destkit.NewJSONWriter(make([]byte, 0, 512))
	w.ObjectStart()
	w.Key("data")
	w.ObjectStart()
	w.Key("type")
	w.String("profile")
	w.Key("attributes")
	w.ObjectStart()
	w.Field("email", p.Get("email"))
	w.Field("external_id", p.Get("external_id"))
	w.StringField("phone_number", phone)
	writeAttributes(w, p, phone, skip...)
	w.ObjectEnd()
	if id != "" {
		w.Key("id")
		w.String(id)
	}
	w.ObjectEnd()
	w.ObjectEnd()
	return w.Bytes()
}

// createProfile creates a profile, or finds the existing one when Klaviyo
// answers 409 with the duplicate's ID, and returns its ID and whether it
// already existed.
func createProfile(ctx context.Context, d destkit.Doer, body []byte) (string, bool, error) {
	r := destkit.NewJSONRequest(http.MethodPost, apiBase+"/profiles/", body)
	resp, err := d.Do(ctx, &r)
	if err == nil {
		id := string(fastjson.GetBytes(resp.Body, "data", "id"))
		if id == "" {
			return "", false, &destkit.IntegrationError{Code: "UNEXPECTED_RESPONSE", Message: "Klaviyo created a profile without returning its ID"}
		}
		return id, false, nil
	}
	var api *destkit.APIError
	if errors.As(err, &api) && api.Status == http.StatusConflict && resp != nil {
		v, perr := fastjson.ParseBytes(resp.Body)
		if perr == nil {
			if errs := v.GetArray("errors"); len(errs) > 0 {
				if id := string(errs[0].GetStringBytes("meta", "duplicate_profile_id")); id != "" {
					return id, true, nil
				}
			}
		}
	}
	return "", false, withCode(resp, err)
}

// withCode adds Klaviyo's error code (errors[0].code) to an API error, so
// dead letters say what Klaviyo objected to.
func withCode(resp *destkit.Response, err error) error {
	var api *destkit.APIError
	if resp == nil || !errors.As(err, &api) || api.Code != "" {
		return err
	}
	if v, perr := fastjson.ParseBytes(resp.Body); perr == nil {
		if errs := v.GetArray("errors"); len(errs) > 0 {
			api.Code = string(errs[0].GetStringBytes("code"))
		}
	}
	return err
}

func do(ctx context.Context, d destkit.Doer, r destkit.Request) (*destkit.Response, error) {
	resp, err := d.Do(ctx, &r)
	return resp, withCode(resp, err)
}

// listMembers writes {"data":[{"type":"profile","id":…},…]}.
func listMembers(ids []string) []byte {
	w := destkit.NewJSONWriter(make([]byte, 0, 32+40*len(ids)))
	w.ObjectStart()
	w.Key("data")
	w.ArrayStart()
	for _, id := range ids {
		writeRef(w, "profile", id)
	}
	w.ArrayEnd()
	w.ObjectEnd()
	return w.Bytes()
}

func listProfilesURL(listID string) string {
	return apiBase + "/lists/" + url.PathEscape(listID) + "/relationships/profiles/"
}

// addToList adds one profile to a list.
func addToList(ctx context.Context, d destkit.Doer, listID, profileID string) error {
	_, err := do(ctx, d, destkit.NewJSONRequest(http.MethodPost, listProfilesURL(listID), listMembers([]string{profileID})))
	return err
}

// lookupChunk bounds the values of one any() filter; Klaviyo rejects
// longer lists and pages its answers at 100 profiles at most.
const lookupChunk = 100

// findProfiles returns the IDs of the profiles matching any of the external
// IDs, emails or phone numbers, without duplicates, in that order.
func findProfiles(ctx context.Context, d destkit.Doer, externalIDs, emails, phones []string) ([]string, error) {
	var ids []string
	seen := map[string]bool{}
	for _, q := range []struct {
		attr string
		vals []string
	}{{"external_id", externalIDs}, {"email", emails}, {"phone_number", phones}} {
		for start := 0; start < len(q.vals); start += lookupChunk {
			chunk := q.vals[start:min(start+lookupChunk, len(q.vals))]
			var f strings.Builder
			f.WriteString("any(" + q.attr + ",[")
			for i, v := range chunk {
				if i > 0 {
					f.WriteByte(',')
				}
				f.Write(destkit.AppendJSONString(nil, v))
			}
			f.WriteString("])")
			query := url.Values{"filter": {f.String()}, "page[size]": {"100"}}
			resp, err := do(ctx, d, destkit.Request{Method: http.MethodGet, URL: apiBase + "/profiles/?" + query.Encode()})
			if err != nil {
				return nil, err
			}
			v, perr := fastjson.ParseBytes(resp.Body)
			if perr != nil {
				return nil, &destkit.IntegrationError{Code: "UNEXPECTED_RESPONSE", Message: "Klaviyo profile search returned invalid JSON", Retryable: true}
			}
			for _, p := range v.GetArray("data") {
				id := string(p.GetStringBytes("id"))
				if id != "" && !seen[id] {
					seen[id] = true
					ids = append(ids, id)
				}
			}
		}
	}
	return ids, nil
}

// isoTime renders an event time as JavaScript's toISOString does (UTC,
// milliseconds). Numbers are milliseconds since the epoch; strings
// without a zone are read as UTC.
func isoTime(v *fastjson.Value) (string, bool) {
	var t time.Time
	switch v.Type() {
	case fastjson.TypeNumber:
		ms := v.GetFloat64()
		t = time.UnixMilli(int64(ms))
	case fastjson.TypeString:
		s := string(v.GetStringBytes())
		ok := false
		for _, l := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999Z07:00",
			"2006-01-02 15:04:05.999999999", "2006-01-02T15:04Z07:00", "2006-01-02T15:04", "2006-01-02", time.RFC1123, time.RFC1123Z} {
			if p, err := time.Parse(l, s); err == nil {
				t, ok = p, true
				break
			}
		}
		if !ok {
			return "", false
		}
	default:
		return "", false
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z"), true
}

// batchErrors returns err for every event of a request, for BatchStatus
// implementations.
func batchErrors(n int, err error) []error {
	errs := make([]error, n)
	for i := range errs {
		errs[i] = err
	}
	return errs
}
