package klaviyo

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// listHook connects a Reverse ETL mapping of Upsert Profile to a list when
// the mapping is saved: the list named by its ID, or a new list of the
// given name. Its output, the list's id and name, is saved on the mapping
// under retlOnMappingSave, and every profile the mapping upserts is added to
// that list (before List ID Override and List on a single event; a batch
// lets List ID Override win, as Segment's batch does).
var listHook = destkit.Hook{
	Key:         "retlOnMappingSave",
	Label:       "Connect to a static list in Klaviyo",
	Description: "Connect the mapping to a Klaviyo list when it is saved: an existing list by its ID, or a new list created with the given name.",
	Inputs: []destkit.Field{
		{Key: "list_identifier", Label: "Existing List ID", Type: destkit.String, Dynamic: listChoices,
			Description: "ID of the Klaviyo list the profiles are added to; when given, no list is created."},
		{Key: "list_name", Label: "Name of list to create", Type: destkit.String,
			Description: "Name of the Klaviyo list to create when no existing list ID is given."},
	},
	Outputs: []destkit.Field{
		{Key: "id", Label: "ID", Type: destkit.String, Description: "ID of the Klaviyo list the profiles are added to."},
		{Key: "name", Label: "List Name", Type: destkit.String, Description: "Name of the Klaviyo list the profiles are added to."},
	},
	Run: connectList,
}

// connectList checks that the chosen list exists, or creates the named one.
func connectList(ctx context.Context, d destkit.Doer, in *destkit.HookInput) (map[string]any, error) {
	if id := string(in.Inputs.GetStringBytes("list_identifier")); id != "" {
		r := destkit.Request{Method: http.MethodGet, URL: apiBase + "/lists/" + url.PathEscape(id)}
		resp, err := do(ctx, d, r)
		if err != nil {
			return nil, destkit.InputRefused(err, "list_identifier", "Klaviyo has no list "+id+" that this API key can read"+errorDetail(resp))
		}
		return listOutputs(resp)
	}
	name := string(in.Inputs.GetStringBytes("list_name"))
	if name == "" {
		return nil, destkit.ValidationErrorf("list_name", "Give an existing list ID, or the name of the list to create.")
	}
	w := destkit.NewJSONWriter(make([]byte, 0, 64+len(name)))
	w.ObjectStart()
	w.Key("data")
	w.ObjectStart()
	w.Key("type")
	w.String("list")
	w.Key("attributes")
	w.ObjectStart()
	w.Key("name")
	w.String(name)
	w.ObjectEnd()
	w.ObjectEnd()
	w.ObjectEnd()
	resp, err := do(ctx, d, destkit.NewJSONRequest(http.MethodPost, apiBase+"/lists", w.Bytes()))
	if err != nil {
		return nil, destkit.InputRefused(err, "list_name", "Klaviyo refused to create the list"+errorDetail(resp))
	}
	return listOutputs(resp)
}

// listOutputs reads {"data":{"id":…,"attributes":{"name":…}}}.
func listOutputs(resp *destkit.Response) (map[string]any, error) {
	v, err := fastjson.ParseBytes(resp.Body)
	if err != nil || len(v.GetStringBytes("data", "id")) == 0 {
		return nil, &destkit.IntegrationError{Code: "INVALID_RESPONSE", Message: "Klaviyo's answer names no list"}
	}
	return map[string]any{"id": string(v.GetStringBytes("data", "id")), "name": string(v.GetStringBytes("data", "attributes", "name"))}, nil
}

// errorDetail returns ": " and the detail of Klaviyo's first error, or "".
func errorDetail(resp *destkit.Response) string {
	if resp == nil {
		return ""
	}
	if d := fastjson.GetString(resp.Body, "errors", "0", "detail"); d != "" {
		return ": " + d
	}
	return ""
}

// listPages bounds how many pages of lists a choice list reads; Klaviyo
// pages lists by ten.
const listPages = 50

// listChoices lists the account's lists, following Klaviyo's next links.
func listChoices(ctx context.Context, d destkit.Doer, _ *destkit.DynamicInput) ([]destkit.Choice, error) {
	var choices []destkit.Choice
	next := apiBase + "/lists/"
	for page := 0; next != "" && page < listPages; page++ {
		resp, err := do(ctx, d, destkit.Request{Method: http.MethodGet, URL: next})
		if err != nil {
			return nil, err
		}
		v, err := fastjson.ParseBytes(resp.Body)
		if err != nil {
			return nil, &destkit.IntegrationError{Code: "INVALID_RESPONSE", Message: "Klaviyo's lists are not JSON"}
		}
		for _, l := range v.GetArray("data") {
			choices = append(choices, destkit.Choice{Value: string(l.GetStringBytes("id")), Label: string(l.GetStringBytes("attributes", "name"))})
		}
		// Only Klaviyo's own links carry the API key further.
		if next = string(v.GetStringBytes("links", "next")); !strings.HasPrefix(next, apiBase+"/") {
			next = ""
		}
	}
	return choices, nil
}

// hookListID returns the list connected by listHook, or "".
func hookListID(p *fastjson.Value) string {
	return string(destkit.HookOutput(p, listHook.Key, "id").GetStringBytes())
}
