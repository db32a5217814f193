package attio

import (
	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// IdentifyUser asserts a person by email and a user by user ID linked to
// that person.
var IdentifyUser = &destkit.Action{
	Key:         "identifyUser",
	Title:       "Identify User",
	Description: "Create or update an Attio user and the person it belongs to.",
	Fields:      []destkit.Field{emailAddress, userID, userAttributes, personAttributes, enableBatching, batchSize, receivedAtField},
	Batch:       &destkit.Batch{MaxSize: 1000},
	Perform: func(in *destkit.Input) ([]destkit.Request, error) {
		// Person first, so the user's person reference resolves.
		return []destkit.Request{simpleRequest(personAssertion(in.Payload)), simpleRequest(userAssertion(in.Payload, false))}, nil
	},
	PerformBatch: func(in *destkit.BatchInput) ([]destkit.Request, error) {
		return batchRequest(in, func(p *fastjson.Value) assertion { return userAssertion(p, true) }), nil
	},
}

func personAssertion(p *fastjson.Value) assertion {
	return assertion{object: "people", matching: "email_addresses", values: func(w *destkit.JSONWriter) {
		w.Key("email_addresses")
		w.Value(p.Get("email_address"))
		spread(w, p.GetObject("person_attributes"), "email_addresses")
	}}
}

// userAssertion links the user to its person: by email on the simple
// endpoint, by a nested person assertion in batches.
func userAssertion(p *fastjson.Value, nested bool) assertion {
	return assertion{object: "users", matching: "user_id", values: func(w *destkit.JSONWriter) {
		w.Key("primary_email_address")
		w.Value(p.Get("email_address"))
		w.Key("person")
		if nested {
			writeNested(w, personAssertion(p))
		} else {
			w.Value(p.Get("email_address"))
		}
		w.Key("user_id")
		w.Value(p.Get("user_id"))
		spread(w, p.GetObject("user_attributes"), "primary_email_address", "person", "user_id")
	}}
}

// writeNested writes an assertion used as an attribute value; nested
// assertions carry no received_at of their own.
func writeNested(w *destkit.JSONWriter, a assertion) {
	w.ObjectStart()
	w.Key("object")
	w.String(a.object)
	w.Key("mode")
	w.String("create-or-update")
	w.Key("matching_attribute")
	w.String(a.matching)
	w.Key("multiselect_values")
	w.String("append")
	w.Key("values")
	w.ObjectStart()
	a.values(w)
	w.ObjectEnd()
	w.ObjectEnd()
}
