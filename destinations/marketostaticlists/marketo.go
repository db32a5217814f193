package marketostaticlists

import (
	"context"
	"net/url"
	"time"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// now is replaced in tests.
var now = time.Now

// permanent are Marketo's error codes that retrying cannot fix.
var permanent = map[string]bool{}

func init() {
	for _, c := range []string{"603", "605", "609", "610", "612", "613", "616", "701", "702", "703", "704", "709", "710", "711",
		"712", "714", "718", "1001", "1002", "1003", "1004", "1005", "1006", "1007", "1008", "1009", "1010", "1011", "1012", "1013",
		"1014", "1015", "1017", "1018", "1021", "1022", "1025", "1026", "1027", "1028", "1035", "1036", "1037", "1042", "1048",
		"1049", "1076", "1077", "1078", "1079"} {
		permanent[c] = true
	}
}

// call sends r and reads Marketo's envelope: success true, or the first
// error's code decides (601 and 602 are token errors: the client renews the
// token and sends again).
func call(ctx context.Context, d destkit.Doer, r destkit.Request) (*fastjson.Value, error) {
	resp, err := d.Do(ctx, &r)
	if err != nil {
		return nil, err
	}
	v, perr := fastjson.ParseBytes(resp.Body)
	if perr != nil {
		return nil, &destkit.RetryableError{Err: &destkit.IntegrationError{Code: "INVALID_RESPONSE", Message: "Marketo answered with invalid JSON"}}
	}
	if v.GetBool("success") {
		return v, nil
	}
	errs := v.GetArray("errors")
	if len(errs) == 0 {
		return nil, &destkit.RetryableError{Err: &destkit.IntegrationError{Code: "UNKNOWN_ERROR", Message: "Unknown error: Marketo returned success=false with no error details"}}
	}
	code := jsText(errs[0].Get("code"))
	msg := string(errs[0].GetStringBytes("message"))
	switch {
	case code == "601" || code == "602":
		return nil, &destkit.AuthError{Code: "INVALID_AUTHENTICATION", Message: "Marketo error " + code + ": " + msg}
	case permanent[code]:
		return nil, &destkit.IntegrationError{Code: code, Message: "Marketo error " + code + ": " + msg}
	}
	return nil, &destkit.RetryableError{Err: &destkit.IntegrationError{Code: code, Message: "Marketo error " + code + ": " + msg}}
}

// jsText is a scalar as JavaScript's String prints it ("" for null).
func jsText(v *fastjson.Value) string {
	if v == nil {
		return ""
	}
	switch v.Type() {
	case fastjson.TypeString:
		return string(v.GetStringBytes())
	case fastjson.TypeNull:
		return ""
	case fastjson.TypeNumber:
		return string(destkit.AppendJSNumber(nil, v.GetFloat64()))
	}
	return string(v.MarshalTo(nil))
}

// getList checks that list id exists and returns its name.
func getList(ctx context.Context, d destkit.Doer, s *destkit.Settings, id string) (string, error) {
	if onlyDigits(id) != id {
		return "", destkit.ValidationErrorf("list_id", "A Marketo list ID is a number; got %q.", id)
	}
	v, err := call(ctx, d, destkit.Request{Method: "GET", URL: endpoint(s) + "/rest/asset/v1/staticList/" + id + ".json"})
	if err != nil {
		return "", err
	}
	lists := v.GetArray("result")
	if len(lists) == 0 {
		return "", &destkit.IntegrationError{Code: "INVALID_REQUEST_DATA", Message: "List with ID " + id + " not found"}
	}
	return string(lists[0].GetStringBytes("name")), nil
}

// createList creates a static list named name in the settings' folder and
// returns its id.
func createList(ctx context.Context, d destkit.Doer, s *destkit.Settings, name string) (string, error) {
	if name == "" {
		return "", destkit.ValidationErrorf("list_name", "Missing audience name value")
	}
	folder := s.Str("folder_name")
	v, err := call(ctx, d, destkit.Request{Method: "GET", URL: endpoint(s) + "/rest/asset/v1/folder/byName.json?name=" + url.QueryEscape(folder)})
	if err != nil {
		return "", err
	}
	folders := v.GetArray("result")
	if len(folders) == 0 {
		return "", &destkit.IntegrationError{Code: "INVALID_REQUEST_DATA", Message: "A folder with the name " + folder + " not found"}
	}
	q := url.Values{}
	q.Set("folder", jsText(folders[0].Get("id")))
	q.Set("name", name)
	v, err = call(ctx, d, destkit.Request{Method: "POST", URL: endpoint(s) + "/rest/asset/v1/staticLists.json?" + q.Encode()})
	if err != nil {
		return "", err
	}
	id := jsText(v.Get("result", "0", "id"))
	if id == "" {
		return "", &destkit.IntegrationError{Code: "INVALID_RESPONSE", Message: "Marketo created the list but returned no id"}
	}
	return id, nil
}

func onlyDigits(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b = append(b, s[i])
		}
	}
	return string(b)
}

// audienceConfig creates a static list for an audience, or checks one.
var audienceConfig = &destkit.AudienceConfig{
	Create: func(ctx context.Context, d destkit.Doer, in *destkit.AudienceRequest) (string, error) {
		return createList(ctx, d, in.Settings, in.Name)
	},
	Get: func(ctx context.Context, d destkit.Doer, in *destkit.AudienceRequest) (string, error) {
		if _, err := getList(ctx, d, in.Settings, in.ExternalID); err != nil {
			return "", err
		}
		return in.ExternalID, nil
	},
}

// listHook is Segment's retlOnMappingSave: it connects an existing list or
// creates one in the settings' folder.
var listHook = destkit.Hook{
	Key:         "retlOnMappingSave",
	Label:       "Connect to a static list in Marketo",
	Description: "Creates a static list in the settings' folder when the mapping is saved, or connects an existing one.",
	Inputs: []destkit.Field{
		{Key: "list_id", Label: "Existing List ID", Type: destkit.String,
			Description: "ID of an existing static list; when set, no list is created."},
		{Key: "list_name", Label: "List Name", Type: destkit.String,
			Description: "Name of the static list to create."},
	},
	Outputs: []destkit.Field{
		{Key: "id", Label: "ID", Type: destkit.String, Description: "ID of the static list leads are added to."},
		{Key: "name", Label: "List Name", Type: destkit.String, Description: "Name of the static list."},
	},
	Run: func(ctx context.Context, d destkit.Doer, in *destkit.HookInput) (map[string]any, error) {
		if id := string(in.Inputs.GetStringBytes("list_id")); id != "" {
			name, err := getList(ctx, d, in.Settings, id)
			if err != nil {
				return nil, err
			}
			return map[string]any{"id": id, "name": name}, nil
		}
		name := string(in.Inputs.GetStringBytes("list_name"))
		id, err := createList(ctx, d, in.Settings, name)
		if err != nil {
			return nil, err
		}
		return map[string]any{"id": id, "name": name}, nil
	},
}

// runOne runs a batch function over one payload.
func runOne(f func(ctx context.Context, d destkit.Doer, in *destkit.BatchInput) []error) func(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
	return func(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
		return f(ctx, d, &destkit.BatchInput{Payloads: []*fastjson.Value{in.Payload}, Settings: in.Settings, Audiences: in.Audiences})[0]
	}
}

// failAll gives every payload of n the same error.
func failAll(n int, err error) []error {
	errs := make([]error, n)
	for i := range errs {
		errs[i] = err
	}
	return errs
}
