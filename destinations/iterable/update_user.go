package iterable

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// UpdateUser creates or updates a user profile.
var UpdateUser = &destkit.Action{
	Key:                 "updateUser",
	Title:               "Upsert User",
	Description:         "Create or update a user profile in Iterable.",
	DefaultSubscription: `type = "identify"`,
	Fields: []destkit.Field{
		withDefault(emailField, `{"@path":"$.traits.email"}`),
		userIDField,
		{Key: "newEmail", Label: "New Email Address", Type: destkit.String, Format: "email",
			Description: "A new email address for the user; set with a second call, or in dataFields when batched (hybrid projects only)."},
		userDataField,
		phoneField,
		mergeField,
		enableBatchingField,
		{Key: "updateOnly", Label: "Update Only", Type: destkit.Boolean,
			Description: "In batches, only update existing users and never create one."},
		batchSizeField,
	},
	Batch:        &destkit.Batch{MaxSize: 1001, Keys: []string{"updateOnly"}},
	Perform:      updateUser,
	PerformBatch: updateUsers,
}

func withDefault(f destkit.Field, d destkit.JSON) destkit.Field {
	f.Default = d
	return f
}

// writeUser writes a user update: the payload without the action's own
// settings, with dataFields holding converted dates and the phone number;
// newEmail, when given, also goes into dataFields.email (batch form).
func writeUser(w *destkit.JSONWriter, p *fastjson.Value, newEmailInData bool) {
	var extra []member
	if ne := p.Get("newEmail"); newEmailInData && ne != nil {
		// {...dataFields, email: newEmail}
		extra = append(extra, member{"email", value(ne)})
	}
	data := userDataFields(p.Get("dataFields"), p.Get("phoneNumber"), extra...)
	spread(w, p.GetObject(), []string{"newEmail", "updateOnly", "enable_batching", "batch_size", "phoneNumber"}, plain,
		member{"dataFields", data})
}

func updateUser(in *destkit.Input) ([]destkit.Request, error) {
	p := in.Payload
	if err := requireUser(p, "email"); err != nil {
		return nil, err
	}
	w := destkit.NewJSONWriter(make([]byte, 0, 512))
	writeUser(w, p, false)
	reqs := []destkit.Request{destkit.NewJSONRequest("POST", endpoint(in.Settings, "/api/users/update"), w.Bytes())}
	if ne := p.Get("newEmail"); ne != nil {
		e := destkit.NewJSONWriter(make([]byte, 0, 128))
		e.ObjectStart()
		if len(p.GetStringBytes("email")) > 0 {
			e.Key("currentEmail")
			e.Value(p.Get("email"))
		}
		if len(p.GetStringBytes("userId")) > 0 {
			e.Key("currentUserId")
			e.Value(p.Get("userId"))
		}
		e.Key("newEmail")
		e.Value(ne)
		e.ObjectEnd()
		reqs = append(reqs, destkit.NewJSONRequest("POST", endpoint(in.Settings, "/api/users/updateEmail"), e.Bytes()))
	}
	return reqs, nil
}

func updateUsers(in *destkit.BatchInput) ([]destkit.Request, error) {
	w := destkit.NewJSONWriter(make([]byte, 0, 512*len(in.Payloads)))
	w.ObjectStart()
	first := true
	for i, p := range in.Payloads {
		if err := requireUser(p, "email"); err != nil {
			in.Reject(i, err)
			continue
		}
		if first {
			if p.GetBool("updateOnly") {
				w.Key("updateOnly")
				w.Bool(true)
			}
			w.Key("users")
			w.ArrayStart()
			first = false
		}
		writeUser(w, p, true)
	}
	if first {
		return nil, nil // every event was rejected
	}
	w.ArrayEnd()
	w.ObjectEnd()
	return []destkit.Request{destkit.NewJSONRequest("POST", endpoint(in.Settings, "/api/users/bulkUpdate"), w.Bytes())}, nil
}
