package tiktokaudiences

import (
	"context"
	"net/url"
	"strconv"
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// The id schema's columns, in the order TikTok's format lists them.
var idColumns = [...]struct{ flag, field, schema string }{
	{"send_email", "email", "EMAIL_SHA256"},
	{"send_phone", "phone", "PHONE_SHA256"},
	{"send_advertising_id", "advertising_id", "IDFA_SHA256"},
}

// idSchema lists the columns the payload's send flags turn on.
func idSchema(p *fastjson.Value) []string {
	var out []string
	for _, c := range idColumns {
		if p.GetBool(c.flag) {
			out = append(out, c.schema)
		}
	}
	return out
}

// noneSent reports whether the payload turns every identifier off.
func noneSent(p *fastjson.Value) bool {
	for _, c := range idColumns {
		if v := p.Get(c.flag); v == nil || v.Type() != fastjson.TypeFalse {
			return false
		}
	}
	return true
}

// normalizeEmail is TikTok's normalisation: the +tag and the dots of the
// local part removed, lower-cased.
func normalizeEmail(email string) string {
	at := strings.LastIndexByte(email, '@')
	if at < 0 {
		return strings.ToLower(email)
	}
	if plus := strings.IndexByte(email, '+'); plus >= 0 && plus < at {
		email = email[:plus] + email[at:]
		at = plus
	}
	return strings.ToLower(strings.ReplaceAll(email[:at], ".", "") + email[at:])
}

// containsDigest reports whether s contains 64 hex digits in a row, the
// test Segment applies before hashing emails and phone numbers.
func containsDigest(s string) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if (s[i] >= '0' && s[i] <= '9') || (c >= 'a' && c <= 'f') {
			if run++; run >= 64 {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

// hashed is the digest of one identifier column of a payload; "" when the
// payload has no value there.
func hashed(p *fastjson.Value, field string) string {
	v := string(p.GetStringBytes(field))
	if v == "" {
		return ""
	}
	switch field {
	case "email":
		v = normalizeEmail(v)
		if containsDigest(v) {
			return v
		}
	case "phone":
		if containsDigest(v) {
			return v
		}
	}
	h, _ := destkit.HashSHA256(v, nil)
	return h
}

// writeUser writes one user's entries for the batch's schema (the send
// flags of schemaOf, the batch's first payload): an id with the audience, or
// {} for a missing value. Segment follows each payload's own flags, which
// misaligns a row with the schema when a batch mixes flags.
func writeUser(w *destkit.JSONWriter, p, schemaOf *fastjson.Value, audience string) {
	w.ArrayStart()
	for _, c := range idColumns {
		if !schemaOf.GetBool(c.flag) {
			continue
		}
		w.ObjectStart()
		if h := hashed(p, c.field); h != "" {
			w.Key("id")
			w.String(h)
			w.Key("audience_ids")
			w.ArrayStart()
			w.String(audience)
			w.ArrayEnd()
		}
		w.ObjectEnd()
	}
	w.ArrayEnd()
}

// mapping is one segment mapping request: add or delete users of the
// advertisers' audiences.
type mapping struct {
	advertisers []string
	action      string // "add" or "delete"
	schema      []string
	users       *destkit.JSONWriter // the batch_data elements, comma-separated
}

// send posts the mapping and reads TikTok's answer.
func (m *mapping) send(ctx context.Context, d destkit.Doer) error {
	w := destkit.NewJSONWriter(make([]byte, 0, 64+len(m.users.Bytes())))
	w.ObjectStart()
	w.Key("advertiser_ids")
	w.ArrayStart()
	for _, a := range m.advertisers {
		w.String(a)
	}
	w.ArrayEnd()
	w.Key("action")
	w.String(m.action)
	w.Key("id_schema")
	w.ArrayStart()
	for _, s := range m.schema {
		w.String(s)
	}
	w.ArrayEnd()
	w.Key("batch_data")
	w.Raw(append(append([]byte{'['}, m.users.Bytes()...), ']'))
	w.ObjectEnd()
	_, err := call(ctx, d, destkit.NewJSONRequest("POST", apiBase+"/segment/mapping/", w.Bytes()))
	return err
}

// call sends r and checks TikTok's code: 0 (or none) is success.
func call(ctx context.Context, d destkit.Doer, r destkit.Request) (*fastjson.Value, error) {
	resp, err := d.Do(ctx, &r)
	if err != nil {
		return nil, err
	}
	v, perr := fastjson.ParseBytes(resp.Body)
	if perr != nil {
		return fastjson.MustParse(`{}`), nil
	}
	if c := v.Get("code"); c != nil && c.Type() == fastjson.TypeNumber && c.GetInt() != 0 {
		msg := string(v.GetStringBytes("message"))
		if c.GetInt() == 40100 { // TikTok's "too many requests"
			return nil, &destkit.RetryableError{Err: &destkit.IntegrationError{Code: "40100", Message: msg}}
		}
		return nil, &destkit.IntegrationError{Code: string(c.MarshalTo(nil)), Message: "TikTok rejected the request: " + msg}
	}
	return v, nil
}

// advertiserIDs reads the TikTok Advertiser IDs setting. destkit's
// settings hold scalars only (a list is refused when the instance is
// created), so the IDs are one string, separated by commas.
func advertiserIDs(s *destkit.Settings) []string {
	var ids []string
	for _, v := range strings.Split(s.Str("advertiser_ids"), ",") {
		if v = strings.TrimSpace(v); v != "" {
			ids = append(ids, v)
		}
	}
	return ids
}

// settingsAdvertiser is the instance's one advertiser, for the actions whose
// advertiser Segment takes from per-audience settings.
func settingsAdvertiser(s *destkit.Settings) (string, error) {
	ids := advertiserIDs(s)
	if len(ids) != 1 {
		return "", destkit.ValidationErrorf("advertiser_ids", "This action syncs to the advertiser of the TikTok Advertiser IDs setting, which must hold exactly one ID (it holds %d).", len(ids))
	}
	return ids[0], nil
}

// audienceConfig creates TikTok audiences for Engage audiences, and checks
// an audience an advertiser already has.
var audienceConfig = &destkit.AudienceConfig{
	Fields: []destkit.Field{
		{Key: "advertiserId", Label: "Advertiser ID", Type: destkit.String,
			Description: "Advertiser the audience is created in and synced to."},
	},
	Create: func(ctx context.Context, d destkit.Doer, in *destkit.AudienceRequest) (string, error) {
		adv := string(in.AudienceSettings.GetStringBytes("advertiserId"))
		if in.Name == "" {
			return "", destkit.ValidationErrorf("audienceName", "Missing audience name value")
		}
		if adv == "" {
			return "", destkit.ValidationErrorf("advertiserId", "Missing advertiser ID value")
		}
		return createAudience(ctx, d, adv, in.Name)
	},
	Get: func(ctx context.Context, d destkit.Doer, in *destkit.AudienceRequest) (string, error) {
		adv := string(in.AudienceSettings.GetStringBytes("advertiserId"))
		if adv == "" {
			return "", destkit.ValidationErrorf("advertiserId", "Unable to verify ownership over audience. Missing advertiserId.")
		}
		q := url.Values{}
		q.Set("advertiser_id", adv)
		w := destkit.NewJSONWriter(nil)
		w.ArrayStart()
		w.String(in.ExternalID)
		w.ArrayEnd()
		q.Set("custom_audience_ids", string(w.Bytes()))
		v, err := call(ctx, d, destkit.Request{Method: "GET", URL: apiBase + "/dmp/custom_audience/get?" + q.Encode()})
		if err != nil {
			return "", err
		}
		id := string(v.GetStringBytes("data", "list", "0", "audience_details", "audience_id"))
		if id == "" || id != in.ExternalID {
			return "", &destkit.IntegrationError{Code: "INVALID_REQUEST_DATA", Message: "Unable to verify ownership over audience " + in.ExternalID + " in advertiser " + adv + "."}
		}
		return id, nil
	},
}

// createAudience creates a custom audience and returns its id.
func createAudience(ctx context.Context, d destkit.Doer, advertiser, name string) (string, error) {
	w := destkit.NewJSONWriter(nil)
	w.ObjectStart()
	w.Key("custom_audience_name")
	w.String(name)
	w.Key("advertiser_id")
	w.String(advertiser)
	w.Key("action")
	w.String("create")
	w.ObjectEnd()
	v, err := call(ctx, d, destkit.NewJSONRequest("POST", apiBase+"/segment/audience/", w.Bytes()))
	if err != nil {
		return "", err
	}
	id := string(v.GetStringBytes("data", "audience_id"))
	if id == "" {
		return "", &destkit.IntegrationError{Code: "INVALID_RESPONSE", Message: "TikTok created the audience but returned no audience_id"}
	}
	return id, nil
}

// syncUsers sends the payloads' users to the advertisers' audiences in one
// mapping request (Segment's processPayload): the id schema is the first
// payload's; a payload with neither email nor advertising ID fails alone.
func syncUsers(ctx context.Context, d destkit.Doer, in *destkit.BatchInput, advertisers []string, action string, audienceField string) []error {
	errs := make([]error, len(in.Payloads))
	fail := func(err error, idx []int) []error {
		for _, i := range idx {
			errs[i] = err
		}
		return errs
	}
	all := make([]int, len(in.Payloads))
	for i := range all {
		all[i] = i
	}
	if noneSent(in.Payloads[0]) {
		return fail(&destkit.IntegrationError{Code: "INVALID_SETTINGS", Message: "At least one of `Send Email`, `Send Phone` or `Send Advertising ID` must be set to `true`."}, all)
	}
	m := &mapping{advertisers: advertisers, action: action, schema: idSchema(in.Payloads[0]), users: destkit.NewJSONWriter(nil)}
	var sent []int
	for i, p := range in.Payloads {
		audience := string(p.GetStringBytes(audienceField))
		switch {
		case len(p.GetStringBytes("email")) == 0 && len(p.GetStringBytes("advertising_id")) == 0:
			errs[i] = destkit.ValidationErrorf("email", "At least one of Email Id or Advertising ID must be provided.")
		case audience == "":
			errs[i] = destkit.ValidationErrorf(audienceField, "The TikTok audience ID (%s) is missing.", audienceField)
		default:
			writeUser(m.users, p, in.Payloads[0], audience)
			sent = append(sent, i)
		}
	}
	if len(sent) == 0 {
		return errs
	}
	if err := m.send(ctx, d); err != nil {
		fail(err, sent)
	}
	return errs
}

// runOne runs a batch function over one payload.
func runOne(f func(ctx context.Context, d destkit.Doer, in *destkit.BatchInput) []error) func(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
	return func(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
		return f(ctx, d, &destkit.BatchInput{Payloads: []*fastjson.Value{in.Payload}, Settings: in.Settings, Audiences: in.Audiences})[0]
	}
}

// nativeSync is Add to Audience and Remove from Audience: the audience is
// the event's external audience id, the advertiser the instance's.
func nativeSync(action string) func(ctx context.Context, d destkit.Doer, in *destkit.BatchInput) []error {
	return func(ctx context.Context, d destkit.Doer, in *destkit.BatchInput) []error {
		adv, err := settingsAdvertiser(in.Settings)
		if err != nil {
			errs := make([]error, len(in.Payloads))
			for i := range errs {
				errs[i] = err
			}
			return errs
		}
		return syncUsers(ctx, d, in, []string{adv}, action, "external_audience_id")
	}
}

// legacySync is Add Users and Remove Users (Legacy): the audience is the
// mapping's audience_id, sent for every advertiser of the settings.
func legacySync(action string) func(ctx context.Context, d destkit.Doer, in *destkit.BatchInput) []error {
	return func(ctx context.Context, d destkit.Doer, in *destkit.BatchInput) []error {
		return syncUsers(ctx, d, in, advertiserIDs(in.Settings), action, "audience_id")
	}
}

// advertiserChoices lists the settings' advertisers by name (the dynamic
// selected_advertiser_id field).
func advertiserChoices(ctx context.Context, d destkit.Doer, in *destkit.DynamicInput) ([]destkit.Choice, error) {
	ids := advertiserIDs(in.Settings)
	if len(ids) == 0 {
		return nil, destkit.ValidationErrorf("advertiser_ids", "Connect TikTok and list its advertiser IDs in the settings first.")
	}
	w := destkit.NewJSONWriter(nil)
	w.ArrayStart()
	for _, id := range ids {
		w.String(id)
	}
	w.ArrayEnd()
	v, err := call(ctx, d, destkit.Request{Method: "GET", URL: apiBase + "/advertiser/info/?advertiser_ids=" + url.QueryEscape(string(w.Bytes()))})
	if err != nil {
		return nil, err
	}
	var out []destkit.Choice
	for _, a := range v.GetArray("data", "list") {
		out = append(out, destkit.Choice{Value: idString(a.Get("advertiser_id")), Label: string(a.GetStringBytes("name"))})
	}
	return out, nil
}

// audienceChoices lists the custom audiences of the mapping's advertiser,
// page by page (the dynamic audience_id field).
func audienceChoices(ctx context.Context, d destkit.Doer, in *destkit.DynamicInput) ([]destkit.Choice, error) {
	adv := string(in.Payload.GetStringBytes("selected_advertiser_id"))
	if adv == "" {
		return nil, destkit.ValidationErrorf("selected_advertiser_id", "Please select Advertiser ID first to get list of Audience IDs.")
	}
	var out []destkit.Choice
	for page, pages := 1, 1; page <= pages; page++ {
		q := url.Values{}
		q.Set("advertiser_id", adv)
		q.Set("page", strconv.Itoa(page))
		q.Set("page_size", "100")
		v, err := call(ctx, d, destkit.Request{Method: "GET", URL: apiBase + "/dmp/custom_audience/list/?" + q.Encode()})
		if err != nil {
			return nil, err
		}
		if n := v.GetInt("data", "page_info", "total_page"); n > pages {
			pages = n
		}
		for _, a := range v.GetArray("data", "list") {
			out = append(out, destkit.Choice{Value: idString(a.Get("audience_id")), Label: string(a.GetStringBytes("name"))})
		}
	}
	return out, nil
}

// idString is an id TikTok sends as a string or a number.
func idString(v *fastjson.Value) string {
	if v != nil && v.Type() == fastjson.TypeString {
		return string(v.GetStringBytes())
	}
	if v == nil {
		return ""
	}
	return string(v.MarshalTo(nil))
}
