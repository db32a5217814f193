package emarsys

import (
	"context"

	"github.com/actuate/actuate/destinations/destkit"
)

// listMembership is Add to Contact List (op "add") or Remove from Contact
// List (op "delete"): the same fields and the same requests to
// contactlist/<id>/<op>. Segment's single removal also repeats the list
// ID in its body; withListID says so.
func listMembership(a *destkit.Action, op string, withListID bool) *destkit.Action {
	a.Fields = []destkit.Field{contactList, keyField, keyValue}
	a.Batch = &destkit.Batch{MaxSize: batchSize}
	a.Run = func(ctx context.Context, d destkit.Doer, in *destkit.Input) error {
		k, err := readKeyed(in.Payload, "contactlistid")
		if err != nil {
			return err
		}
		var w destkit.JSONWriter
		w.ObjectStart()
		if withListID {
			w.Key("contactlistid")
			w.Raw([]byte(k.id))
		}
		w.StringField("key_id", k.field)
		w.Key("external_ids")
		w.ArrayStart()
		w.String(k.value)
		w.ArrayEnd()
		w.ObjectEnd()
		return send(ctx, d, a.Key, listRequest(k.id, op, w.Bytes()))
	}
	a.PerformBatch = func(in *destkit.BatchInput) ([]destkit.Request, error) {
		return perGroup(in, "contactlistid", func(k keyed, events []int) destkit.Request {
			var w destkit.JSONWriter
			w.ObjectStart()
			w.StringField("key_id", k.field)
			w.Key("external_ids")
			w.ArrayStart()
			for _, i := range events {
				w.Value(in.Payloads[i].Get("key_value"))
			}
			w.ArrayEnd()
			w.ObjectEnd()
			return listRequest(k.id, op, w.Bytes())
		}), nil
	}
	a.BatchStatus = batchStatus(a.Key)
	return a
}

func listRequest(list, op string, body []byte) destkit.Request {
	return destkit.NewJSONRequest("POST", apiBase+"contactlist/"+list+"/"+op, body)
}

// AddToContactList adds existing contacts to a contact list.
var AddToContactList = listMembership(&destkit.Action{
	Key:         "addToContactList",
	Title:       "Add to Contact List",
	Description: "Add a contact to an Emarsys contact list; the contact must already exist.",
}, "add", false)

// RemoveFromContactList removes contacts from a contact list.
var RemoveFromContactList = listMembership(&destkit.Action{
	Key:         "removeFromContactList",
	Title:       "Remove from Contact List",
	Description: "Remove a contact from an Emarsys contact list.",
}, "delete", true)
