package amazonamc

import (
	"context"
	"net/url"
	"regexp"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// ttlMax is the longest time to live Amazon takes, in seconds.
const ttlMax = 34300800

var audienceConfig = &destkit.AudienceConfig{
	Fields: []destkit.Field{
		{Key: "description", Label: "Description", Type: destkit.String, Required: true,
			Description: "The audience's description: letters and digits, up to 1,000 characters."},
		{Key: "countryCode", Label: "Country Code", Type: destkit.String, Required: true,
			Description: "ISO 3166-1 alpha-2 code of the members' country."},
		{Key: "externalAudienceId", Label: "External Audience Id", Type: destkit.String, Required: true,
			Description: "Your own identifier of the audience."},
		{Key: "cpmCents", Label: "CPM Cents", Type: destkit.Number,
			Description: "Cost per thousand impressions, in cents ($1.00 = 100)."},
		{Key: "currency", Label: "Currency", Type: destkit.String,
			Choices:     destkit.ChoiceValues("USD", "CAD", "JPY", "GBP", "EUR", "SAR", "AUD", "AED", "CNY", "MXN", "INR", "SEK", "TRY"),
			Description: "Currency of the CPM."},
		{Key: "ttl", Label: "Time-to-live", Type: destkit.Number,
			Description: "How long a record stays in the audience, in seconds."},
		{Key: "advertiserId", Label: "Advertiser ID", Type: destkit.String, Required: true,
			Description: "The advertiser the audience belongs to."},
	},
	Create: createAudience,
	Get:    getAudience,
}

// audienceHook is the audience kit's hook, under Segment's hook name (which the registry
// requires), that also saves the audience's country code for the records.
var audienceHook = func() destkit.Hook {
	h := destkit.AudienceHook(audienceConfig)
	h.Key = "onMappingSave"
	h.Outputs = append(h.Outputs, destkit.Field{Key: "countryCode", Label: "Country Code", Type: destkit.String,
		Description: "The audience's country code, which every record carries."})
	run := h.Run
	h.Run = func(ctx context.Context, d destkit.Doer, in *destkit.HookInput) (map[string]any, error) {
		out, err := run(ctx, d, in)
		if err != nil {
			return nil, err
		}
		if cc := string(in.Inputs.GetStringBytes("audienceSettings", "countryCode")); cc != "" {
			out["countryCode"] = cc
		}
		return out, nil
	}
	return h
}()

// createAudience creates the audience's metadata and returns its id.
func createAudience(ctx context.Context, d destkit.Doer, in *destkit.AudienceRequest) (string, error) {
	as := in.AudienceSettings
	str := func(k string) string {
		if as == nil {
			return ""
		}
		return string(as.GetStringBytes(k))
	}
	for _, k := range []string{"advertiserId", "description", "externalAudienceId", "countryCode"} {
		if str(k) == "" {
			return "", destkit.ValidationErrorf("audienceSettings."+k, "creating an Amazon audience needs %s", k)
		}
	}
	if in.Name == "" {
		return "", destkit.ValidationErrorf("audienceName", "creating an Amazon audience needs a name")
	}
	var ttl, cpm float64
	if as != nil {
		ttl, cpm = as.GetFloat64("ttl"), as.GetFloat64("cpmCents")
	}
	if ttl > ttlMax {
		return "", destkit.ValidationErrorf("audienceSettings.ttl", "ttl must be at most %d seconds", ttlMax)
	}
	w := destkit.NewJSONWriter(nil)
	w.ObjectStart()
	w.StringField("name", in.Name)
	w.StringField("description", str("description"))
	w.Key("targetResource")
	w.ObjectStart()
	w.Key("advertiserId")
	writeID(w, str("advertiserId"))
	w.ObjectEnd()
	w.Key("metadata")
	w.ObjectStart()
	w.StringField("externalAudienceId", str("externalAudienceId"))
	if ttl != 0 {
		w.Key("ttl")
		w.Float(ttl)
	}
	if cpm != 0 && str("currency") != "" {
		w.Key("audienceFees")
		w.ArrayStart()
		w.ObjectStart()
		w.StringField("currency", str("currency"))
		w.Key("cpmCents")
		w.Float(cpm)
		w.ObjectEnd()
		w.ArrayEnd()
	}
	w.ObjectEnd()
	w.StringField("countryCode", str("countryCode"))
	w.ObjectEnd()
	r := amcRequest("POST", endpoint(in.Settings)+"/amc/audiences/metadata", w.Bytes())
	resp, err := d.Do(ctx, &r)
	if err != nil {
		return "", err
	}
	return audienceID(resp)
}

// getAudience checks that the audience exists and returns its id.
func getAudience(ctx context.Context, d destkit.Doer, in *destkit.AudienceRequest) (string, error) {
	if in.ExternalID == "" {
		return "", destkit.ValidationErrorf("externalId", "give the Amazon audience id to check")
	}
	r := destkit.Request{Method: "GET", URL: endpoint(in.Settings) + "/amc/audiences/metadata/" + url.PathEscape(in.ExternalID)}
	resp, err := d.Do(ctx, &r)
	if err != nil {
		return "", err
	}
	return audienceID(resp)
}

// audienceRe finds the audience id, a number too large for a float64 to keep exactly.
var audienceRe = regexp.MustCompile(`"audienceId"\s*:\s*"?(\d+)`)

func audienceID(resp *destkit.Response) (string, error) {
	m := audienceRe.FindSubmatch(resp.Body)
	if m == nil {
		return "", &destkit.IntegrationError{Code: "INVALID_RESPONSE", Message: "Amazon answered without an audienceId"}
	}
	return string(m[1]), nil
}

// writeID writes an id made of digits as a JSON number, without going through a float
// (advertiser and audience ids exceed 2^53); anything else stays a string.
func writeID(w *destkit.JSONWriter, id string) {
	if allDigits(id) {
		w.Raw([]byte(id))
		return
	}
	w.String(id)
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// amcRequest is a request in Amazon's audience media type.
func amcRequest(method, url string, body []byte) destkit.Request {
	r := destkit.Request{Method: method, URL: url, Body: body}
	r.SetHeader("Content-Type", "application/vnd.amcaudiences.v1+json")
	return r
}

// parse reads a JSON answer; anything else reads as an empty object.
func parse(resp *destkit.Response) *fastjson.Value {
	if resp != nil {
		if v, err := fastjson.ParseBytes(resp.Body); err == nil {
			return v
		}
	}
	return fastjson.MustParse(`{}`)
}
