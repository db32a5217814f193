package braze

import (
	"context"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// IdentifyUser2 merges an alias-only or email-only user into the user with
// an external ID. Braze answers 201 even when it rejected the merge, so the
// action reads the body's errors rather than trusting the status.
var IdentifyUser2 = &destkit.Action{
	Key:         "identifyUser2",
	Title:       "Identify User V2",
	Description: "Identify an alias-only or email-only user with an external ID, merging their data.",
	Fields: []destkit.Field{
		{Key: "external_id", Label: "External ID", Type: destkit.String, Required: true, Description: "External ID the alias-only or email-only user should be merged into."},
		{Key: "user_alias", Label: "User Alias Object", Type: destkit.Object, RequiredIf: &destkit.RequiredIf{Conditions: []destkit.Condition{{FieldKey: "email_to_identify", Operator: "is"}}}, Description: "Alias of the user to identify; needed when no email is given.",
			Properties: []destkit.Field{aliasName, aliasLabel}},
		{Key: "email_to_identify", Label: "Email to Identify", Type: destkit.String, RequiredIf: &destkit.RequiredIf{Conditions: []destkit.Condition{{FieldKey: "user_alias", Operator: "is"}}}, Description: "Email of the email-only user to identify; needed when no alias is given."},
		{Key: "prioritization", Label: "Prioritization", Type: destkit.Object, RequiredIf: &destkit.RequiredIf{Conditions: []destkit.Condition{{FieldKey: "email_to_identify", Operator: "is_not"}}}, Description: "Which user wins when several share the email; needed with an email.",
			Properties: []destkit.Field{
				{Key: "first_priority", Label: "First Priority", Type: destkit.String, Choices: []destkit.Choice{{Value: "unidentified", Label: "Unidentified"}, {Value: "most_recently_updated", Label: "Most Recently Updated"}, {Value: "least_recently_updated", Label: "Least Recently Updated"}}, Description: "Preferred user when several match."},
				{Key: "second_priority", Label: "Second Priority", Type: destkit.String, Choices: []destkit.Choice{{Value: "unidentified", Label: "Unidentified"}, {Value: "most_recently_updated", Label: "Most Recently Updated"}, {Value: "least_recently_updated", Label: "Least Recently Updated"}}, Description: "Tie-breaker after the first priority."},
			}},
		{Key: "merge_behavior", Label: "Merge Behavior", Type: destkit.String, Choices: []destkit.Choice{{Value: "none", Label: "None"}, {Value: "merge", Label: "Merge"}}, Description: "What to merge from the alias-only user: none or merge."},
	},
	Run: identifyUser2,
}

func identifyUser2(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
	p := in.Payload
	switch m := string(p.GetStringBytes(destkit.SyncModeKey)); m {
	case "add", "upsert":
	default:
		return destkit.ValidationErrorf(destkit.SyncModeKey, "Sync mode %q is not supported; use add or upsert.", m)
	}
	w := destkit.NewJSONWriter(make([]byte, 0, 256))
	w.ObjectStart()
	w.Field("merge_behavior", p.Get("merge_behavior"))
	if ua := p.Get("user_alias"); ua != nil {
		w.Key("aliases_to_identify")
		w.ArrayStart()
		w.ObjectStart()
		w.Field("external_id", p.Get("external_id"))
		w.Field("user_alias", ua)
		w.ObjectEnd()
		w.ArrayEnd()
	}
	if email := p.Get("email_to_identify"); email != nil {
		w.Key("emails_to_identify")
		w.ArrayStart()
		w.ObjectStart()
		w.Field("external_id", p.Get("external_id"))
		w.Field("email", email)
		w.Key("prioritization")
		writePrioritization(w, p.Get("prioritization"))
		w.ObjectEnd()
		w.ArrayEnd()
	}
	w.ObjectEnd()
	r := destkit.NewJSONRequest("POST", endpoint(in.Settings, "/users/identify"), w.Bytes())
	resp, err := d.Do(ctx, &r)
	if err != nil {
		return err
	}
	if e := fastjson.GetBytes(resp.Body, "errors", "0", "type"); len(e) > 0 {
		return &destkit.APIError{Status: 400, Body: e}
	}
	return nil
}

// writePrioritization writes Braze's ordered prioritization list from the
// first/second priority object, skipping unset entries.
func writePrioritization(w *destkit.JSONWriter, pr *fastjson.Value) {
	w.ArrayStart()
	for _, k := range []string{"first_priority", "second_priority"} {
		if v := pr.Get(k); v != nil {
			w.Value(v)
		}
	}
	w.ArrayEnd()
}
