package emarsys

import (
	"context"

	"github.com/actuate/actuate/destinations/destkit"
	"github.com/valyala/fastjson"
)

// UpsertContact creates or updates contacts by a key field.
var UpsertContact = &destkit.Action{
	Key:         "upsertContact",
	Title:       "Upsert Contact",
	Description: "Create or update a contact in Emarsys, found by a key field, writing the mapped fields.",
	Fields: []destkit.Field{
		keyField,
		keyValue,
		{Key: "write_field", Label: "Fields to write", Type: destkit.Object, Required: true, AdditionalProperties: true,
			Default:     `{"1":{"@path":"$.traits.firstName"},"2":{"@path":"$.traits.lastName"},"3":{"@path":"$.traits.email"}}`,
			Description: "Values to write, keyed by Emarsys field ID (1 first name, 2 last name, 3 email, …)."},
	},
	Batch: &destkit.Batch{MaxSize: batchSize},
	Run: func(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
		p := in.Payload
		k, err := readKeyed(p, "")
		if err != nil {
			return err
		}
		var w destkit.JSONWriter
		contactsStart(&w, k)
		contact(&w, p)
		w.ArrayEnd()
		w.ObjectEnd()
		return send(ctx, d, "upsertContact", upsert(w.Bytes()))
	},
	PerformBatch: func(in *destkit.BatchInput) ([]destkit.Request, error) {
		return perGroup(in, "", func(k keyed, events []int) destkit.Request {
			var w destkit.JSONWriter
			contactsStart(&w, k)
			for _, i := range events {
				contact(&w, in.Payloads[i])
			}
			w.ArrayEnd()
			w.ObjectEnd()
			return upsert(w.Bytes())
		}), nil
	},
	BatchStatus: batchStatus("upsertContact"),
}

func upsert(body []byte) destkit.Request {
	return destkit.NewJSONRequest("PUT", apiBase+"contact/?create_if_not_exists=1", body)
}

// contactsStart opens {"key_id": …, "contacts": [.
func contactsStart(w *destkit.JSONWriter, k keyed) {
	w.ObjectStart()
	w.StringField("key_id", k.field)
	w.Key("contacts")
	w.ArrayStart()
}

// contact writes one contact: the key field set to the key value, then the
// fields to write over it, in a JavaScript object's key order (field IDs
// ascending).
func contact(w *destkit.JSONWriter, p *fastjson.Value) {
	var c destkit.JSObject
	c.SetValue(string(p.GetStringBytes("key_field")), p.Get("key_value"))
	c.Assign(p.Get("write_field"), nil)
	c.Write(w)
}
