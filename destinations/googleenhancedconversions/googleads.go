package googleenhancedconversions

import (
	"context"
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/actuate/actuate/processor/jsvalue"
	"github.com/valyala/fastjson"
)

// What every Google Ads API action shares: the account, the request with its
// developer token, identifier hashing, consent, custom variables and the
// partial-failure answer.

// customerID returns the Customer ID setting without its dashes.
func customerID(s *destkit.Settings) (string, error) {
	id := s.Str("customerId")
	if id == "" {
		return "", destkit.ValidationErrorf("customerId", "Customer ID is required for this action. Please set it in destination settings.")
	}
	return strings.ReplaceAll(id, "-", ""), nil
}

// adsRequest is a POST to the Google Ads API with the developer token.
func adsRequest(s *destkit.Settings, url string, body []byte) (destkit.Request, error) {
	dev := s.Str("developerToken")
	if dev == "" {
		return destkit.Request{}, &destkit.IntegrationError{Code: "MISSING_DEVELOPER_TOKEN",
			Message: "developerToken: the Google Ads API needs a developer token; set it in the destination settings."}
	}
	r := destkit.NewJSONRequest("POST", url, body)
	r.SetHeader("developer-token", dev)
	return r, nil
}

// jsString is String(v) of a scalar payload value, as a template literal
// prints it into a URL.
func jsString(v *fastjson.Value) string {
	if v == nil {
		return "undefined"
	}
	if v.Type() == fastjson.TypeNumber {
		return jsvalue.FormatNumber(v.GetFloat64())
	}
	if v.Type() == fastjson.TypeString {
		return string(v.GetStringBytes())
	}
	return string(v.MarshalTo(nil))
}

// conversionAction is the resource name of the payload's conversion action.
func conversionAction(cid string, p *fastjson.Value) string {
	return "customers/" + cid + "/conversionActions/" + jsString(p.Get("conversion_action"))
}

// convertTimestamp turns an ISO 8601 time into Google's
// "yyyy-mm-dd hh:mm:ss+00:00": the first T becomes a space and the first
// Z, with the fraction before it, becomes +00:00. Other offsets are kept.
func convertTimestamp(s string) string {
	s = strings.Replace(s, "T", " ", 1)
	z := strings.IndexByte(s, 'Z')
	if z < 0 {
		return s
	}
	start := z
	for start > 0 && s[start-1] >= '0' && s[start-1] <= '9' {
		start--
	}
	if start == z || start == 0 || s[start-1] != '.' {
		start = z
	} else {
		start--
	}
	return s[:start] + "+00:00" + s[z+1:]
}

// writeTimestamp writes key with the converted time when the payload has it.
func writeTimestamp(w *destkit.JSONWriter, key string, v *fastjson.Value) {
	if v == nil || v.Type() != fastjson.TypeString || len(v.GetStringBytes()) == 0 {
		return
	}
	w.Key(key)
	w.String(convertTimestamp(string(v.GetStringBytes())))
}

// normalizeEmail is Google's email normalisation: trimmed, lower-cased, and
// for Gmail addresses the first dot of the local part removed.
func normalizeEmail(email string) string {
	e := strings.ToLower(jsvalue.Trim(email))
	local, domain, found := strings.Cut(e, "@")
	if !found {
		return e
	}
	if d, _, _ := strings.Cut(domain, "@"); isGmail(d) {
		return strings.Replace(local, ".", "", 1) + "@" + d
	}
	return e
}

// isGmail reports whether domain starts with gmail or googlemail followed by
// at least one more character, the test Segment applies.
func isGmail(domain string) bool {
	for _, p := range []string{"gmail", "googlemail"} {
		if len(domain) > len(p) && strings.HasPrefix(domain, p) {
			return true
		}
	}
	return false
}

// hashEmail hashes a normalised email; field names the payload field for the
// error when the address is not valid.
func hashEmail(field, email string) (string, error) {
	if !destkit.IsSHA256Hex(email) && jsvalue.Trim(email) != "" && !destkit.ValidFormat("email", []byte(normalizeEmail(email))) {
		return "", destkit.ValidationErrorf(field, "Email provided doesn't seem to be in a valid format.")
	}
	h, _ := destkit.HashSHA256(email, normalizeEmail)
	return h, nil
}

// formatE164 is the phone number's digits prefixed with the country code's
// digits (unless they already start with them) and a plus sign.
func formatE164(phone, countryCode string) string {
	digits := onlyDigits(phone)
	cc := onlyDigits(countryCode)
	if !strings.HasPrefix(digits, cc) {
		digits = cc + digits
	}
	return "+" + digits
}

func onlyDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// hashPhone hashes the phone number in E.164 form; the country code is the
// payload's phone_country_code, or +1 when it has none.
func hashPhone(p *fastjson.Value, field, phone string) (string, error) {
	cc := "+1"
	if v := p.Get("phone_country_code"); v != nil && v.Type() == fastjson.TypeString {
		cc = string(v.GetStringBytes())
	}
	h, ok := destkit.HashSHA256(phone, func(s string) string { return formatE164(s, cc) })
	if !ok {
		return "", destkit.ValidationErrorf(field, "Phone number has no digits.")
	}
	return h, nil
}

// writeEmailPhone writes the hashed email and phone identifiers of the
// payload's fields emailField and phoneField, without the array, and
// returns how many it wrote.
func writeEmailPhone(w *destkit.JSONWriter, p *fastjson.Value, emailField, phoneField string) (int, error) {
	n := 0
	for _, id := range [...]struct{ field, key string }{{emailField, "hashedEmail"}, {phoneField, "hashedPhoneNumber"}} {
		v := string(p.GetStringBytes(id.field))
		if v == "" {
			continue
		}
		var h string
		var err error
		if id.key == "hashedEmail" {
			h, err = hashEmail(id.field, v)
		} else {
			h, err = hashPhone(p, id.field, v)
		}
		if err != nil {
			return n, err
		}
		w.ObjectStart()
		w.Key(id.key)
		w.String(h)
		w.ObjectEnd()
		n++
	}
	return n, nil
}

// writeConsent writes the consent object when either state is set.
func writeConsent(w *destkit.JSONWriter, p *fastjson.Value) {
	data := string(p.GetStringBytes("ad_user_data_consent_state"))
	pers := string(p.GetStringBytes("ad_personalization_consent_state"))
	if data == "" && pers == "" {
		return
	}
	w.Key("consent")
	w.ObjectStart()
	w.StringField("adUserData", data)
	w.StringField("adPersonalization", pers)
	w.ObjectEnd()
}

// customVariables maps custom variable names to their resource names, as
// the account's lookup returned them; nil when the lookup returned nothing.
type customVariables map[string]string

// lookupCustomVariables asks the account for its conversion custom variables.
func lookupCustomVariables(ctx context.Context, d destkit.Doer, s *destkit.Settings, cid string) (customVariables, error) {
	r, err := adsRequest(s, adsAPI+"/customers/"+cid+"/googleAds:searchStream",
		[]byte(`{"query":"SELECT conversion_custom_variable.id, conversion_custom_variable.name FROM conversion_custom_variable"}`))
	if err != nil {
		return nil, err
	}
	resp, err := d.Do(ctx, &r)
	if err != nil {
		return nil, err
	}
	v, err := fastjson.ParseBytes(resp.Body)
	if err != nil {
		return nil, &destkit.IntegrationError{Code: "INVALID_RESPONSE", Message: "custom variable lookup: Google Ads answered with invalid JSON", Retryable: true}
	}
	// searchStream answers an array of result pages; Segment reads the first.
	pages := v.GetArray()
	if len(pages) == 0 {
		return nil, nil
	}
	vars := customVariables{}
	for _, r := range pages[0].GetArray("results") {
		cv := r.Get("conversionCustomVariable")
		vars[string(cv.GetStringBytes("name"))] = string(cv.GetStringBytes("resourceName"))
	}
	return vars, nil
}

// writeCustomVariables writes the payload's custom variables that the
// account knows, by resource name, in the payload's order.
func writeCustomVariables(w *destkit.JSONWriter, p *fastjson.Value, vars customVariables) {
	obj := p.GetObject("custom_variables")
	if obj == nil || vars == nil {
		return
	}
	w.Key("customVariables")
	w.ArrayStart()
	obj.Visit(func(k []byte, v *fastjson.Value) {
		name, ok := vars[string(k)]
		if !ok {
			return
		}
		w.ObjectStart()
		w.Key("conversionCustomVariable")
		w.String(name)
		w.Key("value")
		w.Value(v)
		w.ObjectEnd()
	})
	w.ArrayEnd()
}

// upload is one of the Google Ads API's upload methods: the method, the key
// of its list in the request and how one payload becomes one element.
type upload struct {
	method string // "uploadClickConversions"
	list   string // "conversions"
	// syncModeAdd: the action takes the subscription's sync mode, and only "add".
	syncModeAdd bool
	write       func(w *destkit.JSONWriter, p *fastjson.Value, cid string, vars customVariables) error
}

// action is the upload's action: batched up to Google's limit, one request
// per batch.
func (u *upload) action(key, title, description string, fields []destkit.Field) *destkit.Action {
	return &destkit.Action{Key: key, Title: title, Description: description, Fields: fields,
		Batch: &destkit.Batch{MaxSize: batchMaxSize}, Run: u.run, RunBatch: u.runBatch}
}

// withSyncMode is the upload for an action that takes the subscription's
// sync mode (the V2 actions), which must be add.
func (u *upload) withSyncMode() *upload {
	v := *u
	v.syncModeAdd = true
	return &v
}

func (u *upload) checkSyncMode(p *fastjson.Value) error {
	if !u.syncModeAdd {
		return nil
	}
	if m := string(p.GetStringBytes(destkit.SyncModeKey)); m != "add" {
		return destkit.ValidationErrorf(destkit.SyncModeKey, "Sync mode %q is not supported; use add.", m)
	}
	return nil
}

func wantsCustomVariables(p *fastjson.Value) bool {
	return p.Get("custom_variables") != nil
}

// run uploads one payload.
func (u *upload) run(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
	errs := u.runBatch(ctx, d, &destkit.BatchInput{Payloads: []*fastjson.Value{in.Payload}, Settings: in.Settings})
	return errs[0]
}

// runBatch uploads a batch in one request; events Google names in its
// partial failure fail alone.
func (u *upload) runBatch(ctx context.Context, d destkit.Doer, in *destkit.BatchInput) []error {
	errs := make([]error, len(in.Payloads))
	all := func(err error) []error {
		for i := range errs {
			if errs[i] == nil {
				errs[i] = err
			}
		}
		return errs
	}
	for i, p := range in.Payloads {
		errs[i] = u.checkSyncMode(p)
	}
	cid, err := customerID(in.Settings)
	if err != nil {
		return all(err)
	}
	var vars customVariables
	for i, p := range in.Payloads {
		if errs[i] == nil && wantsCustomVariables(p) {
			if vars, err = lookupCustomVariables(ctx, d, in.Settings, cid); err != nil {
				return all(err)
			}
			break
		}
	}
	w := destkit.NewJSONWriter(make([]byte, 0, 512*len(in.Payloads)))
	w.ObjectStart()
	w.Key(u.list)
	w.ArrayStart()
	var sent []int
	el := destkit.NewJSONWriter(nil)
	for i, p := range in.Payloads {
		if errs[i] != nil {
			continue
		}
		el.Reset()
		if err := u.write(el, p, cid, vars); err != nil {
			errs[i] = err
			continue
		}
		w.Raw(el.Bytes())
		sent = append(sent, i)
	}
	w.ArrayEnd()
	w.Key("partialFailure")
	w.Bool(true)
	w.ObjectEnd()
	if len(sent) == 0 {
		return errs
	}
	r, err := adsRequest(in.Settings, adsAPI+"/customers/"+cid+":"+u.method, w.Bytes())
	if err != nil {
		return all(err)
	}
	resp, err := d.Do(ctx, &r)
	if err != nil {
		return all(err)
	}
	for k, err := range partialFailures(resp.Body, u.list, len(sent)) {
		errs[sent[k]] = err
	}
	return errs
}

// partialFailures reads Google's partialFailureError: one error per element
// of the request's list (nil where accepted). An error that names no element
// fails them all.
func partialFailures(body []byte, list string, n int) []error {
	out := make([]error, n)
	v, err := fastjson.ParseBytes(body)
	if err != nil {
		return out
	}
	pf := v.Get("partialFailureError")
	if pf == nil || pf.Type() != fastjson.TypeObject {
		return out
	}
	message := string(pf.GetStringBytes("message"))
	named := false
	for _, detail := range pf.GetArray("details") {
		for _, e := range detail.GetArray("errors") {
			for _, f := range e.GetArray("location", "fieldPathElements") {
				if string(f.GetStringBytes("fieldName")) != list || f.Get("index") == nil {
					continue
				}
				if i := f.GetInt("index"); i >= 0 && i < n {
					out[i] = &destkit.IntegrationError{Code: "INVALID_ARGUMENT", Message: string(e.GetStringBytes("message"))}
					named = true
				}
			}
		}
	}
	if !named {
		for i := range out {
			out[i] = &destkit.IntegrationError{Code: "INVALID_ARGUMENT", Message: message}
		}
	}
	return out
}

// conversionActionChoices lists the account's conversion actions (Segment's
// dynamic conversion_action field).
func conversionActionChoices(ctx context.Context, d destkit.Doer, in *destkit.DynamicInput) ([]destkit.Choice, error) {
	return searchChoices(ctx, d, in.Settings, "googleAds:searchStream",
		"SELECT conversion_action.id, conversion_action.name FROM conversion_action", "conversionAction")
}

// userListChoices lists the account's user lists (the hook's list_id).
func userListChoices(ctx context.Context, d destkit.Doer, in *destkit.DynamicInput) ([]destkit.Choice, error) {
	return searchChoices(ctx, d, in.Settings, "googleAds:search", "SELECT user_list.id, user_list.name FROM user_list", "userList")
}

// searchChoices runs a Google Ads query and lists the id and name of each
// row's resource. searchStream answers an array of pages, search one page.
func searchChoices(ctx context.Context, d destkit.Doer, s *destkit.Settings, method, query, resource string) ([]destkit.Choice, error) {
	cid, err := customerID(s)
	if err != nil {
		return nil, err
	}
	w := destkit.NewJSONWriter(nil)
	w.ObjectStart()
	w.Key("query")
	w.String(query)
	w.ObjectEnd()
	v, err := adsCall(ctx, d, s, adsAPI+"/customers/"+cid+"/"+method, w.Bytes())
	if err != nil {
		return nil, err
	}
	pages := []*fastjson.Value{v}
	if v.Type() == fastjson.TypeArray {
		pages = v.GetArray()
	}
	var out []destkit.Choice
	for _, page := range pages {
		for _, row := range page.GetArray("results") {
			r := row.Get(resource)
			out = append(out, destkit.Choice{Value: jsString(r.Get("id")), Label: string(r.GetStringBytes("name"))})
		}
	}
	return out, nil
}
