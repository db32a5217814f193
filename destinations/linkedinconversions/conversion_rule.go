package linkedinconversions

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// The onMappingSave hook, run from the control API (Segment's behaviour):
//
//  1. An existing rule (conversionRuleId) is read back from LinkedIn
//     (GET /conversions/{id}?account=…) and saved as it is; a rule
//     LinkedIn does not know is refused, naming conversionRuleId.
//  2. Otherwise the first run creates a rule (POST /conversions, method
//     CONVERSIONS_API) from name, conversionType and attribution_type, all
//     three needed, with the windows defaulting to 30 and 7 days.
//  3. A later run (the mapping already holds outputs) changes only what the
//     inputs change, with a Rest.li PARTIAL_UPDATE of the saved rule; with
//     nothing changed it keeps the saved outputs and calls nobody.
//  4. Then the selected campaigns are associated with the rule (one PUT
//     for one campaign, a batch PUT for several). Deselecting a campaign
//     does not dissociate it, as in Segment.
//
// The saved id is a string, as declared (LinkedIn answers with a number).

const (
	accountURN  = "urn:li:sponsoredAccount:"
	campaignURN = "urn:li:sponsoredCampaign:"
	ruleURN     = "urn:lla:llaPartnerConversion:"
)

// Default attribution windows, in days, of a rule created without them.
const (
	defaultPostClickWindow   = 30
	defaultViewThroughWindow = 7
)

// ruleChange pairs a hook input with the rule attribute it sets and the
// output it is saved as.
type ruleChange struct{ input, attribute string }

// ruleAttributes are the attributes a person sets, in the order LinkedIn's
// create body and a partial update list them. The outputs carry the inputs'
// names.
var ruleAttributes = []ruleChange{
	{"name", "name"},
	{"conversionType", "type"},
	{"attribution_type", "attributionType"},
	{"post_click_attribution_window_size", "postClickAttributionWindowSize"},
	{"view_through_attribution_window_size", "viewThroughAttributionWindowSize"},
}

func runConversionRule(ctx context.Context, d destkit.Doer, in *destkit.HookInput) (map[string]any, error) {
	inputs := in.Inputs
	account := string(inputs.GetStringBytes("adAccountId"))
	ruleID := string(inputs.GetStringBytes("conversionRuleId"))
	prev := in.Previous
	if prev != nil && prev.Type() != fastjson.TypeObject {
		prev = nil
	}
	var out map[string]any
	var err error
	switch {
	case ruleID != "":
		out, err = readRule(ctx, d, account, ruleID)
	case prev != nil:
		out, err = updateRule(ctx, d, account, inputs, prev)
	default:
		out, err = createRule(ctx, d, account, inputs)
	}
	if err != nil {
		return nil, err
	}
	if err := associateCampaigns(ctx, d, out["id"].(string), inputs.GetArray("campaignId")); err != nil {
		return nil, destkit.InputRefused(err, "campaignId", "LinkedIn refused to associate the campaigns with conversion rule "+out["id"].(string)+message(err))
	}
	return out, nil
}

// readRule saves an existing rule, filling what LinkedIn leaves out.
func readRule(ctx context.Context, d destkit.Doer, account, id string) (map[string]any, error) {
	r := destkit.Request{Method: http.MethodGet, URL: apiBase + "/conversions/" + url.PathEscape(id) + "?account=" + url.QueryEscape(account)}
	resp, err := d.Do(ctx, &r)
	if err != nil {
		return nil, destkit.InputRefused(err, "conversionRuleId", "LinkedIn could not find conversion rule "+id+" in ad account "+account+message(err))
	}
	v, perr := fastjson.ParseBytes(resp.Body)
	if perr != nil {
		return nil, &destkit.IntegrationError{Code: "INVALID_RESPONSE", Message: "LinkedIn's conversion rule is not JSON"}
	}
	or := func(key, fallback string) string {
		if s := string(v.GetStringBytes(key)); s != "" {
			return s
		}
		return fallback
	}
	missing := "not returned for rule " + id
	return map[string]any{
		"id":                                   id,
		"name":                                 or("name", "No name "+missing),
		"conversionType":                       or("type", "No type "+missing),
		"attribution_type":                     or("attributionType", "No attribution type "+missing),
		"post_click_attribution_window_size":   window(v.Get("postClickAttributionWindowSize"), defaultPostClickWindow),
		"view_through_attribution_window_size": window(v.Get("viewThroughAttributionWindowSize"), defaultViewThroughWindow),
	}, nil
}

// createRule creates a CONVERSIONS_API rule from the inputs.
func createRule(ctx context.Context, d destkit.Doer, account string, inputs *fastjson.Value) (map[string]any, error) {
	var missing []string
	first := ""
	for _, f := range []struct{ key, label string }{{"name", "Name"}, {"conversionType", "Conversion Type"}, {"attribution_type", "Attribution Type"}} {
		if len(inputs.GetStringBytes(f.key)) == 0 {
			missing = append(missing, f.label)
			if first == "" {
				first = f.key
			}
		}
	}
	if len(missing) > 0 {
		return nil, destkit.ValidationErrorf(first, "Creating a conversion rule needs %s; or give an existing conversion rule ID.", strings.Join(missing, ", "))
	}
	w := destkit.NewJSONWriter(make([]byte, 0, 256))
	w.ObjectStart()
	w.Key("name")
	w.Value(inputs.Get("name"))
	w.Key("account")
	w.String(account)
	w.Key("conversionMethod")
	w.String("CONVERSIONS_API")
	w.Key("postClickAttributionWindowSize")
	w.Raw(strconv.AppendInt(nil, window(inputs.Get("post_click_attribution_window_size"), defaultPostClickWindow), 10))
	w.Key("viewThroughAttributionWindowSize")
	w.Raw(strconv.AppendInt(nil, window(inputs.Get("view_through_attribution_window_size"), defaultViewThroughWindow), 10))
	w.Key("attributionType")
	w.Value(inputs.Get("attribution_type"))
	w.Key("type")
	w.Value(inputs.Get("conversionType"))
	w.ObjectEnd()
	resp, err := d.Do(ctx, ptr(destkit.NewJSONRequest(http.MethodPost, apiBase+"/conversions", w.Bytes())))
	if err != nil {
		field := "name"
		if forbidden(err) {
			field = "adAccountId"
		}
		return nil, destkit.InputRefused(err, field, "LinkedIn refused to create the conversion rule in ad account "+account+message(err))
	}
	v, perr := fastjson.ParseBytes(resp.Body)
	id := ""
	if perr == nil {
		id = idString(v.Get("id"))
	}
	if id == "" {
		return nil, &destkit.IntegrationError{Code: "INVALID_RESPONSE", Message: "LinkedIn created a conversion rule but its answer has no id"}
	}
	attribution := string(v.GetStringBytes("attributionType"))
	if attribution == "" {
		attribution = "UNKNOWN"
	}
	return map[string]any{
		"id":                                   id,
		"name":                                 string(v.GetStringBytes("name")),
		"conversionType":                       string(v.GetStringBytes("type")),
		"attribution_type":                     attribution,
		"post_click_attribution_window_size":   window(v.Get("postClickAttributionWindowSize"), defaultPostClickWindow),
		"view_through_attribution_window_size": window(v.Get("viewThroughAttributionWindowSize"), defaultViewThroughWindow),
	}, nil
}

// updateRule applies the inputs that differ from the saved outputs.
func updateRule(ctx context.Context, d destkit.Doer, account string, inputs, prev *fastjson.Value) (map[string]any, error) {
	out := map[string]any{"id": idString(prev.Get("id"))}
	for _, a := range ruleAttributes {
		if v := prev.Get(a.input); v != nil {
			if v.Type() == fastjson.TypeNumber {
				out[a.input] = v.GetInt64()
			} else {
				out[a.input] = string(v.GetStringBytes())
			}
		}
	}
	if out["id"] == "" {
		return nil, destkit.ValidationErrorf("conversionRuleId", "The saved conversion rule has no id; give an existing conversion rule ID.")
	}
	w := destkit.NewJSONWriter(make([]byte, 0, 256))
	w.ObjectStart()
	w.Key("patch")
	w.ObjectStart()
	w.Key("$set")
	w.ObjectStart()
	firstChanged := ""
	for _, a := range ruleAttributes {
		v := inputs.Get(a.input)
		if v == nil || v.Type() == fastjson.TypeNull || v.Type() == fastjson.TypeString && len(v.GetStringBytes()) == 0 ||
			v.Type() == fastjson.TypeNumber && v.GetFloat64() == 0 {
			continue
		}
		var now any
		if v.Type() == fastjson.TypeNumber {
			now = v.GetInt64()
		} else {
			now = string(v.GetStringBytes())
		}
		if out[a.input] == now {
			continue
		}
		if firstChanged == "" {
			firstChanged = a.input
		}
		out[a.input] = now
		w.Key(a.attribute)
		w.Value(v)
	}
	w.ObjectEnd()
	w.ObjectEnd()
	w.ObjectEnd()
	if firstChanged == "" {
		for _, k := range []string{"name", "conversionType", "attribution_type"} {
			if s, _ := out[k].(string); s == "" {
				return nil, destkit.ValidationErrorf(k, "The saved conversion rule lacks %s; give it, or an existing conversion rule ID.", k)
			}
		}
		return out, nil
	}
	id := out["id"].(string)
	r := destkit.NewJSONRequest(http.MethodPost, apiBase+"/conversions/"+url.PathEscape(id)+"?account="+url.QueryEscape(account), w.Bytes())
	r.SetHeader("X-RestLi-Method", "PARTIAL_UPDATE")
	if _, err := d.Do(ctx, &r); err != nil {
		return nil, destkit.InputRefused(err, firstChanged, "LinkedIn refused to update conversion rule "+id+message(err))
	}
	return out, nil
}

// associateCampaigns attributes the rule's conversions to the campaigns.
func associateCampaigns(ctx context.Context, d destkit.Doer, rule string, ids []*fastjson.Value) error {
	var campaigns []string
	for _, v := range ids {
		if id := idString(v); id != "" {
			campaigns = append(campaigns, id)
		}
	}
	key := func(campaign string) string {
		return "(campaign:" + url.QueryEscape(campaignURN+campaign) + ",conversion:" + url.QueryEscape(ruleURN+rule) + ")"
	}
	entity := func(w *destkit.JSONWriter, campaign string) {
		w.ObjectStart()
		w.Key("campaign")
		w.String(campaignURN + campaign)
		w.Key("conversion")
		w.String(ruleURN + rule)
		w.ObjectEnd()
	}
	var w destkit.JSONWriter
	var u string
	switch len(campaigns) {
	case 0:
		return nil
	case 1:
		u = apiBase + "/campaignConversions/" + key(campaigns[0])
		entity(&w, campaigns[0])
	default:
		keys := make([]string, len(campaigns))
		w.ObjectStart()
		w.Key("entities")
		w.ObjectStart()
		for i, c := range campaigns {
			keys[i] = key(c)
			w.Key(keys[i])
			entity(&w, c)
		}
		w.ObjectEnd()
		w.ObjectEnd()
		u = apiBase + "/campaignConversions?ids=List(" + strings.Join(keys, ",") + ")"
	}
	_, err := d.Do(ctx, ptr(destkit.NewJSONRequest(http.MethodPut, u, w.Bytes())))
	return err
}

// adAccountChoices lists the ad accounts the token can reach, as URNs.
func adAccountChoices(ctx context.Context, d destkit.Doer, _ *destkit.DynamicInput) ([]destkit.Choice, error) {
	return elementChoices(ctx, d, apiBase+"/adAccounts?q=search", func(e *fastjson.Value) (destkit.Choice, bool) {
		return destkit.Choice{Value: accountURN + idString(e.Get("id")), Label: string(e.GetStringBytes("name"))}, true
	})
}

// campaignChoices lists the active and draft campaigns of the chosen ad account.
func campaignChoices(ctx context.Context, d destkit.Doer, in *destkit.DynamicInput) ([]destkit.Choice, error) {
	account, err := chosenAccount(in)
	if err != nil {
		return nil, err
	}
	id := account[strings.LastIndexByte(account, ':')+1:]
	u := apiBase + "/adAccounts/" + url.PathEscape(id) + "/adCampaigns?q=search&search=(status:(values:List(ACTIVE,DRAFT)))"
	cs, err := elementChoices(ctx, d, u, func(e *fastjson.Value) (destkit.Choice, bool) {
		return destkit.Choice{Value: idString(e.Get("id")), Label: string(e.GetStringBytes("name"))}, true
	})
	return cs, accountRefused(err, account)
}

// ruleChoices lists the enabled Conversions API rules of the chosen ad account.
func ruleChoices(ctx context.Context, d destkit.Doer, in *destkit.DynamicInput) ([]destkit.Choice, error) {
	account, err := chosenAccount(in)
	if err != nil {
		return nil, err
	}
	u := apiBase + "/conversions?q=account&account=" + url.QueryEscape(account) + "&start=0&count=100"
	cs, err := elementChoices(ctx, d, u, func(e *fastjson.Value) (destkit.Choice, bool) {
		ok := e.GetBool("enabled") && string(e.GetStringBytes("conversionMethod")) == "CONVERSIONS_API"
		return destkit.Choice{Value: idString(e.Get("id")), Label: string(e.GetStringBytes("name"))}, ok
	})
	return cs, accountRefused(err, account)
}

// accountRefused names the chosen ad account when LinkedIn refuses it (no
// such account, or none the token may read).
func accountRefused(err error, account string) error {
	return destkit.InputRefused(err, "onMappingSave.adAccountId", "LinkedIn refused ad account "+account+message(err))
}

// chosenAccount reads the ad account picked in the hook's inputs.
func chosenAccount(in *destkit.DynamicInput) (string, error) {
	account := string(in.Payload.GetStringBytes("onMappingSave", "inputs", "adAccountId"))
	if account == "" || strings.HasSuffix(account, ":") {
		return "", destkit.ValidationErrorf("onMappingSave.adAccountId", "Select the ad account first (onMappingSave.inputs.adAccountId).")
	}
	return account, nil
}

// elementChoices reads a Rest.li collection's elements as choices.
func elementChoices(ctx context.Context, d destkit.Doer, u string, choice func(*fastjson.Value) (destkit.Choice, bool)) ([]destkit.Choice, error) {
	v, err := destkit.GetJSON(ctx, d, u, "LinkedIn's answer")
	if err != nil {
		return nil, err
	}
	var choices []destkit.Choice
	for _, e := range v.GetArray("elements") {
		if c, ok := choice(e); ok {
			choices = append(choices, c)
		}
	}
	return choices, nil
}

// idString returns a LinkedIn id, a number or a string, as a string.
func idString(v *fastjson.Value) string {
	switch {
	case v == nil:
		return ""
	case v.Type() == fastjson.TypeString:
		return string(v.GetStringBytes())
	case v.Type() == fastjson.TypeNumber:
		return v.String()
	}
	return ""
}

// window reads an attribution window in days, or fallback.
func window(v *fastjson.Value, fallback int64) int64 {
	if n := v.GetInt64(); n > 0 {
		return n
	}
	return fallback
}

// message returns ": " and LinkedIn's message from an API error, or "".
func message(err error) string {
	if api := apiError(err); api != nil {
		if m := fastjson.GetString(api.Body, "message"); m != "" {
			return ": " + m
		}
	}
	return ""
}

func forbidden(err error) bool {
	api := apiError(err)
	return api != nil && api.Status == http.StatusForbidden
}

func apiError(err error) *destkit.APIError {
	var api *destkit.APIError
	if errors.As(err, &api) {
		return api
	}
	return nil
}

func ptr(r destkit.Request) *destkit.Request { return &r }
